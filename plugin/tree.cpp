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

proto_item* add_string(proto_tree* tree, int hf, const Range& r, const std::string& value) {
    return proto_tree_add_string(tree, hf, r.tvb, r.start, r.length, value.c_str());
}

proto_item* add_generated_string(proto_tree* tree, int hf, const std::string& value) {
    proto_item* item = proto_tree_add_string(tree, hf, nullptr, 0, 0, value.c_str());
    proto_item_set_generated(item);
    return item;
}

proto_item* add_generated_frame(proto_tree* tree, int hf, guint32 frame) {
    proto_item* item = proto_tree_add_uint(tree, hf, nullptr, 0, 0, frame);
    proto_item_set_generated(item);
    return item;
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

void show_header(proto_tree* tree, const StoredMessage& m, const Range& option) {
    const JwsDetails& jws = *m.report.jws;
    if (!jws.header_decoded)
        return;
    proto_item* header_item = add_string(tree, fields.header, option, m.header_json);
    if (!jws.header)
        return;
    proto_tree* header_tree = proto_item_add_subtree(header_item, fields.ett_header);
    const JoseHeader& h = *jws.header;
    add_string(header_tree, fields.alg, option, m.alg);
    if (h.kid)
        add_string(header_tree, fields.kid, option, m.kid);
    if (h.x5t_s256)
        add_string(header_tree, fields.x5t_s256, option, m.x5t_s256);
    if (h.x5t)
        add_string(header_tree, fields.x5t, option, m.x5t);
    if (h.seq)
        proto_tree_add_uint(header_tree, fields.seq, option.tvb, option.start, option.length,
                            *h.seq);
    if (h.isi)
        add_string(header_tree, fields.isi, option, m.isi);
    for (const std::string& name : m.crit)
        add_string(header_tree, fields.crit, option, name);
}

void show_findings(proto_tree* tree, packet_info* pinfo, const StoredMessage& m, const Range& r) {
    const std::vector<Finding>& findings = m.report.findings;
    if (findings.empty())
        return;
    proto_tree* list =
        proto_tree_add_subtree_format(tree, r.tvb, r.start, r.length, fields.ett_findings, nullptr,
                                      "Findings (%u)", static_cast<guint>(findings.size()));
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Finding& finding = findings[i];
        const std::string& message = m.finding_messages[i];
        // The value is the bare id (coapjws.finding == "replay"); the label adds the severity.
        proto_item* item = proto_tree_add_string_format_value(
            list, fields.finding, r.tvb, r.start, r.length, label_of(finding.id).name, "%s (%s)",
            label_of(finding.id).name, severity_label(finding.severity()));
        proto_tree* finding_tree = proto_item_add_subtree(item, fields.ett_finding);
        add_generated_string(finding_tree, fields.finding_message, message);
        if (finding.related_frame) {
            add_generated_frame(finding_tree, fields.finding_related, *finding.related_frame);
        }
        expert_add_info_format(pinfo, item,
                               &fields.ei_finding[static_cast<std::size_t>(finding.id)], "%s",
                               message.c_str());
    }
}

}  // namespace

void show_message(proto_tree* tree, packet_info* pinfo, const StoredMessage& m, Placement place,
                  guint option_number) {
    const MessageReport& report = m.report;
    const Range message_range = range_in(place, 0, static_cast<std::size_t>(place.coap_length));

    if (!m.error.empty()) {
        proto_item* item = proto_tree_add_item(tree, fields.proto, message_range.tvb,
                                               message_range.start, message_range.length, ENC_NA);
        proto_tree* sub = proto_item_add_subtree(item, fields.ett_main);
        proto_item* error = add_generated_string(sub, fields.error, m.error);
        expert_add_info_format(pinfo, error, &fields.ei_internal_error, "%s", m.error.c_str());
        return;
    }
    // Nothing about JWS in this message: leave the tree alone.
    if (!report.jws && report.findings.empty() && !report.request_tid)
        return;

    const Range option = report.jws
                             ? range_in(place, report.jws->option_offset, report.jws->option_length)
                             : message_range;
    proto_item* root =
        proto_tree_add_item(tree, fields.proto, option.tvb, option.start, option.length, ENC_NA);
    if (!m.info.empty())
        proto_item_append_text(root, ": %s", m.info.c_str() + 4);  // after "JWS "
    proto_tree* sub = proto_item_add_subtree(root, fields.ett_main);

    if (report.signature != SignatureStatus::none) {
        proto_item* status =
            proto_tree_add_string(sub, fields.status, nullptr, 0, 0, status_text(report.signature));
        proto_item_set_generated(status);
    }
    if (!m.key_id.empty())
        add_generated_string(sub, fields.key_id, m.key_id);
    if (report.tid)
        add_generated_string(sub, fields.tid, m.tid);
    if (report.request_tid)
        add_generated_string(sub, fields.request_tid, m.request_tid);
    if (report.request_frame)
        add_generated_frame(sub, fields.request_in, *report.request_frame);
    if (report.replay_of)
        add_generated_frame(sub, fields.replay_of, *report.replay_of);
    if (report.retransmission_of) {
        add_generated_frame(sub, fields.retransmission_of, *report.retransmission_of);
    }

    if (report.jws) {
        const JwsDetails& jws = *report.jws;
        proto_item* number =
            proto_tree_add_uint(sub, fields.option_number, nullptr, 0, 0, option_number);
        proto_item_set_generated(number);
        if (option.known) {
            proto_tree_add_item(sub, fields.option, option.tvb, option.start, option.length,
                                ENC_ASCII | ENC_NA);
        }
        show_header(sub, m, option);
        if (!jws.signature.empty()) {
            proto_tree_add_bytes_with_length(sub, fields.signature, option.tvb, option.start,
                                             option.length, jws.signature.data(),
                                             static_cast<gint>(jws.signature.size()));
        }
        if (!jws.signed_content.empty()) {
            proto_item* content = proto_tree_add_bytes_with_length(
                sub, fields.signed_content, nullptr, 0, 0, jws.signed_content.data(),
                static_cast<gint>(jws.signed_content.size()));
            proto_item_set_generated(content);
        }
    }
    show_findings(sub, pinfo, m, option);

    if (!m.info.empty())
        col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", m.info.c_str());
}

void show_truncated(proto_tree* tree, packet_info* pinfo, Placement place) {
    proto_item* item = proto_tree_add_item(tree, fields.proto, place.tvb, place.coap_offset,
                                           place.coap_length, ENC_NA);
    expert_add_info(pinfo, item, &fields.ei_truncated);
}

void show_incomplete(proto_tree* tree, packet_info* pinfo, Placement place) {
    proto_item* item = proto_tree_add_item(tree, fields.proto, place.tvb, place.coap_offset,
                                           place.coap_length, ENC_NA);
    expert_add_info(pinfo, item, &fields.ei_incomplete);
}

}  // namespace coapjws::plugin
