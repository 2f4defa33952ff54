// The replay window against the table of spec §5, case by case, and against a
// naive model of that table (a set of every accepted seq) on long random runs.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>

#include "replay_window.hpp"

namespace coapjws {
namespace {

constexpr std::uint32_t max_seq = std::numeric_limits<std::uint32_t>::max();

WindowVerdict judge(ReplayWindow& w, std::uint32_t seq, std::uint32_t frame = 1) {
    return w.check_and_update(seq, frame).verdict;
}

TEST(ReplayWindow, FirstMessageIsAcceptedWhateverItsSeq) {
    for (std::uint32_t first : {0u, 1u, 31u, 32u, 1000u, max_seq - 1}) {
        ReplayWindow w(32);
        EXPECT_TRUE(w.empty());
        EXPECT_EQ(judge(w, first), WindowVerdict::accepted) << first;
        EXPECT_FALSE(w.empty());
        EXPECT_EQ(w.highest(), first);
    }
}

TEST(ReplayWindow, HigherSeqSlides) {
    ReplayWindow w(32);
    EXPECT_EQ(judge(w, 5), WindowVerdict::accepted);
    EXPECT_EQ(judge(w, 6), WindowVerdict::accepted);
    EXPECT_EQ(judge(w, 9), WindowVerdict::accepted);
    EXPECT_EQ(w.highest(), 9u);
}

TEST(ReplayWindow, SeqEqualToHighestIsAReplayNamingTheFirstFrame) {
    ReplayWindow w(32);
    ASSERT_EQ(w.check_and_update(40, 12).verdict, WindowVerdict::accepted);
    WindowOutcome again = w.check_and_update(40, 20);
    EXPECT_EQ(again.verdict, WindowVerdict::replay);
    EXPECT_EQ(again.related_frame, 12u);
    // The replay changed nothing: a third copy still names frame 12.
    EXPECT_EQ(w.check_and_update(40, 21).related_frame, 12u);
    EXPECT_EQ(w.highest(), 40u);
}

TEST(ReplayWindow, LowerEdgeOfTheWindow) {
    // H = 100, W = 32: H-W = 68 is out, 69 .. 100 are inside.
    ReplayWindow w(32);
    ASSERT_EQ(judge(w, 100), WindowVerdict::accepted);
    EXPECT_EQ(judge(w, 68), WindowVerdict::out_of_window);
    EXPECT_EQ(judge(w, 0), WindowVerdict::out_of_window);
    EXPECT_EQ(w.check_and_update(69, 7).verdict, WindowVerdict::accepted);
    WindowOutcome replay = w.check_and_update(69, 8);
    EXPECT_EQ(replay.verdict, WindowVerdict::replay);
    EXPECT_EQ(replay.related_frame, 7u);
    // out-of-window left nothing behind: 68 is still out, not "seen".
    EXPECT_EQ(judge(w, 68), WindowVerdict::out_of_window);
}

TEST(ReplayWindow, ReorderingInsideTheWindowIsAcceptedOnce) {
    ReplayWindow w(32);
    for (std::uint32_t s : {10u, 14u, 12u, 11u, 13u}) {
        EXPECT_EQ(judge(w, s), WindowVerdict::accepted) << s;
    }
    EXPECT_EQ(w.highest(), 14u);
    for (std::uint32_t s : {10u, 11u, 12u, 13u, 14u}) {
        EXPECT_EQ(judge(w, s), WindowVerdict::replay) << s;
    }
    // Never seen, still inside (14 - 32 < 0): accepted.
    EXPECT_EQ(judge(w, 0), WindowVerdict::accepted);
    EXPECT_EQ(judge(w, 9), WindowVerdict::accepted);
}

TEST(ReplayWindow, HighestBelowWindowSizeDoesNotWrap) {
    // H - W would underflow for H < W; every s <= H is then inside.
    ReplayWindow w(32);
    ASSERT_EQ(judge(w, 31), WindowVerdict::accepted);  // H = W - 1
    EXPECT_EQ(judge(w, 0), WindowVerdict::accepted);   // H - s = 31 < 32
    EXPECT_EQ(judge(w, 0), WindowVerdict::replay);

    ReplayWindow at_w(32);
    ASSERT_EQ(judge(at_w, 32), WindowVerdict::accepted);      // H = W
    EXPECT_EQ(judge(at_w, 0), WindowVerdict::out_of_window);  // 0 = H - W
    EXPECT_EQ(judge(at_w, 1), WindowVerdict::accepted);

    ReplayWindow from_zero(32);
    ASSERT_EQ(judge(from_zero, 0), WindowVerdict::accepted);
    EXPECT_EQ(judge(from_zero, 0), WindowVerdict::replay);
}

TEST(ReplayWindow, LastSeqExhaustsTheKeyForGood) {
    ReplayWindow w(32);
    ASSERT_EQ(judge(w, max_seq - 2), WindowVerdict::accepted);
    EXPECT_FALSE(w.exhausted());
    ASSERT_EQ(w.check_and_update(max_seq, 50).verdict, WindowVerdict::accepted);
    EXPECT_TRUE(w.exhausted());
    // Anything after it, even a seq that would otherwise be fine (max-1 is
    // unseen and inside the window) or a copy of max itself.
    for (std::uint32_t s : {max_seq - 1, max_seq, 0u, 5u, max_seq - 2}) {
        WindowOutcome o = w.check_and_update(s, 60);
        EXPECT_EQ(o.verdict, WindowVerdict::seq_exhausted) << s;
        EXPECT_EQ(o.related_frame, 50u);
    }
    EXPECT_EQ(w.highest(), max_seq);
}

TEST(ReplayWindow, LastSeqAsFirstMessageExhaustsToo) {
    ReplayWindow w(1);
    ASSERT_EQ(judge(w, max_seq), WindowVerdict::accepted);
    EXPECT_EQ(judge(w, 0), WindowVerdict::seq_exhausted);
}

TEST(ReplayWindow, SizeOneKeepsOnlyTheHighest) {
    ReplayWindow w(1);
    ASSERT_EQ(judge(w, 5), WindowVerdict::accepted);
    EXPECT_EQ(judge(w, 5), WindowVerdict::replay);
    EXPECT_EQ(judge(w, 4), WindowVerdict::out_of_window);  // 4 = H - W
    EXPECT_EQ(judge(w, 6), WindowVerdict::accepted);
    EXPECT_EQ(judge(w, 5), WindowVerdict::out_of_window);
    EXPECT_EQ(judge(w, 6), WindowVerdict::replay);
}

TEST(ReplayWindow, Size1024) {
    ReplayWindow w(1024);
    ASSERT_EQ(judge(w, 5000), WindowVerdict::accepted);
    // H - W = 3976 is out; 3977 .. 4999 all accepted once, in any order.
    EXPECT_EQ(judge(w, 3976), WindowVerdict::out_of_window);
    for (std::uint32_t s = 3977; s < 5000; s += 2)
        EXPECT_EQ(judge(w, s), WindowVerdict::accepted);
    for (std::uint32_t s = 3978; s < 5000; s += 2)
        EXPECT_EQ(judge(w, s), WindowVerdict::accepted);
    for (std::uint32_t s = 3977; s <= 5000; ++s) {
        ASSERT_EQ(judge(w, s), WindowVerdict::replay) << s;
    }
    // Slide by 10: 3977 .. 3986 fall out, 3987 is the new lower edge.
    ASSERT_EQ(judge(w, 5010), WindowVerdict::accepted);
    EXPECT_EQ(judge(w, 3986), WindowVerdict::out_of_window);
    EXPECT_EQ(judge(w, 3987), WindowVerdict::replay);
    EXPECT_EQ(judge(w, 5005), WindowVerdict::accepted);
}

TEST(ReplayWindow, JumpOfAtLeastTheWindowForgetsEverything) {
    for (std::uint32_t size : {1u, 32u, 64u, 65u, 1024u}) {
        for (std::uint32_t jump : {size, size + 1, 2 * size, 64u * ((size + 63) / 64), 1u << 20}) {
            ReplayWindow w(size);
            for (std::uint32_t s = 0; s < size; ++s)
                ASSERT_EQ(judge(w, s), WindowVerdict::accepted);
            std::uint32_t high = size - 1 + jump;
            ASSERT_EQ(judge(w, high), WindowVerdict::accepted);
            // Everything below the new window is out, everything inside but
            // the new highest is unseen.
            EXPECT_EQ(judge(w, size - 1), WindowVerdict::out_of_window) << size << "/" << jump;
            for (std::uint32_t s = high - size + 1; s < high; ++s) {
                ASSERT_EQ(judge(w, s), WindowVerdict::accepted) << size << "/" << jump << "/" << s;
            }
        }
    }
}

TEST(ReplayWindow, SmallSlidesClearOnlyWhatLeft) {
    // W = 32 in a 64-bit ring: 93..99 share their slots with 29..35, which
    // were accepted before a slide of 40 to 100; they must read as unseen.
    ReplayWindow w(32);
    for (std::uint32_t s = 29; s <= 60; ++s)
        ASSERT_EQ(judge(w, s), WindowVerdict::accepted);
    ASSERT_EQ(judge(w, 100), WindowVerdict::accepted);
    EXPECT_EQ(judge(w, 68), WindowVerdict::out_of_window);
    for (std::uint32_t s = 69; s < 100; ++s)
        ASSERT_EQ(judge(w, s), WindowVerdict::accepted) << s;
}

TEST(ReplayWindow, ZeroSizeIsTreatedAsOne) {
    ReplayWindow w(0);
    EXPECT_EQ(w.size(), 1u);
    ASSERT_EQ(judge(w, 3), WindowVerdict::accepted);
    EXPECT_EQ(judge(w, 2), WindowVerdict::out_of_window);
}

TEST(ReplayWindow, MemoryGrowsWithTheWindowNotTheTraffic) {
    ReplayWindow small(32);
    ReplayWindow large(1024);
    EXPECT_GE(large.memory_bytes(), 1024 * sizeof(std::uint32_t) + 1024 / 8);
    EXPECT_LT(small.memory_bytes(), large.memory_bytes());
    std::size_t before = small.memory_bytes();
    for (std::uint32_t s = 0; s < 100000; ++s)
        (void)judge(small, s);
    EXPECT_EQ(small.memory_bytes(), before);
}

// The table of spec §5 written as naively as possible: every accepted seq in
// a map, no bitmap, 64-bit arithmetic.
class NaiveWindow {
  public:
    explicit NaiveWindow(std::uint32_t size) : size_(size) {}
    WindowOutcome check(std::uint32_t seq, std::uint32_t frame) {
        if (max_frame_)
            return {WindowVerdict::seq_exhausted, *max_frame_};
        if (accepted_.empty() || seq > highest_)
            return accept(seq, frame);
        if (static_cast<std::int64_t>(seq) <= static_cast<std::int64_t>(highest_) - size_) {
            return {WindowVerdict::out_of_window, 0};
        }
        if (auto it = accepted_.find(seq); it != accepted_.end()) {
            return {WindowVerdict::replay, it->second};
        }
        return accept(seq, frame);
    }

