// IPv4 (RFC 791) and IPv6 (RFC 8200) decoding against hand-written packets.
#include "ip.hpp"

#include <gtest/gtest.h>

#include "frames.hpp"

namespace coapjws::scan {
namespace {

using test::hex;

const test::Ipv4 a4 = {192, 0, 2, 1}, b4 = {192, 0, 2, 2};
const test::Ipv6 a6 = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
const test::Ipv6 b6 = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

std::string text(ByteView b) {
    return std::string(b.begin(), b.end());
}

TEST(Ipv4, HandWrittenUdpPacket) {
    // 20-byte header, total length 33, protocol 17, 192.0.2.1 -> 192.0.2.2,
    // then UDP 40000 -> 5683 length 13 and "hello".
    Bytes p = hex("4500 0021 1234 0000 4011 0000 c0000201 c0000202 9c40 1633 000d 0000 68656c6c6f");
    IpPacket ip = decode_ip(NetworkProtocol::ipv4, p, false);
    ASSERT_EQ(ip.outcome, IpOutcome::udp);
    EXPECT_EQ(ip.src.to_string(), "192.0.2.1");
    EXPECT_EQ(ip.dst.to_string(), "192.0.2.2");
    EXPECT_EQ(ip.payload.size(), 13u);
    EXPECT_EQ(ip.payload[0], 0x9c);
}

TEST(Ipv4, TrailingPaddingIsDropped) {
    // Ethernet pads short frames to 60 bytes; the total length says where IP ends.
    Bytes p =
        hex("4500 0021 1234 0000 4011 0000 c0000201 c0000202 9c40 1633 000d 0000 68656c6c6f "
            "000000000000");
    IpPacket ip = decode_ip(NetworkProtocol::ipv4, p, false);
    ASSERT_EQ(ip.outcome, IpOutcome::udp);
    EXPECT_EQ(ip.payload.size(), 13u);
}

TEST(Ipv4, HeaderOptionsAreSkipped) {
    Bytes options = {0x01, 0x01, 0x01, 0x00};  // NOP NOP NOP EOL
    Bytes p = test::ipv4(a4, b4, test::proto_udp, test::udp(1, 5683, as_bytes("x")), 0, options);
    EXPECT_EQ(p[0], 0x46);  // IHL 6
    IpPacket ip = decode_ip(NetworkProtocol::ipv4, p, false);
    ASSERT_EQ(ip.outcome, IpOutcome::udp);
    EXPECT_EQ(ip.payload.size(), 9u);
}

TEST(Ipv4, FragmentsAreNotUdp) {
    Bytes datagram = test::udp(40000, 5683, as_bytes("hello"));
    // More fragments set, offset 0: the first fragment.
    EXPECT_EQ(
        decode_ip(NetworkProtocol::ipv4, test::ipv4(a4, b4, 17, datagram, 0x2000), false).outcome,
        IpOutcome::fragment);
    // Offset 185 (x8 = 1480), no more fragments: the last fragment.
    EXPECT_EQ(
        decode_ip(NetworkProtocol::ipv4, test::ipv4(a4, b4, 17, datagram, 185), false).outcome,
        IpOutcome::fragment);
    // Don't Fragment alone is a whole packet.
    EXPECT_EQ(
        decode_ip(NetworkProtocol::ipv4, test::ipv4(a4, b4, 17, datagram, 0x4000), false).outcome,
        IpOutcome::udp);
}

TEST(Ipv4, TcpAndOtherProtocols) {
    Bytes tcp = test::ipv4(a4, b4, test::proto_tcp, Bytes(20, 0));
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv4, tcp, false).outcome, IpOutcome::tcp);
    Bytes icmp = test::ipv4(a4, b4, 1, Bytes(20, 0));
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv4, icmp, false).outcome, IpOutcome::other_protocol);
}

