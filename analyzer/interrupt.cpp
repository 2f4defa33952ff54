#include "interrupt.hpp"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace coapjws::scan {

namespace {

std::atomic<int> requested_signal{0};
std::atomic<bool> reader_registered{false};
std::atomic<pthread_t> reader_thread{};

void on_wake(int) {}

// SIGINT and SIGTERM are blocked in every thread but this one, which waits
// for them: no report writer ever sees EINTR, and the reader of standard
// input is woken on purpose (SIGUSR1, not restarted) until it stops reading.
void wait_for_signals(sigset_t set) {
    int signal = 0;
    if (sigwait(&set, &signal) != 0)
        return;
    requested_signal.store(signal);
    // A second signal takes the default action: stop at once.
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(SIGINT, &fallback, nullptr);
    sigaction(SIGTERM, &fallback, nullptr);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    // Until the reader has left its read: a wake-up sent just before it
    // entered the read would be lost, so keep sending.
    while (true) {
        if (reader_registered.load())
            pthread_kill(reader_thread.load(), SIGUSR1);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace

void install_interrupt_handlers() {
    static std::atomic<bool> installed{false};
    if (installed.exchange(true))
        return;
    struct sigaction wake {};
    wake.sa_handler = on_wake;
    sigemptyset(&wake.sa_mask);
    wake.sa_flags = 0;  // no SA_RESTART: the blocked read returns EINTR
    sigaction(SIGUSR1, &wake, nullptr);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    // Threads started from now on inherit the mask.
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread(wait_for_signals, set).detach();
}

bool interrupt_requested() {
    return requested_signal.load(std::memory_order_relaxed) != 0;
}

int interrupt_signal() {
    return requested_signal.load();
}

void register_blocking_reader() {
    reader_thread.store(pthread_self());
    reader_registered.store(true);
}

void unregister_blocking_reader() {
    reader_registered.store(false);
}

void reset_interrupt_for_tests() {
    requested_signal.store(0);
}

}  // namespace coapjws::scan
