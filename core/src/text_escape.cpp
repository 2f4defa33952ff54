#include "coapjws/text_escape.hpp"

#include <algorithm>

namespace coapjws {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";
constexpr std::string_view replacement_character = "\xEF\xBF\xBD";
// A UTF-8 character has at most 3 bytes after its first.
constexpr std::size_t max_continuation_bytes = 3;

void append_hex(std::string& out, unsigned char byte) {
    out += "\\x";
    out.push_back(hex_digits[byte >> 4]);
    out.push_back(hex_digits[byte & 0x0f]);
}

bool is_control(unsigned char c) {
    return c < 0x20 || c == 0x7f;
}

bool is_continuation(unsigned char c) {
    return (c & 0xc0) == 0x80;
}

// An ASCII byte, escaped as `how` says.
void append_ascii(std::string& out, unsigned char c, const TextEscaping& how) {
    if (how.quote && (c == '"' || c == '\\')) {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
        return;
    }
    if (!is_control(c) || !how.escape_controls) {
        out.push_back(static_cast<char>(c));
        return;
    }
    if (how.quote) {
        switch (c) {
            case '\n':
                out += "\\n";
                return;
            case '\r':
                out += "\\r";
                return;
            case '\t':
                out += "\\t";
                return;
            default:
                break;
        }
    }
    append_hex(out, c);
}

}  // namespace

std::size_t utf8_char_length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[at + k]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80)
        return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xbf;  // allowed range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0)
            low = 0xa0;  // no overlong forms
        if (lead == 0xed)
            high = 0x9f;  // no surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0)
            low = 0x90;  // no overlong forms
        if (lead == 0xf4)
            high = 0x8f;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (text.size() - at < length)
        return 0;
    if (byte(1) < low || byte(1) > high)
        return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (!is_continuation(byte(k)))
            return 0;
    }
    return length;
}

bool is_valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_char_length(text, i);
        if (length == 0)
            return false;
        i += length;
    }
    return true;
}

void append_escaped(std::string& out, std::string_view text, const TextEscaping& how) {
    if (how.quote)
        out.push_back('"');
    std::size_t i = 0;
    while (i < text.size()) {
        // Fast path: a run of printable ASCII (a typical key identifier) at once.
        const std::size_t run_end = std::min(text.size(), how.max_bytes);
        std::size_t run = i;
        while (run < run_end) {
            const auto c = static_cast<unsigned char>(text[run]);
            if (is_control(c) || c >= 0x80 || (how.quote && (c == '"' || c == '\\')))
                break;
            ++run;
        }
        out.append(text.data() + i, run - i);
        i = run;
        if (i == text.size())
            break;

        const auto c = static_cast<unsigned char>(text[i]);
        if (i >= how.max_bytes) {
            // Unchecked text is cut before a byte that starts a character;
            // after 3 continuation bytes it is not UTF-8 anyway.
            if (how.invalid != InvalidUtf8::keep || !is_continuation(c) ||
                i >= how.max_bytes + max_continuation_bytes)
                break;
        }
        if (c < 0x80) {
            append_ascii(out, c, how);
            ++i;
            continue;
        }
        if (how.invalid == InvalidUtf8::keep) {
            out.push_back(static_cast<char>(c));
            ++i;
            continue;
        }
        const std::size_t length = utf8_char_length(text, i);
        if (length == 0) {
            if (how.invalid == InvalidUtf8::replace)
                out += replacement_character;
            else
                append_hex(out, c);
            ++i;
            continue;
        }
        const auto second = static_cast<unsigned char>(text[i + 1]);
        if (how.escape_c1 && length == 2 && c == 0xc2 && second < 0xa0) {
            append_hex(out, c);
            append_hex(out, second);
        } else {
            out.append(text.substr(i, length));
        }
        i += length;
    }
    if (how.quote)
        out.push_back('"');
    if (i < text.size())
        out += "...";
}

std::string escaped(std::string_view text, const TextEscaping& how) {
    std::string out;
    out.reserve(text.size() + (how.quote ? 2 : 0));
    append_escaped(out, text, how);
    return out;
}

}  // namespace coapjws
