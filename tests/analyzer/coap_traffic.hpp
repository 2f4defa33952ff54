// Signed CoAP messages for test captures, built the way the wire profile
// describes (spec §1-§4) from the engine's encode_coap, build_signed_content
// and sign_jws_option. Keys are the published example keys of RFC 7515
// (HMAC, ES256) and RFC 8037 (Ed25519), so the key material is independent
// of this project.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "coapjws/algorithm.hpp"
#include "coapjws/coap_message.hpp"
#include "coapjws/option_set.hpp"
#include "coapjws/tid.hpp"

namespace coapjws::scan::test {

struct TestKey {
    std::string kid;
    Algorithm alg;
    std::string private_jwk;  // with "kid"
    std::string public_jwk;   // what a keys file holds
};

TestKey hmac_key(const std::string& kid);     // RFC 7515 A.1, HS256
TestKey es256_key(const std::string& kid);    // RFC 7515 A.3, P-256
TestKey ed25519_key(const std::string& kid);  // RFC 8037 A.1

// {"keys":[public JWKs]}
std::string jwk_set(std::initializer_list<const TestKey*> keys);

// {"alg":..,"kid":..,"seq":N} for a request.
std::string request_header(const TestKey& key, std::uint32_t seq);
// A response header: isi absent (binds the request TID) unless given;
// with isi "10"/"11" pass seq.
std::string response_header(const TestKey& key, std::optional<std::string> isi = std::nullopt,
                            std::optional<std::uint32_t> seq = std::nullopt);

struct SignOptions {
    std::uint16_t jws_option = option::jws_default;
    OptionSet signed_options = OptionSet::default_signed();
    const Tid* request_tid = nullptr;  // responses binding the request TID
};

// The JWS option value signing `spec` (spec §3-§4). Throws if the engine
// cannot sign.
std::string jws_value(const CoapMessageSpec& spec, const TestKey& key,
                      const std::string& header_json, const SignOptions& options = {});
// `spec` with the option `value` added, encoded.
Bytes with_jws(CoapMessageSpec spec, const std::string& value,
               std::uint16_t jws_option = option::jws_default);
// Both: a correctly signed message.
Bytes signed_coap(const CoapMessageSpec& spec, const TestKey& key, const std::string& header_json,
                  const SignOptions& options = {});
Bytes plain_coap(const CoapMessageSpec& spec);

// A GET /sensor/temp request / a 2.05 response with a payload.
CoapMessageSpec get_request(std::uint16_t message_id, Bytes token);
CoapMessageSpec content_response(std::uint16_t message_id, Bytes token, std::string payload,
                                 CoapType type = CoapType::acknowledgement);

}  // namespace coapjws::scan::test
