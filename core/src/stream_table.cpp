#include "coapjws/stream_table.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "hash_finalise.hpp"

namespace coapjws {

std::optional<std::uint32_t> window_accepted_seq(const MessageReport& report) {
    const bool accepted_status = report.signature == SignatureStatus::valid ||
                                 report.signature == SignatureStatus::unverified;
    if (!report.tid || !accepted_status)
        return std::nullopt;
    // One pass over the findings (this runs for every signed message).
    for (const Finding& f : report.findings) {
        if (f.id == FindingId::replay || f.id == FindingId::out_of_window ||
            f.id == FindingId::seq_exhausted)
            return std::nullopt;
    }
    return report.tid->seq;
}

bool StreamFacts::has_findings() const {
    return std::any_of(findings.begin(), findings.end(), [](std::uint16_t n) { return n != 0; });
}

StreamFacts stream_facts(const MessageReport& report) {
    StreamFacts facts;
    facts.frame = report.frame;
    facts.receiver = report.dst;
    if (report.key_id)
        facts.key_id = *report.key_id;
    facts.signature = report.signature;
    for (const Finding& f : report.findings)
        ++facts.findings[static_cast<std::size_t>(f.id)];
    facts.accepted_seq = window_accepted_seq(report);
    return facts;
}

std::uint64_t StreamRow::finding_total() const {
    return std::accumulate(findings.begin(), findings.end(), std::uint64_t{0});
}

std::string StreamRow::display_key_id() const {
    if (overflow)
        return "(other streams)";
    return key.key_id.empty() ? "-" : key.key_id;
}

std::string StreamRow::finding_summary() const {
    std::string text;
    for (FindingId id : all_findings) {
        const std::uint64_t n = findings[static_cast<std::size_t>(id)];
        if (n == 0)
            continue;
        if (!text.empty())
            text += ", ";
        text += finding_name(id);
        text += ' ';
        text += std::to_string(n);
    }
    return text.empty() ? "-" : text;
}

std::uint32_t StreamTable::hash_of(const Endpoint& receiver, std::string_view key_id) {
    return detail::finalise_hash(EndpointHash{}(receiver)*31 +
                                 std::hash<std::string_view>{}(key_id));
}

std::size_t StreamTable::find_slot(const Endpoint& receiver, std::string_view key_id,
                                   std::uint32_t hash) const {
    const std::size_t mask = index_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot& slot = index_[i];
        if (slot.row == no_row)
            return i;
        if (slot.hash == hash) {
            const StreamKey& key = rows_[slot.row].key;
            if (key.receiver == receiver && key.key_id == key_id)
                return i;
        }
    }
}

void StreamTable::grow_index() {
    std::vector<Slot> old = std::move(index_);
    index_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    const std::size_t mask = index_.size() - 1;
    for (const Slot& slot : old) {
        if (slot.row == no_row)
            continue;
        std::size_t i = slot.hash & mask;
        while (index_[i].row != no_row)
            i = (i + 1) & mask;
        index_[i] = slot;
    }
}

std::optional<std::size_t> StreamTable::record(const StreamFacts& facts) {
    if (!facts.key_id && !facts.has_findings())
        return std::nullopt;
    const std::string_view key_id = facts.key_id.value_or(std::string_view{});
    const std::uint32_t hash = hash_of(facts.receiver, key_id);

    std::size_t index = 0;
    std::size_t slot = index_.empty() ? 0 : find_slot(facts.receiver, key_id, hash);
    if (!index_.empty() && index_[slot].row != no_row) {
        index = index_[slot].row;
    } else if (rows_.size() < max_rows_) {
        // Keep the index at most half full (the row count below includes the new one).
        if ((rows_.size() + 1) * 2 > index_.size()) {
            grow_index();
            slot = find_slot(facts.receiver, key_id, hash);
        }
        index = rows_.size();
        StreamRow row;
        row.key = StreamKey{facts.receiver, std::string(key_id)};
        row.first_frame = facts.frame;
        rows_.push_back(std::move(row));
        index_[slot] = Slot{static_cast<std::uint32_t>(index), hash};
    } else {
        if (!overflow_row_) {
            overflow_row_ = rows_.size();
            StreamRow row;
            row.overflow = true;
            row.first_frame = facts.frame;
            rows_.push_back(std::move(row));
        }
        index = *overflow_row_;
        ++overflowed_;
    }

    StreamRow& row = rows_[index];
    ++row.messages;
    switch (facts.signature) {
        case SignatureStatus::valid:
            ++row.valid;
            break;
        case SignatureStatus::invalid:
            ++row.invalid;
            break;
        case SignatureStatus::unverified:
            ++row.unverified;
            break;
        case SignatureStatus::none:
            ++row.unsigned_messages;
            break;
    }
    for (std::size_t i = 0; i < finding_count; ++i) {
        // Saturating add, written so the compiler can vectorise it: a sum
        // that wrapped is below what it added to.
        const std::uint32_t sum = row.findings[i] + facts.findings[i];
        row.findings[i] = sum < row.findings[i] ? std::numeric_limits<std::uint32_t>::max() : sum;
    }

    if (facts.accepted_seq && !row.overflow) {
        if (!row.highest_seq || *facts.accepted_seq > *row.highest_seq)
            row.highest_seq = facts.accepted_seq;
    }
    return index;
}

std::vector<std::size_t> StreamTable::sorted() const {
    std::vector<std::size_t> order(rows_.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
        const StreamRow& x = rows_[a];
        const StreamRow& y = rows_[b];
        if (x.overflow != y.overflow)
            return !x.overflow;
        if (x.key.receiver != y.key.receiver)
            return x.key.receiver < y.key.receiver;
        return x.key.key_id < y.key.key_id;
    });
    return order;
}

void StreamTable::clear() {
    rows_.clear();
    index_.clear();
    overflow_row_.reset();
    overflowed_ = 0;
}

void StreamTable::reset_counts() {
    for (StreamRow& row : rows_) {
        StreamRow fresh;
        fresh.key = std::move(row.key);
        fresh.overflow = row.overflow;
        row = std::move(fresh);
    }
    overflowed_ = 0;
}

}  // namespace coapjws
