// Wireshark's headers, included one way everywhere. The plugin uses only API
// that 4.0 to 4.4 share; the one addition of 4.2+, plugin_describe(), is
// detected by its header and macro (plugin.cpp), and plugin_want_major/minor
// come from ws_version.h, so the plugin loads into the version it was built
// against.
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

