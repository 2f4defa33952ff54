// Replay window updates: in-order sequence numbers (the common case), and a
// reordered stream (each block of 8 arrives reversed), with W = 32 and W = 1024.
#include <benchmark/benchmark.h>

#include "replay_window.hpp"

namespace coapjws::bench {
namespace {

void BM_Window_InOrder(benchmark::State& state) {
    ReplayWindow window(static_cast<std::uint32_t>(state.range(0)));
    std::uint32_t seq = 0;
    for (auto _ : state) {
        WindowOutcome outcome = window.check_and_update(seq, seq + 1);
        benchmark::DoNotOptimize(outcome);
        ++seq;
    }
}
BENCHMARK(BM_Window_InOrder)->Arg(32)->Arg(1024);

void BM_Window_Reordered(benchmark::State& state) {
    ReplayWindow window(static_cast<std::uint32_t>(state.range(0)));
    std::uint32_t n = 0;
    for (auto _ : state) {
        const std::uint32_t seq = (n & ~7u) + (7 - (n & 7u));  // 7,6,...,0,15,14,...
        WindowOutcome outcome = window.check_and_update(seq, n + 1);
        benchmark::DoNotOptimize(outcome);
        ++n;
    }
}
BENCHMARK(BM_Window_Reordered)->Arg(32)->Arg(1024);

// Every message a replay of one already seen: the path an attack takes.
void BM_Window_Replay(benchmark::State& state) {
    ReplayWindow window(32);
    for (std::uint32_t s = 0; s < 32; ++s)
        (void)window.check_and_update(s, s + 1);
    std::uint32_t n = 0;
    for (auto _ : state) {
        WindowOutcome outcome = window.check_and_update(n++ & 31u, 100);
        benchmark::DoNotOptimize(outcome);
    }
}
BENCHMARK(BM_Window_Replay);

}  // namespace
}  // namespace coapjws::bench
