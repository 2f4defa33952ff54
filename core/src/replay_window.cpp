#include "replay_window.hpp"

#include <algorithm>
#include <limits>

namespace coapjws {

namespace {
constexpr std::uint32_t last_seq = std::numeric_limits<std::uint32_t>::max();
}  // namespace

ReplayWindow::ReplayWindow(std::uint32_t size)
    : size_(size == 0 ? 1 : size),
      seen_((static_cast<std::size_t>(size_) + 63) / 64, 0),
      frames_(size_, 0) {}

bool ReplayWindow::test(std::uint32_t seq) const {
    std::size_t slot = seq % slots();
    return (seen_[slot >> 6] >> (slot & 63) & 1u) != 0;
}

void ReplayWindow::mark(std::uint32_t seq, std::uint32_t frame) {
    std::size_t slot = seq % slots();
    seen_[slot >> 6] |= std::uint64_t{1} << (slot & 63);
    frames_[seq % size_] = frame;
    if (seq == last_seq)
        exhausted_ = true;
}

// Clears the bits of H+1 .. H+count (count < W <= slots), which still hold
// sequence numbers that are about to leave the window. Word at a time, so a
// large jump costs slots/64 steps, and an in-order message one.
void ReplayWindow::clear_after_highest(std::uint32_t count) {
    const std::size_t total = slots();
    std::size_t slot = (static_cast<std::size_t>(highest_) + 1) % total;
    std::size_t left = count;
    while (left > 0) {
        std::size_t bit = slot & 63;
        std::size_t n = std::min<std::size_t>(left, 64 - bit);
        std::uint64_t mask = n == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << n) - 1) << bit;
        seen_[slot >> 6] &= ~mask;
        left -= n;
        slot += n;
        if (slot == total)
            slot = 0;
    }
}

WindowOutcome ReplayWindow::check_and_update(std::uint32_t seq, std::uint32_t frame) {
    // Once the last seq was accepted the key is spent: nothing else counts.
    if (exhausted_)
        return {WindowVerdict::seq_exhausted, frames_[last_seq % size_]};

    if (empty_) {
        empty_ = false;
        highest_ = seq;
        mark(seq, frame);
        return {WindowVerdict::accepted, 0};
    }

    if (seq > highest_) {
        // A jump of W or more leaves nothing of the old window inside the new
        // one: every bit can go. Otherwise clear only the seqs that left.
        std::uint32_t jump = seq - highest_;  // >= 1, no overflow: seq > highest_
        if (jump >= size_) {
            std::fill(seen_.begin(), seen_.end(), 0);
        } else {
            clear_after_highest(jump);
        }
        highest_ = seq;
        mark(seq, frame);
        return {WindowVerdict::accepted, 0};
    }

    // seq <= H. "s <= H - W" is written as H - s >= W: H - W would wrap when H < W.
    if (highest_ - seq >= size_)
        return {WindowVerdict::out_of_window, 0};
    if (test(seq))
        return {WindowVerdict::replay, frames_[seq % size_]};
    mark(seq, frame);
    return {WindowVerdict::accepted, 0};
}

std::size_t ReplayWindow::memory_bytes() const {
    return sizeof(*this) + seen_.capacity() * sizeof(std::uint64_t) +
           frames_.capacity() * sizeof(std::uint32_t);
}

}  // namespace coapjws
