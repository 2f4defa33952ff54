#include "text_sanitize.hpp"

#include <cstdint>

namespace coapjws::scan {

namespace {

void append_hex_escape(std::string& out, std::uint8_t byte) {
    static constexpr char digits[] = "0123456789abcdef";
    out += "\\x";
    out += digits[byte >> 4];
    out += digits[byte & 0x0f];
}

// Length of the well-formed UTF-8 sequence starting at text[i] (RFC 3629:
// no overlongs, no surrogates, nothing above U+10FFFF), or 0.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
    const std::uint8_t b0 = byte(i);
    std::size_t length = 0;
    std::uint8_t lo = 0x80, hi = 0xbf;  // allowed range of the second byte
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        length = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        length = 3;
        if (b0 == 0xe0)
            lo = 0xa0;
        if (b0 == 0xed)
            hi = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        length = 4;
        if (b0 == 0xf0)
            lo = 0x90;
        if (b0 == 0xf4)
            hi = 0x8f;
    } else {
        return 0;
    }
    if (i + length > text.size())
        return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi)
        return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xbf)
            return 0;
    }
    return length;
}

}  // namespace

void append_sanitized(std::string& out, std::string_view text, bool escape_controls) {
    out.reserve(out.size() + text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto b = static_cast<std::uint8_t>(text[i]);
        if (b < 0x80) {
            if (escape_controls && (b < 0x20 || b == 0x7f)) {
                append_hex_escape(out, b);
            } else {
                out += static_cast<char>(b);
            }
            ++i;
            continue;
        }
        std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            append_hex_escape(out, b);
            ++i;
            continue;
        }
        // C1 controls (U+0080..U+009F) act as escape introducers on some terminals.
        if (escape_controls && length == 2 && b == 0xc2 &&
            static_cast<std::uint8_t>(text[i + 1]) < 0xa0) {
            append_hex_escape(out, b);
            append_hex_escape(out, static_cast<std::uint8_t>(text[i + 1]));
        } else {
            out.append(text.substr(i, length));
        }
        i += length;
    }
}

}  // namespace coapjws::scan
