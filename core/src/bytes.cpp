#include "coapjws/bytes.hpp"

namespace coapjws {

std::string to_hex(ByteView bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::uint8_t b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0x0f]);
    }
    return out;
}

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

bool from_hex(std::string_view text, Bytes& out) {
    out.clear();
    if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
    std::size_t i = 0;
    while (i < text.size()) {
        if (i + 1 >= text.size()) return false;
        int hi = hex_value(text[i]);
        int lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
        i += 2;
        // One separator is allowed between bytes, never at either end.
        if (i < text.size() && (text[i] == ':' || text[i] == ' ')) {
            ++i;
            if (i == text.size()) return false;
        }
    }
    return true;
}

}  // namespace coapjws
