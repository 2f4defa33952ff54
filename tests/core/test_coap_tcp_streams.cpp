// CoAP over TCP from segments (CoapTcpStreams): which segment completes
// which message, and what is counted when a stream cannot be read. The
// messages are built with encode_coap(..., tcp) and the segments cut by hand,
// so every expectation follows from where the bytes are.
#include <gtest/gtest.h>

#include <vector>

#include "coapjws/coap_message.hpp"
#include "coapjws/coap_tcp_streams.hpp"

namespace coapjws {
namespace {

const Endpoint client{Address::ipv4(0xC0000202u), 40000};
const Endpoint server{Address::ipv4(0xC0000201u), 5683};
constexpr std::uint32_t isn = 1000;  // the client's SYN
constexpr std::int64_t one_second = 1'000'000'000;

Bytes message(std::uint8_t code, std::size_t payload, std::uint8_t token = 1) {
    CoapMessageSpec spec;
    spec.code = code;
    spec.token = {token};
    spec.options = {{option::uri_path, {'t'}}};
    spec.payload.assign(payload, static_cast<std::uint8_t>('a' + payload % 26));
    auto bytes = encode_coap(spec, CoapFraming::tcp);
    EXPECT_TRUE(bytes);
    return *bytes;
}

Bytes concat(std::initializer_list<ByteView> parts) {
    Bytes out;
    for (ByteView p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

struct Got {
    Bytes bytes;
    std::optional<std::uint32_t> offset;
};

class Streams : public ::testing::Test {
  protected:
    // Feeds a segment of the client's stream at `offset` bytes after the SYN.
    std::vector<Got> send(std::uint32_t offset, ByteView payload, std::int64_t time = 0,
                          std::uint32_t uncaptured = 0, bool fin = false) {
        TcpSegment s;
        s.src = client;
        s.dst = server;
        s.seq = isn + 1 + offset;
        s.payload = payload;
        s.time_ns = time;
        s.uncaptured = uncaptured;
        s.fin = fin;
        return collect(streams.add(s));
    }
    void syn(std::uint32_t seq = isn) {
        TcpSegment s;
        s.src = client;
        s.dst = server;
        s.seq = seq;
        s.syn = true;
        EXPECT_TRUE(streams.add(s).empty());
    }
    static std::vector<Got> collect(std::span<const TcpMessage> messages) {
        std::vector<Got> out;
        for (const TcpMessage& m : messages)
            out.push_back({Bytes(m.bytes.begin(), m.bytes.end()), m.offset_in_segment});
        return out;
    }

    CoapTcpStreams streams;
};

TEST_F(Streams, SeveralMessagesInOneSegment) {
    syn();
    const Bytes csm = message(0xe1, 0);
    const Bytes get = message(0x01, 5);
    const Bytes post = message(0x02, 30);
    const Bytes segment = concat({csm, get, post});
    auto got = send(0, segment);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].bytes, csm);
    EXPECT_EQ(got[0].offset, 0u);
    EXPECT_EQ(got[1].bytes, get);
    EXPECT_EQ(got[1].offset, csm.size());
    EXPECT_EQ(got[2].bytes, post);
    EXPECT_EQ(got[2].offset, csm.size() + get.size());
    EXPECT_EQ(streams.stats().messages, 3u);
    EXPECT_EQ(streams.stats().unknown_start, 0u);
}

TEST_F(Streams, OneMessageOverThreeSegmentsCompletesOnTheLast) {
    syn();
    const Bytes big = message(0x02, 2000);
    const ByteView b(big);
    EXPECT_TRUE(send(0, b.first(1)).empty());  // only the Len/TKL byte
    EXPECT_TRUE(send(1, b.subspan(1, 1000)).empty());
    auto got = send(1001, b.subspan(1001));
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].bytes, big);
    EXPECT_FALSE(got[0].offset) << "put together from several segments";
}

TEST_F(Streams, MessageContinuingIntoTheNextSegment) {
    // The case Wireshark 4.0's CoAP dissector loses: a segment ends inside the
    // second of its messages.
    syn();
    const Bytes a = message(0x01, 3), b = message(0x02, 40), c = message(0x03, 2);
    const Bytes stream = concat({a, b, c});
    const std::size_t cut = a.size() + 10;
    auto first = send(0, ByteView(stream).first(cut));
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].bytes, a);
    auto second = send(static_cast<std::uint32_t>(cut), ByteView(stream).subspan(cut));
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(second[0].bytes, b);
    EXPECT_FALSE(second[0].offset);
    EXPECT_EQ(second[1].bytes, c);
    EXPECT_EQ(second[1].offset, b.size() - 10) << "c lies wholly in this segment";
}

