#include "finding_text.hpp"

namespace coapjws::detail {

namespace {
constexpr std::size_t max_quoted_bytes = 64;
}  // namespace

std::string quoted(std::string_view text) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() + 2);
    out.push_back('"');
    std::size_t i = 0;
    for (; i < text.size(); ++i) {
        // Stop before a byte that starts a character, so no UTF-8 sequence is cut.
        auto c = static_cast<unsigned char>(text[i]);
        if (i >= max_quoted_bytes && (c & 0xc0) != 0x80)
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
    return out;
}

std::string key_label(KeyIdSource source, std::string_view id) {
    std::string out(to_string(source));
    out.push_back(' ');
    out += quoted(id);
    return out;
}

}  // namespace coapjws::detail
