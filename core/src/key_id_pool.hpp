// Key identifiers held once per session and named by 32-bit ids inside its
// tables (replay windows, response bindings, pending requests). At 10 000
// senders the tables hold hundreds of thousands of references to a few
// thousand identifiers; a 4-byte id in place of a std::string (32 bytes, more
// for a long identifier) halves a response binding.
//
// Ids are never reference counted: an id is freed only by sweep(), which is
// told every id the tables still hold, so an id in use never changes meaning
// and no verdict can depend on the pool. The pool asks for a sweep when what
// it made since the last one reaches half of what that sweep kept, by count
// or by bytes (an identifier may be tens of kilobytes; the request table's
// byte budget bounds what is held, this bounds what is left over): it stays
// within 1.5 times what the tables reference, plus a small floor, and each
// sweep is paid for by the interning that preceded it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace coapjws::detail {

class KeyIdPool {
  public:
    using Id = std::uint32_t;

    // The id of `text`, made if the pool does not hold it yet. Invalidates
    // every view text() returned before.
    Id intern(std::string_view text);
    std::string_view text(Id id) const { return entries_[id].text; }

    // Ids made since the last sweep call for one.
    bool wants_sweep() const { return in_use_ >= sweep_at_ || bytes_ >= sweep_at_bytes_; }
    // Frees every id that `report_live` does not report. It is called with
    // a function `mark(Id)` and must call it for each id still held.
    template <typename ReportLive>
    void sweep(ReportLive report_live) {
        std::vector<bool> live(entries_.size(), false);
        report_live([&live](Id id) { live[id] = true; });
        release_unmarked(live);
    }

    // Ids in use (interned and not swept), and the bytes of their texts.
    std::size_t size() const { return in_use_; }
    std::size_t bytes() const { return bytes_; }

  private:
    struct Entry {
        std::string text;
        std::uint32_t hash = 0;
        bool in_use = false;
    };
    static std::uint32_t hash_text(std::string_view text);
    void release_unmarked(const std::vector<bool>& live);
    void rebuild_index(std::size_t slots);
    void index_insert(Id id);

    static constexpr std::size_t min_sweep_after = 4096;  // ids
    static constexpr std::size_t min_sweep_after_bytes = 1 << 20;
    std::vector<Entry> entries_;
    std::vector<Id> free_ids_;
    // Open addressing, linear probing: id + 1, 0 for an empty slot; at most
    // half full. Only sweep() removes entries, and it rebuilds the index.
    std::vector<std::uint32_t> index_;
    std::size_t in_use_ = 0;
    std::size_t bytes_ = 0;
    std::size_t sweep_at_ = min_sweep_after;
    std::size_t sweep_at_bytes_ = min_sweep_after_bytes;
};

}  // namespace coapjws::detail
