#include "interrupt.hpp"

#include <pthread.h>
#include <signal.h>

#include <atomic>

namespace coapjws::scan {

namespace {

std::atomic<int> requested_signal{0};
std::atomic<bool> reader_registered{false};
pthread_t reader_thread;  // valid while reader_registered

void on_stop_signal(int signal) {
    int expected = 0;
    requested_signal.compare_exchange_strong(expected, signal);
    if (reader_registered.load())
        pthread_kill(reader_thread, SIGUSR1);  // async-signal-safe
}

void on_wake(int) {}

}  // namespace

void install_interrupt_handlers() {
    struct sigaction stop {};
    stop.sa_handler = on_stop_signal;
    sigemptyset(&stop.sa_mask);
    // Restarted system calls: the threads writing reports are not disturbed.
    // SA_RESETHAND: a second signal takes the default action (terminate).
    stop.sa_flags = SA_RESTART | SA_RESETHAND;
    sigaction(SIGINT, &stop, nullptr);
    sigaction(SIGTERM, &stop, nullptr);

    struct sigaction wake {};
    wake.sa_handler = on_wake;
    sigemptyset(&wake.sa_mask);
    wake.sa_flags = 0;  // no SA_RESTART: the blocked read returns EINTR
    sigaction(SIGUSR1, &wake, nullptr);
}

bool interrupt_requested() {
    return requested_signal.load(std::memory_order_relaxed) != 0;
}

int interrupt_signal() {
    return requested_signal.load();
}

void register_blocking_reader() {
    reader_thread = pthread_self();
    reader_registered.store(true);
    // A signal that came before registration still ends the read at once.
    if (interrupt_requested())
        pthread_kill(reader_thread, SIGUSR1);
}

void unregister_blocking_reader() {
    reader_registered.store(false);
}

void reset_interrupt_for_tests() {
    requested_signal.store(0);
}

}  // namespace coapjws::scan
