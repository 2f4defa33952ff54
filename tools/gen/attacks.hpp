// What a real endpoint would not do, for attack captures: change a message
// after it was signed, replay an earlier message's bytes with new CoAP header
// fields, corrupt a signature, or MAC with a public key (algorithm confusion).
#pragma once

#include <optional>

#include "coapjws/bytes.hpp"
#include "coapjws/coap_message.hpp"
#include "coapjws/key.hpp"
#include "coapjws/result.hpp"

namespace coapjws::gen {

// Replaces the Message ID, type and token of an encoded CoAP message without
// touching anything after the token, so the options, payload and JWS option
// stay byte-identical (a replaying attacker picks fresh MID/token to get past
// deduplication). Errors if `message` is too short to carry those fields.
Result<Bytes> patch_coap_header(ByteView message, std::optional<std::uint16_t> mid,
                                std::optional<CoapType> type, const std::optional<Bytes>& token);

// Flips the lowest bit of the last byte: a signature that no longer verifies.
void corrupt_signature(Bytes& signature);

// The HMAC key of the classic JWT algorithm-confusion attack: the victim's
// public key (SubjectPublicKeyInfo PEM, as a server would publish it) used as
// an HS* secret. A verifier that lets the header's alg choose how to use a key
// would accept the forgery; coapjws must report key-mismatch instead.
Result<Key> confusion_key(const Key& public_key);

}  // namespace coapjws::gen
