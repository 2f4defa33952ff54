// Text from the wire made safe to show: Wireshark's string fields expect
// valid UTF-8, and a JOSE header or key identifier may be anything.
#pragma once

#include <string>
#include <string_view>

namespace coapjws::plugin {

// Valid UTF-8 is kept as is, except that C0 control characters and DEL are
// written as \xNN; each byte of an invalid sequence becomes U+FFFD.
std::string display_text(std::string_view bytes);

}  // namespace coapjws::plugin
