// Where an analysis gets its records from: one capture, or several merged
// into one in timestamp order (--merge). Problems met while reading (a file
// cut short, a read error) end that input and are collected as issues, so the
// records before them are still analysed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "capture_reader.hpp"

namespace coapjws::scan {

struct ReadIssue {
    std::string message;     // names the file
    bool truncated = false;  // the file ends inside a record (a warning), else a read error
};

class FrameSource {
  public:
    virtual ~FrameSource() = default;
    // False at the end of all input. The record stays valid until the next call.
    virtual bool next(CaptureRecord& record) = 0;
    virtual std::uint64_t bytes_read() const = 0;
    // True when reading standard input: output is flushed per finding.
    virtual bool streaming() const = 0;
    const std::vector<ReadIssue>& issues() const { return issues_; }

  protected:
    void note(const CaptureReader& reader, ReadStatus status);
    std::vector<ReadIssue> issues_;
};

class SingleSource final : public FrameSource {
  public:
    explicit SingleSource(CaptureReader reader) : reader_(std::move(reader)) {}
    bool next(CaptureRecord& record) override;
    std::uint64_t bytes_read() const override { return reader_.bytes_read(); }
    bool streaming() const override { return reader_.is_stdin(); }

  private:
    CaptureReader reader_;
    bool done_ = false;
};

// A k-way merge by timestamp (ties: argument order, then file order), like
// mergecap. Frames are renumbered from 1 over the merged stream.
class MergedSource final : public FrameSource {
  public:
    explicit MergedSource(std::vector<CaptureReader> readers);
    bool next(CaptureRecord& record) override;
    std::uint64_t bytes_read() const override;
    bool streaming() const override;

  private:
    void refill(std::size_t index);
    bool earlier(std::size_t a, std::size_t b) const;  // heap order

    std::vector<CaptureReader> readers_;
    std::vector<CaptureRecord> heads_;
    std::vector<std::size_t> heap_;     // indices of readers with a head record
    std::size_t to_refill_ = SIZE_MAX;  // reader whose head was handed out last
    std::uint32_t frames_ = 0;
};

}  // namespace coapjws::scan
