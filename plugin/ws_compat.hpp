// What differs between the Wireshark releases the plugin builds against
// (4.0, 4.2, 4.4 and 4.6), in one place, so the rest of the plugin is written
// once. Included by ws.hpp after Wireshark's headers.
//
// - Names that exist only from some release on are chosen by the release
//   (ws_version.h): both sides of these guards were compiled against 4.0 and
//   4.4/4.6.
// - Signatures that changed are followed by their declared type rather than
//   by a release number, so the right form is picked on every release,
//   including 4.2, without having to know in which one the change landed.
#pragma once

#include <cstdint>
#include <type_traits>

// True when building against Wireshark major.minor or later.
#define COAPJWS_WIRESHARK_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) ||        \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

namespace coapjws::plugin::wscompat {

// 4.4 renamed the tvb getters to C99 names and deprecated the GLib-named ones
// (tvb_get_guint8 warns there); 4.0 has only tvb_get_guint8.
inline std::uint8_t get_uint8(tvbuff_t* tvb, int offset) {
#if COAPJWS_WIRESHARK_AT_LEAST(4, 4)
    return tvb_get_uint8(tvb, offset);
#else
    return tvb_get_guint8(tvb, offset);
#endif
}

// The offset of the first `needle` in `max_length` bytes from `offset`, or
// -1 (tvb_find_guint8 in 4.0, renamed and the old name deprecated in 4.4).
inline int find_uint8(tvbuff_t* tvb, int offset, int max_length, std::uint8_t needle) {
#if COAPJWS_WIRESHARK_AT_LEAST(4, 4)
    return tvb_find_uint8(tvb, offset, max_length, needle);
#else
    return tvb_find_guint8(tvb, offset, max_length, needle);
#endif
}

// A UAT record check returns gboolean in 4.0 and bool in 4.4 and 4.6 (a
// gboolean function no longer converts to uat_update_cb_t there). The type is
// taken from the callback type the headers declare.
using UatCheckResult = std::invoke_result_t<uat_update_cb_t, void*, char**>;
inline constexpr UatCheckResult uat_valid = true;
inline constexpr UatCheckResult uat_invalid = false;

namespace detail {
template <typename Function>
struct FifthParameter;
template <typename R, typename A, typename B, typename C, typename D, typename E>
struct FifthParameter<R (*)(A, B, C, D, E)> {
    using type = E;
};
}  // namespace detail

// A boolean preference's variable is a gboolean in 4.0 and a bool from 4.2
// on: the type is taken from prefs_register_bool_preference's declaration.
using PrefBool =
    std::remove_pointer_t<detail::FifthParameter<decltype(&prefs_register_bool_preference)>::type>;

namespace detail {
// The overload the headers declare: (packet_info*, frame number) in 4.0,
// where the list lives in the packet_info of one dissection;
// (frame_data*, frame number) in 4.4 and 4.6, where it is kept with the frame.
template <typename Info>
void mark_depended_upon(Info* pinfo, std::uint32_t frame) {
    if constexpr (std::is_invocable_v<decltype(&mark_frame_as_depended_upon), Info*,
                                      std::uint32_t>) {
        mark_frame_as_depended_upon(pinfo, frame);
    } else {
        mark_frame_as_depended_upon(pinfo->fd, frame);
    }
}
}  // namespace detail

// Tells Wireshark that the frame being dissected depends on `frame`, so that
// exporting the displayed packets keeps it. Safe to call on every pass.
inline void depend_on_frame(packet_info* pinfo, std::uint32_t frame) {
    detail::mark_depended_upon(pinfo, frame);
}

namespace detail {
// configuration_init(arg0, namespace) in 4.0 and 4.4, (arg0) in 4.6.
template <typename Char>
char* configure(const Char* arg0) {
    if constexpr (std::is_invocable_v<decltype(&configuration_init), const Char*>) {
        return configuration_init(arg0);
    } else {
        return configuration_init(arg0, nullptr);  // nullptr: the Wireshark namespace
    }
}
}  // namespace detail

// Where Wireshark finds its folders (plugins, profiles), for a program that
// uses libwireshark directly (tests/tshark/field_links.cpp). False, with
// the reason on standard error, when it cannot tell.
inline bool init_configuration(const char* arg0) {
    char* error = detail::configure(arg0);
    if (error)
        g_printerr("%s\n", error);
    g_free(error);
    return error == nullptr;
}

}  // namespace coapjws::plugin::wscompat

// plugin_describe() and its flags (wsutil/plugins.h, which ws.hpp includes
// when it exists; 4.4 and 4.6 have them, 4.0 does not): the macro is the test.
#ifdef WS_PLUGIN_DESC_DISSECTOR
#define COAPJWS_HAVE_PLUGIN_DESCRIBE 1
#else
#define COAPJWS_HAVE_PLUGIN_DESCRIBE 0
#endif
