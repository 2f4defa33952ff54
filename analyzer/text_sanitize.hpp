// Making untrusted text safe to print. Key identifiers, finding messages and
// file names can carry bytes chosen by whoever crafted the capture; written
// raw they could forge report lines or send escape sequences to a terminal.
// The escaping itself is the engine's one primitive (coapjws/text_escape.hpp);
// this is how coapjws-scan's outputs use it.
#pragma once

#include <string>
#include <string_view>

#include "coapjws/text_escape.hpp"

namespace coapjws::scan {

// Invalid UTF-8 bytes as "\xNN". With `escape_controls`, also C0 controls
// (newline included), DEL and C1 controls — so the result is one line, safe
// for terminals and XML 1.0; without, for writers that escape controls
// themselves (JSON).
inline TextEscaping output_escaping(bool escape_controls) {
    return TextEscaping{.quote = false,
                        .escape_controls = escape_controls,
                        .escape_c1 = escape_controls,
                        .invalid = InvalidUtf8::escape};
}

inline void append_sanitized(std::string& out, std::string_view text, bool escape_controls) {
    append_escaped(out, text, output_escaping(escape_controls));
}

inline std::string sanitized(std::string_view text, bool escape_controls = true) {
    return escaped(text, output_escaping(escape_controls));
}

}  // namespace coapjws::scan
