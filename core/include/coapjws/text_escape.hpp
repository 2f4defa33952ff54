// Untrusted text made safe to show. Key identifiers, header members, finding
// messages and file names can hold any bytes a capture or a file chose;
// written raw they could forge report lines, break a quoted string or send
// escape sequences to a terminal. This is the one escaping primitive and the
// one UTF-8 check of the project: the engine quotes with it inside finding
// texts, coapjws-scan sanitises its output lines with it and the plugin makes
// Wireshark's string fields with it; each only chooses a TextEscaping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace coapjws {

// Length of the well-formed UTF-8 character at text[at] (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF): 1 for ASCII, 2 to
// 4 otherwise, or 0 when the bytes there are not a character. `at` must be
// inside `text`.
std::size_t utf8_char_length(std::string_view text, std::size_t at);

// Whether all of `text` is well-formed UTF-8.
[[nodiscard]] bool is_valid_utf8(std::string_view text);

// What becomes of a byte that does not start a well-formed UTF-8 character.
enum class InvalidUtf8 : std::uint8_t {
    keep,     // copied as it is (the text is not checked as UTF-8)
    escape,   // \xNN
    replace,  // U+FFFD
};

struct TextEscaping {
    // In double quotes, with " and \ escaped and newline, return and tab as
    // \n \r \t; otherwise bare.
    bool quote = false;
    // C0 controls and DEL as \xNN (short forms when quoting). Off, they are
    // kept: for writers whose format escapes them itself (JSON).
    bool escape_controls = true;
    // C1 controls (U+0080..U+009F) as \xc2\xNN: some terminals read them as
    // escape introducers.
    bool escape_c1 = false;
    InvalidUtf8 invalid = InvalidUtf8::escape;
    // At most this many bytes of `text` are shown, cut before a character
    // (with InvalidUtf8::keep, before a byte that starts one, at most 3
    // continuation bytes later), then "..." (after the closing quote).
    std::size_t max_bytes = std::string_view::npos;
};

void append_escaped(std::string& out, std::string_view text, const TextEscaping& how);
std::string escaped(std::string_view text, const TextEscaping& how);

}  // namespace coapjws
