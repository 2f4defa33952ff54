// Makes a message's JWS option value from its scenario description, signing
// with the engine's own functions (build_signed_content, sign_jws_option) so
// the captures carry exactly what the profile prescribes (spec §3, §4).
#pragma once

#include <optional>
#include <span>
#include <string>

#include "coapjws/coap_message.hpp"
#include "coapjws/key_store.hpp"
#include "coapjws/option_set.hpp"
#include "coapjws/tid.hpp"
#include "gen/scenario.hpp"

namespace coapjws::gen {

struct SigningContext {
    const KeyStore& keys;
    const OptionSet& signed_options;
    std::uint16_t jws_option;
};

// The message as it is signed (before any tampering).
struct SignedMessageParts {
    MessageKind kind;
    std::uint8_t code;
    std::span<const CoapOptionValue> options;  // without the JWS option
    ByteView payload;
};

struct SignedJws {
    Bytes value;
    // The message's own TID as its header states it (a request, or a response
    // with isi 10/11, whose header has a key identifier and seq), when the
    // header was built from fields; a later response may bind it.
    std::optional<Tid> header_tid;
    bool deterministic = true;  // false after ECDSA or RSA-PSS signing
};

// A key in the store under any of its identifiers (kid, x5t#S256, x5t);
// among several under one identifier, the first that fits `alg` (if given).
const Key* find_signing_key(const KeyStore& keys, std::string_view id,
                            std::optional<Algorithm> alg = std::nullopt);

// Whether a response with this JWS description binds its request's TID
// (isi absent, "01" or "11"; a verbatim header binds only when told to).
bool binds_request_tid(const JwsSpec& spec, MessageKind kind);

// `request_tid` is the TID to put into REQUEST-TID (already resolved by the
// caller), or null for none.
Result<SignedJws> sign_message(const JwsSpec& spec, const SignedMessageParts& parts,
                               const SigningContext& context, const Tid* request_tid);

// Deterministic signature schemes: HMAC, EdDSA, RSA PKCS#1 v1.5.
bool is_deterministic(Algorithm alg);

}  // namespace coapjws::gen
