// Addresses and endpoints: parsing (inet_pton rules), RFC 5952 text for IPv6,
// multicast ranges (RFC 5771 224.0.0.0/4, RFC 4291 ff00::/8), ordering, hashing.
#include <gtest/gtest.h>

#include <set>
#include <unordered_set>

#include "coapjws/endpoint.hpp"

namespace coapjws {
namespace {

TEST(Address, DefaultIsNone) {
    Address a;
    EXPECT_EQ(a.family, AddressFamily::none);
    EXPECT_EQ(a.to_string(), "");
    EXPECT_FALSE(a.is_multicast());
}

TEST(Address, ParseIpv4) {
    auto a = Address::parse("192.0.2.1");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->family, AddressFamily::ipv4);
    const std::array<std::uint8_t, 16> expected = {192, 0, 2, 1};
    EXPECT_EQ(a->bytes, expected);
    EXPECT_EQ(a->to_string(), "192.0.2.1");
}

TEST(Address, Ipv4Constructors) {
    const std::uint8_t octets[4] = {198, 51, 100, 7};
    EXPECT_EQ(Address::ipv4(octets), *Address::parse("198.51.100.7"));
    EXPECT_EQ(Address::ipv4(0xC6336407u), *Address::parse("198.51.100.7"));
    EXPECT_EQ(Address::ipv4(0u).to_string(), "0.0.0.0");
    EXPECT_EQ(Address::ipv4(0xFFFFFFFFu).to_string(), "255.255.255.255");
}

TEST(Address, ParseIpv6) {
    auto a = Address::parse("2001:db8::1");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->family, AddressFamily::ipv6);
    const std::array<std::uint8_t, 16> expected = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                                   0,    0,    0,    0,    0, 0, 0, 1};
    EXPECT_EQ(a->bytes, expected);
    const std::uint8_t octets[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    EXPECT_EQ(Address::ipv6(octets), *a);
}

// RFC 5952 §4: lower case, leading zeros dropped, longest zero run as "::"
// (the first of equal runs), a single zero group not shortened.
TEST(Address, Ipv6TextIsRfc5952Canonical) {
    EXPECT_EQ(Address::parse("2001:0DB8:0000:0000:0000:0000:0000:0001")->to_string(),
              "2001:db8::1");
    EXPECT_EQ(Address::parse("2001:db8:0:0:1:0:0:1")->to_string(), "2001:db8::1:0:0:1");
    EXPECT_EQ(Address::parse("2001:db8:0:1:1:1:1:1")->to_string(), "2001:db8:0:1:1:1:1:1");
    EXPECT_EQ(Address::parse("0:0:0:0:0:0:0:1")->to_string(), "::1");
    EXPECT_EQ(Address::parse("::")->to_string(), "::");
    EXPECT_EQ(Address::parse("FF02:0:0:0:0:0:0:FD")->to_string(), "ff02::fd");
}

TEST(Address, Ipv4MappedIpv6StaysIpv6) {
    auto a = Address::parse("::ffff:192.0.2.1");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->family, AddressFamily::ipv6);
    EXPECT_EQ(a->bytes[10], 0xff);
    EXPECT_EQ(a->bytes[11], 0xff);
    EXPECT_EQ(a->bytes[12], 192);
    EXPECT_EQ(a->bytes[15], 1);
    EXPECT_NE(*a, *Address::parse("192.0.2.1"));
}

TEST(Address, RejectsBadText) {
    for (std::string_view text :
         {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "01.2.3.4", " 1.2.3.4", "1.2.3.4 ",
          "1.2.3.4/24", "2001:db8:::1", "2001:db8::1::2", "g::1", "12345::1", "[2001:db8::1]",
          "1:2:3:4:5:6:7:8:9", "localhost", "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255x"}) {
        EXPECT_FALSE(Address::parse(text)) << text;
    }
    // An embedded NUL must not let "1.2.3.4\0junk" pass as 1.2.3.4.
    EXPECT_FALSE(Address::parse(std::string_view("1.2.3.4\0junk", 12)));
    EXPECT_FALSE(Address::parse(std::string(200, '1')));
}

TEST(Address, LongestIpv6TextParses) {
    auto a = Address::parse("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255");
    ASSERT_TRUE(a);
    for (auto b : a->bytes)
        EXPECT_EQ(b, 0xff);
}

TEST(Address, Multicast) {
    // IPv4 multicast is 224.0.0.0/4 (RFC 5771); 224.0.1.187 is "All CoAP Nodes" (RFC 7252 §12.8).
    for (std::string_view text : {"224.0.0.0", "224.0.1.187", "239.255.255.255", "230.1.2.3"}) {
        EXPECT_TRUE(Address::parse(text)->is_multicast()) << text;
    }
    for (std::string_view text :
         {"223.255.255.255", "240.0.0.0", "192.0.2.1", "255.255.255.255", "0.0.0.0"}) {
        EXPECT_FALSE(Address::parse(text)->is_multicast()) << text;
    }
    // IPv6 multicast is ff00::/8 (RFC 4291 §2.7); ff02::fd and ff05::fd are All CoAP Nodes.
    for (std::string_view text : {"ff02::fd", "ff05::fd", "ff00::", "ffff::1"}) {
        EXPECT_TRUE(Address::parse(text)->is_multicast()) << text;
    }
    for (std::string_view text :
         {"fe80::1", "2001:db8::1", "::1", "::ffff:224.0.1.187", "fe00::"}) {
        EXPECT_FALSE(Address::parse(text)->is_multicast()) << text;
    }
}

