// The whole path from record to CoAP datagram: what is counted where, and
// no read outside the record whatever the bytes.
#include "frame_decoder.hpp"

#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include <random>

#include "frames.hpp"
#include "unanalysed.hpp"

namespace coapjws::scan {
namespace {

const test::Ipv4 a = {192, 0, 2, 1}, b = {192, 0, 2, 2};

// The one message a record carries, if it carries exactly one.
bool decode(FrameDecoder& d, const CaptureRecord& r, Packet& p) {
    const auto packets = d.decode(r);
    if (packets.size() != 1)
        return false;
    p = packets.front();
    return true;
}

CaptureRecord record(int link, const Bytes& data, std::uint32_t frame, std::uint32_t wire = 0) {
    CaptureRecord r;
    r.frame = frame;
    r.time_ns = 1'000'000'000 * std::int64_t{frame};
    r.link_type = link;
    r.data = data;
    r.wire_length = wire != 0 ? wire : static_cast<std::uint32_t>(data.size());
    return r;
}

TEST(FrameDecoder, CountsDtlsRecordsOnCoapPorts) {
    const std::uint16_t ports[] = {5684};
    PortFilter filter(ports);
    FrameDecoder d(filter);
    // A DTLS 1.2 ClientHello record header (RFC 6347 §4.1) and 20 bytes.
    Bytes dtls = {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20};
    dtls.resize(dtls.size() + 20, 0x01);
    const Bytes coap = {0x40, 0x01, 0x12, 0x34};
    Packet p;
    EXPECT_FALSE(decode(
        d,
        record(DLT_EN10MB,
               test::ethernet(0x0800, test::ipv4(a, b, 17, test::udp(40000, 5684, dtls))), 1),
        p));
    EXPECT_TRUE(decode(
        d,
        record(DLT_EN10MB,
               test::ethernet(0x0800, test::ipv4(a, b, 17, test::udp(40000, 5684, coap))), 2),
        p));
    EXPECT_EQ(d.counters().dtls, 1u);
    EXPECT_EQ(d.counters().coap, 1u);
    EXPECT_EQ(d.counters().malformed, 0u);
}

// Port 5684 is CoAP over DTLS and over TLS: encrypted CoAP there is counted
// even when 5684 is not one of the CoAP ports, and nothing else there is.
TEST(FrameDecoder, WatchesTheCoapsPortForEncryptedTraffic) {
    const std::uint16_t ports[] = {5683};
    PortFilter filter(ports);
    FrameDecoder d(filter);
    Bytes dtls = {23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 1, 0, 24};  // DTLS 1.2 application_data
    dtls.resize(dtls.size() + 24, 0x5a);
    const Bytes coap = {0x40, 0x01, 0x12, 0x34};
    Packet p;
    EXPECT_FALSE(decode(
        d,
        record(DLT_EN10MB,
               test::ethernet(0x0800, test::ipv4(a, b, 17, test::udp(5684, 40000, dtls))), 1),
        p));
    EXPECT_FALSE(decode(
        d,
        record(DLT_EN10MB,
               test::ethernet(0x0800, test::ipv4(a, b, 17, test::udp(40000, 5684, coap))), 2),
        p));
    // A TLS 1.2 ClientHello record header (RFC 5246 §6.2.1) opening a stream.
    Bytes tls = {22, 0x03, 0x01, 0, 40};
    tls.resize(tls.size() + 40, 0x01);
    const std::uint8_t syn = 0x02, ack_psh = 0x18;
    EXPECT_FALSE(decode(
        d,
        record(DLT_EN10MB,
               test::ethernet(0x0800, test::ipv4(a, b, 6, test::tcp(40001, 5684, 999, syn, {}))),
               3),
        p));
    EXPECT_FALSE(decode(
        d,
        record(
            DLT_EN10MB,
            test::ethernet(0x0800, test::ipv4(a, b, 6, test::tcp(40001, 5684, 1000, ack_psh, tls))),
            4),
        p));
    d.finish();
    const DecodeCounters& c = d.counters();
    EXPECT_EQ(c.dtls, 1u);
    EXPECT_EQ(c.tls_streams, 1u);
    EXPECT_EQ(c.tls_bytes, tls.size());
    EXPECT_EQ(c.coap, 0u);  // plain CoAP on 5684 is not on a CoAP port
    EXPECT_EQ(c.tcp_segments, 0u);
    EXPECT_EQ(c.malformed, 0u);
}

TEST(FrameDecoder, CountsEveryKindOfRecord) {
    const std::uint16_t ports[] = {5683};
    PortFilter filter(ports);
    FrameDecoder d(filter);
    const Bytes coap = {0x40, 0x01, 0x12, 0x34};  // CON GET MID 0x1234
    const Bytes to_coap =
        test::ethernet(0x0800, test::ipv4(a, b, 17, test::udp(40000, 5683, coap)));
    const Bytes other_port =
        test::ethernet(0x0800, test::ipv4(a, b, 17, test::udp(40000, 53, coap)));
    const Bytes icmp = test::ethernet(0x0800, test::ipv4(a, b, 1, Bytes(20, 0)));
    const Bytes arp = test::ethernet(0x0806, Bytes(28, 0));
    const Bytes fragment =
        test::ethernet(0x0800, test::ipv4(a, b, 17, test::udp(1, 5683, coap), 0x2000));
    Bytes broken_udp = test::ipv4(a, b, 17, test::udp(1, 5683, coap));
    broken_udp[20 + 5] = 4;  // UDP length 4 < 8
    const Bytes broken = test::ethernet(0x0800, broken_udp);
    const Bytes cut(to_coap.begin(), to_coap.end() - 2);

    Packet p;
    EXPECT_TRUE(decode(d, record(DLT_EN10MB, to_coap, 1), p));
    EXPECT_EQ(p.frame, 1u);
    EXPECT_EQ(p.time_ns, 1'000'000'000);
    EXPECT_EQ(p.src.to_string(), "192.0.2.1:40000");
    EXPECT_EQ(p.dst.to_string(), "192.0.2.2:5683");
    ASSERT_EQ(p.coap.size(), 4u);
    EXPECT_EQ(p.coap[3], 0x34);
    EXPECT_FALSE(decode(d, record(DLT_EN10MB, other_port, 2), p));
    EXPECT_FALSE(decode(d, record(DLT_EN10MB, icmp, 3), p));
    EXPECT_FALSE(decode(d, record(DLT_EN10MB, arp, 4), p));
    EXPECT_FALSE(decode(d, record(DLT_EN10MB, fragment, 5), p));
    EXPECT_FALSE(decode(d, record(DLT_EN10MB, broken, 6), p));
    EXPECT_FALSE(
        decode(d, record(DLT_EN10MB, cut, 7, static_cast<std::uint32_t>(to_coap.size())), p));
    EXPECT_FALSE(decode(d, record(DLT_EN10MB, cut, 8), p));  // cut but not by the snaplen

    const DecodeCounters& c = d.counters();
    EXPECT_EQ(c.packets, 8u);
    EXPECT_EQ(c.coap, 1u);
    EXPECT_EQ(c.other_ports, 1u);
    EXPECT_EQ(c.not_udp, 1u);
    EXPECT_EQ(c.not_ip, 1u);
    EXPECT_EQ(c.fragments, 1u);
    EXPECT_EQ(c.snapped, 1u);
    EXPECT_EQ(c.malformed, 2u);
}

TEST(FrameDecoder, ReassemblesIpv4Fragments) {
    const std::uint16_t ports[] = {5683};
    PortFilter filter(ports);
    FrameDecoder d(filter);
    Bytes coap = {0x40, 0x02, 0x12, 0x34, 0xff};  // CON POST, payload marker
    coap.resize(2000, 'p');
    const Bytes datagram = test::udp(40000, 5683, coap);
    // 1480 bytes (185 x 8) with More Fragments, then the rest at offset 185.
    const ByteView first = ByteView(datagram).first(1480);
    const ByteView rest = ByteView(datagram).subspan(1480);
    const auto frame1 = test::ethernet(0x0800, test::ipv4(a, b, 17, first, 0x2000 | 0));
    const auto frame2 = test::ethernet(0x0800, test::ipv4(a, b, 17, rest, 185));
    EXPECT_TRUE(d.decode(record(DLT_EN10MB, frame1, 1)).empty());
    const auto packets = d.decode(record(DLT_EN10MB, frame2, 2));
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_EQ(packets[0].frame, 2u) << "the frame that completes the datagram";
    EXPECT_EQ(Bytes(packets[0].coap.begin(), packets[0].coap.end()), coap);
    EXPECT_EQ(packets[0].dst.to_string(), "192.0.2.2:5683");
    const DecodeCounters& c = d.counters();
    EXPECT_EQ(c.fragments, 2u);
    EXPECT_EQ(c.reassembled, 1u);
    EXPECT_EQ(c.coap, 1u);
}

TEST(FrameDecoder, ReassemblesIpv6FragmentsOutOfOrder) {
    const std::uint16_t ports[] = {5683};
    PortFilter filter(ports);
    FrameDecoder d(filter);
    const test::Ipv6 s6 = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    const test::Ipv6 d6 = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    Bytes coap = {0x50, 0x02, 0x00, 0x01, 0xff};  // NON POST
    coap.resize(1500, 'q');
    const Bytes datagram = test::udp(40000, 5683, coap);
    using E = test::Ipv6Extension;
    // Offsets in 8-byte units in the top 13 bits, M in bit 0.
    const auto last = test::ethernet(
        0x86dd, test::ipv6(s6, d6, 17, ByteView(datagram).subspan(1232), {E{44, 8, 154 << 3}}));
    const auto first = test::ethernet(
        0x86dd, test::ipv6(s6, d6, 17, ByteView(datagram).first(1232), {E{0, 8}, E{44, 8, 1}}));
    EXPECT_TRUE(d.decode(record(DLT_EN10MB, last, 1)).empty());
    const auto packets = d.decode(record(DLT_EN10MB, first, 2));
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_EQ(packets[0].frame, 2u);
    EXPECT_EQ(Bytes(packets[0].coap.begin(), packets[0].coap.end()), coap);
    EXPECT_EQ(packets[0].src.to_string(), "[2001:db8::1]:40000");
}

TEST(FrameDecoder, IncompleteFragmentsAreCountedAtTheEnd) {
    const std::uint16_t ports[] = {5683};
    PortFilter filter(ports);
    FrameDecoder d(filter);
    const Bytes datagram = test::udp(40000, 5683, Bytes(100, 0x40));
    const auto frame =
        test::ethernet(0x0800, test::ipv4(a, b, 17, ByteView(datagram).first(64), 0x2000));
    EXPECT_TRUE(d.decode(record(DLT_EN10MB, frame, 1)).empty());
    d.finish();
    EXPECT_EQ(d.counters().incomplete_datagrams, 1u);
    EXPECT_EQ(d.counters().incomplete_fragments, 1u);
    // The fragment is traffic that was not analysed: the ip-fragments row.
    CaptureSummary s;
    s.decode = d.counters();
    const auto counts = unanalysed_counts(s);
    ASSERT_EQ(counts.size(), 1u);
    EXPECT_EQ(counts[0].kind->id, "ip-fragments");
    EXPECT_EQ(counts[0].count, 1u);
}

TEST(FrameDecoder, CoapOverTcpMessagesOnTheSegmentThatCompletesThem) {
    const std::uint16_t ports[] = {5683};
    PortFilter filter(ports);
    FrameDecoder d(filter);
    const Bytes get = {0x01, 0x01, 0x7d};                     // Len 0, TKL 1, GET, token
    const Bytes post = {0x31, 0x02, 0x7e, 0xff, 0x61, 0x62};  // Len 3: marker, "ab"
    const Bytes both = test::concat(get, post);
    auto segment = [&](std::uint32_t seq, std::uint8_t flags, ByteView payload) {
        return test::ethernet(0x0800,
                              test::ipv4(a, b, 6, test::tcp(40000, 5683, seq, flags, payload)));
    };
    EXPECT_TRUE(d.decode(record(DLT_EN10MB, segment(100, 0x02, {}), 1)).empty());  // SYN
    // The GET and the first 2 bytes of the POST, then the POST's rest. A decoded
    // message views the record's bytes, so the frames outlive the checks.
    const Bytes frame2 = segment(101, 0x10, ByteView(both).first(5));
    const Bytes frame3 = segment(106, 0x10, ByteView(both).subspan(5));
    auto first = d.decode(record(DLT_EN10MB, frame2, 2));
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].framing, CoapFraming::tcp);
    EXPECT_EQ(Bytes(first[0].coap.begin(), first[0].coap.end()), get);
    auto second = d.decode(record(DLT_EN10MB, frame3, 3));
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].frame, 3u);
    EXPECT_EQ(Bytes(second[0].coap.begin(), second[0].coap.end()), post);
    EXPECT_EQ(second[0].src.to_string(), "192.0.2.1:40000");
    const DecodeCounters& c = d.counters();
    EXPECT_EQ(c.tcp_segments, 2u);
    EXPECT_EQ(c.tcp_messages, 2u);
    EXPECT_EQ(c.tcp_streams, 1u);
    // Streams, segments and messages read are analysed traffic, not a row of
    // the unanalysed table.
    CaptureSummary s;
    s.decode = c;
    EXPECT_EQ(unanalysed_total(s), 0u);
}

