#include "finding_text.hpp"

#include <algorithm>

namespace coapjws::detail {

namespace {
constexpr std::size_t max_quoted_bytes = 64;
}  // namespace

std::string quoted(std::string_view text) {
    std::string out;
    append_quoted(out, text);
    return out;
}

void append_quoted(std::string& out, std::string_view text) {
    static constexpr char digits[] = "0123456789abcdef";
    out.push_back('"');
    // Fast path: a run of printable ASCII (a typical kid) is appended at once.
    std::size_t i = 0;
    const std::size_t plain_limit = std::min(text.size(), max_quoted_bytes);
    while (i < plain_limit) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
            break;
        ++i;
    }
    out.append(text.data(), i);
    for (; i < text.size(); ++i) {
        // Stop before a byte that starts a character, so no UTF-8 sequence is
        // cut; a UTF-8 character has at most 3 continuation bytes, so stop
        // then anyway (the text is not UTF-8).
        auto c = static_cast<unsigned char>(text[i]);
        if (i >= max_quoted_bytes && ((c & 0xc0) != 0x80 || i >= max_quoted_bytes + 3))
            break;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\x";
                    out.push_back(digits[c >> 4]);
                    out.push_back(digits[c & 0x0f]);
                } else {
                    out.push_back(static_cast<char>(c));
                }
        }
    }
    out.push_back('"');
    if (i < text.size())
        out += "...";
}

std::string key_label(KeyIdSource source, std::string_view id) {
    std::string out;
    append_key_label(out, source, id);
    return out;
}

void append_key_label(std::string& out, KeyIdSource source, std::string_view id) {
    out += to_string(source);
    out.push_back(' ');
    append_quoted(out, id);
}

void append_number(std::string& out, std::uint64_t value) {
    char digits[20];
    std::size_t n = 0;
    do {
        digits[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0)
        out.push_back(digits[--n]);
}

}  // namespace coapjws::detail
