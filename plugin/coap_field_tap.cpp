#include "coap_field_tap.hpp"

#include "ws.hpp"

namespace coapjws::plugin {

#if !COAPJWS_WIRESHARK_AT_LEAST(4, 6)
namespace {

// The listener's identity for remove_tap_listener(); it holds no data.
int listener_tag = 0;
bool registered = false;

// A packet callback that does nothing, whatever signature tap_packet_cb has
// in this release (4.2 added a flags argument).
template <typename Callback>
struct IgnorePacket;
template <typename Result, typename... Args>
struct IgnorePacket<Result (*)(Args...)> {
    static Result call(Args...) { return TAP_PACKET_DONT_REDRAW; }
};

}  // namespace
#endif

bool want_coap_fields_in_tapped_dissections(bool enabled) {
#if COAPJWS_WIRESHARK_AT_LEAST(4, 6)
    (void)enabled;
    return true;
#else
    if (enabled == registered)
        return true;
    if (!enabled) {
        remove_tap_listener(&listener_tag);
        registered = false;
        return true;
    }
    // "frame" is tapped for every packet. A dissector helper needs neither
    // columns nor a tree of its own: the filter alone primes the fields.
    GString* error = register_tap_listener(
        "frame", &listener_tag, "coap || icmp || icmpv6 || tcp || tcp.payload",
        TL_IS_DISSECTOR_HELPER, nullptr, IgnorePacket<tap_packet_cb>::call, nullptr, nullptr);
    if (error) {
        g_string_free(error, TRUE);
        return false;
    }
    registered = true;
    return true;
#endif
}

}  // namespace coapjws::plugin
