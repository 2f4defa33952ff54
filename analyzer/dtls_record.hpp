// Recognising DTLS records (RFC 6347 §4.1, RFC 9147 §4) in a UDP payload, so
// that coapjws-scan pointed at a CoAP-over-DTLS port (5684) counts the
// encrypted records instead of reporting each one as malformed CoAP — which is
// also what the plugin shows for them: Wireshark hands CoAP nothing it could
// not decrypt.
//
// Safe to ask before CoAP parsing: every form accepted here starts with a
// byte whose top two bits (CoAP's version field) are 00, so no valid CoAP
// message is ever taken for DTLS.
#pragma once

#include "coapjws/bytes.hpp"

namespace coapjws::scan {

// True when `payload` starts with a whole DTLS record: a DTLS 1.0/1.2
// record header (content type 20-25, version 0xfeff or 0xfefd, a length that
// fits), or a DTLS 1.3 unified header with its length field present and
// fitting and no connection ID (whose size the header does not give).
bool looks_like_dtls(ByteView payload);

}  // namespace coapjws::scan