TEST(Endpoint, ToString) {
    EXPECT_EQ((Endpoint{*Address::parse("192.0.2.1"), 5683}).to_string(), "192.0.2.1:5683");
    EXPECT_EQ((Endpoint{*Address::parse("2001:db8::1"), 5683}).to_string(), "[2001:db8::1]:5683");
    EXPECT_EQ((Endpoint{*Address::parse("::1"), 0}).to_string(), "[::1]:0");
    EXPECT_EQ((Endpoint{*Address::parse("10.0.0.1"), 65535}).to_string(), "10.0.0.1:65535");
}

TEST(Endpoint, ParseRoundTrip) {
    for (std::string_view text : {"192.0.2.1:5683", "[2001:db8::1]:5683", "[::1]:0",
                                  "10.0.0.1:65535", "[ff02::fd]:5683", "0.0.0.0:1"}) {
        auto e = Endpoint::parse(text);
        ASSERT_TRUE(e) << text;
        EXPECT_EQ(e->to_string(), text);
    }
    auto e = Endpoint::parse("[2001:db8::1]:61616");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->port, 61616);
    EXPECT_EQ(e->address, *Address::parse("2001:db8::1"));
}

TEST(Endpoint, RejectsBadText) {
    for (std::string_view text : {"",
                                  "192.0.2.1",
                                  "192.0.2.1:",
                                  ":5683",
                                  "192.0.2.1:65536",
                                  "192.0.2.1:99999",
                                  "192.0.2.1:123456",
                                  "192.0.2.1:-1",
                                  "192.0.2.1:+1",
                                  "192.0.2.1: 1",
                                  "192.0.2.1:5683x",
                                  "192.0.2.1:0x10",
                                  "2001:db8::1:5683",
                                  "[192.0.2.1]:5683",
                                  "[2001:db8::1]",
                                  "[2001:db8::1]5683",
                                  "[2001:db8::1:5683",
                                  "2001:db8::1]:5683",
                                  "[]:5683",
                                  "host:5683"}) {
        EXPECT_FALSE(Endpoint::parse(text)) << text;
    }
}

TEST(Endpoint, OrderingAndEquality) {
    const auto a = *Endpoint::parse("192.0.2.1:5683");
    const auto b = *Endpoint::parse("192.0.2.1:5684");
    const auto c = *Endpoint::parse("192.0.2.2:1");
    const auto d = *Endpoint::parse("[::1]:1");
    EXPECT_EQ(a, *Endpoint::parse("192.0.2.1:5683"));
    EXPECT_NE(a, b);
    EXPECT_LT(a, b);  // same address: port decides
    EXPECT_LT(b, c);  // address compared before port
    EXPECT_LT(c, d);  // IPv4 (family 4) before IPv6 (family 6)
    std::set<Endpoint> ordered = {d, c, b, a};
    EXPECT_EQ(*ordered.begin(), a);
}

TEST(Endpoint, HashAgreesWithEquality) {
    EXPECT_EQ(EndpointHash{}(*Endpoint::parse("192.0.2.1:5683")),
              EndpointHash{}(*Endpoint::parse("192.0.2.1:5683")));
    EXPECT_EQ(AddressHash{}(*Address::parse("2001:db8::1")),
              AddressHash{}(*Address::parse("2001:DB8:0::1")));

    std::unordered_set<Endpoint, EndpointHash> set;
    std::unordered_set<std::size_t> hashes;
    for (unsigned i = 0; i < 256; ++i) {
        for (std::uint16_t port : {std::uint16_t{5683}, std::uint16_t{5684}, std::uint16_t{40000},
                                   std::uint16_t{40001}}) {
            const std::uint8_t v4[4] = {192, 0, 2, static_cast<std::uint8_t>(i)};
            std::uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8};
            v6[15] = static_cast<std::uint8_t>(i);
            for (const Endpoint& e :
                 {Endpoint{Address::ipv4(v4), port}, Endpoint{Address::ipv6(v6), port}}) {
                set.insert(e);
                hashes.insert(EndpointHash{}(e));
            }
        }
    }
    EXPECT_EQ(set.size(), 2048u);
    // A usable hash spreads these near-identical endpoints almost perfectly.
    EXPECT_GT(hashes.size(), 2040u);
    EXPECT_TRUE(set.count(*Endpoint::parse("[2001:db8::7]:40001")));
    EXPECT_FALSE(set.count(*Endpoint::parse("[2001:db8::7]:40002")));
}

}  // namespace
}  // namespace coapjws
