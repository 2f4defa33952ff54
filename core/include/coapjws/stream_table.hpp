// Per-stream accounting: the table coapjws-scan prints and the plugin's
// Statistics → CoAP-JWS table and `tshark -z coapjws,streams` show, from one
// implementation so that both front ends give the same numbers.
//
// A stream is (receiver endpoint, signer's key identifier): the unit the
// replay window is kept for (spec §5). Messages without a key identifier that
// still got findings (stripped, unprotected-response, malformed, ...) are
// counted under their receiver with an empty key identifier.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coapjws/endpoint.hpp"
#include "coapjws/finding.hpp"
#include "coapjws/session.hpp"

namespace coapjws {

// The seq a message's receiver accepted into its replay window: a message
// with its own TID, valid or unverified, that got no window verdict (replay,
// out-of-window, seq-exhausted). nullopt for every other message.
std::optional<std::uint32_t> window_accepted_seq(const MessageReport& report);

// What one message contributes to its stream. stream_facts() takes it from an
// engine report; the plugin rebuilds it from the verdict it stored on the
// first pass (the same report facts).
struct StreamFacts {
    std::uint32_t frame = 0;
    Endpoint receiver;                       // the message's destination
    std::optional<std::string_view> key_id;  // the signer's, as sent
    SignatureStatus signature = SignatureStatus::none;
    std::array<std::uint16_t, finding_count> findings{};  // count per finding id
    std::optional<std::uint32_t> accepted_seq;            // window_accepted_seq()
    bool has_findings() const;
};

// The facts of `report`; its key identifier is a view into the report.
StreamFacts stream_facts(const MessageReport& report);

struct StreamKey {
    Endpoint receiver;
    std::string key_id;  // empty: messages without a key identifier

    friend bool operator==(const StreamKey&, const StreamKey&) = default;
};

struct StreamRow {
    StreamKey key;
    std::uint64_t messages = 0;
    std::uint64_t valid = 0;
    std::uint64_t invalid = 0;
    std::uint64_t unverified = 0;
    std::uint64_t unsigned_messages = 0;  // status none
    // Highest seq the receiver accepted into its window (window_accepted_seq()).
    std::optional<std::uint32_t> highest_seq;
    // 32 bits (saturating at 4294967295): with 20 000 rows, 64-bit counters
    // for every finding were 1.3 MiB of the scan's peak memory.
    std::array<std::uint32_t, finding_count> findings{};
    std::uint32_t first_frame = 0;
    bool overflow = false;  // the catch-all row once the table is full

    std::uint64_t finding_total() const;
    std::string display_key_id() const;  // "-" for none, "(other streams)" for overflow
    // "replay 2, bad-signature 1" in the profile's finding order; "-" for none.
    std::string finding_summary() const;
};

// Bounded: after `max_rows` distinct streams, further ones share one
// overflow row (and `overflowed_messages` counts them), so memory follows the
// limit, never the capture.
class StreamTable {
  public:
    explicit StreamTable(std::size_t max_rows)
        : max_rows_(std::min<std::size_t>(max_rows, max_row_limit)) {}

    // Counts the message; returns the index of its row, or nullopt when the
    // message belongs to no stream (no key identifier and no finding).
    std::optional<std::size_t> record(const StreamFacts& facts);
    std::optional<std::size_t> record(const MessageReport& report) {
        // Most plain CoAP belongs to no stream: skip building its facts.
        if (!report.key_id && report.findings.empty())
            return std::nullopt;
        return record(stream_facts(report));
    }

    const std::deque<StreamRow>& rows() const { return rows_; }
    // Row indices sorted by receiver, then key identifier (overflow last).
    std::vector<std::size_t> sorted() const;
    std::uint64_t overflowed_messages() const { return overflowed_; }
    // Forgets everything.
    void clear();
    // Counts from zero again but keeps each stream in its row (a front end's
    // table that shows the rows by index keeps its layout).
    void reset_counts();

  private:
    static constexpr std::uint32_t no_row = 0xffffffff;
    static constexpr std::size_t max_row_limit = 0x7fffffff;  // row numbers fit the index
    struct Slot {
        std::uint32_t row = no_row;
        std::uint32_t hash = 0;
    };
    static std::uint32_t hash_of(const Endpoint& receiver, std::string_view key_id);
    // The slot holding (receiver, key_id)'s row, or the empty slot where it would go.
    std::size_t find_slot(const Endpoint& receiver, std::string_view key_id,
                          std::uint32_t hash) const;
    void grow_index();

    std::size_t max_rows_;
    // A deque grows block by block: a vector would hold twice the rows for a
    // moment each time it doubled, the scan's peak memory on captures with
    // many streams.
    std::deque<StreamRow> rows_;
    // Open addressing over row numbers, at most half full: 8 bytes a slot
    // instead of a hash node holding a second copy of the key (~100 bytes a
    // row), and no key built per message to look a row up.
    std::vector<Slot> index_;
    std::optional<std::size_t> overflow_row_;
    std::uint64_t overflowed_ = 0;
};

}  // namespace coapjws
