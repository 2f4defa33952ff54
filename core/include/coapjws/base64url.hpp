// Strict base64url without padding (RFC 7515 §2, RFC 4648 §5).
#pragma once

#include <string>
#include <string_view>

#include "coapjws/bytes.hpp"
#include "coapjws/result.hpp"

namespace coapjws {

std::string base64url_encode(ByteView bytes);
void base64url_encode_append(ByteView bytes, std::string& out);

// Rejects: characters outside [A-Za-z0-9_-], '=' padding, a length of 4n+1,
// and non-canonical encodings (unused low bits of the last character set),
// so that every accepted text re-encodes to itself.
Result<Bytes> base64url_decode(std::string_view text);
// As above, appending to `out` (cleared first) to reuse its capacity.
Status base64url_decode_into(std::string_view text, Bytes& out);

}  // namespace coapjws
