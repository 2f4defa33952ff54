// Writes pcapng (the pcapng specification, IETF opsawg draft): a Section
// Header Block, one Interface Description Block per link type in the order
// the frames first use them (what mergecap writes when merging captures of
// different link types), then an Enhanced Packet Block per frame with
// microsecond timestamps (the default if_tsresol). Little-endian.
#pragma once

#include <cstdint>
#include <vector>

#include "coapjws/bytes.hpp"

namespace coapjws::gen {

class PcapngWriter {
  public:
    // `time_us` is microseconds since the epoch; `linktype` a LINKTYPE_ value.
    void add(std::int64_t time_us, std::uint32_t linktype, ByteView frame);

    Bytes bytes() const;
    std::size_t frame_count() const { return frames_.size(); }
    std::size_t interface_count() const { return linktypes_.size(); }

  private:
    struct Frame {
        std::int64_t time_us;
        std::uint32_t interface;
        Bytes bytes;
    };
    std::vector<std::uint32_t> linktypes_;  // interface i has linktypes_[i]
    std::vector<Frame> frames_;
};

}  // namespace coapjws::gen
