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
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "bench_support.hpp"
#include "coapjws/key_store.hpp"
#include "coapjws/session.hpp"

namespace coapjws::bench {
namespace {

constexpr int measured_messages = 100'000;

struct Traffic {
    std::vector<Bytes> messages;
    std::uint32_t frame = 0;
    std::int64_t now = 1'700'000'000LL * nanoseconds_per_second;
    std::size_t i = 0;
    Endpoint from = *Endpoint::parse("192.0.2.1:40000");
    Endpoint to = *Endpoint::parse("192.0.2.2:5683");

    Packet packet() { return Packet{++frame, now, from, to, messages[i]}; }
    void next() {
        now += 1'000'000;
        if (++i == messages.size()) {
            i = 0;
            from.port = static_cast<std::uint16_t>(from.port + 1);
            to.port = static_cast<std::uint16_t>(to.port + 1);
        }
    }
};

}  // namespace
}  // namespace coapjws::bench

using namespace coapjws;
using namespace coapjws::bench;

// Not inlined and not static, so callgrind can toggle on it by name.
__attribute__((noinline)) void measured_loop(Session& session, Traffic& traffic) {
    for (int n = 0; n < measured_messages; ++n) {
        MessageReport report = session.analyze(traffic.packet());
        asm volatile("" : : "r"(&report) : "memory");
        traffic.next();
    }
}

int main(int argc, char** argv) {
    const std::string_view kind = argc > 1 ? argv[1] : "signed_no_keys";
    Key key = make_key(KeyType::oct, Curve::none, 256);
    Traffic traffic;
    for (std::size_t i = 0; i < 4096; ++i) {
        const auto mid = static_cast<std::uint16_t>(i);
        const std::uint32_t seq = kind == "replays" ? 0 : static_cast<std::uint32_t>(i);
        traffic.messages.push_back(
            kind == "unsigned" ? unsigned_get(mid) : signed_get(mid, seq, key, Algorithm::HS256));
    }
    std::shared_ptr<KeyStore> keys;
    if (kind == "hs256_keys") {
        keys = std::make_shared<KeyStore>();
        keys->add(std::move(key));
    }
    Result<Session> created = Session::create(SessionConfig{}, keys);
    if (!created)
        return 1;
    Session session = std::move(created).value();
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
