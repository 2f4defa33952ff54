#include "dissector.hpp"

#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "address.hpp"
#include "analysis.hpp"
#include "coap_locator.hpp"
#include "fields.hpp"
#include "prefs.hpp"
#include "shown_message.hpp"
#include "tree.hpp"
#include "ws.hpp"

namespace coapjws::plugin {

namespace {

dissector_handle_t handle = nullptr;

Analysis& analysis() {
    static Analysis instance;
    return instance;
}

// ---- C++ side: no Wireshark call that can throw (longjmp) in here ----------

// Runs the engine over the frame's messages. `copies[i]` holds the bytes of
// spans.items[i] (nullptr for a truncated one, which is not analysed).
std::optional<StoredFrame> analyze_frame(const packet_info* pinfo, tvbuff_t* frame_tvb,
                                         const CoapSpans& spans,
                                         const guint8* const* copies) noexcept {
    try {
        std::vector<CapturedMessage> messages;
        const Endpoint src{to_address(pinfo->src), static_cast<std::uint16_t>(pinfo->srcport)};
        const Endpoint dst{to_address(pinfo->dst), static_cast<std::uint16_t>(pinfo->destport)};
        const std::int64_t time_ns =
            static_cast<std::int64_t>(pinfo->abs_ts.secs) * nanoseconds_per_second +
            pinfo->abs_ts.nsecs;
        for (guint i = 0; i < spans.count; ++i) {
            const CoapSpan& span = spans.items[i];
            if (!copies[i])
                continue;
            CapturedMessage m;
            m.packet.frame = pinfo->num;
            m.packet.time_ns = time_ns;
            m.packet.src = src;
            m.packet.dst = dst;
            m.packet.coap = ByteView(copies[i], static_cast<std::size_t>(span.length));
            m.packet.framing = span.framing;
            m.location.in_frame_bytes = span.tvb == frame_tvb;
            m.location.offset = static_cast<std::uint32_t>(span.offset);
            m.location.length = static_cast<std::uint32_t>(span.length);
            messages.push_back(m);
        }
        return analysis().analyze(pinfo->num, messages);
    } catch (...) {
        return std::nullopt;
    }
}

void start_capture() {
    reset_tcp_streams();
    try {
        for (const std::string& problem : analysis().start(current_settings())) {
            report_failure("CoAP-JWS: %s", problem.c_str());
        }
    } catch (const std::exception& e) {
        report_failure("CoAP-JWS: cannot start the analysis: %s", e.what());
    } catch (...) {
        report_failure("CoAP-JWS: cannot start the analysis");
    }
}

void stop_capture() {
    try {
        analysis().stop();
    } catch (...) {
        // Dropping state cannot fail in a way worth reporting.
    }
}

void settings_changed() {
    try {
        analysis().invalidate_keys();
    } catch (...) {
    }
}

// ---- Wireshark side: plain data only ----------------------------------------

// Where a stored message's bytes are on this pass.
Placement placement_of(const StoredMessage& m, const CoapSpan* span, tvbuff_t* frame_tvb) {
    if (span) {
        return {span->tvb, span->offset, span->length, true};
    }
    const MessageLocation& l = m.location;
    if (l.in_frame_bytes && l.offset + l.length <= tvb_captured_length(frame_tvb)) {
        return {frame_tvb, static_cast<gint>(l.offset), static_cast<gint>(l.length), true};
    }
    // Decrypted or reassembled bytes of a pass that did not rebuild them.
    return {frame_tvb, 0, 0, false};
}

// What this pass shows, so that nothing else is derived: tshark -T fields
// asks for a few fields and has no visible tree (proto_field_is_referenced()
// is true for every field of a visible tree, and for a field a filter,
// column or -e names).
WantedTexts wanted_texts(proto_tree* tree, packet_info* pinfo) {
    WantedTexts wanted;
    const bool visible = tree && PTREE_DATA(tree)->visible;
    wanted.info = visible || pinfo->cinfo != nullptr;
    wanted.tid = proto_field_is_referenced(tree, fields.tid);
    wanted.request_tid = proto_field_is_referenced(tree, fields.request_tid);
    for (int hf : {fields.header, fields.alg, fields.kid, fields.x5t, fields.x5t_s256, fields.seq,
                   fields.isi, fields.crit}) {
        wanted.parts.header = wanted.parts.header || proto_field_is_referenced(tree, hf);
    }
    wanted.parts.signature = proto_field_is_referenced(tree, fields.signature);
    wanted.parts.signed_content = proto_field_is_referenced(tree, fields.signed_content);
    return wanted;
}

// The message's bytes for deriving its header, signature and signed
// content: this pass's copy (first pass), the packet's bytes, or the copy
// the first pass kept of bytes that were not the frame's own.
ByteView message_bytes(packet_info* pinfo, const StoredMessage& m, const Placement& place,
                       const guint8* first_pass_copy) {
    if (first_pass_copy)
        return {first_pass_copy, static_cast<std::size_t>(place.coap_length)};
    if (place.known) {
        const auto* bytes = static_cast<const guint8*>(tvb_memdup(
            pinfo->pool, place.tvb, place.coap_offset, static_cast<size_t>(place.coap_length)));
        return {bytes, static_cast<std::size_t>(place.coap_length)};
    }
    return analysis().copy_of(m);
}

int dissect_coapjws(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void*) {
    const CoapSpans spans = locate_coap(pinfo, tree);
    std::optional<StoredFrame> frame;
    const guint8** copies = nullptr;

    if (!PINFO_FD_VISITED(pinfo)) {
        if (spans.count == 0)
            return 0;
        // Copy the bytes out while only Wireshark code is on the stack.
        copies = wmem_alloc0_array(pinfo->pool, const guint8*, spans.count);
        for (guint i = 0; i < spans.count; ++i) {
            const CoapSpan& span = spans.items[i];
            if (!span.analysable())
                continue;
            copies[i] = static_cast<const guint8*>(
                tvb_memdup(pinfo->pool, span.tvb, span.offset, static_cast<size_t>(span.length)));
        }
        frame = analyze_frame(pinfo, tvb, spans, copies);
    } else {
        frame = analysis().lookup(pinfo->num);
    }

    // Truncated and incomplete messages were never analysed; say why they
    // show nothing.
    for (guint i = 0; i < spans.count; ++i) {
        const CoapSpan& span = spans.items[i];
        if (span.truncated)
            show_truncated(tree, pinfo, {span.tvb, span.offset, span.length, true});
        else if (span.incomplete)
            show_incomplete(tree, pinfo, {span.tvb, span.offset, span.length, true});
    }
    if (!frame)
        return 0;

    // The analysed spans of this pass, in order, match the stored messages
    // when CoAP's items are in the tree; otherwise the stored locations serve.
    guint analysed = 0;
    for (guint i = 0; i < spans.count; ++i)
        analysed += spans.items[i].analysable() ? 1 : 0;
    const bool spans_match = analysed == frame->count;

    const WantedTexts wanted = wanted_texts(tree, pinfo);
    const guint option_number = analysis().jws_option();
    guint next_span = 0;
    for (std::uint32_t i = 0; i < frame->count; ++i) {
        const StoredMessage& m = analysis().message(frame->first + i);
        const CoapSpan* span = nullptr;
        const guint8* copy = nullptr;
        if (spans_match) {
            while (!spans.items[next_span].analysable())
                ++next_span;
            if (copies)
                copy = copies[next_span];
            span = &spans.items[next_span++];
        }
        const Placement place = placement_of(m, span, tvb);
        ByteView coap;
        if (wanted.parts.any() && m.jws >= JwsStage::header_decoded)
            coap = message_bytes(pinfo, m, place, copy);
        show_message(tree, pinfo, make_shown_message(pinfo->pool, analysis(), m, coap, wanted),
                     place, option_number);
    }
    return 0;
}

}  // namespace

void register_protocol() {
    const int proto = register_fields();
    register_prefs(proto, settings_changed);
    handle = register_dissector("coapjws", dissect_coapjws, proto);
    register_postdissector(handle);
    register_init_routine(start_capture);
    register_cleanup_routine(stop_capture);
}

void register_handoff() {
    set_postdissector_wanted_hfids(handle, wanted_protocol_ids());
}

}  // namespace coapjws::plugin
