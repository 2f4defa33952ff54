// Finding the CoAP messages of a frame in the protocol tree: the post-
// dissector asks for CoAP's protocol item (set_postdissector_wanted_hfids)
// and reads its data source and offsets.
#pragma once

#include "ws.hpp"

namespace coapjws::plugin {

// One CoAP message in UDP framing, as CoAP's dissector saw it. Plain data:
// it lives in pinfo->pool.
struct CoapSpan {
    tvbuff_t* tvb;  // the data source holding the message (frame, or decrypted data)
    gint offset;    // of the message in `tvb`
    gint length;
    bool truncated;  // the capture cut it short: not analysed
};

struct CoapSpans {
    CoapSpan* items;
    guint count;
};

// The protocol ids the post-dissector wants in the tree (CoAP, and ICMP/ICMPv6
// to recognise CoAP quoted inside ICMP errors). Call from the handoff.
GArray* wanted_protocol_ids();

// The CoAP messages of this frame that carry UDP framing and are not quoted in
// an ICMP error. CoAP over TCP, TLS or WebSockets (RFC 8323 framing) is
// skipped. Empty when CoAP's items are not in the tree (a later pass that
// did not build them).
CoapSpans locate_coap(packet_info* pinfo, proto_tree* tree);

}  // namespace coapjws::plugin
