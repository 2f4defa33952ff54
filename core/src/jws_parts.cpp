#include "coapjws/jws_parts.hpp"

#include <utility>

#include "coapjws/jws_option.hpp"

namespace coapjws {

JwsParts derive_jws_parts(ByteView coap, CoapFraming framing, const JwsDetails& jws,
                          const Tid* request_tid, const SignedContentConfig& config,
                          WantedParts wanted) {
    JwsParts out;
    // Before the header decoded there is nothing but the option value,
    // which a front end shows from the message's bytes.
    if (jws.stage < JwsStage::header_decoded || !wanted.any())
        return out;
    if (jws.option_offset > coap.size() || jws.option_length > coap.size() - jws.option_offset)
        return out;  // not the bytes the report is about

    if (wanted.header || wanted.signature) {
        JwsOptionParts parts;
        if (!parse_jws_option(coap.subspan(jws.option_offset, jws.option_length), parts))
            return out;
        if (wanted.header) {
            out.header_json.emplace(as_text(parts.header_bytes));
            if (jws.stage == JwsStage::header_parsed) {
                if (Result<JoseHeader> header = parse_jose_header(*out.header_json))
                    out.header.emplace(std::move(header).value());
            }
        }
        if (wanted.signature)
            out.signature = std::move(parts.signature);
    }

    const bool binds = jws.signed_content == SignedContentScope::request_tid;
    if (wanted.signed_content && jws.signed_content != SignedContentScope::unknown &&
        (!binds || request_tid != nullptr)) {
        CoapMessage message;
        if (!parse_coap(coap, framing, message))
            return out;
        build_signed_content(message, config, binds ? request_tid : nullptr, out.signed_content);
    }
    return out;
}

}  // namespace coapjws
