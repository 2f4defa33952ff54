#include "coap_locator.hpp"

#include <array>
#include <initializer_list>
#include <optional>

#include "address.hpp"
#include "coapjws/coap_tcp_streams.hpp"

namespace coapjws::plugin {

namespace {

int proto_coap = -1;
int proto_icmp = -1;
int proto_icmpv6 = -1;
int proto_tcp = -1;
int hf_tcp_payload = -1;
dissector_table_t tcp_port_table = nullptr;
dissector_handle_t coap_over_tcp = nullptr;

bool inside(const field_info* inner, const field_info* outer) {
    return inner->ds_tvb == outer->ds_tvb && inner->start >= outer->start &&
           inner->start < outer->start + outer->length;
}

// Where the frame's CoAP comes from.
enum class Source : std::uint8_t {
    none,
    udp,        // CoAP's items, RFC 7252 framing (UDP, or DTLS Wireshark decrypted)
    tls,        // CoAP's items over TLS Wireshark decrypted, RFC 8323 §3.2 framing
    websocket,  // CoAP's items over WebSockets, RFC 8323 §4.4 framing
    tcp,        // plain TCP on a CoAP port: the segments, through CoapTcpStreams
};

// CoAP's dissector frames a message as its transport does (Wireshark 4.0
// packet-coap.c): over UDP and DTLS (PT_UDP) as RFC 7252; over TCP and TLS
// (PT_TCP) as RFC 8323 §3.2; over WebSockets (also PT_TCP, the "coap"
// subprotocol) as §4.4, the item covering the frame's unmasked payload.
// Plain TCP is not taken from CoAP's items at all: Wireshark 4.0 reads only
// the first message of a segment and loses a message that continues into the
// next one, so the plugin puts the stream together itself, with the code
// coapjws-scan uses. Anything else is not analysed.
Source source_of(const packet_info* pinfo) {
    if (pinfo->ptype == PT_UDP)
        return Source::udp;
    if (pinfo->ptype != PT_TCP)
        return Source::none;
    if (proto_is_frame_protocol(pinfo->layers, "websocket"))
        return Source::websocket;
    if (proto_is_frame_protocol(pinfo->layers, "tls"))
        return Source::tls;
    return Source::tcp;
}

// Whether Wireshark hands this TCP port to CoAP ("tcp.port" table: CoAP's
// preference, Decode As).
bool is_coap_tcp_port(guint32 port) {
    if (tcp_port_table == nullptr || coap_over_tcp == nullptr)
        return port == 5683;
    return dissector_get_uint_handle(tcp_port_table, port) == coap_over_tcp;
}

// Whether `coap` lies inside an ICMP message of the frame, i.e. is the quote
// of the datagram that caused an ICMP error. (pinfo->flags.in_error_pkt is
// only set while ICMP's inner dissection runs, so it is already cleared when
// post-dissectors run.)
bool quoted_in_icmp(proto_tree* tree, const field_info* coap) {
    for (int proto : {proto_icmp, proto_icmpv6}) {
        if (proto < 0)
            continue;
        GPtrArray* items = proto_get_finfo_ptr_array(tree, proto);
        if (!items)
            continue;
        for (guint i = 0; i < items->len; ++i) {
            if (inside(coap, static_cast<const field_info*>(g_ptr_array_index(items, i)))) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace

GArray* wanted_protocol_ids() {
    proto_coap = proto_get_id_by_filter_name("coap");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    proto_tcp = proto_get_id_by_filter_name("tcp");
    hf_tcp_payload = proto_registrar_get_id_byname("tcp.payload");
    tcp_port_table = find_dissector_table("tcp.port");
    coap_over_tcp = find_dissector("coap_tcp_tls");
    GArray* ids = g_array_new(FALSE, FALSE, static_cast<guint>(sizeof(int)));
    for (int id : {proto_coap, proto_icmp, proto_icmpv6, proto_tcp, hf_tcp_payload}) {
        if (id >= 0)
            g_array_append_val(ids, id);
    }
    return ids;
}

bool coap_without_fields(packet_info* pinfo, proto_tree* tree) {
    if (coap_from_tcp_streams(pinfo)) {
        return proto_tcp >= 0 && hf_tcp_payload >= 0 &&
               (!proto_field_is_referenced(tree, proto_tcp) ||
                !proto_field_is_referenced(tree, hf_tcp_payload));
    }
    return proto_coap >= 0 && !proto_field_is_referenced(tree, proto_coap) &&
           proto_is_frame_protocol(pinfo->layers, "coap");
}

bool coap_from_tcp_streams(const packet_info* pinfo) {
    return source_of(pinfo) == Source::tcp &&
           (is_coap_tcp_port(pinfo->srcport) || is_coap_tcp_port(pinfo->destport));
}

namespace {

// Cuts the CoAP-over-TCP bytes [start, end) of `tvb` into messages by their
// Len/TKL byte and extended length, as RFC 8323 §3.2 frames them. Writes the
// spans to `out` when it is not null; returns how many there are. Bytes at
// the end that do not hold a whole message become one span marked truncated
// (the capture cut them) or incomplete. Reads only inside [start, end),
// which the caller checked lies in the captured bytes: nothing here throws.
guint split_tcp(tvbuff_t* tvb, guint start, guint end, bool cut_by_capture, CoapSpan* out) {
    guint count = 0;
    guint pos = start;
    while (pos < end) {
        const guint available = end - pos;
        // The length fields (at most 5 bytes), read by the engine's one
        // framing reader.
        std::array<guint8, 5> head{};
        const guint head_length = available < head.size() ? available : guint{head.size()};
        tvb_memcpy(tvb, head.data(), static_cast<gint>(pos), head_length);
        const auto size = coap_tcp_message_size(ByteView(head.data(), head_length));
        const guint64 total = size ? *size : 0;
        const bool whole = size && total <= available;
        if (out) {
            CoapSpan& span = out[count];
            span.tvb = tvb;
            span.offset = static_cast<gint>(pos);
            span.length = static_cast<gint>(whole ? total : available);
            span.truncated = !whole && cut_by_capture;
            span.incomplete = !whole && !cut_by_capture;
            span.framing = CoapFraming::tcp;
        }
        ++count;
        if (!whole)
            break;
        pos += static_cast<guint>(total);
    }
    return count;
}

// ---- CoAP over plain TCP: the segments through CoapTcpStreams --------------

// The streams of the capture being dissected, fed on the first pass in frame
// order (reset by reset_tcp_streams() when a capture starts).
CoapTcpStreams& tcp_streams() {
    static CoapTcpStreams streams;
    return streams;
}

// C++ side: no Wireshark call in here. The messages stay valid until the next
// segment is fed.
std::span<const TcpMessage> feed_tcp(const TcpSegment& segment) noexcept {
    try {
        return tcp_streams().add(segment);
    } catch (...) {
        return {};
    }
}

// The last item of `id` in the tree, or null.
const field_info* last_item(proto_tree* tree, int id) {
    if (id < 0)
        return nullptr;
    GPtrArray* items = proto_get_finfo_ptr_array(tree, id);
    if (!items || items->len == 0)
        return nullptr;
    return static_cast<const field_info*>(g_ptr_array_index(items, items->len - 1));
}

constexpr guint tcp_min_header = 20;

CoapSpans locate_tcp(packet_info* pinfo, proto_tree* tree, bool first_pass) {
    CoapSpans spans{nullptr, 0};
    // The streams are fed once per frame, in capture order; later passes
    // show what the first pass stored.
    if (!first_pass)
        return spans;
    const field_info* tcp = last_item(tree, proto_tcp);
    if (!tcp || !tcp->ds_tvb || tcp->start < 0)
        return spans;
    // A TCP header quoted in an ICMP error is not a segment of the stream.
    if (quoted_in_icmp(tree, tcp))
        return spans;
    tvbuff_t* tvb = tcp->ds_tvb;
    const auto start = static_cast<guint>(tcp->start);
    const guint captured = tvb_captured_length(tvb);
    if (captured < start + tcp_min_header)
        return spans;

    TcpSegment segment;
    segment.src = Endpoint{to_address(pinfo->src), static_cast<std::uint16_t>(pinfo->srcport)};
    segment.dst = Endpoint{to_address(pinfo->dst), static_cast<std::uint16_t>(pinfo->destport)};
    // Sequence number (bytes 4-7) and flags (byte 13) of the header, read
    // the same way on every Wireshark release.
    std::array<guint8, 14> header{};
    tvb_memcpy(tvb, header.data(), static_cast<gint>(start), header.size());
    segment.seq = static_cast<std::uint32_t>(header[4]) << 24 |
                  static_cast<std::uint32_t>(header[5]) << 16 |
                  static_cast<std::uint32_t>(header[6]) << 8 | header[7];
    const guint8 flags = header[13];
    segment.fin = (flags & 0x01) != 0;
    segment.syn = (flags & 0x02) != 0;
    segment.rst = (flags & 0x04) != 0;
    segment.time_ns =
        static_cast<std::int64_t>(pinfo->abs_ts.secs) * 1'000'000'000 + pinfo->abs_ts.nsecs;
    // The payload, as TCP's "tcp.payload" item shows it (absent: none).
    guint payload_start = 0;
    const field_info* payload = last_item(tree, hf_tcp_payload);
    if (payload && payload->ds_tvb == tvb && payload->start >= tcp->start && payload->length > 0) {
        payload_start = static_cast<guint>(payload->start);
        const auto length = static_cast<guint>(payload->length);
        if (payload_start + length > captured)
            return spans;  // never read past the captured bytes
        segment.payload = ByteView(
            tvb_get_ptr(tvb, static_cast<gint>(payload_start), static_cast<gint>(length)), length);
        // A payload that runs to the end of a frame the capture cut short.
        const guint reported = tvb_reported_length(tvb);
        if (payload_start + length == captured && reported > captured)
            segment.uncaptured = reported - captured;
    }

    const std::span<const TcpMessage> messages = feed_tcp(segment);
    // Where the messages that lie in this segment end: a segment the capture
    // cut short gets a note on what is left of it, as over UDP.
    guint analysed_end = 0;
    for (const TcpMessage& m : messages) {
        if (m.offset_in_segment)
            analysed_end = *m.offset_in_segment + static_cast<guint>(m.bytes.size());
    }
    const bool cut_tail = segment.uncaptured > 0 && analysed_end < segment.payload.size();
    const guint count = static_cast<guint>(messages.size()) + (cut_tail ? 1 : 0);
    if (count == 0)
        return spans;
    spans.items = wmem_alloc_array(pinfo->pool, CoapSpan, count);
    if (cut_tail) {
        CoapSpan& tail = spans.items[count - 1];
        tail.tvb = tvb;
        tail.offset = static_cast<gint>(payload_start + analysed_end);
        tail.length = static_cast<gint>(segment.payload.size() - analysed_end);
        tail.truncated = true;
        tail.incomplete = false;
        tail.framing = CoapFraming::tcp;
    }
    for (const TcpMessage& m : messages) {
        CoapSpan& span = spans.items[spans.count++];
        span.length = static_cast<gint>(m.bytes.size());
        span.truncated = false;
        span.incomplete = false;
        span.framing = CoapFraming::tcp;
        if (m.offset_in_segment) {
            span.tvb = tvb;
            span.offset = static_cast<gint>(payload_start + *m.offset_in_segment);
            continue;
        }
        // Put together from several segments: its own data source, like
        // Wireshark's reassembled PDUs.
        span.tvb = reassembled_tcp_source(pinfo, tvb, m.bytes);
        span.offset = 0;
    }
    spans.count = count;
    return spans;
}

}  // namespace

void reset_tcp_streams() noexcept {
    try {
        tcp_streams() = CoapTcpStreams();
    } catch (...) {
        // Keeping the old streams is all that is left to do.
    }
}

tvbuff_t* reassembled_tcp_source(packet_info* pinfo, tvbuff_t* frame_tvb, ByteView bytes) {
    auto* copy = static_cast<guint8*>(wmem_memdup(pinfo->pool, bytes.data(), bytes.size()));
    const auto length = static_cast<guint>(bytes.size());
    tvbuff_t* reassembled =
        tvb_new_child_real_data(frame_tvb, copy, length, static_cast<gint>(length));
    add_new_data_source(pinfo, reassembled, "Reassembled CoAP over TCP");
    return reassembled;
}

CoapSpans locate_coap(packet_info* pinfo, proto_tree* tree, bool first_pass) {
    CoapSpans spans{nullptr, 0};
    if (!tree)
        return spans;
    const Source source = source_of(pinfo);
    if (source == Source::tcp)
        return coap_from_tcp_streams(pinfo) ? locate_tcp(pinfo, tree, first_pass) : spans;
    if (source == Source::none || proto_coap < 0)
        return spans;
    const CoapFraming framing = source == Source::udp         ? CoapFraming::udp
                                : source == Source::websocket ? CoapFraming::websocket
                                                              : CoapFraming::tcp;

    GPtrArray* items = proto_get_finfo_ptr_array(tree, proto_coap);
    if (!items || items->len == 0)
        return spans;

    // Two rounds: count the messages, then fill them in.
    guint capacity = 0;
    for (int round = 0; round < 2; ++round) {
        if (round == 1) {
            if (capacity == 0)
                break;
            spans.items = wmem_alloc_array(pinfo->pool, CoapSpan, capacity);
        }
        guint count = 0;
        for (guint i = 0; i < items->len; ++i) {
            const auto* fi = static_cast<const field_info*>(g_ptr_array_index(items, i));
            if (!fi->ds_tvb || fi->start < 0 || fi->length < 0)
                continue;
            if (quoted_in_icmp(tree, fi))
                continue;
            const guint captured = tvb_captured_length(fi->ds_tvb);
            const auto start = static_cast<guint>(fi->start);
            const auto end = start + static_cast<guint>(fi->length);
            if (end > captured)
                continue;  // not in the captured bytes: never read past them
            // CoAP's item runs to the end of the transport's payload; when that
            // is the end of what was captured and more was on the wire, the
            // (last) message is cut.
            const bool cut = end == captured && tvb_reported_length(fi->ds_tvb) > captured;
            CoapSpan* out = round == 1 ? spans.items + count : nullptr;
            if (framing == CoapFraming::tcp) {
                count += split_tcp(fi->ds_tvb, start, end, cut, out);
                continue;
            }
            if (out) {
                out->tvb = fi->ds_tvb;
                out->offset = fi->start;
                out->length = fi->length;
                out->truncated = cut;
                out->incomplete = false;
                out->framing = framing;
            }
            ++count;
        }
        if (round == 0)
            capacity = count;
        else
            spans.count = count;
    }
    return spans;
}

}  // namespace coapjws::plugin
