#include "coapjws/jws_option.hpp"

#include <cstring>

#include "coapjws/base64url.hpp"

namespace coapjws {

Status parse_jws_option(ByteView value, JwsOptionParts& out) {
    out.header_b64 = {};
    out.signature_b64 = {};
    out.header_bytes.clear();
    out.signature.clear();

    const std::string_view text = as_text(value);
    if (text.empty())
        return fail(ErrorCode::malformed, "JWS option value is empty");
    const std::size_t first = text.find('.');
    if (first == std::string_view::npos)
        return fail(ErrorCode::malformed, "JWS option value has no '.' (needs header..signature)");
    const std::size_t second = text.find('.', first + 1);
    if (second == std::string_view::npos) {
        return fail(ErrorCode::malformed, "JWS option value has one '.' at offset " +
                                              std::to_string(first) + " (needs two)");
    }
    if (const std::size_t third = text.find('.', second + 1); third != std::string_view::npos) {
        return fail(ErrorCode::too_large,
                    "JWS option value has more than two '.' (third at offset " +
                        std::to_string(third) + ")");
    }
    if (second != first + 1) {
        return fail(ErrorCode::malformed, "JWS option payload part is not empty (" +
                                              std::to_string(second - first - 1) +
                                              " bytes): the content must be detached");
    }
    if (first == 0)
        return fail(ErrorCode::malformed, "JWS option header part is empty");
    // An empty signature part is left to the caller: it is malformed unless
    // the header's alg is "none" (an Unsecured JWS, spec §1), which only the
    // header can tell.

    out.header_b64 = text.substr(0, first);
    out.signature_b64 = text.substr(second + 1);
    if (auto status = base64url_decode_into(out.header_b64, out.header_bytes); !status) {
        return fail(ErrorCode::malformed, "JWS header: " + status.error().message);
    }
    if (auto status = base64url_decode_into(out.signature_b64, out.signature); !status) {
        // Positions in the message are relative to the signature part.
        return fail(ErrorCode::malformed, "JWS signature (from offset " +
                                              std::to_string(second + 1) +
                                              "): " + status.error().message);
    }
    return {};
}

Result<JwsOptionParts> parse_jws_option(ByteView value) {
    JwsOptionParts parts;
    if (auto status = parse_jws_option(value, parts); !status)
        return status.error();
    return parts;
}

}  // namespace coapjws
