#include "coapjws/base64url.hpp"

#include <array>

namespace coapjws {

namespace {
constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// 0..63 for alphabet characters, 0xff for everything else.
constexpr std::array<std::uint8_t, 256> make_decode_table() {
    std::array<std::uint8_t, 256> table{};
    table.fill(0xff);
    for (std::uint8_t i = 0; i < 64; ++i) table[static_cast<unsigned char>(alphabet[i])] = i;
    return table;
}
constexpr auto decode_table = make_decode_table();

std::string describe_char(char c) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u < 0x7f) return std::string("'") + c + "'";
    static constexpr char digits[] = "0123456789abcdef";
    return std::string("byte 0x") + digits[u >> 4] + digits[u & 0x0f];
}
}  // namespace

void base64url_encode_append(ByteView bytes, std::string& out) {
    out.reserve(out.size() + (bytes.size() * 4 + 2) / 3);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        std::uint32_t v = static_cast<std::uint32_t>(bytes[i]) << 16 |
                          static_cast<std::uint32_t>(bytes[i + 1]) << 8 | bytes[i + 2];
        out.push_back(alphabet[v >> 18 & 63]);
        out.push_back(alphabet[v >> 12 & 63]);
        out.push_back(alphabet[v >> 6 & 63]);
        out.push_back(alphabet[v & 63]);
    }
    std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        std::uint32_t v = static_cast<std::uint32_t>(bytes[i]) << 16;
        out.push_back(alphabet[v >> 18 & 63]);
        out.push_back(alphabet[v >> 12 & 63]);
    } else if (rest == 2) {
        std::uint32_t v = static_cast<std::uint32_t>(bytes[i]) << 16 |
                          static_cast<std::uint32_t>(bytes[i + 1]) << 8;
        out.push_back(alphabet[v >> 18 & 63]);
        out.push_back(alphabet[v >> 12 & 63]);
        out.push_back(alphabet[v >> 6 & 63]);
    }
}

std::string base64url_encode(ByteView bytes) {
    std::string out;
    base64url_encode_append(bytes, out);
    return out;
}

Status base64url_decode_into(std::string_view text, Bytes& out) {
    out.clear();
    if (text.size() % 4 == 1) {
        return fail("base64url length " + std::to_string(text.size()) + " is impossible (4n+1)");
    }
    out.reserve(text.size() / 4 * 3 + 2);
    std::uint32_t acc = 0;
    unsigned bits = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        std::uint8_t v = decode_table[static_cast<unsigned char>(text[i])];
        if (v == 0xff) {
            if (text[i] == '=') return fail("base64url padding '=' at position " + std::to_string(i));
            return fail("base64url: " + describe_char(text[i]) + " at position " +
                        std::to_string(i) + " is outside the alphabet");
        }
        acc = acc << 6 | v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>(acc >> bits));
            acc &= (1u << bits) - 1;
        }
    }
    // Leftover bits must be zero, or two texts would decode to the same bytes.
    if (acc != 0) return fail("base64url: non-canonical final character");
    return {};
}

Result<Bytes> base64url_decode(std::string_view text) {
    Bytes out;
    if (auto status = base64url_decode_into(text, out); !status) return Unexpected{status.error()};
    return out;
}

}  // namespace coapjws
