// Statistics → CoAP-JWS Streams and `tshark -z coapjws,streams[,filter]`:
// coapjws-scan's stream table — per (receiver, key id): messages, valid,
// invalid, unverified, the highest seq accepted into the window, findings —
// counted by the engine's StreamTable from the "coapjws" tap.
#pragma once

namespace coapjws::plugin {

// Registers the table with Wireshark's statistics (proto_register).
void register_stream_statistics();

}  // namespace coapjws::plugin
