#include "frame_decoder.hpp"

#include <algorithm>

#include "dtls_record.hpp"
#include "ip.hpp"
#include "link_layer.hpp"
#include "tcp.hpp"

namespace coapjws::scan {

namespace {
// Distinct unsupported link types remembered for the summary.
constexpr std::size_t max_link_types_named = 8;
}  // namespace

DecodeCounters& DecodeCounters::operator+=(const DecodeCounters& o) {
    packets += o.packets;
    not_ip += o.not_ip;
    not_udp += o.not_udp;
    malformed += o.malformed;
    snapped += o.snapped;
    other_ports += o.other_ports;
    dtls += o.dtls;
    coap += o.coap;
    unsupported_link += o.unsupported_link;
    for (int type : o.unsupported_link_types) {
        if (unsupported_link_types.size() < max_link_types_named &&
            std::find(unsupported_link_types.begin(), unsupported_link_types.end(), type) ==
                unsupported_link_types.end())
            unsupported_link_types.push_back(type);
    }
    fragments += o.fragments;
    reassembled += o.reassembled;
    incomplete_datagrams += o.incomplete_datagrams;
    incomplete_fragments += o.incomplete_fragments;
    tcp_segments += o.tcp_segments;
    tcp_messages += o.tcp_messages;
    tcp_streams += o.tcp_streams;
    tcp_unknown_start += o.tcp_unknown_start;
    tcp_unsynced_bytes += o.tcp_unsynced_bytes;
    tcp_gaps += o.tcp_gaps;
    tcp_gap_bytes += o.tcp_gap_bytes;
    tcp_incomplete_bytes += o.tcp_incomplete_bytes;
    tcp_oversized += o.tcp_oversized;
    tls_streams += o.tls_streams;
    tls_bytes += o.tls_bytes;
    return *this;
}

FrameDecoder::FrameDecoder(const PortFilter& ports, IpReassemblyLimits ip_limits,
                           TcpStreamLimits tcp_limits)
    : ports_(ports), ip_(ip_limits), tcp_(tcp_limits), coaps_tcp_(tcp_limits) {}

bool FrameDecoder::on_coaps_port(std::uint16_t src, std::uint16_t dst) const {
    return src == coaps_port || dst == coaps_port;
}

std::span<const Packet> FrameDecoder::decode(const CaptureRecord& record) {
    packets_.clear();
    ++counters_.packets;
    if (record.link_type == no_link_type) {
        ++counters_.not_ip;  // not a packet (a pcapng journal entry, ...)
        return packets_;
    }
    LinkPayload link = decode_link_layer(record.link_type, record.data);
    if (link.protocol == NetworkProtocol::other) {
        if (!is_supported_link_type(record.link_type)) {
            count_unsupported_link(record.link_type);
        } else {
            ++counters_.not_ip;
        }
        return packets_;
    }
    const bool cut = record.cut_by_snaplen();
    IpPacket ip = decode_ip(link.protocol, link.packet, cut);
    switch (ip.outcome) {
        case IpOutcome::udp:
        case IpOutcome::tcp:
            transport(record, ip.outcome, ip.src, ip.dst, ip.payload, ip.uncaptured, cut);
            break;
        case IpOutcome::fragment: {
            ++counters_.fragments;
            IpFragment f;
            f.ipv6 = ip.ipv6;
            f.src = ip.src;
            f.dst = ip.dst;
            f.id = ip.fragment.id;
            f.protocol = ip.protocol;
            f.vlan = link.vlan;
            f.offset = ip.fragment.offset;
            f.more = ip.fragment.more;
            f.data = ip.payload;
            f.time_ns = record.time_ns;
            const auto datagram = ip_.add(f);
            if (!datagram)
                break;
            ++counters_.reassembled;
            IpOutcome outcome = IpOutcome::other_protocol;
            ByteView payload = datagram->payload;
            if (ip.ipv6) {
                IpPacket inner = ip;
                decode_ipv6_fragmentable_part(datagram->protocol, datagram->payload, inner);
                if (inner.outcome == IpOutcome::malformed) {
                    ++counters_.malformed;
                    break;
                }
                outcome = inner.outcome;
                payload = inner.payload;
            } else if (datagram->protocol == ip_protocol_udp) {
                outcome = IpOutcome::udp;
            } else if (datagram->protocol == ip_protocol_tcp) {
                outcome = IpOutcome::tcp;
            }
            if (outcome == IpOutcome::other_protocol) {
                ++counters_.not_udp;
                break;
            }
            transport(record, outcome, ip.src, ip.dst, payload, 0, false);
            break;
        }
        case IpOutcome::other_protocol:
            ++counters_.not_udp;
            break;
        case IpOutcome::malformed:
            ++counters_.malformed;
            break;
        case IpOutcome::snapped:
            ++counters_.snapped;
            break;
    }
    return packets_;
}

void FrameDecoder::transport(const CaptureRecord& record, IpOutcome outcome, const Address& src,
                             const Address& dst, ByteView payload, std::uint32_t uncaptured,
                             bool cut) {
    if (outcome == IpOutcome::udp) {
        udp(record, src, dst, payload, cut);
    } else {
        tcp(record, src, dst, payload, uncaptured, cut);
    }
}

void FrameDecoder::udp(const CaptureRecord& record, const Address& src, const Address& dst,
                       ByteView datagram, bool cut) {
    UdpDatagram udp = decode_udp(datagram, cut);
    switch (udp.outcome) {
        case UdpOutcome::ok:
            break;
        case UdpOutcome::malformed:
            ++counters_.malformed;
            return;
        case UdpOutcome::snapped:
            ++counters_.snapped;
            return;
    }
    if (!ports_.matches(udp.src_port, udp.dst_port)) {
        if (on_coaps_port(udp.src_port, udp.dst_port) && looks_like_dtls(udp.payload))
            ++counters_.dtls;
        else
            ++counters_.other_ports;
        return;
    }
    if (looks_like_dtls(udp.payload)) {
        ++counters_.dtls;
        return;
    }
    ++counters_.coap;
    Packet& packet = packets_.emplace_back();
    packet.frame = record.frame;
    packet.time_ns = record.time_ns;
    packet.src = Endpoint{src, udp.src_port};
    packet.dst = Endpoint{dst, udp.dst_port};
    packet.coap = udp.payload;
}

void FrameDecoder::tcp(const CaptureRecord& record, const Address& src, const Address& dst,
                       ByteView segment, std::uint32_t uncaptured, bool cut) {
    TcpHeader tcp = decode_tcp(segment, cut);
    switch (tcp.outcome) {
        case TcpOutcome::ok:
            break;
        case TcpOutcome::malformed:
            ++counters_.malformed;
            return;
        case TcpOutcome::snapped:
            ++counters_.snapped;
            return;
    }
    const bool coap_port = ports_.matches(tcp.src_port, tcp.dst_port);
    if (!coap_port && !on_coaps_port(tcp.src_port, tcp.dst_port)) {
        ++counters_.other_ports;
        return;
    }
    if (coap_port && (!tcp.payload.empty() || uncaptured > 0))
        ++counters_.tcp_segments;
    TcpSegment s;
    s.src = Endpoint{src, tcp.src_port};
    s.dst = Endpoint{dst, tcp.dst_port};
    s.seq = tcp.seq;
    s.syn = tcp.syn;
    s.fin = tcp.fin;
    s.rst = tcp.rst;
    s.time_ns = record.time_ns;
    s.payload = tcp.payload;
    s.uncaptured = uncaptured;
    if (!coap_port) {
        ++counters_.other_ports;
        (void)coaps_tcp_.add(s);  // counted if it is TLS; never analysed
        return;
    }
    for (const TcpMessage& m : tcp_.add(s)) {
        ++counters_.coap;
        ++counters_.tcp_messages;
        Packet& packet = packets_.emplace_back();
        packet.frame = record.frame;
        packet.time_ns = record.time_ns;
        packet.src = s.src;
        packet.dst = s.dst;
        packet.coap = m.bytes;
        packet.framing = CoapFraming::tcp;
    }
}

void FrameDecoder::count_unsupported_link(int link_type) {
    ++counters_.unsupported_link;
    auto& types = counters_.unsupported_link_types;
    if (types.size() < max_link_types_named &&
        std::find(types.begin(), types.end(), link_type) == types.end())
        types.push_back(link_type);
}

void FrameDecoder::finish() {
    ip_.finish();
    tcp_.finish();
    coaps_tcp_.finish();
}

const DecodeCounters& FrameDecoder::counters() {
    const IpReassemblyStats& ip = ip_.stats();
    counters_.incomplete_datagrams = ip.incomplete_datagrams;
    counters_.incomplete_fragments = ip.incomplete_fragments;
    const TcpStreamStats& tcp = tcp_.stats();
    counters_.tcp_streams = tcp.directions;
    counters_.tcp_unknown_start = tcp.unknown_start;
    counters_.tcp_unsynced_bytes = tcp.unsynced_bytes;
    counters_.tcp_gaps = tcp.gaps;
    counters_.tcp_gap_bytes = tcp.gap_bytes;
    counters_.tcp_incomplete_bytes = tcp.incomplete_bytes;
    counters_.tcp_oversized = tcp.oversized_messages;
    const TcpStreamStats& coaps = coaps_tcp_.stats();
    counters_.tls_streams = tcp.tls_directions + coaps.tls_directions;
    counters_.tls_bytes = tcp.tls_bytes + coaps.tls_bytes;
    return counters_;
}

}  // namespace coapjws::scan
