// Wireshark's headers, included one way everywhere, and the few differences
// between the Wireshark versions the plugin builds against (4.0 to 4.4).
#pragma once

// Our exported symbols (plugin_version ...) must be marked for export.
#ifndef WS_BUILD_DLL
#define WS_BUILD_DLL
#endif

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/uat.h>
#include <ws_symbol_export.h>
#include <ws_version.h>
#include <wsutil/report_message.h>

#if __has_include(<wsutil/plugins.h>)
// 4.2 and later describe what a plugin registers (plugin_describe()).
#include <wsutil/plugins.h>
#endif

#define COAPJWS_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))
