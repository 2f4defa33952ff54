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
    Bytes signature;                 // decoded signature; empty when the part is empty

    // `header..`: the shape of an Unsecured JWS (RFC 7515 §6). Only allowed
    // when the header's alg is "none" (spec §1); the caller decides.
    bool signature_empty() const { return signature_b64.empty(); }
};

// Splits and decodes the option value. Errors (all `malformed`): not exactly
// three dot-separated parts, a non-empty middle part, an empty header, a byte
// outside the base64url alphabet, padding, bad length. An empty signature
// part is not an error here (see signature_empty()).
Result<JwsOptionParts> parse_jws_option(ByteView value);
// As above, reusing `out`'s buffers.
Status parse_jws_option(ByteView value, JwsOptionParts& out);

}  // namespace coapjws
