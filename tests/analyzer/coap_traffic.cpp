#include "coap_traffic.hpp"

#include <stdexcept>

#include "coapjws/jws_crypto.hpp"
#include "coapjws/key.hpp"
#include "coapjws/signed_content.hpp"

namespace coapjws::scan::test {

namespace {
// RFC 7515 Appendix A.1 (HMAC SHA-256 key).
constexpr const char* rfc7515_a1_k =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
// RFC 7515 Appendix A.3 (ECDSA P-256 key).
constexpr const char* rfc7515_a3_x = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr const char* rfc7515_a3_y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
constexpr const char* rfc7515_a3_d = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
// RFC 8037 Appendix A.1 (Ed25519 key).
constexpr const char* rfc8037_a1_x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
constexpr const char* rfc8037_a1_d = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";

std::string q(const std::string& s) {
    return "\"" + s + "\"";
}
}  // namespace

TestKey hmac_key(const std::string& kid) {
    std::string jwk = "{\"kty\":\"oct\",\"kid\":" + q(kid) + ",\"k\":" + q(rfc7515_a1_k) + "}";
    return {kid, Algorithm::HS256, jwk, jwk};
}

TestKey es256_key(const std::string& kid) {
    std::string pub = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":" + q(kid) +
                      ",\"x\":" + q(rfc7515_a3_x) + ",\"y\":" + q(rfc7515_a3_y);
    return {kid, Algorithm::ES256, pub + ",\"d\":" + q(rfc7515_a3_d) + "}", pub + "}"};
}

TestKey ed25519_key(const std::string& kid) {
    std::string pub =
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":" + q(kid) + ",\"x\":" + q(rfc8037_a1_x);
    return {kid, Algorithm::EdDSA, pub + ",\"d\":" + q(rfc8037_a1_d) + "}", pub + "}"};
}

std::string jwk_set(std::initializer_list<const TestKey*> keys) {
    std::string out = "{\"keys\":[";
    bool first = true;
    for (const TestKey* k : keys) {
        if (!first)
            out += ",";
        first = false;
        out += k->public_jwk;
    }
    return out + "]}";
}

std::string request_header(const TestKey& key, std::uint32_t seq) {
    return "{\"alg\":" + q(std::string(algorithm_name(key.alg))) + ",\"kid\":" + q(key.kid) +
           ",\"seq\":" + std::to_string(seq) + "}";
}

std::string response_header(const TestKey& key, std::optional<std::string> isi,
                            std::optional<std::uint32_t> seq) {
    std::string h =
        "{\"alg\":" + q(std::string(algorithm_name(key.alg))) + ",\"kid\":" + q(key.kid);
    if (seq)
        h += ",\"seq\":" + std::to_string(*seq);
    if (isi)
        h += ",\"isi\":" + q(*isi);
    return h + "}";
}

std::string jws_value(const CoapMessageSpec& spec, const TestKey& key,
                      const std::string& header_json, const SignOptions& options) {
    auto signing_key = Key::from_jwk(key.private_jwk);
    if (!signing_key)
        throw std::runtime_error("test key: " + signing_key.error().message);
    Bytes content;
    SignedContentConfig config{options.signed_options, options.jws_option};
    build_signed_content(spec.code, spec.options, spec.payload, config, options.request_tid,
                         content);
    auto value = sign_jws_option(header_json, content, key.alg, *signing_key);
    if (!value)
        throw std::runtime_error("signing: " + value.error().message);
    return *value;
}

Bytes with_jws(CoapMessageSpec spec, const std::string& value, std::uint16_t jws_option) {
    spec.options.push_back({jws_option, Bytes(value.begin(), value.end())});
    return plain_coap(spec);
}

Bytes signed_coap(const CoapMessageSpec& spec, const TestKey& key, const std::string& header_json,
                  const SignOptions& options) {
    return with_jws(spec, jws_value(spec, key, header_json, options), options.jws_option);
}

Bytes plain_coap(const CoapMessageSpec& spec) {
    auto bytes = encode_coap(spec);
    if (!bytes)
        throw std::runtime_error("encode_coap: " + bytes.error().message);
    return *bytes;
}

CoapMessageSpec get_request(std::uint16_t message_id, Bytes token) {
    CoapMessageSpec spec;
    spec.type = CoapType::confirmable;
    spec.code = 0x01;  // 0.01 GET
    spec.message_id = message_id;
    spec.token = std::move(token);
    spec.options.push_back({option::uri_path, Bytes{'s', 'e', 'n', 's', 'o', 'r'}});
    spec.options.push_back({option::uri_path, Bytes{'t', 'e', 'm', 'p'}});
    return spec;
}

CoapMessageSpec content_response(std::uint16_t message_id, Bytes token, std::string payload,
                                 CoapType type) {
    CoapMessageSpec spec;
    spec.type = type;
    spec.code = 0x45;  // 2.05 Content
    spec.message_id = message_id;
    spec.token = std::move(token);
    spec.options.push_back({option::content_format, Bytes{}});  // 0: text/plain
    spec.payload.assign(payload.begin(), payload.end());
    return spec;
}

}  // namespace coapjws::scan::test
