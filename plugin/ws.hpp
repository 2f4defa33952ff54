// Wireshark's headers, included one way everywhere. What differs between the
// releases the plugin builds against (4.0 to 4.6) is in ws_compat.hpp, at the
// end; plugin_want_major/minor come from ws_version.h, so the plugin loads
// into the version it was built against.
#pragma once

// Our exported symbols (plugin_version ...) must be marked for export.
#ifndef WS_BUILD_DLL
#define WS_BUILD_DLL
#endif

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/proto_data.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <epan/uat.h>
#include <ws_symbol_export.h>
#include <ws_version.h>
#include <wsutil/filesystem.h>
#include <wsutil/report_message.h>

#if __has_include(<wsutil/plugins.h>)
// Where it exists it declares plugin_describe()'s flags (4.4 and 4.6 do;
// Debian's 4.0 package does not install the header).
#include <wsutil/plugins.h>
#endif

#include "ws_compat.hpp"