TEST(Ipv4, FragmentFields) {
    Bytes datagram = test::udp(40000, 5683, as_bytes("hello"));
    // Identification 0x1234 (the builder's), offset 185 x 8, More Fragments.
    IpPacket ip =
        decode_ip(NetworkProtocol::ipv4, test::ipv4(a4, b4, 17, datagram, 0x2000 | 185), false);
    ASSERT_EQ(ip.outcome, IpOutcome::fragment);
    EXPECT_EQ(ip.fragment.id, 0x1234u);
    EXPECT_EQ(ip.fragment.offset, 1480u);
    EXPECT_TRUE(ip.fragment.more);
    EXPECT_EQ(ip.protocol, 17);
    EXPECT_EQ(ip.payload.size(), datagram.size());
}

TEST(Ipv4, SnappedTcpSegmentKeepsItsHole) {
    Bytes p = test::ipv4(a4, b4, test::proto_tcp, Bytes(60, 0));
    ByteView cut(p.data(), p.size() - 25);
    IpPacket ip = decode_ip(NetworkProtocol::ipv4, cut, true);
    ASSERT_EQ(ip.outcome, IpOutcome::tcp);
    EXPECT_EQ(ip.payload.size(), 35u);
    EXPECT_EQ(ip.uncaptured, 25u);
    // UDP cut the same way is only counted.
    Bytes u = test::ipv4(a4, b4, 17, test::udp(1, 5683, Bytes(52, 0)));
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv4, ByteView(u.data(), u.size() - 25), true).outcome,
              IpOutcome::snapped);
}

TEST(Ipv4, MalformedAndSnapped) {
    Bytes good = test::ipv4(a4, b4, 17, test::udp(1, 2, as_bytes("hello")));
    // IHL 4 (< 5).
    Bytes bad_ihl = good;
    bad_ihl[0] = 0x44;
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv4, bad_ihl, false).outcome, IpOutcome::malformed);
    // Version 5 behind an IPv4 link type.
    Bytes bad_version = good;
    bad_version[0] = 0x55;
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv4, bad_version, false).outcome, IpOutcome::malformed);
    // Total length smaller than the header.
    Bytes short_total = good;
    short_total[2] = 0;
    short_total[3] = 10;
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv4, short_total, false).outcome, IpOutcome::malformed);
    // Cut before the end: malformed if the capture kept all bytes, snapped if
    // the snapshot length cut it.
    ByteView cut(good.data(), good.size() - 3);
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv4, cut, false).outcome, IpOutcome::malformed);
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv4, cut, true).outcome, IpOutcome::snapped);
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv4, ByteView(good.data(), 12), true).outcome,
              IpOutcome::snapped);
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv4, ByteView(good.data(), 12), false).outcome,
              IpOutcome::malformed);
}

TEST(Ipv4, ZeroTotalLengthMeansCapturedLength) {
    // Segmentation offload leaves total length 0 in captures on the sender.
    Bytes p = test::ipv4(a4, b4, 17, test::udp(1, 5683, as_bytes("abc")));
    p[2] = 0;
    p[3] = 0;
    IpPacket ip = decode_ip(NetworkProtocol::ipv4, p, false);
    ASSERT_EQ(ip.outcome, IpOutcome::udp);
    EXPECT_EQ(ip.payload.size(), 11u);
}

TEST(Ipv6, HandWrittenHopByHopThenUdp) {
    // Payload length 20, next header 0 (hop-by-hop), 2001:db8::1 -> 2001:db8::2;
    // hop-by-hop: next 17, length 0, PadN(4); UDP 5683 -> 5683 length 12.
    Bytes p =
        hex("6000 0000 0014 00 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
            "11 00 0104 00000000"
            "1633 1633 000c 0000 01020304");
    IpPacket ip = decode_ip(NetworkProtocol::ipv6, p, false);
    ASSERT_EQ(ip.outcome, IpOutcome::udp);
    EXPECT_EQ(ip.src.to_string(), "2001:db8::1");
    EXPECT_EQ(ip.dst.to_string(), "2001:db8::2");
    ASSERT_EQ(ip.payload.size(), 12u);
    EXPECT_EQ(ip.payload[0], 0x16);
}

