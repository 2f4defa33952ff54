#include "coap_locator.hpp"

#include <initializer_list>
#include <optional>

namespace coapjws::plugin {

namespace {

int proto_coap = -1;
int proto_icmp = -1;
int proto_icmpv6 = -1;

bool inside(const field_info* inner, const field_info* outer) {
    return inner->ds_tvb == outer->ds_tvb && inner->start >= outer->start &&
           inner->start < outer->start + outer->length;
}

// CoAP's dissector frames a message as its transport does (Wireshark 4.0
// packet-coap.c): over UDP and DTLS (PT_UDP) as RFC 7252; over TCP and TLS
// (PT_TCP, one `coap` item per message that tcp_dissect_pdus cut out of the
// stream, Len byte included) as RFC 8323 §3.2; over WebSockets (also PT_TCP,
// the "coap" subprotocol) as §4.4, the item covering the frame's unmasked
// payload. Anything else is not analysed.
std::optional<CoapFraming> framing_of(const packet_info* pinfo) {
    if (pinfo->ptype == PT_UDP)
        return CoapFraming::udp;
    if (pinfo->ptype != PT_TCP)
        return std::nullopt;
    if (proto_is_frame_protocol(pinfo->layers, "websocket"))
        return CoapFraming::websocket;
    return CoapFraming::tcp;
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
    GArray* ids = g_array_new(FALSE, FALSE, static_cast<guint>(sizeof(int)));
    for (int proto : {proto_coap, proto_icmp, proto_icmpv6}) {
        if (proto >= 0)
            g_array_append_val(ids, proto);
    }
    return ids;
}

bool coap_without_fields(packet_info* pinfo, proto_tree* tree) {
    return proto_coap >= 0 && !proto_field_is_referenced(tree, proto_coap) &&
           proto_is_frame_protocol(pinfo->layers, "coap");
}

namespace {

// Bytes of RFC 8323's extended length for a Len nibble.
guint extended_length_bytes(guint len_nibble) {
    return len_nibble == 13 ? 1 : len_nibble == 14 ? 2 : len_nibble == 15 ? 4 : 0;
}

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
        const guint8 first = wscompat::get_uint8(tvb, static_cast<gint>(pos));
        const guint extra = extended_length_bytes(first >> 4);
        guint64 total = 0;  // 64 bits: a 32-bit extended length plus the header cannot wrap
        bool whole = false;
        if (available >= 2 + extra) {
            guint64 body = first >> 4;
            if (extra > 0) {
                guint64 extended = 0;
                for (guint i = 0; i < extra; ++i)
                    extended =
                        extended << 8 | wscompat::get_uint8(tvb, static_cast<gint>(pos + 1 + i));
                body = extended + (extra == 1 ? 13 : extra == 2 ? 269 : 65805);
            }
            total = 2u + extra + (first & 0x0fu) + body;
            whole = total <= available;
        }
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

}  // namespace

CoapSpans locate_coap(packet_info* pinfo, proto_tree* tree) {
    CoapSpans spans{nullptr, 0};
    if (!tree || proto_coap < 0)
        return spans;
    const std::optional<CoapFraming> framing = framing_of(pinfo);
    if (!framing)
        return spans;

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
            if (*framing == CoapFraming::tcp) {
                count += split_tcp(fi->ds_tvb, start, end, cut, out);
                continue;
            }
            if (out) {
                out->tvb = fi->ds_tvb;
                out->offset = fi->start;
                out->length = fi->length;
                out->truncated = cut;
                out->incomplete = false;
                out->framing = *framing;
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
