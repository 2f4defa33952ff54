#include "coapjws/base64url.hpp"

#include <array>

namespace coapjws {

namespace {
constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// 0..63 for alphabet characters, 0xff for everything else.
constexpr std::array<std::uint8_t, 256> make_decode_table() {
    std::array<std::uint8_t, 256> table{};
    table.fill(0xff);
    for (std::uint8_t i = 0; i < 64; ++i)
        table[static_cast<unsigned char>(alphabet[i])] = i;
    return table;
}
constexpr auto decode_table = make_decode_table();

// The decoder's full groups: each character's six bits already shifted to
// their place in a group of four (bits 18, 12, 6, 0), and a bit of its own
// for characters outside the alphabet, so that a group costs four look-ups
// and three ORs (4 KiB of tables).
constexpr std::uint32_t not_in_alphabet = 1u << 31;
constexpr std::array<std::array<std::uint32_t, 256>, 4> make_group_tables() {
    std::array<std::array<std::uint32_t, 256>, 4> tables{};
    for (std::size_t position = 0; position < 4; ++position) {
        for (std::size_t c = 0; c < 256; ++c) {
            const std::uint8_t value = decode_table[c];
            tables[position][c] =
                value == 0xff ? not_in_alphabet : std::uint32_t{value} << (18 - 6 * position);
        }
    }
    return tables;
}
constexpr auto group_tables = make_group_tables();

std::string describe_char(char c) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u < 0x7f)
        return std::string("'") + c + "'";
    static constexpr char digits[] = "0123456789abcdef";
    return std::string("byte 0x") + digits[u >> 4] + digits[u & 0x0f];
}
}  // namespace

// Written through a pointer into the grown string, not push_back: this runs
// over the signed content of every message that is verified.
void base64url_encode_append(ByteView bytes, std::string& out) {
    const std::size_t start = out.size();
    const std::size_t full = bytes.size() / 3;
    const std::size_t rest = bytes.size() - full * 3;
    out.resize(start + full * 4 + (rest == 0 ? 0 : rest + 1));
    char* o = out.data() + start;
    const std::uint8_t* in = bytes.data();
    for (std::size_t g = 0; g < full; ++g, in += 3, o += 4) {
        const std::uint32_t v = static_cast<std::uint32_t>(in[0]) << 16 |
                                static_cast<std::uint32_t>(in[1]) << 8 | in[2];
        o[0] = alphabet[v >> 18 & 63];
        o[1] = alphabet[v >> 12 & 63];
        o[2] = alphabet[v >> 6 & 63];
        o[3] = alphabet[v & 63];
    }
    if (rest == 1) {
        const std::uint32_t v = static_cast<std::uint32_t>(in[0]) << 16;
        o[0] = alphabet[v >> 18 & 63];
        o[1] = alphabet[v >> 12 & 63];
    } else if (rest == 2) {
        const std::uint32_t v =
            static_cast<std::uint32_t>(in[0]) << 16 | static_cast<std::uint32_t>(in[1]) << 8;
        o[0] = alphabet[v >> 18 & 63];
        o[1] = alphabet[v >> 12 & 63];
        o[2] = alphabet[v >> 6 & 63];
    }
}

std::string base64url_encode(ByteView bytes) {
    std::string out;
    base64url_encode_append(bytes, out);
    return out;
}

namespace {
// The error for the first byte of text[from, from + count) outside the alphabet.
Error bad_character(std::string_view text, std::size_t from, std::size_t count) {
    for (std::size_t i = from; i < from + count; ++i) {
        if (decode_table[static_cast<unsigned char>(text[i])] != 0xff)
            continue;
        if (text[i] == '=')
            return fail(ErrorCode::malformed,
                        "base64url padding '=' at position " + std::to_string(i));
        return fail(ErrorCode::malformed, "base64url: " + describe_char(text[i]) + " at position " +
                                              std::to_string(i) + " is outside the alphabet");
    }
    return fail(ErrorCode::malformed,
                "base64url: bad character");  // not reached: the caller saw one
}
}  // namespace

// Four characters at a time into three bytes written in place: this runs for
// the header and the signature of every signed message.
Status base64url_decode_into(std::string_view text, Bytes& out) {
    const std::size_t n = text.size();
    if (n % 4 == 1) {
        out.clear();
        return fail(ErrorCode::malformed,
                    "base64url length " + std::to_string(n) + " is impossible (4n+1)");
    }
    const std::size_t tail = n % 4;  // 0, 2 or 3 characters after the last full group
    // Every byte is written below, so a reused buffer is only resized: no
    // clear() first, which would make resize() zero-fill it again.
    out.resize(n / 4 * 3 + (tail == 0 ? 0 : tail - 1));
    std::uint8_t* o = out.data();
    const auto at = [&](std::size_t i) -> std::uint32_t {
        return decode_table[static_cast<unsigned char>(text[i])];
    };
    std::size_t i = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(text.data());
    for (; i + 4 <= n; i += 4, in += 4) {
        const std::uint32_t v = group_tables[0][in[0]] | group_tables[1][in[1]] |
                                group_tables[2][in[2]] | group_tables[3][in[3]];
        if (v & not_in_alphabet) {
            out.clear();
            return bad_character(text, i, 4);
        }
        o[0] = static_cast<std::uint8_t>(v >> 16);
        o[1] = static_cast<std::uint8_t>(v >> 8);
        o[2] = static_cast<std::uint8_t>(v);
        o += 3;
    }
    if (tail == 0)
        return {};
    const std::uint32_t a = at(i), b = at(i + 1), c = tail == 3 ? at(i + 2) : 0;
    if ((a | b | c) & 0x80u) {
        out.clear();
        return bad_character(text, i, tail);
    }
    // Leftover bits must be zero, or two texts would decode to the same bytes.
    const std::uint32_t v = a << 18 | b << 12 | c << 6;
    const std::uint32_t unused = tail == 2 ? v & 0xffffu : v & 0xffu;
    if (unused != 0) {
        out.clear();
        return fail(ErrorCode::malformed, "base64url: non-canonical final character");
    }
    o[0] = static_cast<std::uint8_t>(v >> 16);
    if (tail == 3)
        o[1] = static_cast<std::uint8_t>(v >> 8);
    return {};
}

Result<Bytes> base64url_decode(std::string_view text) {
    Bytes out;
    if (auto status = base64url_decode_into(text, out); !status)
        return status.error();
    return out;
}

}  // namespace coapjws