TEST(Ipv6, ExtensionChains) {
    Bytes datagram = test::udp(40000, 5683, as_bytes("hello"));
    using E = test::Ipv6Extension;
    struct Case {
        const char* name;
        Bytes packet;
    };
    const Case cases[] = {
        {"none", test::ipv6(a6, b6, 17, datagram)},
        {"hop-by-hop", test::ipv6(a6, b6, 17, datagram, {E{0, 8}})},
        {"routing 24", test::ipv6(a6, b6, 17, datagram, {E{43, 24}})},
        {"destination", test::ipv6(a6, b6, 17, datagram, {E{60, 16}})},
        {"AH 24", test::ipv6(a6, b6, 17, datagram, {E{51, 24}})},
        {"all",
         test::ipv6(a6, b6, 17, datagram, {E{0, 8}, E{60, 8}, E{43, 8}, E{51, 12}, E{60, 8}})},
        {"atomic fragment", test::ipv6(a6, b6, 17, datagram, {E{44, 8, 0}})},
    };
    for (const Case& c : cases) {
        IpPacket ip = decode_ip(NetworkProtocol::ipv6, c.packet, false);
        ASSERT_EQ(ip.outcome, IpOutcome::udp) << c.name;
        EXPECT_EQ(text(ip.payload.subspan(8)), "hello") << c.name;
    }
}

TEST(Ipv6, FragmentsAreNotUdp) {
    Bytes datagram = test::udp(40000, 5683, as_bytes("hello"));
    using E = test::Ipv6Extension;
    // M flag set, offset 0: first fragment. Offset 100 (<<3), M clear: last.
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv6, test::ipv6(a6, b6, 17, datagram, {E{44, 8, 0x0001}}),
                        false)
                  .outcome,
              IpOutcome::fragment);
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv6,
                        test::ipv6(a6, b6, 17, datagram, {E{0, 8}, E{44, 8, 100 << 3}}), false)
                  .outcome,
              IpOutcome::fragment);
}

TEST(Ipv6, OtherProtocolsAndNoNextHeader) {
    Bytes body(16, 0);
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv6, test::ipv6(a6, b6, 6, body), false).outcome,
              IpOutcome::tcp);
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv6, test::ipv6(a6, b6, 50, body), false).outcome,
              IpOutcome::other_protocol);  // ESP: encrypted
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv6, test::ipv6(a6, b6, 59, body), false).outcome,
              IpOutcome::other_protocol);  // no next header
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv6, test::ipv6(a6, b6, 58, body), false).outcome,
              IpOutcome::other_protocol);  // ICMPv6
}

TEST(Ipv6, ExtensionHeaderPastTheEnd) {
    Bytes datagram = test::udp(1, 5683, as_bytes("x"));
    Bytes p = test::ipv6(a6, b6, 17, datagram, {test::Ipv6Extension{60, 8}});
    p[40 + 1] = 10;  // claims 88 bytes
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv6, p, false).outcome, IpOutcome::malformed);
}

TEST(Ipv6, PayloadLengthBeyondCapture) {
    Bytes p = test::ipv6(a6, b6, 17, test::udp(1, 5683, as_bytes("hello")));
    ByteView cut(p.data(), p.size() - 2);
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv6, cut, false).outcome, IpOutcome::malformed);
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv6, cut, true).outcome, IpOutcome::snapped);
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv6, ByteView(p.data(), 30), false).outcome,
              IpOutcome::malformed);
}

TEST(Ipv6, TrailingBytesAreDropped) {
    Bytes p = test::ipv6(a6, b6, 17, test::udp(1, 5683, as_bytes("hello")));
    p.insert(p.end(), 6, 0);
    IpPacket ip = decode_ip(NetworkProtocol::ipv6, p, false);
    ASSERT_EQ(ip.outcome, IpOutcome::udp);
    EXPECT_EQ(ip.payload.size(), 13u);
}

TEST(Ipv6, EndlessExtensionChainStops) {
    Bytes datagram = test::udp(1, 5683, as_bytes("x"));
    using E = test::Ipv6Extension;
    Bytes p = test::ipv6(
        a6, b6, 17, datagram,
        {E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8},
         E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8},
         E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8},
         E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}, E{60, 8}});
    EXPECT_EQ(decode_ip(NetworkProtocol::ipv6, p, false).outcome, IpOutcome::malformed);
}

}  // namespace
}  // namespace coapjws::scan