TEST_F(Streams, RetransmissionsAreNotDeliveredTwice) {
    syn();
    const Bytes a = message(0x01, 3), b = message(0x02, 4);
    ASSERT_EQ(send(0, a).size(), 1u);
    EXPECT_TRUE(send(0, a).empty()) << "the same segment again";
    // Overlapping: the old bytes again, then new ones.
    const Bytes both = concat({a, b});
    auto got = send(0, both);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].bytes, b);
    EXPECT_EQ(got[0].offset, a.size());
    EXPECT_EQ(streams.stats().retransmitted_bytes, 2 * a.size());
}

TEST_F(Streams, OutOfOrderSegmentsCompleteWhenTheHoleIsFilled) {
    syn();
    const Bytes a = message(0x01, 3), b = message(0x02, 4), c = message(0x03, 5);
    const auto at_b = static_cast<std::uint32_t>(a.size());
    const auto at_c = static_cast<std::uint32_t>(a.size() + b.size());
    EXPECT_TRUE(send(at_c, c, 1 * one_second).empty());
    EXPECT_TRUE(send(at_b, b, 2 * one_second).empty());
    auto got = send(0, a, 3 * one_second);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].bytes, a);
    EXPECT_EQ(got[0].offset, 0u);
    EXPECT_EQ(got[1].bytes, b);
    EXPECT_FALSE(got[1].offset) << "b came in an earlier segment";
    EXPECT_EQ(got[2].bytes, c);
    EXPECT_EQ(streams.stats().gaps, 0u);
}

TEST_F(Streams, StreamBegunBeforeTheCapture) {
    // No SYN: the first segment holds the end of a message, the second whole
    // messages. Analysis starts at the second.
    const Bytes lost = message(0x02, 50), a = message(0x01, 3), b = message(0x45, 6);
    const Bytes tail(lost.begin() + 20, lost.end());
    EXPECT_TRUE(send(100, tail).empty());
    const Bytes segment = concat({a, b});
    auto got = send(100 + static_cast<std::uint32_t>(tail.size()), segment);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].bytes, a);
    EXPECT_EQ(got[0].offset, 0u);
    EXPECT_EQ(got[1].bytes, b);
    EXPECT_EQ(streams.stats().unknown_start, 1u);
    EXPECT_EQ(streams.stats().unsynced_bytes, tail.size());
}

TEST_F(Streams, StreamBegunBeforeTheCaptureAtABoundary) {
    const Bytes a = message(0x01, 3);
    auto got = send(500, a);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(streams.stats().unknown_start, 1u);
    EXPECT_EQ(streams.stats().unsynced_bytes, 0u);
}

TEST_F(Streams, HoleNeverFilledIsGivenUpAfterTheTimeout) {
    syn();
    const Bytes a = message(0x01, 3), lost = message(0x02, 8), b = message(0x03, 5),
                c = message(0x04, 2);
    ASSERT_EQ(send(0, a, 0).size(), 1u);
    const auto at_b = static_cast<std::uint32_t>(a.size() + lost.size());
    EXPECT_TRUE(send(at_b, b, 1 * one_second).empty()) << "waits for the hole";
    const auto at_c = at_b + static_cast<std::uint32_t>(b.size());
    // 10 s later the hole is given up: b and c go out on this segment.
    auto got = send(at_c, c, 12 * one_second);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].bytes, b);
    EXPECT_EQ(got[1].bytes, c);
    EXPECT_EQ(streams.stats().gaps, 1u);
    EXPECT_EQ(streams.stats().gap_bytes, lost.size());
}

TEST_F(Streams, HoleInsideAKnownMessageKeepsTheBoundary) {
    syn();
    const Bytes big = message(0x02, 100), next = message(0x01, 1);
    // The middle 40 bytes of `big` were cut by the snapshot length.
    EXPECT_TRUE(send(0, ByteView(big).first(30), 0, 40).empty());
    const Bytes rest = concat({ByteView(big).subspan(70), next});
    auto got = send(70, rest);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].bytes, next);
    EXPECT_EQ(streams.stats().gap_bytes, 40u);
    EXPECT_EQ(streams.stats().incomplete_bytes, 30u);
    EXPECT_EQ(streams.stats().unsynced_bytes, 0u);
}

