#include "coap_locator.hpp"

#include <initializer_list>

namespace coapjws::plugin {

namespace {

int proto_coap = -1;
int proto_icmp = -1;
int proto_icmpv6 = -1;

bool inside(const field_info* inner, const field_info* outer) {
    return inner->ds_tvb == outer->ds_tvb && inner->start >= outer->start &&
           inner->start < outer->start + outer->length;
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

CoapSpans locate_coap(packet_info* pinfo, proto_tree* tree) {
    CoapSpans spans{nullptr, 0};
    if (!tree || proto_coap < 0)
        return spans;
    // CoAP's own dissector follows the transport: PT_UDP means UDP framing
    // (plain or DTLS); TCP, TLS and WebSockets use RFC 8323 framing, which
    // the engine does not read.
    if (pinfo->ptype != PT_UDP)
        return spans;

    GPtrArray* items = proto_get_finfo_ptr_array(tree, proto_coap);
    if (!items || items->len == 0)
        return spans;

    spans.items = wmem_alloc_array(pinfo->pool, CoapSpan, items->len);
    for (guint i = 0; i < items->len; ++i) {
        const auto* fi = static_cast<const field_info*>(g_ptr_array_index(items, i));
        if (!fi->ds_tvb || fi->start < 0 || fi->length < 0)
            continue;
        if (quoted_in_icmp(tree, fi))
            continue;
        const guint captured = tvb_captured_length(fi->ds_tvb);
        const auto end = static_cast<guint>(fi->start) + static_cast<guint>(fi->length);
        if (end > captured)
            continue;  // not in the captured bytes: never read past them
        CoapSpan& span = spans.items[spans.count++];
        span.tvb = fi->ds_tvb;
        span.offset = fi->start;
        span.length = fi->length;
        // CoAP's item runs to the end of the UDP payload; when that is the end
        // of what was captured and more was on the wire, the message is cut.
        span.truncated = end == captured && tvb_reported_length(fi->ds_tvb) > captured;
    }
    return spans;
}

}  // namespace coapjws::plugin
