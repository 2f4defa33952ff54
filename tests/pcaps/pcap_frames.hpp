// Reads a capture (pcap or pcapng, through libpcap) into UDP datagrams with
// their endpoints, for the capture checks. Written independently of the
// generator's frame builder so that each checks the other: Ethernet with
// 802.1Q/QinQ tags, Linux SLL and SLL2, raw IP, BSD loopback; IPv4 (with
// options) and IPv6 (with extension headers).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "coapjws/bytes.hpp"
#include "coapjws/endpoint.hpp"

namespace coapjws::test {

struct UdpFrame {
    std::uint32_t frame = 0;  // from 1, over every record in the file
    std::int64_t time_ns = 0;
    bool is_udp = false;  // false: not IP/UDP (or not decodable); other fields unset
    Endpoint src;
    Endpoint dst;
    std::vector<std::uint16_t> vlan;  // tags seen, outermost first
    Bytes payload;
    std::string problem;  // why is_udp is false
};

struct Capture {
    int datalink = -1;
    std::vector<UdpFrame> frames;
};

// Errors (file missing, not a capture) are returned in `error`.
bool read_capture(const std::string& path, Capture& out, std::string& error);

}  // namespace coapjws::test
