// Text from the wire made safe to show: Wireshark's string fields expect
// valid UTF-8, and a JOSE header or key identifier may be anything. The
// escaping is the engine's one primitive (coapjws/text_escape.hpp).
#pragma once

#include <string>
#include <string_view>

#include "coapjws/text_escape.hpp"

namespace coapjws::plugin {

// Valid UTF-8 is kept as is, except that C0 control characters and DEL are
// written as \xNN; each byte of an invalid sequence becomes U+FFFD.
inline std::string display_text(std::string_view bytes) {
    return escaped(bytes, TextEscaping{.quote = false,
                                       .escape_controls = true,
                                       .escape_c1 = false,
                                       .invalid = InvalidUtf8::replace});
}

}  // namespace coapjws::plugin
