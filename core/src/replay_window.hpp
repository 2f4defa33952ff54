// A sliding anti-replay window over 32-bit sequence numbers (spec §5), held as
// a bitmap of the last W sequence numbers below and at the highest accepted
// one, plus the frame that first carried each (to name what a replay repeats).
#pragma once

#include <cstdint>
#include <vector>

#include "coapjws/window_verdict.hpp"

namespace coapjws {

struct WindowOutcome {
    WindowVerdict verdict;
    // replay: the frame that carried seq first; seq_exhausted: the frame that
    // carried 4294967295; else 0.
    std::uint32_t related_frame;
};

class ReplayWindow {
  public:
    // size W >= 1.
    explicit ReplayWindow(std::uint32_t size);

    // Judges `seq` and, if accepted, records it (carried by `frame`):
    // seq-exhausted once 4294967295 was accepted; the first seq is accepted;
    // s > H slides; H-W < s <= H is accepted once, then a replay; s <= H-W is
    // out of window. Only an accepted seq changes the window.
    WindowOutcome check_and_update(std::uint32_t seq, std::uint32_t frame);

    bool empty() const { return empty_; }
    std::uint32_t highest() const { return highest_; }
    std::uint32_t size() const { return size_; }
    bool exhausted() const { return exhausted_; }
    // Bytes held by this window (for memory accounting).
    std::size_t memory_bytes() const;

  private:
    std::uint32_t size_;
    std::uint32_t highest_ = 0;
    bool empty_ = true;
    bool exhausted_ = false;
    // Bit (s mod slots), slots = 64 * words >= W, set when s in (H-W, H] was
    // accepted. Bits for (H-slots, H-W] may linger: s <= H-W is judged first.
    std::vector<std::uint64_t> seen_;
    // Frame of an accepted s at (s mod W): W consecutive seqs never share a slot.
    std::vector<std::uint32_t> frames_;

    std::size_t slots() const { return seen_.size() * 64; }
    bool test(std::uint32_t seq) const;
    void mark(std::uint32_t seq, std::uint32_t frame);
    void clear_after_highest(std::uint32_t count);
};

}  // namespace coapjws
