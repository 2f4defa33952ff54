#include "dissector.hpp"

#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "address.hpp"
#include "analysis.hpp"
#include "coap_field_tap.hpp"
#include "coap_locator.hpp"
#include "fields.hpp"
#include "prefs.hpp"
#include "shown_message.hpp"
#include "stream_stats.hpp"
#include "tap_message.hpp"
#include "tree.hpp"
#include "ws.hpp"

namespace coapjws::plugin {

int coapjws_tap = -1;

namespace {

dissector_handle_t handle = nullptr;

// The header_json preference as the analysis was (re)started with it: a
// change redissects, which starts the analysis again.
bool header_json = default_header_json;

Analysis& analysis() {
    static Analysis instance;
    return instance;
}

// ---- C++ side: no Wireshark call that can throw (longjmp) in here ----------

// Counts the frame as the next record of the first pass (Analysis).
std::uint32_t begin_record(const packet_info* pinfo) noexcept {
    return analysis().begin_record(pinfo->num);
}

// Runs the engine over the frame's messages. `copies[i]` holds the bytes of
// spans.items[i] (nullptr for a truncated one, which is not analysed).
std::optional<StoredFrame> analyze_frame(const packet_info* pinfo, std::uint32_t record,
                                         tvbuff_t* frame_tvb, const CoapSpans& spans,
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
            m.packet.frame = record;
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
        return analysis().analyze(record, messages);
    } catch (...) {
        return std::nullopt;
    }
}

void stop_capture_analysis() noexcept {
    try {
        analysis().stop();
    } catch (...) {
        // Dropping state cannot fail in a way worth reporting.
    }
}

// The init routine: a new capture, or a redissection after a preference,
// key or protocol change. While the protocol is disabled, Wireshark would
// still build a protocol tree for every packet because a post-dissector wants
// fields (postdissectors_want_hfids() does not ask whether it is enabled), so
// the fields are only asked for, and keys only loaded, while it is enabled.
void start_capture() {
    // The TCP streams of the previous capture (or pass) are forgotten
    // whether or not the analysis starts again.
    reset_tcp_streams();
    const bool enabled = proto_is_protocol_enabled(find_protocol_by_id(fields.proto));
    set_postdissector_wanted_hfids(handle, enabled ? wanted_protocol_ids() : nullptr);
    if (!want_coap_fields_in_tapped_dissections(enabled))
        report_failure("CoAP-JWS: cannot register the tap that reads CoAP under a read filter");
    if (!enabled) {
        stop_capture_analysis();
        return;
    }
    try {
        const PluginSettings settings = current_settings();
        header_json = settings.header_json;
        for (const std::string& problem : analysis().start(settings)) {
            report_failure("CoAP-JWS: %s", problem.c_str());
        }
    } catch (const std::exception& e) {
        report_failure("CoAP-JWS: cannot start the analysis: %s", e.what());
    } catch (...) {
        report_failure("CoAP-JWS: cannot start the analysis");
    }
}

void stop_capture() {
    stop_capture_analysis();
    reset_tcp_streams();  // what waits in them is the closed capture's
}

// The tap's data for one shown message (tap_message.hpp), in the packet pool.
const TapMessage* tap_message(packet_info* pinfo, const ShownMessage& shown,
                              std::uint32_t message_index, guint index) noexcept {
    try {
        const Endpoint receiver{to_address(pinfo->dst),
                                static_cast<std::uint16_t>(pinfo->destport)};
        auto* out = wmem_new(pinfo->pool, TapMessage);
        auto* shown_copy = wmem_new(pinfo->pool, ShownMessage);
        *shown_copy = shown;
        *out = TapMessage{
            pinfo->num, index,
            analysis().stream_facts(analysis().message(message_index), receiver, pinfo->num),
            shown_copy};
        return out;
    } catch (...) {
        return nullptr;
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
Placement placement_of(packet_info* pinfo, const StoredMessage& m, const CoapSpan* span,
                       tvbuff_t* frame_tvb) {
    if (span) {
        return {span->tvb, span->offset, span->length, true};
    }
    const MessageLocation& l = m.location;
    if (l.in_frame_bytes && l.offset + l.length <= tvb_captured_length(frame_tvb)) {
        return {frame_tvb, static_cast<gint>(l.offset), static_cast<gint>(l.length), true};
    }
    // A CoAP-over-TCP message the plugin put together from several segments
    // on the first pass: the copy that pass kept is its data source again.
    if (const ByteView copy = analysis().copy_of(m);
        !copy.empty() && copy.size() == l.length && coap_from_tcp_streams(pinfo)) {
        return {reassembled_tcp_source(pinfo, frame_tvb, copy), 0, static_cast<gint>(l.length),
                true};
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
    for (int hf :
         {fields.signed_content, fields.signed_item, fields.signed_item_length, fields.signed_code,
          fields.signed_option_number, fields.signed_option_value, fields.signed_payload,
          fields.signed_request_seq, fields.signed_request_key_id}) {
        wanted.parts.signed_content =
            wanted.parts.signed_content || proto_field_is_referenced(tree, hf);
    }
    // The items of a REQUEST-TID name it.
    wanted.request_tid = wanted.request_tid || wanted.parts.signed_content;
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

// What a frame keeps from its first pass, attached to it as per-packet data
// (file scope) so that it follows the frame whatever number it gets.
struct FrameResult {
    StoredFrame messages;
    std::uint32_t record;  // the frame's position in the file (Analysis::begin_record())
    bool not_analysed;     // CoAP was there but its fields were not (coap_without_fields())
};

// Copies the bytes of the analysable spans into the packet pool while only
// Wireshark code is on the stack (nullptr for the others).
const guint8** copy_spans(packet_info* pinfo, const CoapSpans& spans) {
    auto** copies = wmem_alloc0_array(pinfo->pool, const guint8*, spans.count);
    for (guint i = 0; i < spans.count; ++i) {
        const CoapSpan& span = spans.items[i];
        if (!span.analysable())
            continue;
        copies[i] = static_cast<const guint8*>(
            tvb_memdup(pinfo->pool, span.tvb, span.offset, static_cast<size_t>(span.length)));
    }
    return copies;
}

const FrameResult* remember(packet_info* pinfo, const FrameResult& result) {
    auto* kept = wmem_new(wmem_file_scope(), FrameResult);
    *kept = result;
    p_add_proto_data(wmem_file_scope(), pinfo, fields.proto, 0, kept);
    return kept;
}

// Marks the frames the message's verdict rests on (the replayed frame, the
// request, the first copy, ...) as depended upon, so that exporting the
// displayed packets keeps them and the export shows the same findings.
void depend_on(packet_info* pinfo, const ShownMessage& m) {
    const auto depend = [pinfo](const ShownFrameRef& frame) {
        if (frame.shown != 0 && frame.shown != pinfo->num)
            wscompat::depend_on_frame(pinfo, frame.shown);
    };
    depend(m.request_in);
    depend(m.replay_of);
    depend(m.retransmission_of);
    for (guint i = 0; i < m.finding_count; ++i)
        depend(m.findings[i].related);
}

int dissect_coapjws(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void*) {
    CoapSpans spans{nullptr, 0};
    const FrameResult* result = nullptr;
    const guint8** copies = nullptr;

    if (!PINFO_FD_VISITED(pinfo)) {
        const std::uint32_t record = begin_record(pinfo);
        spans = locate_coap(pinfo, tree, true);
        if (spans.count == 0) {
            if (!coap_without_fields(pinfo, tree))
                return 0;
            result = remember(pinfo, {{}, record, true});
        } else {
            copies = copy_spans(pinfo, spans);
            if (const auto analysed = analyze_frame(pinfo, record, tvb, spans, copies))
                result = remember(pinfo, {*analysed, record, false});
        }
    } else {
        auto* kept =
            static_cast<FrameResult*>(p_get_proto_data(wmem_file_scope(), pinfo, fields.proto, 0));
        // Wireshark's GUI before 4.6 under a read filter dissects a frame
        // first for the filter alone, without CoAP's (or TCP's) fields, and
        // then at once again for the packet list, with them. Analysed now,
        // while no later frame has been, the frame keeps the capture order;
        // this is its first pass (TCP segments are fed to the streams now).
        const bool first_analysis = kept && kept->not_analysed &&
                                    !coap_without_fields(pinfo, tree) &&
                                    analysis().is_latest_record(kept->record);
        spans = locate_coap(pinfo, tree, first_analysis);
        if (first_analysis && spans.count == 0) {
            kept->not_analysed = false;  // nothing there after all (a TCP ACK, ...)
        } else if (first_analysis) {
            copies = copy_spans(pinfo, spans);
            if (const auto analysed = analyze_frame(pinfo, kept->record, tvb, spans, copies)) {
                kept->messages = *analysed;
                kept->not_analysed = false;
            }
        }
        result = kept;
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
    if (!result)
        return 0;
    if (result->not_analysed) {
        show_not_analysed(tree, pinfo, tvb);
        return 0;
    }
    const StoredFrame& frame = result->messages;

    // The analysed spans of this pass, in order, match the stored messages
    // when CoAP's items are in the tree; otherwise the stored locations serve.
    guint analysed = 0;
    for (guint i = 0; i < spans.count; ++i)
        analysed += spans.items[i].analysable() ? 1 : 0;
    const bool spans_match = analysed == frame.count;

    const WantedTexts wanted = wanted_texts(tree, pinfo);
    const guint option_number = analysis().jws_option();
    const bool tapped = have_tap_listener(coapjws_tap);
    guint next_span = 0;
    guint tapped_index = 0;
    for (std::uint32_t i = 0; i < frame.count; ++i) {
        const StoredMessage& m = analysis().message(frame.first + i);
        const CoapSpan* span = nullptr;
        const guint8* copy = nullptr;
        if (spans_match) {
            while (!spans.items[next_span].analysable())
                ++next_span;
            if (copies)
                copy = copies[next_span];
            span = &spans.items[next_span++];
        }
        const Placement place = placement_of(pinfo, m, span, tvb);
        ByteView coap;
        if (wanted.parts.any() && m.jws_reached(JwsStage::header_decoded))
            coap = message_bytes(pinfo, m, place, copy);
        const ShownMessage shown =
            make_shown_message(pinfo->pool, analysis(), frame.first + i, coap, wanted);
        show_message(tree, pinfo, shown, place, option_number, header_json);
        depend_on(pinfo, shown);
        if (tapped && !shown.error && m.about_jws()) {
            if (const TapMessage* data = tap_message(pinfo, shown, frame.first + i, tapped_index++))
                tap_queue_packet(coapjws_tap, pinfo, data);
        }
    }
    return 0;
}

}  // namespace

void register_protocol() {
    const int proto = register_fields();
    register_prefs(proto, settings_changed);
    handle = register_dissector("coapjws", dissect_coapjws, proto);
    register_postdissector(handle);
    coapjws_tap = register_tap("coapjws");
    register_stream_statistics();
    register_init_routine(start_capture);
    register_cleanup_routine(stop_capture);
}

void register_handoff() {
    // Until the first capture starts (start_capture() decides from then on).
    set_postdissector_wanted_hfids(handle, wanted_protocol_ids());
    find_tree_helpers();
}

}  // namespace coapjws::plugin
