#include "frame_decoder.hpp"

#include "dtls_record.hpp"
#include "ip.hpp"
#include "link_layer.hpp"

namespace coapjws::scan {

DecodeCounters& DecodeCounters::operator+=(const DecodeCounters& o) {
    packets += o.packets;
    not_ip += o.not_ip;
    not_udp += o.not_udp;
    fragments += o.fragments;
    malformed += o.malformed;
    snapped += o.snapped;
    other_ports += o.other_ports;
    dtls += o.dtls;
    coap += o.coap;
    return *this;
}

bool FrameDecoder::decode(const CaptureRecord& record, Packet& packet) {
    ++counters_.packets;
    LinkPayload link = decode_link_layer(record.link_type, record.data);
    if (link.protocol == NetworkProtocol::other) {
        ++counters_.not_ip;
        return false;
    }
    const bool cut = record.cut_by_snaplen();
    IpPacket ip = decode_ip(link.protocol, link.packet, cut);
    switch (ip.outcome) {
        case IpOutcome::udp:
            break;
        case IpOutcome::fragment:
            ++counters_.fragments;
            return false;
        case IpOutcome::other_protocol:
            ++counters_.not_udp;
            return false;
        case IpOutcome::malformed:
            ++counters_.malformed;
            return false;
        case IpOutcome::snapped:
            ++counters_.snapped;
            return false;
    }
    UdpDatagram udp = decode_udp(ip.payload, cut);
    switch (udp.outcome) {
        case UdpOutcome::ok:
            break;
        case UdpOutcome::malformed:
            ++counters_.malformed;
            return false;
        case UdpOutcome::snapped:
            ++counters_.snapped;
            return false;
    }
    if (!ports_.matches(udp.src_port, udp.dst_port)) {
        ++counters_.other_ports;
        return false;
    }
    if (looks_like_dtls(udp.payload)) {
        ++counters_.dtls;
        return false;
    }
    ++counters_.coap;
    packet.frame = record.frame;
    packet.time_ns = record.time_ns;
    packet.src = Endpoint{ip.src, udp.src_port};
    packet.dst = Endpoint{ip.dst, udp.dst_port};
    packet.coap = udp.payload;
    return true;
}

}  // namespace coapjws::scan
