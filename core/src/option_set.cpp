#include "coapjws/option_set.hpp"

#include <array>
#include <charconv>

namespace coapjws {

namespace {
struct OptionName {
    std::string_view name;
    std::uint16_t number;
};

// Names from the IANA "CoAP Option Numbers" registry (RFC 7252 §12.2 and later
// RFCs), matched without regard to case so "uri-path" and "Uri-Path" both work.
constexpr std::array<OptionName, 27> option_names{{
    {"If-Match", 1},   {"Uri-Host", 3},        {"ETag", 4},          {"If-None-Match", 5},
    {"Observe", 6},    {"Uri-Port", 7},        {"Location-Path", 8}, {"OSCORE", 9},
    {"Uri-Path", 11},  {"Content-Format", 12}, {"Max-Age", 14},      {"Uri-Query", 15},
    {"Hop-Limit", 16}, {"Accept", 17},         {"Q-Block1", 19},     {"Location-Query", 20},
    {"EDHOC", 21},     {"Block2", 23},         {"Block1", 27},       {"Size2", 28},
    {"Q-Block2", 31},  {"Proxy-Uri", 35},      {"Proxy-Scheme", 39}, {"Size1", 60},
    {"Echo", 252},     {"No-Response", 258},   {"Request-Tag", 292},
}};

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

Result<std::uint16_t> parse_item(std::string_view item) {
    if (item.empty())
        return fail(ErrorCode::invalid_argument, "empty item in option list");
    if (item[0] >= '0' && item[0] <= '9') {
        unsigned value = 0;
        auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
        if (ec != std::errc() || end != item.data() + item.size() || value > 65535) {
            return fail(ErrorCode::invalid_argument,
                        "option number '" + std::string(item) + "' is not an integer 0-65535");
        }
        return static_cast<std::uint16_t>(value);
    }
    for (const auto& entry : option_names) {
        if (equal_ignoring_case(item, entry.name))
            return entry.number;
    }
    return fail(ErrorCode::invalid_argument, "unknown option name '" + std::string(item) + "'");
}
}  // namespace

std::string_view option_name(std::uint16_t number) {
    for (const auto& entry : option_names) {
        if (entry.number == number)
            return entry.name;
    }
    return {};
}

OptionSet OptionSet::default_signed() {
    OptionSet set;
    for (unsigned n : {1u, 4u, 5u, 8u, 11u, 12u, 15u, 17u, 20u})
        set.insert(static_cast<std::uint16_t>(n));
    return set;
}

Result<OptionSet> OptionSet::parse(std::string_view list) {
    OptionSet set;
    if (trim(list).empty())
        return set;
    while (true) {
        const std::size_t comma = list.find(',');
        auto number = parse_item(trim(list.substr(0, comma)));
        if (!number)
            return number.error();
        set.insert(*number);
        if (comma == std::string_view::npos)
            break;
        list.remove_prefix(comma + 1);
    }
    return set;
}

std::vector<std::uint16_t> OptionSet::numbers() const {
    std::vector<std::uint16_t> out;
    out.reserve(bits_.count());
    for (std::size_t n = 0; n < bits_.size(); ++n) {
        if (bits_.test(n))
            out.push_back(static_cast<std::uint16_t>(n));
    }
    return out;
}

std::string OptionSet::to_string() const {
    std::string out;
    for (std::uint16_t n : numbers()) {
        if (!out.empty())
            out += ',';
        out += std::to_string(n);
    }
    return out;
}

}  // namespace coapjws
