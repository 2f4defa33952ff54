// The parts of a message's JWS that follow from its bytes alone — the
// header, the signature, the signed content — derived again by each pass
// that shows them, so that the first pass keeps only the verdict
// (stored_message.hpp). They come out as the engine made them on the first
// pass: the same functions over the same bytes, told by the stored message
// how far the engine got.
//
// Pure C++: nothing here calls Wireshark.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "coapjws/bytes.hpp"
#include "coapjws/jose_header.hpp"
#include "coapjws/signed_content.hpp"
#include "stored_message.hpp"

namespace coapjws::plugin {

// Only what the tree will show is derived.
struct WantedParts {
    bool header = false;  // the header text and its members
    bool signature = false;
    bool signed_content = false;

    bool any() const { return header || signature || signed_content; }
};

struct JwsParts {
    std::optional<std::string> header_json;  // as sent, when decoded
    std::optional<JoseHeader> header;        // when it parsed
    Bytes signature;                         // empty when not decoded
    Bytes signed_content;                    // empty when not determined
};

// `coap` is the message the verdict `stored` is about; `request_key_id` its
// request TID's key identifier as sent (stored.request_key_id).
JwsParts derive_jws_parts(const StoredMessage& stored, ByteView coap,
                          std::string_view request_key_id, const SignedContentConfig& config,
                          WantedParts wanted);

}  // namespace coapjws::plugin
