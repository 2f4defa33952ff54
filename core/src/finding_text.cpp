#include "finding_text.hpp"

#include "coapjws/text_escape.hpp"

namespace coapjws::detail {

std::string quoted(std::string_view text, std::size_t max_bytes) {
    std::string out;
    append_quoted(out, text, max_bytes);
    return out;
}

void append_quoted(std::string& out, std::string_view text, std::size_t max_bytes) {
    append_escaped(out, text,
                   TextEscaping{.quote = true,
                                .escape_controls = true,
                                .escape_c1 = false,
                                .invalid = InvalidUtf8::keep,
                                .max_bytes = max_bytes});
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
