#include "frames.hpp"

#include <stdexcept>

namespace coapjws::scan::test {

namespace {
void be16(Bytes& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}
void append(Bytes& b, ByteView v) {
    b.insert(b.end(), v.begin(), v.end());
}
void append(Bytes& b, std::initializer_list<std::uint8_t> v) {
    b.insert(b.end(), v.begin(), v.end());
}
}  // namespace

Bytes hex(std::string_view text) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        throw std::invalid_argument("not a hex digit");
    };
    Bytes out;
    int high = -1;
    for (char c : text) {
        if (c == ' ')
            continue;
        int v = nibble(c);
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high << 4 | v));
            high = -1;
        }
    }
    if (high >= 0)
        throw std::invalid_argument("odd number of hex digits");
    return out;
}

Bytes concat(ByteView a, ByteView b) {
    Bytes out(a.begin(), a.end());
    append(out, b);
    return out;
}

Bytes udp(std::uint16_t src_port, std::uint16_t dst_port, ByteView payload) {
    Bytes b;
    be16(b, src_port);
    be16(b, dst_port);
    be16(b, static_cast<std::uint16_t>(8 + payload.size()));
    be16(b, 0);
    append(b, payload);
    return b;
}

Bytes tcp(std::uint16_t src_port, std::uint16_t dst_port, std::uint32_t seq, std::uint8_t flags,
          ByteView payload) {
    Bytes b;
    be16(b, src_port);
    be16(b, dst_port);
    be16(b, static_cast<std::uint16_t>(seq >> 16));
    be16(b, static_cast<std::uint16_t>(seq));
    be16(b, 0);  // acknowledgment number
    be16(b, 0);
    b.push_back(5 << 4);  // data offset: 5 words
    b.push_back(flags);
    be16(b, 0xffff);  // window
    be16(b, 0);       // checksum (not checked)
    be16(b, 0);       // urgent pointer
    append(b, payload);
    return b;
}

Bytes ipv4(Ipv4 src, Ipv4 dst, std::uint8_t protocol, ByteView payload,
           std::uint16_t flags_and_offset, ByteView options) {
    Bytes b;
    const std::size_t header = 20 + options.size();
    b.push_back(static_cast<std::uint8_t>(0x40 | (header / 4)));
    b.push_back(0);  // DSCP/ECN
    be16(b, static_cast<std::uint16_t>(header + payload.size()));
    be16(b, 0x1234);  // identification
    be16(b, flags_and_offset);
    b.push_back(64);  // TTL
    b.push_back(protocol);
    be16(b, 0);  // checksum (not checked)
    append(b, src);
    append(b, dst);
    append(b, options);
    append(b, payload);
    return b;
}

Bytes ipv6(Ipv6 src, Ipv6 dst, std::uint8_t last_next, ByteView payload,
           std::initializer_list<Ipv6Extension> extensions) {
    Bytes chain;
    const Ipv6Extension* exts = extensions.begin();
    for (std::size_t i = 0; i < extensions.size(); ++i) {
        const Ipv6Extension& e = exts[i];
        std::uint8_t next = i + 1 < extensions.size() ? exts[i + 1].type : last_next;
        Bytes h(e.size, 0);
        h[0] = next;
        if (e.type == 51) {
            h[1] = static_cast<std::uint8_t>(e.size / 4 - 2);  // AH: 4-octet units minus 2
        } else if (e.type == 44) {
            h[1] = 0;
            h[2] = static_cast<std::uint8_t>(e.fragment_offset_flags >> 8);
            h[3] = static_cast<std::uint8_t>(e.fragment_offset_flags);
        } else {
            h[1] = static_cast<std::uint8_t>(e.size / 8 - 1);  // 8-octet units minus 1
        }
        append(chain, h);
    }
    Bytes b;
    b.push_back(0x60);
    b.push_back(0);
    b.push_back(0);
    b.push_back(0);
    be16(b, static_cast<std::uint16_t>(chain.size() + payload.size()));
    b.push_back(extensions.size() > 0 ? exts[0].type : last_next);
    b.push_back(64);  // hop limit
    append(b, src);
    append(b, dst);
    append(b, chain);
    append(b, payload);
    return b;
}

Bytes ethernet(std::uint16_t ethertype, ByteView payload,
               std::initializer_list<std::uint16_t> tags) {
    Bytes b = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
    std::uint16_t vid = 100;
    for (std::uint16_t tpid : tags) {
        be16(b, tpid);
        be16(b, vid++);  // TCI: priority 0, VLAN id
    }
    be16(b, ethertype);
    append(b, payload);
    return b;
}

Bytes ethernet_snap(std::uint16_t ethertype, ByteView payload) {
    Bytes b = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
    be16(b, static_cast<std::uint16_t>(8 + payload.size()));  // 802.3 length
    append(b, std::initializer_list<std::uint8_t>{0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00});
    be16(b, ethertype);
    append(b, payload);
    return b;
}

Bytes linux_sll(std::uint16_t protocol, ByteView payload) {
    Bytes b;
    be16(b, 0);  // packet type: to us
    be16(b, 1);  // ARPHRD_ETHER
    be16(b, 6);  // address length
    append(b, std::initializer_list<std::uint8_t>{0x02, 0, 0, 0, 0, 1, 0, 0});
    be16(b, protocol);
    append(b, payload);
    return b;
}

Bytes linux_sll2(std::uint16_t protocol, ByteView payload) {
    Bytes b;
    be16(b, protocol);
    be16(b, 0);                                                  // reserved
    append(b, std::initializer_list<std::uint8_t>{0, 0, 0, 2});  // interface index
    be16(b, 1);                                                  // ARPHRD_ETHER
    b.push_back(4);                                              // packet type: outgoing
    b.push_back(6);                                              // address length
    append(b, std::initializer_list<std::uint8_t>{0x02, 0, 0, 0, 0, 1, 0, 0});
    append(b, payload);
    return b;
}

Bytes bsd_null(std::uint32_t family, bool big_endian, ByteView payload) {
    Bytes b;
    for (int i = 0; i < 4; ++i) {
        int shift = big_endian ? 24 - 8 * i : 8 * i;
        b.push_back(static_cast<std::uint8_t>(family >> shift));
    }
    append(b, payload);
    return b;
}

}  // namespace coapjws::scan::test
