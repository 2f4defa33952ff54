// The protocol's header fields (hf), subtrees (ett) and expert infos (ei).
#pragma once

#include <array>

#include "coapjws/finding.hpp"
#include "ws.hpp"

namespace coapjws::plugin {

struct Fields {
    int proto = -1;

    // The JWS option and its JOSE header.
    int option = -1;                // coapjws.option: the option value as sent
    int option_header_b64 = -1;     // its first part (base64url)
    int option_signature_b64 = -1;  // its third part (base64url)
    int option_number = -1;         // coapjws.option_number
    int header = -1;  // coapjws.header: decoded JOSE header (JSON text), in its own data source
    int alg = -1;
    int kid = -1;
    int x5t = -1;
    int x5t_s256 = -1;
    int seq = -1;
    int isi = -1;
    int crit = -1;
    int signature = -1;  // decoded, in its own data source

    // The signed content, in its own data source, item by item.
    int signed_content = -1;
    int signed_item = -1;  // the item's type (CODE, OPTION, PAYLOAD, REQUEST-TID)
    int signed_item_length = -1;
    int signed_code = -1;
    int signed_option_number = -1;
    int signed_option_value = -1;
    int signed_payload = -1;
    int signed_request_seq = -1;
    int signed_request_key_id = -1;

    // The engine's verdicts.
    int key_id = -1;
    int tid = -1;
    int request_tid = -1;
    int request_in = -1;
    int response_in = -1;
    int response_count = -1;
    int status = -1;  // coapjws.signature.status
    int key = -1;     // the key that verified: coapjws.key.*
    int key_source = -1;
    int key_index = -1;
    int key_kid = -1;
    int key_thumbprint = -1;
    int replay_of = -1;
    int retransmission_of = -1;
    int finding = -1;
    int finding_severity = -1;
    int finding_message = -1;
    int finding_related = -1;
    int removed_frame = -1;  // a related frame a read filter removed, numbered as in the file
    int error = -1;

    int ett_main = -1;
    int ett_option = -1;
    int ett_header = -1;
    int ett_signed_content = -1;
    int ett_signed_item = -1;
    int ett_key = -1;
    int ett_findings = -1;
    int ett_finding = -1;

    std::array<expert_field, finding_count> ei_finding{};
    expert_field ei_internal_error{};
    expert_field ei_truncated{};
    expert_field ei_incomplete{};
    expert_field ei_no_keys{};  // once per capture: nothing could be verified
    expert_field ei_not_analysed{};
};

extern Fields fields;

// Registers the protocol, its fields, subtrees and expert infos; returns the
// protocol id.
int register_fields();

// The CoAP Code as RFC 7252 §12.1 writes it, "0.01 GET", "2.05 Content",
// into `label` (ITEM_LABEL_LENGTH bytes): coapjws.signed.code's format.
void format_coap_code(gchar* label, guint32 code);

}  // namespace coapjws::plugin
