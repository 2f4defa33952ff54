#include "dtls_record.hpp"

#include <cstddef>
#include <cstdint>

namespace coapjws::scan {

namespace {

std::size_t be16(ByteView b, std::size_t at) {
    return static_cast<std::size_t>(b[at]) << 8 | b[at + 1];
}

// type(1) version(2) epoch(2) sequence_number(6) length(2), then the fragment.
bool plaintext_record(ByteView p) {
    constexpr std::size_t header = 13;
    if (p.size() < header)
        return false;
    const std::uint8_t type = p[0];
    // change_cipher_spec, alert, handshake, application_data, heartbeat, tls12_cid
    if (type < 20 || type > 25)
        return false;
    if (p[1] != 0xfe || (p[2] != 0xff && p[2] != 0xfd))
        return false;
    return be16(p, 11) <= p.size() - header;
}

// 001CSLEE: C connection ID, S 16-bit sequence number, L length present.
bool unified_header(ByteView p) {
    if (p.empty() || (p[0] & 0xe0) != 0x20)
        return false;
    const bool cid = (p[0] & 0x10) != 0;
    const bool long_seq = (p[0] & 0x08) != 0;
    const bool has_length = (p[0] & 0x04) != 0;
    if (cid || !has_length)
        return false;
    const std::size_t length_at = 1 + (long_seq ? 2 : 1);
    if (p.size() < length_at + 2)
        return false;
    const std::size_t length = be16(p, length_at);
    // An encrypted record holds at least a 16-byte AEAD tag.
    return length >= 16 && length <= p.size() - (length_at + 2);
}

}  // namespace

bool looks_like_dtls(ByteView payload) {
    return plaintext_record(payload) || unified_header(payload);
}

}  // namespace coapjws::scan
