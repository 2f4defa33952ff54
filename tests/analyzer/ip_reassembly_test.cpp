// IP fragment reassembly (IpReassembler) against the rules Wireshark's
// reassemble.c applies (see ip_reassembly.hpp): which fragment completes a
// datagram, which copy of an overlapping byte wins, and what is forgotten.
#include "ip_reassembly.hpp"

#include <gtest/gtest.h>

namespace coapjws::scan {
namespace {

constexpr std::int64_t second = 1'000'000'000;

IpFragment fragment(std::uint32_t offset, const Bytes& data, bool more, std::uint32_t id = 7,
                    std::int64_t time = 0) {
    IpFragment f;
    f.src = Address::ipv4(0xC0000202u);
    f.dst = Address::ipv4(0xC0000201u);
    f.id = id;
    f.protocol = 17;
    f.offset = offset;
    f.more = more;
    f.data = data;
    f.time_ns = time;
    return f;
}

Bytes fill(std::size_t n, std::uint8_t value) {
    return Bytes(n, value);
}

Bytes bytes_of(const std::optional<ReassembledDatagram>& d) {
    return d ? Bytes(d->payload.begin(), d->payload.end()) : Bytes{};
}

TEST(IpReassembly, InOrderCompletesOnTheLastFragment) {
    IpReassembler r;
    const Bytes a = fill(16, 'a'), b = fill(16, 'b'), c = fill(5, 'c');
    EXPECT_FALSE(r.add(fragment(0, a, true)));
    EXPECT_FALSE(r.add(fragment(16, b, true)));
    auto d = r.add(fragment(32, c, false));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->protocol, 17);
    Bytes want = a;
    want.insert(want.end(), b.begin(), b.end());
    want.insert(want.end(), c.begin(), c.end());
    EXPECT_EQ(bytes_of(d), want);
    EXPECT_EQ(r.stats().datagrams, 1u);
    EXPECT_EQ(r.stats().fragments, 3u);
}

TEST(IpReassembly, CompletesOnTheFragmentThatFillsTheLastHole) {
    IpReassembler r;
    // The last fragment first (it sets the length), then the rest out of order.
    EXPECT_FALSE(r.add(fragment(32, fill(8, 'c'), false)));
    EXPECT_FALSE(r.add(fragment(0, fill(16, 'a'), true)));
    auto d = r.add(fragment(16, fill(16, 'b'), true));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->payload.size(), 40u);
}

TEST(IpReassembly, OverlapsKeepTheFirstCopyInOffsetOrder) {
    IpReassembler r;
    // [8, 24) arrives first, [0, 16) second: by offset, [0, 16) comes first,
    // so bytes 8..15 are its copy ('A'), bytes 16..23 the other's ('B').
    EXPECT_FALSE(r.add(fragment(8, fill(16, 'B'), false)));
    auto d = r.add(fragment(0, fill(16, 'A'), true));
    ASSERT_TRUE(d);
    Bytes want = fill(16, 'A');
    want.resize(24, 'B');
    EXPECT_EQ(bytes_of(d), want);
    EXPECT_EQ(r.stats().overlaps, 1u);
}

TEST(IpReassembly, EqualOffsetsKeepTheEarlierArrival) {
    IpReassembler r;
    EXPECT_FALSE(r.add(fragment(0, fill(8, 'X'), true)));
    EXPECT_FALSE(r.add(fragment(0, fill(8, 'Y'), true)));  // a conflicting copy
    auto d = r.add(fragment(8, fill(8, 'Z'), false));
    ASSERT_TRUE(d);
    Bytes want = fill(8, 'X');
    want.resize(16, 'Z');
    EXPECT_EQ(bytes_of(d), want);
}

TEST(IpReassembly, FirstLastFragmentSetsTheLength) {
    IpReassembler r;
    EXPECT_FALSE(r.add(fragment(8, fill(8, 'b'), false)));   // length 16
    EXPECT_FALSE(r.add(fragment(16, fill(8, 'c'), false)));  // says 24: ignored
    auto d = r.add(fragment(0, fill(8, 'a'), true));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->payload.size(), 16u);
}

TEST(IpReassembly, DuplicateAfterCompletionStartsAgain) {
    IpReassembler r;
    const Bytes a = fill(8, 'a'), b = fill(8, 'b');
    EXPECT_FALSE(r.add(fragment(0, a, true)));
    EXPECT_TRUE(r.add(fragment(8, b, false)));
    EXPECT_FALSE(r.add(fragment(8, b, false))) << "a lone copy of the last piece";
    EXPECT_TRUE(r.add(fragment(0, a, true))) << "with the first piece again: a second datagram";
    EXPECT_EQ(r.stats().datagrams, 2u);
}

TEST(IpReassembly, MissingPieceIsCountedAtTheEnd) {
    IpReassembler r;
    EXPECT_FALSE(r.add(fragment(0, fill(8, 'a'), true)));
    EXPECT_FALSE(r.add(fragment(16, fill(8, 'c'), false)));
    r.finish();
    EXPECT_EQ(r.stats().datagrams, 0u);
    EXPECT_EQ(r.stats().incomplete_datagrams, 1u);
    EXPECT_EQ(r.stats().incomplete_fragments, 2u);
}

