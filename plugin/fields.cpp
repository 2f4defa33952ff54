#include "fields.hpp"

#include <cstdio>
#include <cstring>

#include "coapjws/signed_content.hpp"
#include "finding_table.hpp"

namespace coapjws::plugin {

Fields fields;

namespace {

int group_of(FindingId id) {
    switch (label_of(id).group) {
        case ExpertGroup::malformed:
            return PI_MALFORMED;
        case ExpertGroup::security:
            return PI_SECURITY;
        case ExpertGroup::undecoded:
            return PI_UNDECODED;
        case ExpertGroup::protocol:
            return PI_PROTOCOL;
        case ExpertGroup::response_code:
            return PI_RESPONSE_CODE;
        case ExpertGroup::sequence:
            return PI_SEQUENCE;
    }
    return PI_SECURITY;
}

}  // namespace

void format_coap_code(gchar* label, guint32 code) {
    static const struct {
        guint8 code;
        const char* name;
    } names[] = {
        {0x00, "Empty"},
        {0x01, "GET"},
        {0x02, "POST"},
        {0x03, "PUT"},
        {0x04, "DELETE"},
        {0x05, "FETCH"},
        {0x06, "PATCH"},
        {0x07, "iPATCH"},
        {0x41, "Created"},
        {0x42, "Deleted"},
        {0x43, "Valid"},
        {0x44, "Changed"},
        {0x45, "Content"},
        {0x5f, "Continue"},
        {0x80, "Bad Request"},
        {0x81, "Unauthorized"},
        {0x82, "Bad Option"},
        {0x83, "Forbidden"},
        {0x84, "Not Found"},
        {0x85, "Method Not Allowed"},
        {0x86, "Not Acceptable"},
        {0x88, "Request Entity Incomplete"},
        {0x89, "Conflict"},
        {0x8c, "Precondition Failed"},
        {0x8d, "Request Entity Too Large"},
        {0x8f, "Unsupported Content-Format"},
        {0x96, "Unprocessable Entity"},
        {0x9d, "Too Many Requests"},
        {0xa0, "Internal Server Error"},
        {0xa1, "Not Implemented"},
        {0xa2, "Bad Gateway"},
        {0xa3, "Service Unavailable"},
        {0xa4, "Gateway Timeout"},
        {0xa5, "Proxying Not Supported"},
        {0xa8, "Hop Limit Reached"},
    };
    const char* name = "";
    for (const auto& entry : names) {
        if (entry.code == code) {
            name = entry.name;
            break;
        }
    }
    if (code > 0xff) {  // not a Code (one byte); never from the dissector
        snprintf(label, ITEM_LABEL_LENGTH, "%u.%02u%s%s", code >> 5, code & 0x1f, *name ? " " : "",
                 name);
        return;
    }
    // "c.dd" written by hand: every shown signed content formats its Code
    // (twice under -V), and snprintf was most of that item's cost.
    const guint32 detail = code & 0x1f;
    gchar* out = label;
    *out++ = static_cast<gchar>('0' + (code >> 5));
    *out++ = '.';
    *out++ = static_cast<gchar>('0' + detail / 10);
    *out++ = static_cast<gchar>('0' + detail % 10);
    if (*name) {
        *out++ = ' ';
        const std::size_t length = std::strlen(name);  // the longest name fits many times over
        std::memcpy(out, name, length);
        out += length;
    }
    *out = '\0';
}

namespace {

const value_string signed_item_types[] = {
    {item::code, "CODE"},
    {item::option, "OPTION"},
    {item::payload, "PAYLOAD"},
    {item::request_tid, "REQUEST-TID"},
    {0, nullptr},
};

int severity_of_finding(FindingId id) {
    switch (severity_of(id)) {
        case Severity::error:
            return PI_ERROR;
        case Severity::warning:
            return PI_WARN;
        case Severity::info:
            return PI_NOTE;
    }
    return PI_ERROR;
}

void register_header_fields(int proto) {
    // clang-format off
    static hf_register_info hf[] = {
        {&fields.option, {"JWS option", "coapjws.option", FT_STRING, BASE_NONE, nullptr, 0x0,
            "The option value as sent: B64U(header)..B64U(signature)", HFILL}},
        {&fields.option_header_b64, {"Header (base64url)", "coapjws.option.header", FT_STRING,
            BASE_NONE, nullptr, 0x0, "The first part of the option value: the encoded JOSE header",
            HFILL}},
        {&fields.option_signature_b64, {"Signature (base64url)", "coapjws.option.signature",
            FT_STRING, BASE_NONE, nullptr, 0x0,
            "The third part of the option value: the encoded signature", HFILL}},
        {&fields.option_number, {"Option number", "coapjws.option_number", FT_UINT16, BASE_DEC,
            nullptr, 0x0, "The CoAP option number the JWS option is read from", HFILL}},
        {&fields.header, {"JOSE header", "coapjws.header", FT_STRING, BASE_NONE, nullptr, 0x0,
            "The decoded JOSE header (JSON text), shown in the Decoded JOSE header tab", HFILL}},
        {&fields.alg, {"Algorithm", "coapjws.alg", FT_STRING, BASE_NONE, nullptr, 0x0,
            "JOSE header alg", HFILL}},
        {&fields.kid, {"Key ID", "coapjws.kid", FT_STRING, BASE_NONE, nullptr, 0x0,
            "JOSE header kid", HFILL}},
        {&fields.x5t, {"X.509 SHA-1 thumbprint", "coapjws.x5t", FT_STRING, BASE_NONE, nullptr,
            0x0, "JOSE header x5t", HFILL}},
        {&fields.x5t_s256, {"X.509 SHA-256 thumbprint", "coapjws.x5t_s256", FT_STRING,
            BASE_NONE, nullptr, 0x0, "JOSE header x5t#S256", HFILL}},
        {&fields.seq, {"Sequence number", "coapjws.seq", FT_UINT32, BASE_DEC, nullptr, 0x0,
            "JOSE header seq", HFILL}},
        {&fields.isi, {"Integrity scope indication", "coapjws.isi", FT_STRING, BASE_NONE,
            nullptr, 0x0, "JOSE header isi", HFILL}},
        {&fields.crit, {"Critical member", "coapjws.crit", FT_STRING, BASE_NONE, nullptr, 0x0,
            "A name listed in the JOSE header crit", HFILL}},
        {&fields.signature, {"Signature", "coapjws.signature", FT_BYTES, BASE_NONE, nullptr, 0x0,
            "The decoded JWS signature, shown in the Decoded JWS signature tab", HFILL}},
        {&fields.signed_content, {"Signed content", "coapjws.signed_content", FT_BYTES,
            BASE_NONE, nullptr, 0x0,
            "The detached JWS payload built from the message (CODE, OPTION, PAYLOAD, "
            "REQUEST-TID items), shown in the Signed content tab", HFILL}},
        {&fields.signed_item, {"Item", "coapjws.signed.item", FT_UINT8, BASE_DEC,
            VALS(signed_item_types), 0x0, "One type-length-value item of the signed content",
            HFILL}},
        {&fields.signed_item_length, {"Length", "coapjws.signed.length", FT_UINT32, BASE_DEC,
            nullptr, 0x0, "The item value's length", HFILL}},
        {&fields.signed_code, {"Code", "coapjws.signed.code", FT_UINT8, BASE_CUSTOM,
            CF_FUNC(format_coap_code), 0x0, "The CoAP Code the signature covers", HFILL}},
        {&fields.signed_option_number, {"Option number", "coapjws.signed.option_number",
            FT_UINT16, BASE_DEC, nullptr, 0x0, "A CoAP option the signature covers", HFILL}},
        {&fields.signed_option_value, {"Option value", "coapjws.signed.option_value", FT_BYTES,
            BASE_SHOW_ASCII_PRINTABLE, nullptr, 0x0, "That option's value", HFILL}},
        {&fields.signed_payload, {"Payload", "coapjws.signed.payload", FT_BYTES,
            BASE_SHOW_ASCII_PRINTABLE, nullptr, 0x0, "The CoAP payload the signature covers",
            HFILL}},
        {&fields.signed_request_seq, {"Request seq", "coapjws.signed.request_seq", FT_UINT32,
            BASE_DEC, nullptr, 0x0, "The seq of the request TID a response binds", HFILL}},
        {&fields.signed_request_key_id, {"Request key identifier",
            "coapjws.signed.request_key_id", FT_STRING, BASE_NONE, nullptr, 0x0,
            "The key identifier of the request TID a response binds", HFILL}},
        {&fields.key_id, {"Key identifier", "coapjws.key_id", FT_STRING, BASE_NONE, nullptr,
            0x0, "kid, else x5t#S256, else x5t", HFILL}},
        {&fields.tid, {"TID", "coapjws.tid", FT_STRING, BASE_NONE, nullptr, 0x0,
            "The message's own transaction ID, KEYID:SEQ", HFILL}},
        {&fields.request_tid, {"Request TID", "coapjws.request_tid", FT_STRING, BASE_NONE,
            nullptr, 0x0, "The TID of the request this response answers", HFILL}},
        {&fields.request_in, {"Request in", "coapjws.request_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The frame of the request answered",
            HFILL}},
        {&fields.response_in, {"Response in", "coapjws.response_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
            "A frame with a response bound to this request", HFILL}},
        {&fields.response_count, {"Responses", "coapjws.response_count", FT_UINT32, BASE_DEC,
            nullptr, 0x0, "How many responses are bound to this request", HFILL}},
        {&fields.status, {"Signature status", "coapjws.signature.status", FT_STRING, BASE_NONE,
            nullptr, 0x0, "valid, invalid or unverified", HFILL}},
        {&fields.key, {"Verifying key", "coapjws.key", FT_NONE, BASE_NONE, nullptr, 0x0,
            "The configured key the signature verified with", HFILL}},
        {&fields.key_source, {"Configured in", "coapjws.key.source", FT_STRING, BASE_NONE,
            nullptr, 0x0, "The keys file or Keys table row the key came from", HFILL}},
        {&fields.key_index, {"Index in the JWK Set", "coapjws.key.index", FT_UINT32, BASE_DEC,
            nullptr, 0x0, "The key's position in the keys file's \"keys\" array, from 0", HFILL}},
        {&fields.key_kid, {"Key ID", "coapjws.key.kid", FT_STRING, BASE_NONE, nullptr, 0x0,
            "The key's kid", HFILL}},
        {&fields.key_thumbprint, {"JWK thumbprint", "coapjws.key.thumbprint", FT_STRING,
            BASE_NONE, nullptr, 0x0,
            "RFC 7638 SHA-256 thumbprint of the public key (none for a shared secret)", HFILL}},
        {&fields.replay_of, {"Replay of", "coapjws.replay_of", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RETRANS_PREV), 0x0,
            "The frame whose sequence number (or request binding) this message repeats", HFILL}},
        {&fields.retransmission_of, {"Retransmission of", "coapjws.retransmission_of",
            FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RETRANS_PREV), 0x0,
            "The first copy of this CoAP message", HFILL}},
        {&fields.finding, {"Finding", "coapjws.finding", FT_STRING, BASE_NONE, nullptr, 0x0,
            "A finding of the wire profile (malformed, replay, ...)", HFILL}},
        {&fields.finding_severity, {"Severity", "coapjws.finding.severity", FT_STRING,
            BASE_NONE, nullptr, 0x0, "error, warning or info", HFILL}},
        {&fields.finding_message, {"Message", "coapjws.finding.message", FT_STRING, BASE_NONE,
            nullptr, 0x0, "What the finding is about", HFILL}},
        {&fields.finding_related, {"Related frame", "coapjws.finding.related_frame",
            FT_FRAMENUM, BASE_NONE, nullptr, 0x0, "The frame the finding refers to", HFILL}},
        {&fields.removed_frame, {"Related frame not in this view", "coapjws.removed_frame",
            FT_UINT32, BASE_DEC, nullptr, 0x0,
            "A frame a verdict refers to that the read filter removed, numbered as in the "
            "capture file (and in the finding texts)", HFILL}},
        {&fields.error, {"Analysis error", "coapjws.error", FT_STRING, BASE_NONE, nullptr, 0x0,
            "The plugin could not analyse this message", HFILL}},
    };
    // clang-format on
    proto_register_field_array(proto, hf, array_length(hf));

