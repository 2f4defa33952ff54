#include "fields.hpp"

#include "finding_table.hpp"

namespace coapjws::plugin {

Fields fields;

namespace {

int group_of(FindingId id) {
    return id == FindingId::malformed ? PI_MALFORMED : PI_SECURITY;
}

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
        {&fields.option_number, {"Option number", "coapjws.option_number", FT_UINT16, BASE_DEC,
            nullptr, 0x0, "The CoAP option number the JWS option is read from", HFILL}},
        {&fields.header, {"JOSE header", "coapjws.header", FT_STRING, BASE_NONE, nullptr, 0x0,
            "The decoded JOSE header (JSON text)", HFILL}},
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
            "The decoded JWS signature", HFILL}},
        {&fields.signed_content, {"Signed content", "coapjws.signed_content", FT_BYTES,
            BASE_NONE, nullptr, 0x0,
            "The detached JWS payload built from the message (CODE, OPTION, PAYLOAD, "
            "REQUEST-TID items)", HFILL}},
        {&fields.key_id, {"Key identifier", "coapjws.key_id", FT_STRING, BASE_NONE, nullptr,
            0x0, "kid, else x5t#S256, else x5t", HFILL}},
        {&fields.tid, {"TID", "coapjws.tid", FT_STRING, BASE_NONE, nullptr, 0x0,
            "The message's own transaction ID, KEYID:SEQ", HFILL}},
        {&fields.request_tid, {"Request TID", "coapjws.request_tid", FT_STRING, BASE_NONE,
            nullptr, 0x0, "The TID of the request this response answers", HFILL}},
        {&fields.request_in, {"Request in", "coapjws.request_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The frame of the request answered",
            HFILL}},
        {&fields.status, {"Signature status", "coapjws.signature.status", FT_STRING, BASE_NONE,
            nullptr, 0x0, "valid, invalid or unverified", HFILL}},
        {&fields.replay_of, {"Replay of", "coapjws.replay_of", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_DUP_ACK), 0x0,
            "The frame whose sequence number this message repeats", HFILL}},
        {&fields.retransmission_of, {"Retransmission of", "coapjws.retransmission_of",
            FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RETRANS_PREV), 0x0,
            "The first copy of this CoAP message", HFILL}},
        {&fields.finding, {"Finding", "coapjws.finding", FT_STRING, BASE_NONE, nullptr, 0x0,
            "A finding of the wire profile (malformed, replay, ...)", HFILL}},
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

    static int* ett[] = {&fields.ett_main, &fields.ett_header, &fields.ett_findings,
                         &fields.ett_finding};
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
               {"coapjws.expert.internal_error", PI_UNDECODED, PI_WARN,
                "The plugin could not analyse this message", EXPFILL}};
    ei[n++] = {&fields.ei_truncated,
               {"coapjws.expert.truncated", PI_UNDECODED, PI_NOTE,
                "CoAP message cut short by the capture: not analysed", EXPFILL}};
    ei[n++] = {&fields.ei_incomplete,
               {"coapjws.expert.incomplete", PI_UNDECODED, PI_NOTE,
                "CoAP-over-TCP message continued in a segment that Wireshark does not join "
                "to this one: not analysed",
                EXPFILL}};
    ei[n++] = {&fields.ei_no_keys,
               {"coapjws.expert.no_keys", PI_SECURITY, PI_NOTE,
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
