// Heap allocations per message in a Session's steady state, counted: every
// malloc, calloc, realloc and aligned allocation of the process (operator new,
// the engine's containers, OpenSSL's CRYPTO_malloc) goes through the
// counting functions below, which forward to glibc's allocator.
//
//   build/bench/coapjws_allocations [KIND...]      (default: every kind)
//   build/bench/coapjws_allocations --max-per-message N KIND...
//
// Kinds are those of instructions.cpp (bench_support.hpp, SessionTraffic).
// Like instructions.cpp it first fills the session's tables to their bounds
// (70 000 messages), then counts over 100 000 more. With --max-per-message it
// exits 1 when a kind allocates more than N times per message on average:
// the ctest `bench_allocations` holds the signed paths to zero that way (a
// count, not a time, so it is as deterministic as a unit test).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench_support.hpp"
#include "coapjws/key_store.hpp"
#include "coapjws/session.hpp"

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);
}

namespace {
// Relaxed counting is enough: the measured loop runs on one thread.
unsigned long long allocations = 0;
}  // namespace

extern "C" {
void* malloc(std::size_t size) {
    ++allocations;
    return __libc_malloc(size);
}
void* calloc(std::size_t n, std::size_t size) {
    ++allocations;
    return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t size) {
    ++allocations;
    return __libc_realloc(p, size);
}
void free(void* p) {
    __libc_free(p);
}
void* aligned_alloc(std::size_t alignment, std::size_t size) {
    ++allocations;
    return __libc_memalign(alignment, size);
}
void* memalign(std::size_t alignment, std::size_t size) {
    ++allocations;
    return __libc_memalign(alignment, size);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
    ++allocations;
    void* p = __libc_memalign(alignment, size);
    if (p == nullptr)
        return ENOMEM;
    *out = p;
    return 0;
}
}

using namespace coapjws;
using namespace coapjws::bench;

namespace {

constexpr int warm_up_messages = 70'000;
constexpr int measured_messages = 100'000;

// Allocations per message of `kind` in the steady state; -1 if the session
// could not be made.
double per_message(std::string_view kind) {
    Key key = make_key(KeyType::oct, Curve::none, 256);
    SessionTraffic traffic = SessionTraffic::of_kind(kind, key);
    std::optional<Session> made = session_for_kind(kind, std::move(key));
    if (!made)
        return -1;
    Session& session = *made;
    for (int n = 0; n < warm_up_messages; ++n) {
        MessageReport report = session.analyze(traffic.packet());
        traffic.next();
    }
    const unsigned long long before = allocations;
    for (int n = 0; n < measured_messages; ++n) {
        MessageReport report = session.analyze(traffic.packet());
        asm volatile("" : : "r"(&report) : "memory");
        traffic.next();
    }
    return static_cast<double>(allocations - before) / measured_messages;
}

}  // namespace

int main(int argc, char** argv) {
    double max_per_message = -1;
    std::vector<std::string> kinds;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--max-per-message") == 0 && i + 1 < argc) {
            max_per_message = std::strtod(argv[++i], nullptr);
        } else {
            kinds.emplace_back(argv[i]);
        }
    }
    if (kinds.empty())
        kinds = {"unsigned", "signed_no_keys", "hs256_keys", "replays"};
    int status = 0;
    for (const std::string& kind : kinds) {
        const double n = per_message(kind);
        if (n < 0) {
            std::fprintf(stderr, "coapjws_allocations: no session for %s\n", kind.c_str());
            return 2;
        }
        const bool over = max_per_message >= 0 && n > max_per_message;
        std::printf("%s: %.3f allocations per message%s\n", kind.c_str(), n,
                    over ? " (over the limit)" : "");
        if (over)
            status = 1;
    }
    return status;
}
