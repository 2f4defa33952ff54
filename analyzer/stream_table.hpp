// Per-stream statistics for the summary table and the JUnit test cases.
// A stream is (receiver endpoint, signer's key identifier): the unit the
// replay window is kept for (spec §5). Messages without a key identifier that
// still got findings (stripped, unprotected-response, malformed, ...) are
// counted under their receiver with an empty key identifier.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "coapjws/endpoint.hpp"
#include "coapjws/finding.hpp"
#include "coapjws/session.hpp"

namespace coapjws::scan {

struct StreamKey {
    Endpoint receiver;
    std::string key_id;  // empty: messages without a key identifier

    friend bool operator==(const StreamKey&, const StreamKey&) = default;
};

struct StreamRow {
    StreamKey key;
    bool overflow = false;  // the catch-all row once the table is full
    std::uint64_t messages = 0;
    std::uint64_t valid = 0;
    std::uint64_t invalid = 0;
    std::uint64_t unverified = 0;
    std::uint64_t unsigned_messages = 0;  // status none
    // Highest seq the receiver's window has accepted, as the engine reports
    // it (MessageReport::window) after the stream's latest message that
    // reached the window.
    std::optional<std::uint32_t> highest_seq;
    std::array<std::uint64_t, finding_count> findings{};
    std::uint32_t first_frame = 0;

    std::uint64_t finding_total() const;
    std::string display_key_id() const;  // "-" for none, "(other streams)" for overflow
};

// Bounded: after `max_rows` distinct streams, further ones share one
// overflow row (and `overflowed_messages` counts them), so memory follows the
// limit, never the capture.
class StreamTable {
  public:
    explicit StreamTable(std::size_t max_rows) : max_rows_(max_rows) {}

    // Counts the message; returns the index of its row, or nullopt when the
    // message belongs to no stream (no key identifier and no finding).
    std::optional<std::size_t> record(const MessageReport& report);

    const std::deque<StreamRow>& rows() const { return rows_; }
    // Row indices sorted by receiver, then key identifier (overflow last).
    std::vector<std::size_t> sorted() const;
    std::uint64_t overflowed_messages() const { return overflowed_; }

  private:
    struct KeyHash {
        std::size_t operator()(const StreamKey& k) const noexcept;
    };
    std::size_t max_rows_;
    // A deque grows block by block: a vector would hold twice the rows for a
    // moment each time it doubled, the scan's peak memory on captures with
    // many streams.
    std::deque<StreamRow> rows_;
    std::unordered_map<StreamKey, std::size_t, KeyHash> index_;
    std::optional<std::size_t> overflow_row_;
    std::uint64_t overflowed_ = 0;
};

}  // namespace coapjws::scan
