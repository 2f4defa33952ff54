// Link-layer decoding against hand-written frames (IEEE 802.3/802.1Q,
// Linux cooked capture v1/v2 as documented at tcpdump.org's LINKTYPE pages,
// BSD loopback).
#include "link_layer.hpp"

#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include "capture_reader.hpp"
#include "coapjws/bytes.hpp"
#include "frames.hpp"

namespace coapjws::scan {
namespace {

using test::hex;

// A 4-byte stand-in for an IPv4 packet (version nibble 4) and one for IPv6.
const Bytes v4_stub = {0x45, 0x00, 0x00, 0x14};
const Bytes v6_stub = {0x60, 0x00, 0x00, 0x00};

void expect_payload(const LinkPayload& p, NetworkProtocol protocol, ByteView expected) {
    ASSERT_EQ(p.protocol, protocol);
    ASSERT_EQ(p.packet.size(), expected.size());
    EXPECT_TRUE(std::equal(p.packet.begin(), p.packet.end(), expected.begin()));
}

TEST(LinkLayer, EthernetIpv4HandWritten) {
    Bytes frame = hex("ffffffffffff 020000000001 0800 45000014");
    expect_payload(decode_link_layer(DLT_EN10MB, frame), NetworkProtocol::ipv4, v4_stub);
}

TEST(LinkLayer, EthernetIpv6HandWritten) {
    Bytes frame = hex("333300000001 020000000001 86dd 60000000");
    expect_payload(decode_link_layer(DLT_EN10MB, frame), NetworkProtocol::ipv6, v6_stub);
}

TEST(LinkLayer, Ethernet8021QHandWritten) {
    // TPID 8100, TCI 0064 (VLAN 100), then IPv4.
    Bytes frame = hex("ffffffffffff 020000000001 8100 0064 0800 45000014");
    expect_payload(decode_link_layer(DLT_EN10MB, frame), NetworkProtocol::ipv4, v4_stub);
}

TEST(LinkLayer, EthernetQinQHandWritten) {
    // 802.1ad service tag, then a customer tag, then IPv6.
    Bytes frame = hex("ffffffffffff 020000000001 88a8 0064 8100 00c8 86dd 60000000");
    expect_payload(decode_link_layer(DLT_EN10MB, frame), NetworkProtocol::ipv6, v6_stub);
}

TEST(LinkLayer, EthernetOldQinQTpids) {
    for (std::uint16_t tpid : {std::uint16_t{0x9100}, std::uint16_t{0x9200}}) {
        Bytes frame = test::ethernet(0x0800, v4_stub, {tpid, std::uint16_t{0x8100}});
        expect_payload(decode_link_layer(DLT_EN10MB, frame), NetworkProtocol::ipv4, v4_stub);
    }
}

TEST(LinkLayer, EthernetLlcSnap) {
    Bytes frame = hex("ffffffffffff 020000000001 000c aaaa03 000000 0800 45000014");
    expect_payload(decode_link_layer(DLT_EN10MB, frame), NetworkProtocol::ipv4, v4_stub);
    expect_payload(decode_link_layer(DLT_EN10MB, test::ethernet_snap(0x86dd, v6_stub)),
                   NetworkProtocol::ipv6, v6_stub);
}

TEST(LinkLayer, EthernetNotIp) {
    EXPECT_EQ(decode_link_layer(DLT_EN10MB, hex("ffffffffffff 020000000001 0806 0001")).protocol,
              NetworkProtocol::other);  // ARP
    // 802.3 with plain LLC (STP), not SNAP.
    EXPECT_EQ(
        decode_link_layer(DLT_EN10MB, hex("0180c2000000 020000000001 0026 424203 0000")).protocol,
        NetworkProtocol::other);
}

TEST(LinkLayer, EthernetTooShort) {
    EXPECT_EQ(decode_link_layer(DLT_EN10MB, hex("ffffffffffff02000000000108")).protocol,
              NetworkProtocol::other);
    // A VLAN tag cut in the middle.
    EXPECT_EQ(decode_link_layer(DLT_EN10MB, hex("ffffffffffff 020000000001 8100 00")).protocol,
              NetworkProtocol::other);
}

TEST(LinkLayer, EthernetEndlessTagsStop) {
    Bytes frame = hex("ffffffffffff 020000000001");
    for (int i = 0; i < 20; ++i) {
        frame.push_back(0x81);
        frame.push_back(0x00);
        frame.push_back(0x00);
        frame.push_back(0x01);
    }
    frame.push_back(0x08);
    frame.push_back(0x00);
    frame.insert(frame.end(), v4_stub.begin(), v4_stub.end());
    EXPECT_EQ(decode_link_layer(DLT_EN10MB, frame).protocol, NetworkProtocol::other);
}

TEST(LinkLayer, LinuxSllHandWritten) {
    // packet type 0, ARPHRD_ETHER 1, address length 6, address (8), protocol 0800.
    Bytes frame = hex("0000 0001 0006 0200000000010000 0800 45000014");
    expect_payload(decode_link_layer(DLT_LINUX_SLL, frame), NetworkProtocol::ipv4, v4_stub);
    expect_payload(decode_link_layer(DLT_LINUX_SLL, test::linux_sll(0x86dd, v6_stub)),
                   NetworkProtocol::ipv6, v6_stub);
    EXPECT_EQ(decode_link_layer(DLT_LINUX_SLL, hex("0000 0001 0006 02000000000100")).protocol,
              NetworkProtocol::other);
}

TEST(LinkLayer, LinuxSllWithVlanTag) {
    Bytes frame = hex("0000 0001 0006 0200000000010000 8100 0064 86dd 60000000");
    expect_payload(decode_link_layer(DLT_LINUX_SLL, frame), NetworkProtocol::ipv6, v6_stub);
}

TEST(LinkLayer, LinuxSll2HandWritten) {
    // protocol 86dd, reserved, ifindex 2, ARPHRD 1, packet type 4, addr len 6, address.
    Bytes frame = hex("86dd 0000 00000002 0001 04 06 0200000000010000 60000000");
    expect_payload(decode_link_layer(DLT_LINUX_SLL2, frame), NetworkProtocol::ipv6, v6_stub);
    expect_payload(decode_link_layer(DLT_LINUX_SLL2, test::linux_sll2(0x0800, v4_stub)),
                   NetworkProtocol::ipv4, v4_stub);
    EXPECT_EQ(decode_link_layer(DLT_LINUX_SLL2, hex("0800 0000 00000002 0001 04 06 02")).protocol,
              NetworkProtocol::other);
}

TEST(LinkLayer, RawIpByVersionNibble) {
    for (int link : {DLT_RAW, 101, 14}) {
        expect_payload(decode_link_layer(link, v4_stub), NetworkProtocol::ipv4, v4_stub);
        expect_payload(decode_link_layer(link, v6_stub), NetworkProtocol::ipv6, v6_stub);
        EXPECT_EQ(decode_link_layer(link, hex("50000000")).protocol, NetworkProtocol::other);
        EXPECT_EQ(decode_link_layer(link, {}).protocol, NetworkProtocol::other);
    }
}

TEST(LinkLayer, LinktypeIpv4AndIpv6) {
    expect_payload(decode_link_layer(DLT_IPV4, v4_stub), NetworkProtocol::ipv4, v4_stub);
    expect_payload(decode_link_layer(DLT_IPV6, v6_stub), NetworkProtocol::ipv6, v6_stub);
}

TEST(LinkLayer, BsdNullBothByteOrders) {
    // AF_INET = 2 little-endian (written on x86) and big-endian (on SPARC/PPC).
    expect_payload(decode_link_layer(DLT_NULL, hex("02000000 45000014")), NetworkProtocol::ipv4,
                   v4_stub);
    expect_payload(decode_link_layer(DLT_NULL, hex("00000002 45000014")), NetworkProtocol::ipv4,
                   v4_stub);
    // AF_INET6 values of Linux, NetBSD/OpenBSD, FreeBSD, Darwin.
    for (std::uint32_t af : {10u, 24u, 28u, 30u}) {
        for (bool be : {false, true}) {
            expect_payload(decode_link_layer(DLT_NULL, test::bsd_null(af, be, v6_stub)),
                           NetworkProtocol::ipv6, v6_stub);
        }
    }
    EXPECT_EQ(decode_link_layer(DLT_NULL, hex("07000000 45000014")).protocol,
              NetworkProtocol::other);
    EXPECT_EQ(decode_link_layer(DLT_NULL, hex("020000")).protocol, NetworkProtocol::other);
}

TEST(LinkLayer, BsdLoopIsNetworkOrder) {
    expect_payload(decode_link_layer(DLT_LOOP, hex("00000002 45000014")), NetworkProtocol::ipv4,
                   v4_stub);
    expect_payload(decode_link_layer(DLT_LOOP, hex("0000001e 60000000")), NetworkProtocol::ipv6,
                   v6_stub);
    // Little-endian 2 read in network order is 0x02000000: not an address family.
    EXPECT_EQ(decode_link_layer(DLT_LOOP, hex("02000000 45000014")).protocol,
              NetworkProtocol::other);
}

TEST(LinkLayer, SupportedTypes) {
    for (int link : {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4, DLT_IPV6,
                     DLT_NULL, DLT_LOOP}) {
        EXPECT_TRUE(is_supported_link_type(link)) << link;
    }
    EXPECT_FALSE(is_supported_link_type(DLT_IEEE802_11));
    EXPECT_FALSE(is_supported_link_type(DLT_PPP));
    EXPECT_EQ(decode_link_layer(DLT_IEEE802_11, v4_stub).protocol, NetworkProtocol::other);
    // Names are Wireshark's descriptions of the link types.
    EXPECT_EQ(link_type_name(DLT_EN10MB), "Ethernet");
    EXPECT_EQ(link_type_name(DLT_IEEE802_11), "IEEE 802.11 Wireless LAN");
    EXPECT_EQ(link_type_name(-5), "unknown");
}

}  // namespace
}  // namespace coapjws::scan
