// UDP header (RFC 768) and the CoAP port rule.
#include "udp.hpp"

#include <gtest/gtest.h>

#include "frames.hpp"

namespace coapjws::scan {
namespace {

using test::hex;

TEST(Udp, HandWrittenHeader) {
    const Bytes datagram = hex("9c40 1633 000d 0000 68656c6c6f");
    UdpDatagram u = decode_udp(datagram, false);
    ASSERT_EQ(u.outcome, UdpOutcome::ok);
    EXPECT_EQ(u.src_port, 40000);
    EXPECT_EQ(u.dst_port, 5683);
    ASSERT_EQ(u.payload.size(), 5u);
    EXPECT_EQ(u.payload[0], 'h');
}

TEST(Udp, LengthFieldTrims) {
    const Bytes datagram = hex("9c40 1633 000a 0000 68656c6c6f");
    UdpDatagram u = decode_udp(datagram, false);
    ASSERT_EQ(u.outcome, UdpOutcome::ok);
    EXPECT_EQ(u.payload.size(), 2u);
}

TEST(Udp, EmptyPayload) {
    UdpDatagram u = decode_udp(hex("9c40 1633 0008 0000"), false);
    ASSERT_EQ(u.outcome, UdpOutcome::ok);
    EXPECT_TRUE(u.payload.empty());
}

TEST(Udp, Malformed) {
    EXPECT_EQ(decode_udp(hex("9c40 1633 0007 0000"), false).outcome, UdpOutcome::malformed);
    EXPECT_EQ(decode_udp(hex("9c40 1633 0020 0000 6868"), false).outcome, UdpOutcome::malformed);
    EXPECT_EQ(decode_udp(hex("9c40 1633 00"), false).outcome, UdpOutcome::malformed);
}

TEST(Udp, SnappedWhenTheCaptureCutIt) {
    EXPECT_EQ(decode_udp(hex("9c40 1633 0020 0000 6868"), true).outcome, UdpOutcome::snapped);
    EXPECT_EQ(decode_udp(hex("9c40 16"), true).outcome, UdpOutcome::snapped);
}

TEST(PortFilter, SourceOrDestination) {
    const std::uint16_t ports[] = {5683, 61616};
    PortFilter f(ports);
    EXPECT_TRUE(f.matches(40000, 5683));
    EXPECT_TRUE(f.matches(5683, 40000));
    EXPECT_TRUE(f.matches(61616, 1));
    EXPECT_TRUE(f.matches(5683, 5683));
    EXPECT_FALSE(f.matches(5684, 40000));
    EXPECT_FALSE(f.matches(0, 65535));
}

}  // namespace
}  // namespace coapjws::scan
