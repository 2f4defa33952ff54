#include "jws_parts.hpp"

#include <utility>

#include "coapjws/jws_option.hpp"

namespace coapjws::plugin {

JwsParts derive_jws_parts(const StoredMessage& stored, ByteView coap,
                          std::string_view request_key_id, const SignedContentConfig& config,
                          WantedParts wanted) {
    JwsParts out;
    // Before the header decoded there is nothing but the option value,
    // which the tree shows from the packet bytes.
    if (stored.jws < JwsStage::header_decoded || !wanted.any())
        return out;
    if (stored.option_offset > coap.size() ||
        stored.option_length > coap.size() - stored.option_offset)
        return out;  // not the bytes the verdict is about

    if (wanted.header || wanted.signature) {
        JwsOptionParts parts;
        if (!parse_jws_option(coap.subspan(stored.option_offset, stored.option_length), parts))
            return out;
        if (wanted.header) {
            out.header_json.emplace(as_text(parts.header_bytes));
            if (stored.jws == JwsStage::header_parsed) {
                if (Result<JoseHeader> header = parse_jose_header(*out.header_json))
                    out.header.emplace(std::move(header).value());
            }
        }
        if (wanted.signature)
            out.signature = std::move(parts.signature);
    }

    if (wanted.signed_content && stored.signed_content_known) {
        CoapMessage message;
        if (!parse_coap(coap, stored.framing, message))
            return out;
        Tid request_tid;
        const bool binds = stored.content_binds_request_tid && stored.has_request_tid;
        if (binds)
            request_tid = Tid{std::string(request_key_id), stored.request_seq};
        build_signed_content(message, config, binds ? &request_tid : nullptr, out.signed_content);
    }
    return out;
}

}  // namespace coapjws::plugin
