// Session::analyze per message, as a front end drives it: a client sending
// requests to a server with consecutive seqs and MIDs (so every message goes
// through the retransmission cache, the request table and the window).
// The messages are pre-built; the loop cycles through 4096 of them with the
// clock advancing, so the tables reach a steady state.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "bench_support.hpp"
#include "coapjws/key_store.hpp"
#include "coapjws/session.hpp"

namespace coapjws::bench {
namespace {

constexpr std::size_t batch = 4096;

enum class Kind { unsigned_get, signed_no_keys, hs256_keys, es256_keys };

void session_bench(benchmark::State& state, Kind kind) {
    const bool is_signed = kind != Kind::unsigned_get;
    Key key = kind == Kind::es256_keys ? make_key(KeyType::ec, Curve::p256)
                                       : make_key(KeyType::oct, Curve::none, 256);
    const Algorithm alg = kind == Kind::es256_keys ? Algorithm::ES256 : Algorithm::HS256;
    std::vector<Bytes> messages;
    messages.reserve(batch);
    for (std::size_t i = 0; i < batch; ++i) {
        const auto mid = static_cast<std::uint16_t>(i);
        messages.push_back(is_signed ? signed_get(mid, static_cast<std::uint32_t>(i), key, alg)
                                     : unsigned_get(mid));
    }
    std::shared_ptr<KeyStore> keys;
    if (kind == Kind::hs256_keys || kind == Kind::es256_keys) {
        keys = std::make_shared<KeyStore>();
        keys->add(std::move(key));
    }
    Session session = std::move(Session::create(SessionConfig{}, keys)).value();
    const Endpoint client = *Endpoint::parse("192.0.2.1:40000");
    const Endpoint server = *Endpoint::parse("192.0.2.2:5683");

    // Seqs and MIDs restart for every pass over the batch, so each pass uses
    // its own client and server ports: otherwise every message of the second
    // pass would be a retransmission (same source, MID and bytes within
    // 247 s) or a replay. A new window per pass, a few hundred in a run.
    std::uint32_t frame = 0;
    std::int64_t now = 1'700'000'000LL * nanoseconds_per_second;
    std::size_t i = 0;
    Endpoint from = client;
    Endpoint to = server;
    auto next = [&] {
        now += 1'000'000;  // 1 ms apart
        if (++i == batch) {
            i = 0;
            from.port = static_cast<std::uint16_t>(from.port + 1);
            to.port = static_cast<std::uint16_t>(to.port + 1);
        }
    };
    // Fill the tables first (65536 entries by default), so the loop measures
    // the steady state of a long capture: every insertion evicts, and the
    // evicted entries' buffers are reused. (Not for ES256: the signatures
    // dominate there, and 70000 of them would take seconds.)
    if (kind != Kind::es256_keys) {
        for (std::size_t n = 0; n < 70'000; ++n) {
            // The staged API, so a profiler can count analyze() calls of the loop alone.
            PreparedMessage m = session.prepare(Packet{++frame, now, from, to, messages[i]});
            session.verify(m);
            benchmark::DoNotOptimize(session.conclude(std::move(m)).signature);
            next();
        }
    }

    for (auto _ : state) {
        Packet packet{++frame, now, from, to, messages[i]};
        MessageReport report = session.analyze(packet);
        benchmark::DoNotOptimize(report.signature);
        next();
    }
    // Findings the steady state must not have: a non-zero count means the
    // benchmark measures the wrong path.
    const SessionStats stats = session.stats();
    double unexpected = 0;
    for (FindingId id : {FindingId::replay, FindingId::bad_signature, FindingId::retransmission,
                         FindingId::out_of_window, FindingId::malformed}) {
        unexpected += static_cast<double>(stats.findings[static_cast<std::size_t>(id)]);
    }
    state.counters["unexpected_findings"] = unexpected;
}

BENCHMARK_CAPTURE(session_bench, unsigned, Kind::unsigned_get);
BENCHMARK_CAPTURE(session_bench, signed_no_keys, Kind::signed_no_keys);
BENCHMARK_CAPTURE(session_bench, hs256_keys, Kind::hs256_keys);
BENCHMARK_CAPTURE(session_bench, es256_keys, Kind::es256_keys);

}  // namespace
}  // namespace coapjws::bench
