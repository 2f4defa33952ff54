#include "frame_source.hpp"

#include <algorithm>

namespace coapjws::scan {

void FrameSource::note(const CaptureReader& reader, ReadStatus status) {
    const std::string name = reader.is_stdin() ? std::string("standard input") : reader.path();
    if (status == ReadStatus::truncated) {
        issues_.push_back({name + ": capture cut short after " + std::to_string(reader.records()) +
                               " records (" + reader.error() + "); analysed up to there",
                           true});
    } else if (status == ReadStatus::failed) {
        issues_.push_back({name + ": read error after " + std::to_string(reader.records()) +
                               " records: " + reader.error(),
                           false});
    }
}

bool SingleSource::next(CaptureRecord& record) {
    if (done_)
        return false;
    ReadStatus status = reader_.next(record);
    if (status == ReadStatus::record)
        return true;
    done_ = true;
    note(reader_, status);
    return false;
}

MergedSource::MergedSource(std::vector<CaptureReader> readers)
    : readers_(std::move(readers)), heads_(readers_.size()) {
    heap_.reserve(readers_.size());
    for (std::size_t i = 0; i < readers_.size(); ++i)
        refill(i);
}

bool MergedSource::earlier(std::size_t a, std::size_t b) const {
    if (heads_[a].time_ns != heads_[b].time_ns)
        return heads_[a].time_ns < heads_[b].time_ns;
    return a < b;
}

void MergedSource::refill(std::size_t index) {
    ReadStatus status = readers_[index].next(heads_[index]);
    if (status != ReadStatus::record) {
        note(readers_[index], status);
        return;
    }
    heap_.push_back(index);
    // std heaps keep the largest on top: invert the order.
    std::push_heap(heap_.begin(), heap_.end(),
                   [this](std::size_t a, std::size_t b) { return earlier(b, a); });
}

bool MergedSource::next(CaptureRecord& record) {
    // The previous record's bytes belong to its reader's buffer: advance
    // that reader only now that the caller is done with them.
    if (to_refill_ != SIZE_MAX) {
        std::size_t index = to_refill_;
        to_refill_ = SIZE_MAX;
        refill(index);
    }
    if (heap_.empty())
        return false;
    std::pop_heap(heap_.begin(), heap_.end(),
                  [this](std::size_t a, std::size_t b) { return earlier(b, a); });
    std::size_t index = heap_.back();
    heap_.pop_back();
    record = heads_[index];
    record.frame = ++frames_;
    to_refill_ = index;
    return true;
}

std::uint64_t MergedSource::bytes_read() const {
    std::uint64_t total = 0;
    for (const auto& r : readers_)
        total += r.bytes_read();
    return total;
}

bool MergedSource::streaming() const {
    return std::any_of(readers_.begin(), readers_.end(),
                       [](const CaptureReader& r) { return r.is_stdin(); });
}

}  // namespace coapjws::scan
