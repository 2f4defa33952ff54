// Protocols → CoAP-JWS preferences and the `coapjws_keys` table (UAT), and
// the snapshot of both that the analysis is started with.
#pragma once

#include "settings.hpp"

namespace coapjws::plugin {

// Registers the preferences and the table under the protocol's module.
// `on_change` runs when the user applies new preferences or table rows
// (Wireshark then redissects, which restarts the analysis).
void register_prefs(int proto, void (*on_change)());

// The current preference values and table rows.
PluginSettings current_settings();

}  // namespace coapjws::plugin
