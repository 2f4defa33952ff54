#include "tree.hpp"

#include "coapjws/option_set.hpp"
#include "fields.hpp"
#include "finding_table.hpp"

namespace coapjws::plugin {

namespace {

// Wireshark's JSON dissector, for the header's full structure (handoff).
dissector_handle_t json_handle = nullptr;

// Range of `length` bytes at `offset` within the CoAP message, or an empty
// range when the bytes are not known (or the offsets do not fit, which would
// make Wireshark throw).
struct Range {
    tvbuff_t* tvb;
    gint start;
    gint length;
    bool known;
};

Range range_in(const Placement& place, std::size_t offset, std::size_t length) {
    if (!place.known || offset > static_cast<std::size_t>(place.coap_length) ||
        length > static_cast<std::size_t>(place.coap_length) - offset) {
        return {place.tvb, 0, 0, false};
    }
    return {place.tvb, place.coap_offset + static_cast<gint>(offset), static_cast<gint>(length),
            true};
}

// A data source of its own (a tab in the bytes pane) for bytes the plugin
// made: they live in pinfo->pool, as long as the packet's tvbs.
tvbuff_t* new_source(packet_info* pinfo, tvbuff_t* parent, const guint8* bytes, guint length,
                     const char* name) {
    tvbuff_t* tvb = tvb_new_child_real_data(parent, bytes, length, static_cast<gint>(length));
    add_new_data_source(pinfo, tvb, name);
    return tvb;
}

proto_item* add_string(proto_tree* tree, int hf, const Range& r, const char* value) {
    return proto_tree_add_string(tree, hf, r.tvb, r.start, r.length, value);
}

proto_item* add_generated_string(proto_tree* tree, int hf, const char* value) {
    proto_item* item = proto_tree_add_string(tree, hf, nullptr, 0, 0, value);
    proto_item_set_generated(item);
    return item;
}

proto_item* add_generated_frame(proto_tree* tree, int hf, guint32 frame) {
    proto_item* item = proto_tree_add_uint(tree, hf, nullptr, 0, 0, frame);
    proto_item_set_generated(item);
    return item;
}

// A frame a verdict refers to: its number in this view, or, when a read
// filter removed it, its number in the capture file (which the finding texts
// use) under coapjws.removed_frame.
void add_related_frame(proto_tree* tree, int hf, const ShownFrameRef& frame) {
    if (frame.in_file == 0)
        return;
    if (frame.shown != 0) {
        add_generated_frame(tree, hf, frame.shown);
        return;
    }
    proto_item* item = proto_tree_add_uint_format_value(
        tree, fields.removed_frame, nullptr, 0, 0, frame.in_file,
        "frame %u of the capture file (removed by the read filter)", frame.in_file);
    proto_item_set_generated(item);
}

const char* status_text(SignatureStatus status) {
    switch (status) {
        case SignatureStatus::valid:
            return "valid";
        case SignatureStatus::invalid:
            return "invalid";
        case SignatureStatus::unverified:
            return "unverified";
        case SignatureStatus::none:
            break;
    }
    return "none";
}

const char* severity_label(Severity severity) {
    switch (severity) {
        case Severity::error:
            return "error";
        case Severity::warning:
            return "warning";
        case Severity::info:
            return "info";
    }
    return "error";
}

void show_key(proto_tree* tree, const ShownKey& key) {
    proto_item* item = proto_tree_add_none_format(tree, fields.key, nullptr, 0, 0, "Verifying key");
    proto_item_set_generated(item);
    if (key.has_index)
        proto_item_append_text(item, ": %s key #%u", key.source, key.index);
    else
        proto_item_append_text(item, ": %s", key.source);
    if (key.kid)
        proto_item_append_text(item, ", kid \"%s\"", key.kid);
    proto_tree* sub = proto_item_add_subtree(item, fields.ett_key);
    add_generated_string(sub, fields.key_source, key.source);
    if (key.has_index)
        proto_item_set_generated(
            proto_tree_add_uint(sub, fields.key_index, nullptr, 0, 0, key.index));
    if (key.kid)
        add_generated_string(sub, fields.key_kid, key.kid);
    if (key.thumbprint)
        add_generated_string(sub, fields.key_thumbprint, key.thumbprint);
}

// The option value's two encoded parts, header..signature, on the option's
// bytes.
void show_option(proto_tree* tree, const StoredMessage& stored, const Range& option) {
    if (!option.known)
        return;
    proto_item* item = proto_tree_add_item(tree, fields.option, option.tvb, option.start,
                                           option.length, ENC_ASCII | ENC_NA);
    if (!stored.jws_reached(JwsStage::header_decoded))
        return;  // the value did not split into decodable parts
    const gint end = option.start + option.length;
    const gint dot = wscompat::find_uint8(option.tvb, option.start, option.length, '.');
    if (dot < option.start || dot + 2 > end)
        return;
    proto_tree* sub = proto_item_add_subtree(item, fields.ett_option);
    proto_tree_add_item(sub, fields.option_header_b64, option.tvb, option.start, dot - option.start,
                        ENC_ASCII | ENC_NA);
    proto_tree_add_item(sub, fields.option_signature_b64, option.tvb, dot + 2, end - dot - 2,
                        ENC_ASCII | ENC_NA);
}

// A header member at its value's bytes in the decoded header.
Range member_range(tvbuff_t* header, guint header_length, ShownSpan span) {
    if (span.length == 0 || span.offset > header_length ||
        span.length > header_length - span.offset)
        return {header, 0, 0, false};
    return {header, static_cast<gint>(span.offset), static_cast<gint>(span.length), true};
}

// The decoded header as its own data source, each member pointing at its
// value there. Returns the header's subtree and tvb (for the JSON view,
// added last), or nullptr.
proto_tree* show_header(proto_tree* tree, packet_info* pinfo, const ShownMessage& m,
                        const Range& option, tvbuff_t** header_tvb) {
    *header_tvb = nullptr;
    if (!m.header_json)
        return nullptr;
    proto_item* header_item = nullptr;
    tvbuff_t* header = nullptr;
    if (m.header_bytes && m.header_length > 0) {
        header =
            new_source(pinfo, option.tvb, m.header_bytes, m.header_length, "Decoded JOSE header");
        header_item = proto_tree_add_string(tree, fields.header, header, 0,
                                            static_cast<gint>(m.header_length), m.header_json);
    } else {
        header_item = add_string(tree, fields.header, option, m.header_json);
    }
    if (!m.header_parsed)
        return nullptr;
    proto_tree* header_tree = proto_item_add_subtree(header_item, fields.ett_header);
    const auto at = [&](ShownSpan span) {
        return header ? member_range(header, m.header_length, span) : option;
    };
    add_string(header_tree, fields.alg, at(m.alg_span), m.alg);
    if (m.kid)
        add_string(header_tree, fields.kid, at(m.kid_span), m.kid);
    if (m.x5t_s256)
        add_string(header_tree, fields.x5t_s256, at(m.x5t_s256_span), m.x5t_s256);
    if (m.x5t)
        add_string(header_tree, fields.x5t, at(m.x5t_span), m.x5t);
    if (m.stored->has_seq) {
        const Range r = at(m.seq_span);
        proto_tree_add_uint(header_tree, fields.seq, r.tvb, r.start, r.length, m.stored->seq);
    }
    if (m.isi)
        add_string(header_tree, fields.isi, at(m.isi_span), m.isi);
    for (guint i = 0; i < m.crit_count; ++i)
        add_string(header_tree, fields.crit, at(m.crit_spans[i]), m.crit[i]);
    *header_tvb = header;
    return header_tree;
}

void show_signature(proto_tree* tree, packet_info* pinfo, const ShownMessage& m,
                    const Range& option) {
    if (!m.signature)
        return;
    tvbuff_t* signature =
        new_source(pinfo, option.tvb, m.signature, m.signature_length, "Decoded JWS signature");
    proto_tree_add_item(tree, fields.signature, signature, 0, static_cast<gint>(m.signature_length),
                        ENC_NA);
}

void show_signed_item(proto_tree* tree, tvbuff_t* content, const SignedContentItem& item,
                      const ShownMessage& m) {
    const auto offset = static_cast<gint>(item.offset);
    const auto value = static_cast<gint>(item.value_offset);
    const auto length = static_cast<gint>(item.value_length);
    proto_item* ti = proto_tree_add_uint(tree, fields.signed_item, content, offset,
                                         static_cast<gint>(item.length), item.type);
    proto_tree* sub = proto_item_add_subtree(ti, fields.ett_signed_item);
    proto_tree_add_item(sub, fields.signed_item_length, content, offset + 1, 4, ENC_BIG_ENDIAN);
    switch (item.type) {
        case item::code: {
            if (length < 1)
                break;
            proto_tree_add_item(sub, fields.signed_code, content, value, 1, ENC_BIG_ENDIAN);
            gchar code[ITEM_LABEL_LENGTH];
            format_coap_code(code, wscompat::get_uint8(content, value));
            proto_item_append_text(ti, ", %s", code);
            break;
        }
        case item::option: {
            if (length < 2)
                break;
            const guint16 number = tvb_get_ntohs(content, value);
            const std::string_view name = option_name(number);
            proto_item* n = proto_tree_add_item(sub, fields.signed_option_number, content, value, 2,
                                                ENC_BIG_ENDIAN);
            if (!name.empty()) {
                proto_item_append_text(n, " (%.*s)", static_cast<int>(name.size()), name.data());
                proto_item_append_text(ti, ", %.*s (%u)", static_cast<int>(name.size()),
                                       name.data(), number);
            } else {
                proto_item_append_text(ti, ", option %u", number);
            }
            proto_tree_add_item(sub, fields.signed_option_value, content, value + 2, length - 2,
                                ENC_NA);
            proto_item_append_text(ti, ", %d byte%s", length - 2, length - 2 == 1 ? "" : "s");
            break;
        }
        case item::payload:
            proto_tree_add_item(sub, fields.signed_payload, content, value, length, ENC_NA);
            proto_item_append_text(ti, ", %d byte%s", length, length == 1 ? "" : "s");
            break;
        case item::request_tid:
            if (length < 4)
                break;
            proto_tree_add_item(sub, fields.signed_request_seq, content, value, 4, ENC_BIG_ENDIAN);
            proto_tree_add_item(sub, fields.signed_request_key_id, content, value + 4, length - 4,
                                ENC_UTF_8 | ENC_NA);
            if (m.request_tid)
                proto_item_append_text(ti, ", %s", m.request_tid);
            break;
        default:
            break;
    }
}

// The signed content as its own data source, one subtree per TLV item.
void show_signed_content(proto_tree* tree, packet_info* pinfo, const ShownMessage& m,
                         const Range& option) {
    if (!m.signed_content)
        return;
    tvbuff_t* content =
        new_source(pinfo, option.tvb, m.signed_content, m.signed_content_length, "Signed content");
    proto_item* item = proto_tree_add_item(tree, fields.signed_content, content, 0,
                                           static_cast<gint>(m.signed_content_length), ENC_NA);
    proto_item_set_generated(item);
    proto_item_append_text(item, " (%u item%s)", m.signed_item_count,
                           m.signed_item_count == 1 ? "" : "s");
    proto_tree* sub = proto_item_add_subtree(item, fields.ett_signed_content);
    for (guint i = 0; i < m.signed_item_count; ++i)
        show_signed_item(sub, content, m.signed_items[i], m);
}

void show_findings(proto_tree* tree, packet_info* pinfo, const ShownMessage& m, const Range& r) {
    if (m.finding_count == 0)
        return;
    proto_tree* list =
        proto_tree_add_subtree_format(tree, r.tvb, r.start, r.length, fields.ett_findings, nullptr,
                                      "Findings (%u)", m.finding_count);
    for (guint i = 0; i < m.finding_count; ++i) {
        const ShownFinding& finding = m.findings[i];
        const FindingLabel& label = label_of(finding.id);
        const char* severity = severity_label(severity_of(finding.id));
        // The value is the bare id (coapjws.finding == "replay"); the label adds the severity.
        proto_item* item =
            proto_tree_add_string_format_value(list, fields.finding, r.tvb, r.start, r.length,
                                               label.name, "%s (%s)", label.name, severity);
        proto_tree* finding_tree = proto_item_add_subtree(item, fields.ett_finding);
        add_generated_string(finding_tree, fields.finding_severity, severity);
        add_generated_string(finding_tree, fields.finding_message, finding.message);
        add_related_frame(finding_tree, fields.finding_related, finding.related);
        // A constant summary: Expert Information groups every frame with
        // this finding on one line; the message above has the details.
        expert_add_info(pinfo, item, &fields.ei_finding[static_cast<std::size_t>(finding.id)]);
    }
}

// Wireshark's JSON view of the whole header (members the profile does not
// know, such as typ, included). The JSON dissector writes to the Protocol
// and Info columns, which belong to CoAP's frame: they are locked meanwhile.
void show_header_json(proto_tree* header_tree, packet_info* pinfo, tvbuff_t* header) {
    if (!json_handle || !header_tree || !header)
        return;
    const bool writable = col_get_writable(pinfo->cinfo, -1);
    col_set_writable(pinfo->cinfo, -1, false);
    call_dissector_only(json_handle, header, pinfo, header_tree, nullptr);
    col_set_writable(pinfo->cinfo, -1, writable);
}

}  // namespace

void find_tree_helpers() {
    json_handle = find_dissector("json");
}

void show_message(proto_tree* tree, packet_info* pinfo, const ShownMessage& m, Placement place,
                  guint option_number, bool header_json) {
    const StoredMessage& stored = *m.stored;
    const Range message_range = range_in(place, 0, static_cast<std::size_t>(place.coap_length));

    if (m.error) {
        proto_item* item = proto_tree_add_item(tree, fields.proto, message_range.tvb,
                                               message_range.start, message_range.length, ENC_NA);
        proto_tree* sub = proto_item_add_subtree(item, fields.ett_main);
        proto_item* error = add_generated_string(sub, fields.error, m.error);
        expert_add_info(pinfo, error, &fields.ei_internal_error);
        return;
    }
    // Nothing about JWS in this message: leave the tree alone.
    if (!stored.about_jws())
        return;

    const bool has_jws = stored.has_jws;
    const Range option =
        has_jws ? range_in(place, stored.option_offset, stored.option_length) : message_range;
    proto_item* root =
        proto_tree_add_item(tree, fields.proto, option.tvb, option.start, option.length, ENC_NA);
    const bool has_info = m.info && m.info[0] != '\0';
    if (has_info)
        proto_item_append_text(root, ": %s", m.info + 4);  // after "JWS "
    proto_tree* sub = proto_item_add_subtree(root, fields.ett_main);

    // The verdict first: what a user checks when a signature fails.
    if (stored.signature != SignatureStatus::none) {
        proto_item* status =
            proto_tree_add_string(sub, fields.status, nullptr, 0, 0, status_text(stored.signature));
        proto_item_set_generated(status);
    }
    if (m.key)
        show_key(sub, *m.key);
    if (m.key_id && m.key_id[0] != '\0')
        add_generated_string(sub, fields.key_id, m.key_id);
    if (m.tid)
        add_generated_string(sub, fields.tid, m.tid);
    if (m.request_tid)
        add_generated_string(sub, fields.request_tid, m.request_tid);
    add_related_frame(sub, fields.request_in, m.request_in);
    if (m.responses_total > 0) {
        // A response a read filter removed is counted, not linked: it is no
        // frame the request's verdict rests on.
        for (guint i = 0; i < m.response_count; ++i) {
            if (m.responses[i].shown != 0)
                add_generated_frame(sub, fields.response_in, m.responses[i].shown);
        }
        proto_item* count =
            proto_tree_add_uint(sub, fields.response_count, nullptr, 0, 0, m.responses_total);
        proto_item_set_generated(count);
        if (m.responses_total > m.response_count)
            proto_item_append_text(count, " (the first %u listed)", m.response_count);
    }
    add_related_frame(sub, fields.replay_of, m.replay_of);
    add_related_frame(sub, fields.retransmission_of, m.retransmission_of);

    tvbuff_t* header_tvb = nullptr;
    proto_tree* header_tree = nullptr;
    if (has_jws) {
        proto_item* number =
            proto_tree_add_uint(sub, fields.option_number, nullptr, 0, 0, option_number);
        proto_item_set_generated(number);
        show_option(sub, stored, option);
        header_tree = show_header(sub, pinfo, m, option, &header_tvb);
        show_signature(sub, pinfo, m, option);
        show_signed_content(sub, pinfo, m, option);
    }
    show_findings(sub, pinfo, m, option);
    // The first message that needed a key when none is configured says,
    // once for the capture, why nothing is verified.
    if (stored.no_keys_note)
        expert_add_info(pinfo, root, &fields.ei_no_keys);

    if (has_info)
        col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", m.info);
    // Last: another dissector runs here.
    if (header_json && tree && PTREE_DATA(tree)->visible)
        show_header_json(header_tree, pinfo, header_tvb);
}

void show_truncated(proto_tree* tree, packet_info* pinfo, Placement place) {
    proto_item* item = proto_tree_add_item(tree, fields.proto, place.tvb, place.coap_offset,
                                           place.coap_length, ENC_NA);
    expert_add_info(pinfo, item, &fields.ei_truncated);
}

void show_not_analysed(proto_tree* tree, packet_info* pinfo, tvbuff_t* frame_tvb) {
    proto_item* item = proto_tree_add_item(tree, fields.proto, frame_tvb, 0, 0, ENC_NA);
    proto_item_append_text(item, ": not analysed");
    expert_add_info(pinfo, item, &fields.ei_not_analysed);
    col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", "JWS not analysed");
}

void show_incomplete(proto_tree* tree, packet_info* pinfo, Placement place) {
    proto_item* item = proto_tree_add_item(tree, fields.proto, place.tvb, place.coap_offset,
                                           place.coap_length, ENC_NA);
    expert_add_info(pinfo, item, &fields.ei_incomplete);
}

}  // namespace coapjws::plugin
