#include "gen/coap_values.hpp"

#include <array>
#include <charconv>
#include <string>
#include <utility>

namespace coapjws::gen {

namespace {
constexpr std::array<std::pair<std::string_view, std::uint8_t>, 8> method_codes{{
    {"EMPTY", 0x00},
    {"GET", 0x01},
    {"POST", 0x02},
    {"PUT", 0x03},
    {"DELETE", 0x04},
    {"FETCH", 0x05},
    {"PATCH", 0x06},
    {"iPATCH", 0x07},
}};

constexpr std::array<std::pair<std::string_view, std::uint16_t>, 21> option_names{{
    {"if-match", 1},        {"uri-host", 3},        {"etag", 4},          {"if-none-match", 5},
    {"observe", 6},         {"uri-port", 7},        {"location-path", 8}, {"uri-path", 11},
    {"content-format", 12}, {"max-age", 14},        {"uri-query", 15},    {"hop-limit", 16},
    {"accept", 17},         {"location-query", 20}, {"block2", 23},       {"block1", 27},
    {"size2", 28},          {"proxy-uri", 35},      {"proxy-scheme", 39}, {"size1", 60},
    {"no-response", 258},
}};

bool parse_small(std::string_view digits, unsigned& out) {
    if (digits.empty())
        return false;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return ec == std::errc() && end == digits.data() + digits.size();
}
}  // namespace

Result<std::uint8_t> parse_code(std::string_view text) {
    for (const auto& [name, code] : method_codes) {
        if (name == text)
            return code;
    }
    auto dot = text.find('.');
    unsigned cls = 0, detail = 0;
    if (dot == std::string_view::npos || !parse_small(text.substr(0, dot), cls) ||
        text.size() - dot != 3 || !parse_small(text.substr(dot + 1), detail) || cls > 7 ||
        detail > 31) {
        return fail(ErrorCode::invalid_argument,
                    "code \"" + std::string(text) + "\": expected a method name or c.dd");
    }
    return static_cast<std::uint8_t>(cls << 5 | detail);
}

Result<CoapType> parse_type(std::string_view text) {
    if (text == "CON")
        return CoapType::confirmable;
    if (text == "NON")
        return CoapType::non_confirmable;
    if (text == "ACK")
        return CoapType::acknowledgement;
    if (text == "RST")
        return CoapType::reset;
    return fail(ErrorCode::invalid_argument,
                "type \"" + std::string(text) + "\": expected CON, NON, ACK or RST");
}

std::optional<std::uint16_t> option_number_from_name(std::string_view name) {
    for (const auto& [known, number] : option_names) {
        if (known == name)
            return number;
    }
    return std::nullopt;
}

Bytes encode_uint_option(std::uint64_t value) {
    Bytes out;
    for (int shift = 56; shift >= 0; shift -= 8) {
        auto byte = static_cast<std::uint8_t>(value >> shift);
        if (byte != 0 || !out.empty())
            out.push_back(byte);
    }
    return out;
}

}  // namespace coapjws::gen
