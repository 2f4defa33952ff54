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

// The protocol ids the post-dissector wants in the tree (CoAP, and ICMP/ICMPv6
// to recognise CoAP quoted inside ICMP errors): a new array for
// set_postdissector_wanted_hfids(), which takes it over.
GArray* wanted_protocol_ids();

// Whether CoAP's dissector ran on this frame although its items were not
// asked for in this tree: Wireshark's GUI dissects each frame first for its
// read filter, with only that filter's fields, and only later with the ones a
// post-dissector wants.
bool coap_without_fields(packet_info* pinfo, proto_tree* tree);

// The CoAP messages of this frame that are not quoted in an ICMP error, over
// UDP or DTLS (RFC 7252 framing) and over TLS or WebSockets (RFC 8323
// framing), from CoAP's items; one per message. Over TLS, Wireshark 4.0's
// CoAP dissector reads only the first message of a record while its item
// spans all of the record's CoAP bytes, so the item is cut into messages by
// their Len fields (RFC 8323 §3.2, coap_tcp_message_size()).
// Over plain TCP on a port Wireshark gives CoAP, the segments go through the
// engine's CoapTcpStreams on the first pass (the reassembly coapjws-scan
// uses), and the messages are those each segment completes: in the frame's
// bytes, or in a "Reassembled CoAP over TCP" data source.
// Empty when CoAP's items are not in the tree (a later pass that did not
// build them), on later passes over TCP, and for CoAP over anything else.
CoapSpans locate_coap(packet_info* pinfo, proto_tree* tree);

// Forgets the TCP streams: a new capture (or a redissection) starts.
void reset_tcp_streams() noexcept;

}  // namespace coapjws::plugin
