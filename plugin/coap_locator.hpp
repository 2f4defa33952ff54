// Finding the CoAP messages of a frame in the protocol tree: the post-
// dissector asks for CoAP's protocol item (set_postdissector_wanted_hfids)
// and reads its data source and offsets.
#pragma once

#include "coapjws/coap_message.hpp"
#include "ws.hpp"

namespace coapjws::plugin {

// One CoAP message, as CoAP's dissector saw it. Plain data: it lives in
// pinfo->pool.
struct CoapSpan {
    tvbuff_t* tvb;  // the data source holding the message (frame, decrypted or reassembled data)
    gint offset;    // of the message in `tvb`
    gint length;
    bool truncated;       // the capture cut it short: not analysed
    bool incomplete;      // TLS: the rest is in a record Wireshark does not join to it
    CoapFraming framing;  // UDP (also DTLS), TCP (also TLS) or WebSockets

    bool analysable() const { return !truncated && !incomplete; }
};

struct CoapSpans {
    CoapSpan* items;
    guint count;
};

// The protocol ids the post-dissector wants in the tree (CoAP; ICMP/ICMPv6
// to recognise CoAP quoted inside ICMP errors; TCP and its payload for CoAP
// over plain TCP): a new array for
// set_postdissector_wanted_hfids(), which takes it over.
GArray* wanted_protocol_ids();

// Whether this frame may carry CoAP that this tree lacks the items to find:
// CoAP's dissector ran although its items were not asked for, or a TCP
// segment on a CoAP port came without TCP's items. Wireshark's GUI dissects
// each frame first for its read filter, with only that filter's fields, and
// only later with the ones a post-dissector wants.
bool coap_without_fields(packet_info* pinfo, proto_tree* tree);

// The CoAP messages of this frame that are not quoted in an ICMP error, over
// UDP or DTLS (RFC 7252 framing) and over TLS or WebSockets (RFC 8323
// framing), from CoAP's items; one per message. Over TLS, Wireshark 4.0's
// CoAP dissector reads only the first message of a record while its item
// spans all of the record's CoAP bytes, so the item is cut into messages by
// their Len fields (RFC 8323 §3.2, coap_tcp_message_size()).
// Over plain TCP on a port Wireshark gives CoAP, the segments go through the
// engine's CoapTcpStreams (the reassembly coapjws-scan uses) when
// `first_pass` — the frame's one analysis, in capture order — and the
// messages are those each segment completes: in the frame's bytes, or in a
// "Reassembled CoAP over TCP" data source.
// Empty when CoAP's items are not in the tree (a later pass that did not
// build them), over TCP when not `first_pass`, and for CoAP over anything
// else.
CoapSpans locate_coap(packet_info* pinfo, proto_tree* tree, bool first_pass);

// Whether the frame's CoAP comes from the plugin's own TCP stream
// reassembly (plain TCP on a CoAP port) rather than from CoAP's items.
bool coap_from_tcp_streams(const packet_info* pinfo);

// A message put together from several segments, on a pass that does not
// feed the streams: its bytes (kept by the first pass) as the "Reassembled
// CoAP over TCP" data source again. Returns the new tvb.
tvbuff_t* reassembled_tcp_source(packet_info* pinfo, tvbuff_t* frame_tvb, ByteView bytes);

// Forgets the TCP streams: a new capture (or a redissection) starts.
void reset_tcp_streams() noexcept;

}  // namespace coapjws::plugin
