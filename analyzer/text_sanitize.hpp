// Making untrusted text safe to print. Key identifiers, finding messages and
// file names can carry bytes chosen by whoever crafted the capture; written
// raw they could forge report lines or send escape sequences to a terminal.
#pragma once

#include <string>
#include <string_view>

namespace coapjws::scan {

// Appends `text` with invalid UTF-8 bytes written as "\xNN". With
// `escape_controls`, also C0 controls (newline included) and DEL — so the
// result is one line, safe for terminals and XML 1.0.
void append_sanitized(std::string& out, std::string_view text, bool escape_controls);

inline std::string sanitized(std::string_view text, bool escape_controls = true) {
    std::string out;
    append_sanitized(out, text, escape_controls);
    return out;
}

}  // namespace coapjws::scan
