// Showing a stored result: the protocol tree items, expert infos and the Info
// column note of one CoAP message.
//
// Only plain data (ShownMessage) and objects that outlive the call (the
// stored verdicts) are used here, because every Wireshark call may longjmp
// out of it.
#pragma once

#include "shown_message.hpp"
#include "ws.hpp"

namespace coapjws::plugin {

// Where to place the items: the bytes holding the CoAP message. When they are
// not known on this pass, `tvb` is the frame and `known` is false: the items
// still appear, with empty ranges (Wireshark needs a tvb for protocol items).
struct Placement {
    tvbuff_t* tvb;     // never null
    gint coap_offset;  // of the CoAP message in tvb
    gint coap_length;
    bool known;
};

// Finds the dissectors the tree hands parts to (JSON); at handoff.
void find_tree_helpers();

// `header_json`: hand the decoded header to Wireshark's JSON dissector too
// (the header_json preference), on a visible tree.
void show_message(proto_tree* tree, packet_info* pinfo, const ShownMessage& message,
                  Placement place, guint option_number, bool header_json);

// A CoAP message the capture cut short: said once, not analysed.
void show_truncated(proto_tree* tree, packet_info* pinfo, Placement place);
// A frame with CoAP whose first dissection did not get CoAP's fields (the GUI
// with a read filter): its messages were not analysed; said in the tree, as
// an expert info and in the Info column.
void show_not_analysed(proto_tree* tree, packet_info* pinfo, tvbuff_t* frame_tvb);
// The start of a CoAP-over-TCP message after the first one of a segment, whose
// rest Wireshark 4.0 does not reassemble: said once, not analysed.
void show_incomplete(proto_tree* tree, packet_info* pinfo, Placement place);

}  // namespace coapjws::plugin
