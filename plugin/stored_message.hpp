// What the first pass keeps of one analysed CoAP message: the engine's
// verdict, which later passes cannot recompute (they must not feed the
// Session again), in about 80 bytes. Everything that follows from the
// message's bytes alone (the JOSE header, the signature, the signed content)
// is not kept: it is derived again when shown (coapjws/jws_parts.hpp).
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
    std::uint32_t tid_seq = 0;        // of the message's TID (key_id:tid_seq), when has_tid
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
    // The report's JwsDetails, when has_jws (with the offsets above).
    JwsStage jws_stage = JwsStage::option;
    SignedContentScope signed_content = SignedContentScope::unknown;
    bool has_jws : 1 = false;  // a JWS option was read
    bool has_key_id : 1 = false;
    bool has_seq : 1 = false;
    // The message's own TID: the report's key identifier (a TID's key
    // identifier is the report's key_id) and tid_seq.
    bool has_tid : 1 = false;
    bool has_request_tid : 1 = false;
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
    bool about_jws() const { return has_jws || finding_count > 0 || has_request_tid; }
    // Whether a JWS option was read at least as far as `stage`.
    bool jws_reached(JwsStage stage) const { return has_jws && jws_stage >= stage; }
    // The report's JwsDetails, for derive_jws_parts().
    JwsDetails jws_details() const {
        JwsDetails jws;
        jws.option_offset = option_offset;
        jws.option_length = option_length;
        jws.stage = jws_stage;
        if (has_seq)
            jws.seq = seq;
        jws.signed_content = signed_content;
        return jws;
    }
};

}  // namespace coapjws::plugin
