// Reads a capture (through libwiretap, Wireshark's reader: pcap, pcapng with
// any link type per interface, compressed files) into UDP datagrams and TCP
// segments with their endpoints, for the capture checks. The decoding is
// written independently of the generator's frame builder and of
// coapjws-scan's decoder so that each checks the others: Ethernet with
// 802.1Q/QinQ tags, Linux SLL and SLL2, raw IP, BSD loopback; IPv4 (with
// options) and IPv6 (with extension headers); IP fragments put together in
// the simplest way (a datagram is complete once its pieces cover it, first
// copy wins), on the frame that completes it.
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
    bool is_udp = false;  // a UDP datagram (whole, or the one this fragment completes)
    bool is_tcp = false;  // a TCP segment
    Endpoint src;
    Endpoint dst;
    std::vector<std::uint16_t> vlan;  // tags seen, outermost first
    Bytes payload;                    // UDP or TCP payload
    std::uint32_t seq = 0;            // TCP
    bool syn = false, fin = false, rst = false;
    bool reassembled = false;  // the datagram was put together from fragments
    std::string problem;       // why neither is_udp nor is_tcp
};

struct Capture {
    int datalink = -1;
    std::vector<UdpFrame> frames;
};

// Errors (file missing, not a capture) are returned in `error`.
bool read_capture(const std::string& path, Capture& out, std::string& error);

}  // namespace coapjws::test
