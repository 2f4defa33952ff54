// The post-dissector: finds the frame's CoAP messages, analyses them on the
// first pass and shows the stored results on every pass.
#pragma once

namespace coapjws::plugin {

// Registers the protocol, preferences, post-dissector and the init/cleanup
// routines (proto_register_coapjws).
void register_protocol();
// Asks for CoAP's tree items (proto_reg_handoff_coapjws).
void register_handoff();

}  // namespace coapjws::plugin