TEST_F(Streams, TlsIsCountedNotCut) {
    syn();
    // A TLS 1.2 ClientHello record header and some of its body.
    Bytes hello = {0x16, 0x03, 0x01, 0x00, 0x30, 0x01, 0x00, 0x00, 0x2c};
    hello.resize(hello.size() + 44, 0x42);
    EXPECT_TRUE(send(0, hello).empty());
    EXPECT_TRUE(send(static_cast<std::uint32_t>(hello.size()), message(0x01, 3)).empty());
    EXPECT_EQ(streams.stats().tls_directions, 1u);
    EXPECT_GT(streams.stats().tls_bytes, hello.size());
    EXPECT_EQ(streams.stats().messages, 0u);
}

TEST_F(Streams, BareCsmIsTakenAtOnce) {
    // Two bytes are fewer than a TLS record header, but a whole message.
    syn();
    const Bytes csm = {0x00, 0xe1};  // Len 0, TKL 0, Code 7.01 (CSM)
    auto got = send(0, csm);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].bytes, csm);
}

TEST_F(Streams, OversizedMessageIsSkippedByItsLength) {
    TcpStreamLimits limits;
    limits.max_message_bytes = 500;
    streams = CoapTcpStreams(limits);
    syn();
    const Bytes big = message(0x02, 800), next = message(0x01, 2);
    EXPECT_TRUE(send(0, ByteView(big).first(400)).empty());
    const Bytes rest = concat({ByteView(big).subspan(400), next});
    auto got = send(400, rest);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].bytes, next);
    EXPECT_EQ(streams.stats().oversized_messages, 1u);
}

TEST_F(Streams, FinishCountsWhatWasLeft) {
    syn();
    const Bytes big = message(0x02, 100);
    EXPECT_TRUE(send(0, ByteView(big).first(60)).empty());
    streams.finish();
    EXPECT_EQ(streams.stats().incomplete_bytes, 60u);
}

TEST_F(Streams, RetransmissionAfterFinIsIgnored) {
    syn();
    const Bytes a = message(0x01, 3);
    ASSERT_EQ(send(0, a, 0, 0, true).size(), 1u);
    EXPECT_TRUE(send(0, a).empty());
    EXPECT_EQ(streams.stats().unknown_start, 0u);
}

TEST_F(Streams, SequenceNumbersWrap) {
    syn(0xfffffff0u);
    const Bytes a = message(0x01, 20), b = message(0x02, 3);
    const Bytes both = concat({a, b});
    TcpSegment s;
    s.src = client;
    s.dst = server;
    s.seq = 0xfffffff1u;
    s.payload = ByteView(both).first(a.size() + 2);
    EXPECT_EQ(streams.add(s).size(), 1u);
    s.seq = 0xfffffff1u + static_cast<std::uint32_t>(a.size() + 2);  // past 2^32
    s.payload = ByteView(both).subspan(a.size() + 2);
    auto got = collect(streams.add(s));
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].bytes, b);
}

TEST_F(Streams, DirectionsAreBounded) {
    TcpStreamLimits limits;
    limits.max_directions = 4;
    streams = CoapTcpStreams(limits);
    const Bytes a = message(0x01, 3);
    for (std::uint16_t port = 1; port <= 10; ++port) {
        TcpSegment s;
        s.src = Endpoint{client.address, port};
        s.dst = server;
        s.seq = 1;
        s.payload = ByteView(a).first(4);  // a partial message in each
        EXPECT_TRUE(streams.add(s).empty());
    }
    EXPECT_EQ(streams.stats().directions, 10u);
    EXPECT_EQ(streams.stats().evictions, 6u);
}

TEST_F(Streams, WaitingBytesAreBounded) {
    TcpStreamLimits limits;
    limits.max_bytes_per_direction = 1000;
    streams = CoapTcpStreams(limits);
    syn();
    const Bytes a = message(0x01, 300);
    // Segments after a hole at 0 pile up until the budget forces the hole's end.
    std::uint32_t offset = 50;
    std::size_t delivered = 0;
    for (int i = 0; i < 5; ++i) {
        delivered += send(offset, a).size();
        offset += static_cast<std::uint32_t>(a.size());
    }
    EXPECT_EQ(streams.stats().gaps, 1u);
    EXPECT_EQ(streams.stats().gap_bytes, 50u);
    EXPECT_EQ(delivered, 5u) << "after the hole the segments begin with whole messages";
}

}  // namespace
}  // namespace coapjws
