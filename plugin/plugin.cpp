// The symbols Wireshark looks up when it loads coapjws.so.
//
// In C++ a namespace-scope const variable has internal linkage unless it is
// declared extern: without the declarations below Wireshark would not find
// plugin_version and friends and would silently skip the plugin.
#include "dissector.hpp"
#include "ws.hpp"

#ifndef COAPJWS_VERSION
#define COAPJWS_VERSION "0.0.0"
#endif

extern "C" {
WS_DLL_PUBLIC_DEF extern const char plugin_version[];
WS_DLL_PUBLIC_DEF extern const int plugin_want_major;
WS_DLL_PUBLIC_DEF extern const int plugin_want_minor;
WS_DLL_PUBLIC_DEF void plugin_register(void);
#if COAPJWS_HAVE_PLUGIN_DESCRIBE
WS_DLL_PUBLIC_DEF uint32_t plugin_describe(void);
#endif
}

// The plugin loads only into the Wireshark major.minor it was built against.
const char plugin_version[] = COAPJWS_VERSION;
const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

namespace {
void proto_register_coapjws() {
    coapjws::plugin::register_protocol();
}
void proto_reg_handoff_coapjws() {
    coapjws::plugin::register_handoff();
}
}  // namespace

void plugin_register(void) {
    static proto_plugin plugin;
    plugin.register_protoinfo = proto_register_coapjws;
    plugin.register_handoff = proto_reg_handoff_coapjws;
    proto_register_plugin(&plugin);
}

#if COAPJWS_HAVE_PLUGIN_DESCRIBE
// What Wireshark lists for the plugin (About → Plugins): a dissector.
uint32_t plugin_describe(void) {
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif
