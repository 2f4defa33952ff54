// What the first pass keeps of one analysed CoAP message: the engine's
// verdict, which later passes cannot recompute (they must not feed the
// Session again), in about 80 bytes. Everything that follows from the
// message's bytes alone (the JOSE header, the signature, the signed content)
// is not kept: it is derived again when shown (jws_parts.hpp).
//
// Plain data: texts live in the Analysis's TextStore.
#pragma once

#include <cstdint>

#include "coapjws/coap_message.hpp"
#include "coapjws/finding.hpp"
#include "coapjws/session.hpp"
#include "text_store.hpp"

namespace coapjws::plugin {

// Where a CoAP message sat in the frame on the first pass, so that a later
// pass that cannot see CoAP's tree items still highlights the right bytes.
struct MessageLocation {
    bool in_frame_bytes = false;  // inside the frame's own bytes (not decrypted/reassembled data)
    std::uint32_t offset = 0;     // of the CoAP message in those bytes
    std::uint32_t length = 0;
};

// How far the engine read the JWS option (JwsDetails).
enum class JwsStage : std::uint8_t {
    none,            // no JWS option was read
    option,          // the option, but its value did not split and decode
    header_decoded,  // the header's base64url decoded; the JSON did not parse
    header_parsed,   // the header parsed (JwsDetails::header)
};

struct StoredFinding {
    TextStore::Ref message;           // display text (display_text.hpp)
    std::uint32_t related_frame = 0;  // 0 for none (frames are numbered from 1)
    FindingId id = FindingId::malformed;
};

struct StoredMessage {
    MessageLocation location;
    // Of the JWS option value within the CoAP message (stage != none).
    std::uint32_t option_offset = 0;
    std::uint32_t option_length = 0;
    // 0 for none.
    std::uint32_t request_frame = 0;
    std::uint32_t replay_of = 0;
    std::uint32_t retransmission_of = 0;
    std::uint32_t seq = 0;            // the header's seq, when has_seq
    std::uint32_t request_seq = 0;    // of the request TID, when has_request_tid
    std::uint32_t verifying_key = 0;  // MessageReport::verifying_key, when has_verifying_key
    TextStore::Ref key_id;            // as sent (any bytes), when has_key_id
    TextStore::Ref request_key_id;    // as sent (it may be signed over), when has_request_tid
    // An internal error (has_error), else a copy of the CoAP message when it
    // was not in the frame's own bytes and has a header (has_copy): a later
    // pass may not have those bytes, and the header, signature and signed
    // content are derived from them.
    TextStore::Ref extra;
    std::uint32_t first_finding = 0;  // index into the Analysis's findings
    std::uint16_t finding_count = 0;
    SignatureStatus signature = SignatureStatus::none;
    MessageKind kind = MessageKind::unknown;
    CoapFraming framing = CoapFraming::udp;
    JwsStage jws = JwsStage::none;
    bool has_key_id : 1 = false;
    bool has_seq : 1 = false;
    bool has_tid : 1 = false;  // the message's own TID: key_id:seq
    bool has_request_tid : 1 = false;
    bool signed_content_known : 1 = false;  // JwsDetails::signed_content_known
    // A response's content ends with its request's TID (isi "01"/"11").
    bool content_binds_request_tid : 1 = false;
    bool has_error : 1 = false;
    bool has_copy : 1 = false;
    // The first message of the capture left unverified because no key is
    // configured: it carries the note that nothing could be verified.
    bool no_keys_note : 1 = false;
    bool has_verifying_key : 1 = false;
    // Its seq entered its receiver's replay window (window_accepted_seq()).
    bool window_accepted : 1 = false;

    // Whether there is anything to show besides an error: a message without
    // JWS, findings or a request TID leaves the tree alone.
    bool about_jws() const { return jws != JwsStage::none || finding_count > 0 || has_request_tid; }
};

}  // namespace coapjws::plugin
