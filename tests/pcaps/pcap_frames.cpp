#include "pcap_frames.hpp"

#include <pcap/pcap.h>

#include <memory>

namespace coapjws::test {

namespace {
std::uint16_t be16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

// Parses IP and UDP from `data`; `version_hint` 4 or 6 if the link said so, 0 to look.
void decode_ip(const std::uint8_t* data, std::size_t size, int version_hint, UdpFrame& out) {
    if (size < 1) {
        out.problem = "empty IP packet";
        return;
    }
    int version = data[0] >> 4;
    if (version_hint && version != version_hint) {
        out.problem = "IP version does not match the link's protocol";
        return;
    }
    const std::uint8_t* udp = nullptr;
    std::size_t udp_size = 0;
    if (version == 4) {
        if (size < 20) {
            out.problem = "short IPv4 header";
            return;
        }
        std::size_t header = static_cast<std::size_t>(data[0] & 0x0f) * 4;
        std::size_t total = be16(data + 2);
        if (header < 20 || total < header || total > size) {
            out.problem = "bad IPv4 lengths";
            return;
        }
        if ((be16(data + 6) & 0x3fff) != 0) {
            out.problem = "IPv4 fragment";
            return;
        }
        if (data[9] != 17) {
            out.problem = "not UDP";
            return;
        }
        std::uint8_t a[4];
        std::copy(data + 12, data + 16, a);
        out.src.address = Address::ipv4(a);
        std::copy(data + 16, data + 20, a);
        out.dst.address = Address::ipv4(a);
        udp = data + header;
        udp_size = total - header;
    } else if (version == 6) {
        if (size < 40) {
            out.problem = "short IPv6 header";
            return;
        }
        std::size_t payload_length = be16(data + 4);
        if (40 + payload_length > size) {
            out.problem = "bad IPv6 payload length";
            return;
        }
        std::uint8_t a[16];
        std::copy(data + 8, data + 24, a);
        out.src.address = Address::ipv6(a);
        std::copy(data + 24, data + 40, a);
        out.dst.address = Address::ipv6(a);
        std::uint8_t next = data[6];
        std::size_t offset = 40;
        const std::size_t end = 40 + payload_length;
        // Hop-by-hop, routing, destination options: (len + 1) * 8 bytes.
        while (next == 0 || next == 43 || next == 60) {
            if (offset + 8 > end) {
                out.problem = "truncated IPv6 extension header";
                return;
            }
            std::size_t length = (static_cast<std::size_t>(data[offset + 1]) + 1) * 8;
            if (offset + length > end) {
                out.problem = "truncated IPv6 extension header";
                return;
            }
            next = data[offset];
            offset += length;
        }
        if (next != 17) {
            out.problem = "not UDP";
            return;
        }
        udp = data + offset;
        udp_size = end - offset;
    } else {
        out.problem = "not IP";
        return;
    }
    if (udp_size < 8) {
        out.problem = "short UDP header";
        return;
    }
    std::size_t udp_length = be16(udp + 4);
    if (udp_length < 8 || udp_length > udp_size) {
        out.problem = "bad UDP length";
        return;
    }
    out.src.port = be16(udp);
    out.dst.port = be16(udp + 2);
    out.payload.assign(udp + 8, udp + udp_length);
    out.is_udp = true;
}

int ethertype_version(std::uint16_t ethertype) {
    return ethertype == 0x0800 ? 4 : ethertype == 0x86dd ? 6 : -1;
}

void decode_frame(int datalink, const std::uint8_t* data, std::size_t size, UdpFrame& out) {
    switch (datalink) {
        case DLT_EN10MB: {
            if (size < 14)
                break;
            std::size_t offset = 12;
            std::uint16_t type = be16(data + offset);
            while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
                if (offset + 6 > size) {
                    out.problem = "truncated VLAN tag";
                    return;
                }
                out.vlan.push_back(be16(data + offset + 2) & 0x0fff);
                offset += 4;
                type = be16(data + offset);
            }
            int version = ethertype_version(type);
            if (version < 0) {
                out.problem = "not IP";
                return;
            }
            decode_ip(data + offset + 2, size - offset - 2, version, out);
            return;
        }
        case DLT_LINUX_SLL: {
            if (size < 16)
                break;
            int version = ethertype_version(be16(data + 14));
            if (version < 0) {
                out.problem = "not IP";
                return;
            }
            decode_ip(data + 16, size - 16, version, out);
            return;
        }
#ifdef DLT_LINUX_SLL2
        case DLT_LINUX_SLL2: {
            if (size < 20)
                break;
            int version = ethertype_version(be16(data));
            if (version < 0) {
                out.problem = "not IP";
                return;
            }
            decode_ip(data + 20, size - 20, version, out);
            return;
        }
#endif
        case DLT_RAW:
#ifdef DLT_IPV4
        case DLT_IPV4:
        case DLT_IPV6:
#endif
            decode_ip(data, size, 0, out);
            return;
        case DLT_NULL:
        case DLT_LOOP: {
            if (size < 4)
                break;
            // The family in either byte order; 2 is IPv4, 24/28/30 IPv6.
            std::uint32_t le =
                data[0] | data[1] << 8 | data[2] << 16 | static_cast<std::uint32_t>(data[3]) << 24;
            std::uint32_t be =
                static_cast<std::uint32_t>(data[0]) << 24 | data[1] << 16 | data[2] << 8 | data[3];
            std::uint32_t family = (le & 0xffff0000u) == 0 ? le : be;
            int version = family == 2 ? 4 : (family == 24 || family == 28 || family == 30) ? 6 : -1;
            if (version < 0) {
                out.problem = "unknown loopback family";
                return;
            }
            decode_ip(data + 4, size - 4, version, out);
            return;
        }
        default:
            out.problem = "unsupported link type";
            return;
    }
    out.problem = "truncated link header";
}
}  // namespace

bool read_capture(const std::string& path, Capture& out, std::string& error) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    std::unique_ptr<pcap_t, decltype(&pcap_close)> handle(
        pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf),
        pcap_close);
    if (!handle) {
        error = path + ": " + errbuf;
        return false;
    }
    out.datalink = pcap_datalink(handle.get());
    out.frames.clear();
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    std::uint32_t number = 0;
    int rc;
    while ((rc = pcap_next_ex(handle.get(), &header, &data)) == 1) {
        UdpFrame frame;
        frame.frame = ++number;
        frame.time_ns = static_cast<std::int64_t>(header->ts.tv_sec) * 1'000'000'000 +
                        static_cast<std::int64_t>(header->ts.tv_usec);  // ns precision requested
        decode_frame(out.datalink, data, header->caplen, frame);
        out.frames.push_back(std::move(frame));
    }
    if (rc == -1) {
        error = path + ": " + pcap_geterr(handle.get());
        return false;
    }
    return true;
}

}  // namespace coapjws::test