    static int* ett[] = {&fields.ett_main,           &fields.ett_option,      &fields.ett_header,
                         &fields.ett_signed_content, &fields.ett_signed_item, &fields.ett_key,
                         &fields.ett_findings,       &fields.ett_finding};
    proto_register_subtree_array(ett, array_length(ett));
}

void register_expert_infos(int proto) {
    // One per finding, then the plugin's own. Wireshark keeps pointers to
    // these, so the array is static.
    static ei_register_info ei[finding_count + 5];  // the findings and the five notes below
    std::size_t n = 0;
    for (const FindingLabel& label : finding_labels) {
        ei[n++] = {&fields.ei_finding[static_cast<std::size_t>(label.id)],
                   {label.expert_name, group_of(label.id), severity_of_finding(label.id),
                    label.summary, EXPFILL}};
    }
    ei[n++] = {&fields.ei_internal_error,
               {"coapjws.expert.internal_error", PI_MALFORMED, PI_ERROR,
                "The plugin could not analyse this message (a bug: please report it)", EXPFILL}};
    ei[n++] = {&fields.ei_truncated,
               {"coapjws.expert.truncated", PI_UNDECODED, PI_NOTE,
                "CoAP message cut short by the capture: not analysed", EXPFILL}};
    ei[n++] = {&fields.ei_incomplete,
               {"coapjws.expert.incomplete", PI_REASSEMBLE, PI_NOTE,
                "CoAP-over-TCP message continued in a segment that Wireshark does not join "
                "to this one: not analysed",
                EXPFILL}};
    ei[n++] = {&fields.ei_no_keys,
               {"coapjws.expert.no_keys", PI_UNDECODED, PI_NOTE,
                "No keys configured: signed messages are not verified (set the CoAP-JWS keys "
                "file or Keys table in the preferences)",
                EXPFILL}};
    ei[n++] = {&fields.ei_not_analysed,
               {"coapjws.expert.not_analysed", PI_UNDECODED, PI_WARN,
                "CoAP not analysed: the frame was first dissected without CoAP's fields, as "
                "with a read filter in Wireshark's GUI before 4.6; open the file without one "
                "and use a display filter (or tshark -2 -R)",
                EXPFILL}};

    expert_module_t* module = expert_register_protocol(proto);
    expert_register_field_array(module, ei, static_cast<int>(n));
}

}  // namespace

int register_fields() {
    for (expert_field& ei : fields.ei_finding)
        ei = EI_INIT;
    fields.ei_internal_error = EI_INIT;
    fields.ei_truncated = EI_INIT;
    fields.ei_incomplete = EI_INIT;
    fields.ei_no_keys = EI_INIT;
    fields.ei_not_analysed = EI_INIT;

    fields.proto = proto_register_protocol("CoAP JSON Web Signature", "CoAP-JWS", "coapjws");
    register_header_fields(fields.proto);
    register_expert_infos(fields.proto);
    return fields.proto;
}

}  // namespace coapjws::plugin
