// What the "coapjws" tap hands its listeners: one TapMessage per CoAP message
// the plugin shows (it carries a JWS option, a finding or a request TID), on
// every pass that shows it, in frame order. The verdict is the stored one
// (the engine's report of the first pass), never recomputed.
//
// C and C++ listeners (register_tap_listener("coapjws", ...)) get a pointer
// to a TapMessage as the packet callback's data, valid during the callback.
// Lua listeners (Listener.new("coapjws")) are called once per message too,
// but Wireshark gives Lua tap data only for its own taps: they read the
// message's coapjws.* fields (README, "Taps").
#pragma once

#include "coapjws/stream_table.hpp"
#include "shown_message.hpp"
#include "ws.hpp"

namespace coapjws::plugin {

struct TapMessage {
    guint32 frame;  // this frame's number in the view (pinfo->num)
    guint index;    // the message's place among the frame's shown messages, from 0
    // What the message adds to its (receiver, key id) stream: the receiver
    // endpoint, the key identifier as sent, the signature status, the count
    // of each finding, and the seq its receiver's window accepted.
    StreamFacts stream;
    // Everything the tree shows: texts (key id, TID, findings and their
    // messages), related frames, the verifying key.
    const ShownMessage* shown;
};

// The tap's id (register_tap("coapjws")), set when the protocol registers.
extern int coapjws_tap;

}  // namespace coapjws::plugin
