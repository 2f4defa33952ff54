// The JWS option value: compact serialization with detached content,
// B64U(header) ".." B64U(signature) (spec §1).
#pragma once

#include <string_view>

#include "coapjws/bytes.hpp"
#include "coapjws/result.hpp"

namespace coapjws {

struct JwsOptionParts {
    std::string_view header_b64;     // first part, exactly as sent (views the option value)
    std::string_view signature_b64;  // third part
    Bytes header_bytes;              // decoded header (JSON text as sent)
    Bytes signature;                 // decoded signature
};

// Splits and decodes the option value. Errors (all `malformed`): not exactly
// three dot-separated parts, a non-empty middle part, an empty header or
// signature, a byte outside the base64url alphabet, padding, bad length.
Result<JwsOptionParts> parse_jws_option(ByteView value);
// As above, reusing `out`'s buffers.
Status parse_jws_option(ByteView value, JwsOptionParts& out);

}  // namespace coapjws