TEST(IpReassembly, TimedOutPiecesAreForgotten) {
    IpReassembler r;
    EXPECT_FALSE(r.add(fragment(0, fill(8, 'a'), true, 7, 0)));
    // 61 s later: the first piece was given up, the rest alone is incomplete.
    EXPECT_FALSE(r.add(fragment(8, fill(8, 'b'), false, 7, 61 * second)));
    EXPECT_EQ(r.stats().incomplete_datagrams, 1u);
    EXPECT_EQ(r.stats().incomplete_fragments, 1u);
    // Within the time it completes.
    EXPECT_TRUE(r.add(fragment(0, fill(8, 'a'), true, 7, 70 * second)));
}

TEST(IpReassembly, KeysKeepDatagramsApart) {
    IpReassembler r;
    EXPECT_FALSE(r.add(fragment(0, fill(8, 'a'), true, 1)));
    EXPECT_FALSE(r.add(fragment(8, fill(8, 'b'), false, 2))) << "another identification";
    const Bytes b8 = fill(8, 'b');  // IpFragment::data is a view: keep the bytes alive
    IpFragment tcp = fragment(8, b8, false, 1);
    tcp.protocol = 6;
    EXPECT_FALSE(r.add(tcp)) << "IPv4 keys on the protocol too";
    EXPECT_TRUE(r.add(fragment(8, fill(8, 'b'), false, 1)));
}

TEST(IpReassembly, Ipv6KeysOnAddressesAndIdentification) {
    IpReassembler r;
    const std::uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    const std::uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    const Bytes a8 = fill(8, 'a');  // IpFragment::data is a view: keep the bytes alive
    IpFragment first = fragment(0, a8, true, 0x01020304);
    first.ipv6 = true;
    first.src = Address::ipv6(a);
    first.dst = Address::ipv6(b);
    IpFragment last = first;
    last.offset = 8;
    last.more = false;
    const Bytes tail = fill(4, 'z');
    last.data = tail;
    last.protocol = 60;  // a later fragment's Next Header does not split the key
    EXPECT_FALSE(r.add(first));
    auto d = r.add(last);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->payload.size(), 12u);
    EXPECT_EQ(d->protocol, 60) << "the protocol of the completing fragment";
}

TEST(IpReassembly, VlanMattersForPrivateAddressesOnly) {
    IpReassembler r;
    const Bytes a8 = fill(8, 'a');  // IpFragment::data is a view: keep the bytes alive
    const Bytes b8 = fill(8, 'b');
    IpFragment f = fragment(0, a8, true);
    f.src = Address::ipv4(0x0A000001u);  // 10.0.0.1
    f.vlan = 100;
    EXPECT_FALSE(r.add(f));
    IpFragment g = fragment(8, b8, false);
    g.src = f.src;
    g.vlan = 200;
    EXPECT_FALSE(r.add(g)) << "same private addresses on another VLAN";
    g.vlan = 100;
    EXPECT_TRUE(r.add(g));

    // Public addresses: the VLAN is not part of the key.
    IpFragment p = fragment(0, a8, true, 9);
    p.vlan = 1;
    EXPECT_FALSE(r.add(p));
    IpFragment q = fragment(8, b8, false, 9);
    q.vlan = 2;
    EXPECT_TRUE(r.add(q));
}

TEST(IpReassembly, BoundedByCountAndBytes) {
    IpReassemblyLimits limits;
    limits.max_datagrams = 3;
    limits.max_bytes = 1000;
    IpReassembler r(limits);
    for (std::uint32_t id = 1; id <= 5; ++id)
        EXPECT_FALSE(r.add(fragment(0, fill(8, 'a'), true, id)));
    EXPECT_EQ(r.stats().incomplete_datagrams, 2u) << "the two oldest forgotten";
    // A large piece pushes the others out of the byte budget.
    EXPECT_FALSE(r.add(fragment(0, fill(900, 'x'), true, 99)));
    EXPECT_FALSE(r.add(fragment(0, fill(200, 'y'), true, 100)));
    EXPECT_GE(r.stats().incomplete_datagrams, 4u);
    // The oldest (id 1) is gone: its last piece alone does not complete.
    EXPECT_FALSE(r.add(fragment(8, fill(8, 'b'), false, 1)));
}

TEST(IpReassembly, BeyondTheLargestDatagramIsDropped) {
    IpReassembler r;
    EXPECT_FALSE(r.add(fragment(65528, fill(16, 'x'), false)));
    EXPECT_EQ(r.stats().oversized, 1u);
    EXPECT_EQ(r.stats().fragments, 0u);
}

TEST(IpReassembly, EmptyFragmentsAreLeftOut) {
    IpReassembler r;
    EXPECT_FALSE(r.add(fragment(16, {}, false)));  // would set a length of 16
    EXPECT_FALSE(r.add(fragment(0, fill(8, 'a'), true)));
    EXPECT_TRUE(r.add(fragment(8, fill(8, 'b'), false)));
}

}  // namespace
}  // namespace coapjws::scan
