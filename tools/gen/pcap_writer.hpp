// Writes the classic libpcap file format (microsecond timestamps, little-
// endian), which every tool reads. One record per frame, never truncated.
#pragma once

#include <cstdint>
#include <string>

#include "coapjws/bytes.hpp"

namespace coapjws::gen {

class PcapWriter {
  public:
    explicit PcapWriter(std::uint32_t linktype);

    // `time_us` is microseconds since the epoch.
    void add(std::int64_t time_us, ByteView frame);

    const Bytes& bytes() const { return bytes_; }
    std::size_t frame_count() const { return frames_; }

  private:
    Bytes bytes_;
    std::size_t frames_ = 0;
};

}  // namespace coapjws::gen
