// Recognising a TLS record header (RFC 5246 §6.2, RFC 8446 §5.1) at a point
// of a TCP byte stream, so that CoAP over TLS on a port read as plain CoAP
// over TCP is counted as encrypted instead of being cut into garbage
// "messages".
#pragma once

#include <optional>

#include "coapjws/bytes.hpp"

namespace coapjws {

// True when `stream` starts with a TLS record header: content type 20-24,
// version 3.0-3.4, a length of 1 to 2^14 + 2048. False as soon as the first
// byte is no content type; nullopt while it is one and fewer than the 5
// header bytes are there (or nothing is). The answer never depends on how
// the stream was cut into segments.
std::optional<bool> starts_with_tls_record(ByteView stream);

}  // namespace coapjws
