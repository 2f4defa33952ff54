// The parts of a message's JWS that follow from its bytes and its report —
// the JOSE header, the signature, the signed content — made again when a
// front end shows them, so that a report carries only facts (a front end
// that keeps reports need not keep copies of these). They come out as the
// engine saw them: the same functions over the same bytes, as far as the
// report says the engine got (JwsDetails::stage), the signed content as the
// signature covers it (JwsDetails::signed_content).
#pragma once

#include <optional>
#include <string>

#include "coapjws/bytes.hpp"
#include "coapjws/coap_message.hpp"
#include "coapjws/jose_header.hpp"
#include "coapjws/session.hpp"
#include "coapjws/signed_content.hpp"
#include "coapjws/tid.hpp"

namespace coapjws {

// Only what is wanted is made.
struct WantedParts {
    bool header = false;  // the header text and its members
    bool signature = false;
    bool signed_content = false;

    bool any() const { return header || signature || signed_content; }
};

struct JwsParts {
    std::optional<std::string> header_json;  // as sent, when it decoded
    std::optional<JoseHeader> header;        // when it parsed
    Bytes signature;                         // empty when it did not decode (or was empty)
    Bytes signed_content;                    // empty when not determined
};

// `coap` is the message (framed as `framing`) whose report holds `jws`;
// `request_tid` is the report's request_tid (needed when the signed content
// binds it). `config` is the session's (SessionConfig's signed options and
// JWS option number). Bytes that are not those the report is about give
// nothing.
[[nodiscard]] JwsParts derive_jws_parts(ByteView coap, CoapFraming framing, const JwsDetails& jws,
                                        const Tid* request_tid, const SignedContentConfig& config,
                                        WantedParts wanted);

}  // namespace coapjws
