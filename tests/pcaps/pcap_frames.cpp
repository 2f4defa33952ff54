#include "pcap_frames.hpp"

#include <pcap/dlt.h>
#include <wiretap/pcap-encap.h>
#include <wiretap/wtap.h>
#include <ws_version.h>
#include <wsutil/buffer.h>
#include <wsutil/wslog.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>

namespace coapjws::test {

namespace {
std::uint16_t be16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

// Fragments waiting for the rest of their datagram, by (addresses,
// identification, IP version). No time limit: the bundled captures are short.
struct Fragments {
    struct Datagram {
        std::vector<std::pair<std::size_t, Bytes>> pieces;  // (offset, bytes), as they came
        std::optional<std::size_t> length;                  // set by the piece without More
    };
    std::map<std::tuple<int, Address, Address, std::uint32_t>, Datagram> open;

    // The datagram's payload when this piece completes it.
    std::optional<Bytes> add(int version, const Address& src, const Address& dst, std::uint32_t id,
                             std::size_t offset, bool more, const std::uint8_t* data,
                             std::size_t size) {
        auto key = std::make_tuple(version, src, dst, id);
        Datagram& d = open[key];
        d.pieces.emplace_back(offset, Bytes(data, data + size));
        if (!more && !d.length)
            d.length = offset + size;
        if (!d.length)
            return std::nullopt;
        // Every byte from the first piece that has it.
        std::vector<bool> have(*d.length, false);
        Bytes out(*d.length, 0);
        for (const auto& [at, bytes] : d.pieces) {
            for (std::size_t i = 0; i < bytes.size() && at + i < out.size(); ++i) {
                if (!have[at + i]) {
                    have[at + i] = true;
                    out[at + i] = bytes[i];
                }
            }
        }
        if (std::find(have.begin(), have.end(), false) != have.end())
            return std::nullopt;
        open.erase(key);
        return out;
    }
};

// UDP or TCP from the transport bytes of one IP packet (or datagram).
void decode_transport(std::uint8_t protocol, const std::uint8_t* p, std::size_t size,
                      UdpFrame& out) {
    if (protocol == 17) {
        if (size < 8) {
            out.problem = "short UDP header";
            return;
        }
        std::size_t udp_length = be16(p + 4);
        if (udp_length < 8 || udp_length > size) {
            out.problem = "bad UDP length";
            return;
        }
        out.src.port = be16(p);
        out.dst.port = be16(p + 2);
        out.payload.assign(p + 8, p + udp_length);
        out.is_udp = true;
        return;
    }
    if (protocol == 6) {
        if (size < 20) {
            out.problem = "short TCP header";
            return;
        }
        std::size_t header = static_cast<std::size_t>(p[12] >> 4) * 4;
        if (header < 20 || header > size) {
            out.problem = "bad TCP data offset";
            return;
        }
        out.src.port = be16(p);
        out.dst.port = be16(p + 2);
        out.seq = static_cast<std::uint32_t>(be16(p + 4)) << 16 | be16(p + 6);
        out.fin = (p[13] & 0x01) != 0;
        out.syn = (p[13] & 0x02) != 0;
        out.rst = (p[13] & 0x04) != 0;
        out.payload.assign(p + header, p + size);
        out.is_tcp = true;
        return;
    }
    out.problem = "neither UDP nor TCP";
}

// Parses IP and the transport from `data`; `version_hint` 4 or 6 if the link
// said so, 0 to look.
void decode_ip(const std::uint8_t* data, std::size_t size, int version_hint, Fragments& fragments,
               UdpFrame& out) {
    if (size < 1) {
        out.problem = "empty IP packet";
        return;
    }
    int version = data[0] >> 4;
    if (version_hint && version != version_hint) {
        out.problem = "IP version does not match the link's protocol";
        return;
    }
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
        std::uint8_t a[4];
        std::copy(data + 12, data + 16, a);
        out.src.address = Address::ipv4(a);
        std::copy(data + 16, data + 20, a);
        out.dst.address = Address::ipv4(a);
        const std::uint16_t flags_offset = be16(data + 6);
        if ((flags_offset & 0x3fff) != 0) {
            const std::uint32_t id = static_cast<std::uint32_t>(be16(data + 4)) << 8 | data[9];
            auto whole = fragments.add(4, out.src.address, out.dst.address, id,
                                       std::size_t{flags_offset & 0x1fffu} * 8,
                                       (flags_offset & 0x2000) != 0, data + header, total - header);
            if (!whole) {
                out.problem = "IPv4 fragment";
                return;
            }
            out.reassembled = true;
            decode_transport(data[9], whole->data(), whole->size(), out);
            return;
        }
        decode_transport(data[9], data + header, total - header, out);
        return;
    }
    if (version != 6) {
        out.problem = "not IP";
        return;
    }
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
    // Hop-by-hop, routing, destination options: (len + 1) * 8 bytes; a
    // fragment header: 8 bytes.
    while (next == 0 || next == 43 || next == 60 || next == 44) {
        if (offset + 8 > end) {
            out.problem = "truncated IPv6 extension header";
            return;
        }
        if (next == 44) {
            const std::uint16_t offset_flags = be16(data + offset + 2);
            const std::uint32_t id =
                static_cast<std::uint32_t>(be16(data + offset + 4)) << 16 | be16(data + offset + 6);
            const std::uint8_t inner = data[offset];
            if ((offset_flags & 0xfff9) == 0) {  // an atomic fragment: a whole packet
                next = inner;
                offset += 8;
                continue;
            }
            auto whole =
                fragments.add(6, out.src.address, out.dst.address, id,
                              static_cast<std::size_t>(offset_flags >> 3) * 8,
                              (offset_flags & 1) != 0, data + offset + 8, end - offset - 8);
            if (!whole) {
                out.problem = "IPv6 fragment";
                return;
            }
            out.reassembled = true;
            decode_transport(inner, whole->data(), whole->size(), out);
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
    decode_transport(next, data + offset, end - offset, out);
}

// The link types decoded below, from wiretap's numbering.
int dlt_of(int wtap_encap) {
    for (int dlt : {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4, DLT_IPV6,
                    DLT_NULL, DLT_LOOP}) {
        if (wtap_pcap_encap_to_wtap_encap(dlt) == wtap_encap)
            return dlt;
    }
    return -1;
}

int ethertype_version(std::uint16_t ethertype) {
    return ethertype == 0x0800 ? 4 : ethertype == 0x86dd ? 6 : -1;
}

void decode_frame(int datalink, const std::uint8_t* data, std::size_t size, Fragments& fragments,
                  UdpFrame& out) {
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
            decode_ip(data + offset + 2, size - offset - 2, version, fragments, out);
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
            decode_ip(data + 16, size - 16, version, fragments, out);
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
            decode_ip(data + 20, size - 20, version, fragments, out);
            return;
        }
#endif
        case DLT_RAW:
#ifdef DLT_IPV4
        case DLT_IPV4:
        case DLT_IPV6:
#endif
            decode_ip(data, size, 0, fragments, out);
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
            decode_ip(data + 4, size - 4, version, fragments, out);
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
    static std::once_flag init;
    std::call_once(init, [] {
        ws_log_set_level(LOG_LEVEL_CRITICAL);
        wtap_init(FALSE);
    });
    int err = 0;
    gchar* err_info = nullptr;
    std::unique_ptr<wtap, decltype(&wtap_close)> file(
        wtap_open_offline(path.c_str(), WTAP_TYPE_AUTO, &err, &err_info, FALSE), wtap_close);
    if (!file) {
        error = path + ": " + wtap_strerror(err);
        g_free(err_info);
        return false;
    }
    out.datalink = dlt_of(wtap_file_encap(file.get()));
    out.frames.clear();
    wtap_rec rec;
#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 6)
    wtap_rec_init(&rec, 2048);
    auto read = [&](gint64* offset) {
        return wtap_read(file.get(), &rec, &err, &err_info, offset);
    };
    auto bytes = [&] { return ws_buffer_start_ptr(&rec.data); };
#else
    wtap_rec_init(&rec);
    Buffer buffer;
    ws_buffer_init(&buffer, 2048);
    auto read = [&](gint64* offset) {
        return wtap_read(file.get(), &rec, &buffer, &err, &err_info, offset);
    };
    auto bytes = [&] { return ws_buffer_start_ptr(&buffer); };
#endif
    Fragments fragments;
    std::uint32_t number = 0;
    gint64 offset = 0;
    while (read(&offset)) {
        UdpFrame frame;
        frame.frame = ++number;
        frame.time_ns = static_cast<std::int64_t>(rec.ts.secs) * 1'000'000'000 + rec.ts.nsecs;
        if (rec.rec_type == REC_TYPE_PACKET) {
            decode_frame(dlt_of(rec.rec_header.packet_header.pkt_encap), bytes(),
                         rec.rec_header.packet_header.caplen, fragments, frame);
        } else {
            frame.problem = "not a packet";
        }
        out.frames.push_back(std::move(frame));
        wtap_rec_reset(&rec);
    }
    wtap_rec_cleanup(&rec);
#if !(WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 6))
    ws_buffer_free(&buffer);
#endif
    if (err != 0) {
        error = path + ": " + wtap_strerror(err);
        g_free(err_info);
        return false;
    }
    return true;
}

}  // namespace coapjws::test
