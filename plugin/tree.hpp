// Showing a stored result: the protocol tree items, expert infos and the Info
// column note of one CoAP message.
//
// Only plain data and objects that outlive the call (the stored results) are
// used here, because every Wireshark call may longjmp out of it.
#pragma once

#include "analysis.hpp"
#include "ws.hpp"

namespace coapjws::plugin {

// Where to place the items: the bytes holding the CoAP message, or
// tvb == nullptr when they are not known on this pass (the items still appear,
// without highlighting).
struct Placement {
    tvbuff_t* tvb;
    gint coap_offset;  // of the CoAP message in tvb
    gint coap_length;
};

void show_message(proto_tree* tree, packet_info* pinfo, const StoredMessage& message,
                  Placement place, guint option_number);

// A CoAP message the capture cut short: said once, not analysed.
void show_truncated(proto_tree* tree, packet_info* pinfo, Placement place);

}  // namespace coapjws::plugin
