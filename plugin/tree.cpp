#include "tree.hpp"

#include "fields.hpp"
#include "finding_table.hpp"

namespace coapjws::plugin {

namespace {

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

void show_header(proto_tree* tree, const ShownMessage& m, const Range& option) {
    if (!m.header_json)
        return;
    proto_item* header_item = add_string(tree, fields.header, option, m.header_json);
    if (!m.header_parsed)
        return;
    proto_tree* header_tree = proto_item_add_subtree(header_item, fields.ett_header);
    add_string(header_tree, fields.alg, option, m.alg);
    if (m.kid)
        add_string(header_tree, fields.kid, option, m.kid);
    if (m.x5t_s256)
        add_string(header_tree, fields.x5t_s256, option, m.x5t_s256);
    if (m.x5t)
        add_string(header_tree, fields.x5t, option, m.x5t);
    if (m.stored->has_seq)
        proto_tree_add_uint(header_tree, fields.seq, option.tvb, option.start, option.length,
                            m.stored->seq);
    if (m.isi)
        add_string(header_tree, fields.isi, option, m.isi);
    for (guint i = 0; i < m.crit_count; ++i)
        add_string(header_tree, fields.crit, option, m.crit[i]);
}

void show_findings(proto_tree* tree, packet_info* pinfo, const ShownMessage& m, const Range& r) {
    if (m.finding_count == 0)
        return;
    proto_tree* list =
        proto_tree_add_subtree_format(tree, r.tvb, r.start, r.length, fields.ett_findings, nullptr,
                                      "Findings (%u)", m.finding_count);
    for (guint i = 0; i < m.finding_count; ++i) {
        const ShownFinding& finding = m.findings[i];
        // The value is the bare id (coapjws.finding == "replay"); the label adds the severity.
        proto_item* item = proto_tree_add_string_format_value(
            list, fields.finding, r.tvb, r.start, r.length, label_of(finding.id).name, "%s (%s)",
            label_of(finding.id).name, severity_label(severity_of(finding.id)));
        proto_tree* finding_tree = proto_item_add_subtree(item, fields.ett_finding);
        add_generated_string(finding_tree, fields.finding_message, finding.message);
        add_related_frame(finding_tree, fields.finding_related, finding.related);
        expert_add_info_format(pinfo, item,
                               &fields.ei_finding[static_cast<std::size_t>(finding.id)], "%s",
                               finding.message);
    }
}

}  // namespace

void show_message(proto_tree* tree, packet_info* pinfo, const ShownMessage& m, Placement place,
                  guint option_number) {
    const StoredMessage& stored = *m.stored;
    const Range message_range = range_in(place, 0, static_cast<std::size_t>(place.coap_length));

    if (m.error) {
        proto_item* item = proto_tree_add_item(tree, fields.proto, message_range.tvb,
                                               message_range.start, message_range.length, ENC_NA);
        proto_tree* sub = proto_item_add_subtree(item, fields.ett_main);
        proto_item* error = add_generated_string(sub, fields.error, m.error);
        expert_add_info_format(pinfo, error, &fields.ei_internal_error, "%s", m.error);
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

    if (stored.signature != SignatureStatus::none) {
        proto_item* status =
            proto_tree_add_string(sub, fields.status, nullptr, 0, 0, status_text(stored.signature));
        proto_item_set_generated(status);
    }
    if (m.key_id && m.key_id[0] != '\0')
        add_generated_string(sub, fields.key_id, m.key_id);
    if (m.tid)
        add_generated_string(sub, fields.tid, m.tid);
    if (m.request_tid)
        add_generated_string(sub, fields.request_tid, m.request_tid);
    add_related_frame(sub, fields.request_in, m.request_in);
    add_related_frame(sub, fields.replay_of, m.replay_of);
    add_related_frame(sub, fields.retransmission_of, m.retransmission_of);

    if (has_jws) {
        proto_item* number =
            proto_tree_add_uint(sub, fields.option_number, nullptr, 0, 0, option_number);
        proto_item_set_generated(number);
        if (option.known) {
            proto_tree_add_item(sub, fields.option, option.tvb, option.start, option.length,
                                ENC_ASCII | ENC_NA);
        }
        show_header(sub, m, option);
        if (m.signature) {
            proto_tree_add_bytes_with_length(sub, fields.signature, option.tvb, option.start,
                                             option.length, m.signature,
                                             static_cast<gint>(m.signature_length));
        }
        if (m.signed_content) {
            proto_item* content = proto_tree_add_bytes_with_length(
                sub, fields.signed_content, nullptr, 0, 0, m.signed_content,
                static_cast<gint>(m.signed_content_length));
            proto_item_set_generated(content);
        }
    }
    show_findings(sub, pinfo, m, option);
    // The first message that needed a key when none is configured says,
    // once for the capture, why nothing is verified.
    if (stored.no_keys_note)
        expert_add_info(pinfo, root, &fields.ei_no_keys);

    if (has_info)
        col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", m.info);
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
