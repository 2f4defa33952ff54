// DTLS record recognition: the record layouts of RFC 6347 §4.1 and RFC 9147
// §4, written out byte by byte; and that no CoAP message is ever taken for one.
#include "dtls_record.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace coapjws::scan {
namespace {

// A DTLS 1.0/1.2 record: type, version, epoch 0, sequence 0, length, body.
Bytes record(std::uint8_t type, std::uint8_t minor, std::size_t body, std::size_t declared) {
    Bytes r = {type, 0xfe, minor, 0, 0, 0, 0, 0, 0, 0, 0};
    r.push_back(static_cast<std::uint8_t>(declared >> 8));
    r.push_back(static_cast<std::uint8_t>(declared));
    r.resize(r.size() + body, 0x5a);
    return r;
}

TEST(DtlsRecord, PlaintextRecordHeaders) {
    EXPECT_TRUE(looks_like_dtls(record(22, 0xfd, 40, 40)));  // DTLS 1.2 handshake
    EXPECT_TRUE(looks_like_dtls(record(22, 0xff, 40, 40)));  // DTLS 1.0 handshake
    EXPECT_TRUE(looks_like_dtls(record(20, 0xfd, 1, 1)));    // change_cipher_spec
    EXPECT_TRUE(looks_like_dtls(record(21, 0xfd, 2, 2)));    // alert
    EXPECT_TRUE(looks_like_dtls(record(23, 0xfd, 60, 60)));  // application_data
    EXPECT_TRUE(looks_like_dtls(record(25, 0xfd, 60, 60)));  // tls12_cid
    // Two records in one datagram: the first's length is less than the rest.
    Bytes two = record(22, 0xfd, 10, 10);
    const Bytes second = record(20, 0xfd, 1, 1);
    two.insert(two.end(), second.begin(), second.end());
    EXPECT_TRUE(looks_like_dtls(two));
}

TEST(DtlsRecord, NotPlaintextRecords) {
    EXPECT_FALSE(looks_like_dtls(record(19, 0xfd, 10, 10)));  // no such content type
    EXPECT_FALSE(looks_like_dtls(record(26, 0xfd, 10, 10)));
    EXPECT_FALSE(looks_like_dtls(record(22, 0xfe, 10, 10)));  // version 0xfefe is not DTLS
    EXPECT_FALSE(looks_like_dtls(record(22, 0xfd, 10, 11)));  // longer than the datagram
    Bytes tls = record(22, 0xfd, 10, 10);
    tls[1] = 0x03;  // TLS 1.2's version: not over UDP
    tls[2] = 0x03;
    EXPECT_FALSE(looks_like_dtls(tls));
    EXPECT_FALSE(looks_like_dtls(Bytes{22, 0xfe, 0xfd, 0, 0}));  // header cut short
    EXPECT_FALSE(looks_like_dtls(Bytes{}));
}

TEST(DtlsRecord, UnifiedHeader) {
    // 001 C=0 S=1 L=1 EE=01: 16-bit sequence number, length present.
    Bytes r = {0x2d, 0x12, 0x34, 0x00, 0x20};
    r.resize(r.size() + 0x20, 0x5a);
    EXPECT_TRUE(looks_like_dtls(r));
    // S=0: an 8-bit sequence number.
    Bytes short_seq = {0x25, 0x12, 0x00, 0x18};
    short_seq.resize(short_seq.size() + 0x18, 0x5a);
    EXPECT_TRUE(looks_like_dtls(short_seq));

    Bytes too_long = r;
    too_long[4] = 0x21;
    EXPECT_FALSE(looks_like_dtls(too_long));
    Bytes no_length = r;
    no_length[0] = 0x29;  // L=0: the record runs to the end, nothing to check
    EXPECT_FALSE(looks_like_dtls(no_length));
    Bytes with_cid = r;
    with_cid[0] = 0x3d;  // C=1: the connection ID's length is not in the header
    EXPECT_FALSE(looks_like_dtls(with_cid));
    Bytes no_tag = {0x2d, 0x12, 0x34, 0x00, 0x08};
    no_tag.resize(no_tag.size() + 8, 0x5a);  // shorter than any AEAD tag
    EXPECT_FALSE(looks_like_dtls(no_tag));
}

TEST(DtlsRecord, NeverACoapMessage) {
    // Every first byte with CoAP version 1 (0x40-0x7f), followed by bytes
    // that would make a valid DTLS header if the first byte allowed it.
    for (unsigned first = 0x40; first <= 0x7f; ++first) {
        Bytes m = record(22, 0xfd, 40, 40);
        m[0] = static_cast<std::uint8_t>(first);
        EXPECT_FALSE(looks_like_dtls(m)) << "first byte " << first;
        Bytes u = {static_cast<std::uint8_t>(first), 0x12, 0x34, 0x00, 0x20};
        u.resize(u.size() + 0x20, 0);
        EXPECT_FALSE(looks_like_dtls(u)) << "first byte " << first;
    }
}

}  // namespace
}  // namespace coapjws::scan