TEST(FrameDecoder, UnsupportedLinkTypesAreCountedByType) {
    const std::uint16_t ports[] = {5683};
    PortFilter filter(ports);
    FrameDecoder d(filter);
    const Bytes any(40, 0);
    EXPECT_TRUE(d.decode(record(DLT_IEEE802_11, any, 1)).empty());
    EXPECT_TRUE(d.decode(record(DLT_IEEE802_11, any, 2)).empty());
    EXPECT_TRUE(d.decode(record(DLT_USB_LINUX, any, 3)).empty());
    EXPECT_EQ(d.counters().unsupported_link, 3u);
    EXPECT_EQ(d.counters().unsupported_link_types,
              (std::vector<int>{DLT_IEEE802_11, DLT_USB_LINUX}));
    EXPECT_EQ(d.counters().not_ip, 0u);
}

// Random bytes and truncations of valid frames through every link type:
// nothing may crash, and a decoded datagram must lie inside the record (the
// sanitizer build checks the reads themselves).
TEST(FrameDecoder, ArbitraryBytesStayInsideTheRecord) {
    const std::uint16_t ports[] = {5683};
    PortFilter filter(ports);
    FrameDecoder d(filter);
    std::mt19937 rng(20240229);
    const int links[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4,
                         DLT_IPV6,   DLT_NULL,      DLT_LOOP,       101};
    const Bytes seeds[] = {
        test::ethernet(0x0800, test::ipv4(a, b, 17, test::udp(1, 5683, Bytes(12, 0x40))), {0x8100}),
        test::linux_sll2(0x86dd,
                         test::ipv6({}, {}, 17, test::udp(5683, 1, Bytes(9, 0x50)),
                                    {test::Ipv6Extension{0, 8}, test::Ipv6Extension{51, 12}})),
        test::bsd_null(2, false, test::ipv4(a, b, 17, test::udp(1, 5683, Bytes(3, 1)))),
    };
    std::uint32_t frame = 0;
    for (int round = 0; round < 20000; ++round) {
        Bytes data;
        if (round % 2 == 0) {
            data.resize(rng() % 120);
            for (auto& x : data)
                x = static_cast<std::uint8_t>(rng());
            // Bias towards plausible headers so the deeper layers are reached.
            if (data.size() > 20 && rng() % 2)
                data[rng() % 4] = rng() % 2 ? 0x45 : 0x60;
        } else {
            const Bytes& seed = seeds[rng() % std::size(seeds)];
            data.assign(seed.begin(),
                        seed.begin() + static_cast<std::ptrdiff_t>(rng() % (seed.size() + 1)));
            if (!data.empty())
                data[rng() % data.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
        }
        const int link = links[rng() % std::size(links)];
        const CaptureRecord r =
            record(link, data, ++frame, static_cast<std::uint32_t>(data.size() + rng() % 3));
        const std::uint64_t reassembled = d.counters().reassembled;
        for (const Packet& packet : d.decode(r)) {
            // A datagram of one record is a view into it (reassembled ones
            // and TCP messages are the decoder's copies).
            if (packet.framing != CoapFraming::udp || d.counters().reassembled != reassembled)
                continue;
            ASSERT_GE(packet.coap.data(), data.data());
            ASSERT_LE(packet.coap.data() + packet.coap.size(), data.data() + data.size());
        }
    }
    EXPECT_EQ(d.counters().packets, 20000u);
}

}  // namespace
}  // namespace coapjws::scan
