// Instructions per message, for callgrind: wall and CPU times on a shared
// machine vary by tens of percent from run to run, instruction counts do not.
//
//   scripts/instructions.sh
// runs, for each kind, valgrind --tool=callgrind --toggle-collect='measured_loop*'
// build/bench/coapjws_instructions KIND REPORTS, and divides the total by 100000.
//
// Kinds: unsigned, signed_no_keys, hs256_keys — bench_session.cpp's traffic,
// after the same warm-up (tables full) — and replays: signed requests that
// all carry seq 0, so nearly every one is a replay with its finding text.
#include <cstdio>
#include <memory>
#include <optional>
#include <string_view>

#include "bench_support.hpp"
#include "coapjws/key_store.hpp"
#include "coapjws/session.hpp"

using namespace coapjws;
using namespace coapjws::bench;

constexpr int measured_messages = 100'000;

// Not inlined and not static, so callgrind can toggle on it by name.
__attribute__((noinline)) void measured_loop(Session& session, SessionTraffic& traffic) {
    for (int n = 0; n < measured_messages; ++n) {
        MessageReport report = session.analyze(traffic.packet());
        asm volatile("" : : "r"(&report) : "memory");
        traffic.next();
    }
}

int main(int argc, char** argv) {
    const std::string_view kind = argc > 1 ? argv[1] : "signed_no_keys";
    Key key = make_key(KeyType::oct, Curve::none, 256);
    SessionTraffic traffic = SessionTraffic::of_kind(kind, key);
    std::optional<Session> made = session_for_kind(kind, std::move(key));
    if (!made)
        return 1;
    Session& session = *made;
    for (int n = 0; n < 70'000; ++n) {
        PreparedMessage m = session.prepare(traffic.packet());
        session.verify(m);
        MessageReport report = session.conclude(std::move(m));
        asm volatile("" : : "r"(&report) : "memory");
        traffic.next();
    }
    measured_loop(session, traffic);
    const SessionStats stats = session.stats();
    std::printf("%s: %d messages measured (%llu in all), %llu replays, %llu retransmissions\n",
                std::string(kind).c_str(), measured_messages,
                static_cast<unsigned long long>(stats.messages),
                static_cast<unsigned long long>(
                    stats.findings[static_cast<std::size_t>(FindingId::replay)]),
                static_cast<unsigned long long>(
                    stats.findings[static_cast<std::size_t>(FindingId::retransmission)]));
    return 0;
}