  private:
    WindowOutcome accept(std::uint32_t seq, std::uint32_t frame) {
        accepted_[seq] = frame;
        if (accepted_.size() == 1 || seq > highest_)
            highest_ = seq;
        if (seq == max_seq)
            max_frame_ = frame;
        return {WindowVerdict::accepted, 0};
    }
    std::int64_t size_;
    std::uint32_t highest_ = 0;
    std::map<std::uint32_t, std::uint32_t> accepted_;
    std::optional<std::uint32_t> max_frame_;
};

TEST(ReplayWindow, AgreesWithTheNaiveModelOnRandomTraffic) {
    std::mt19937 engine(20240611);
    auto rng = [&] { return static_cast<std::uint32_t>(engine()); };
    for (std::uint32_t size : {1u, 2u, 31u, 32u, 63u, 64u, 65u, 100u, 128u, 1024u}) {
        for (std::uint32_t start : {0u, 1000u, max_seq - 5000}) {
            ReplayWindow fast(size);
            NaiveWindow naive(size);
            std::uint32_t cursor = start;
            for (std::uint32_t frame = 1; frame <= 6000; ++frame) {
                std::uint32_t pick = rng() % 100;
                std::uint32_t seq;
                if (pick < 50) {
                    seq = cursor + 1 + rng() % 3;  // mostly forward
                } else if (pick < 85) {
                    seq = cursor - rng() % (size + 3);  // around the lower edge
                } else if (pick < 95) {
                    seq = cursor + rng() % (2 * size + 130);  // jumps of all sizes
                } else {
                    seq = cursor - rng() % 5000;  // far behind
                }
                if (seq > cursor)
                    cursor = seq;
                WindowOutcome a = fast.check_and_update(seq, frame);
                WindowOutcome b = naive.check(seq, frame);
                ASSERT_EQ(a.verdict, b.verdict)
                    << "W=" << size << " frame " << frame << " seq " << seq;
                ASSERT_EQ(a.related_frame, b.related_frame) << "W=" << size << " frame " << frame;
            }
        }
    }
}

}  // namespace
}  // namespace coapjws
