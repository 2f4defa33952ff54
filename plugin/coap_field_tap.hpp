// A tap listener whose only job is to make Wireshark put CoAP's (and ICMP's,
// and TCP's with its payload, for CoAP over plain TCP) items in the tree of
// every dissection that runs taps.
//
// Wireshark before 4.6, loading a file under a read filter (the GUI's File >
// Open read filter, or wireshark -R), dissects each frame first for the read
// filter alone and then for the packet list; neither dissection gets the
// fields a post-dissector asks for with set_postdissector_wanted_hfids(). The
// packet-list dissection does run the taps, and a tap's filter is primed into
// it, so with this listener CoAP's items are there and the dissector can
// analyse the frame on that pass (dissector.cpp). Wireshark 4.6 hands the
// post-dissector its fields in both, so there the listener is not needed.
#pragma once

namespace coapjws::plugin {

// Registers the listener while `enabled` (the protocol is enabled), removes it
// otherwise; calling it again with the same value does nothing. Returns false
// (and leaves it unregistered) if Wireshark refused the listener.
bool want_coap_fields_in_tapped_dissections(bool enabled);

}  // namespace coapjws::plugin
