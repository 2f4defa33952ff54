#include "stream_table.hpp"

#include <algorithm>
#include <numeric>

namespace coapjws::scan {

std::uint64_t StreamRow::finding_total() const {
    return std::accumulate(findings.begin(), findings.end(), std::uint64_t{0});
}

std::string StreamRow::display_key_id() const {
    if (overflow)
        return "(other streams)";
    return key.key_id.empty() ? "-" : key.key_id;
}

std::size_t StreamTable::KeyHash::operator()(const StreamKey& k) const noexcept {
    return EndpointHash{}(k.receiver) * 31 + std::hash<std::string>{}(k.key_id);
}

std::optional<std::size_t> StreamTable::record(const MessageReport& report) {
    if (!report.key_id && report.findings.empty())
        return std::nullopt;
    StreamKey key{report.dst, report.key_id.value_or(std::string())};

    std::size_t index = 0;
    if (auto it = index_.find(key); it != index_.end()) {
        index = it->second;
    } else if (rows_.size() < max_rows_) {
        index = rows_.size();
        StreamRow row;
        row.key = key;
        row.first_frame = report.frame;
        rows_.push_back(std::move(row));
        index_.emplace(std::move(key), index);
    } else {
        if (!overflow_row_) {
            overflow_row_ = rows_.size();
            StreamRow row;
            row.overflow = true;
            row.first_frame = report.frame;
            rows_.push_back(std::move(row));
        }
        index = *overflow_row_;
        ++overflowed_;
    }

    StreamRow& row = rows_[index];
    ++row.messages;
    switch (report.signature) {
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
    for (const Finding& f : report.findings)
        ++row.findings[static_cast<std::size_t>(f.id)];

    // The row is the window's unit (receiver, key identifier): the engine
    // says what the window holds after each message that reached it.
    if (report.window && !row.overflow)
        row.highest_seq = report.window->highest;
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

}  // namespace coapjws::scan
