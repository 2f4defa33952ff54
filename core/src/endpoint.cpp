#include "coapjws/endpoint.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace coapjws {

Address Address::ipv4(const std::uint8_t (&octets)[4]) {
    Address a;
    a.family = AddressFamily::ipv4;
    std::copy(std::begin(octets), std::end(octets), a.bytes.begin());
    return a;
}

Address Address::ipv4(std::uint32_t host_order) {
    const std::uint8_t octets[4] = {
        static_cast<std::uint8_t>(host_order >> 24), static_cast<std::uint8_t>(host_order >> 16),
        static_cast<std::uint8_t>(host_order >> 8), static_cast<std::uint8_t>(host_order)};
    return ipv4(octets);
}

Address Address::ipv6(const std::uint8_t (&octets)[16]) {
    Address a;
    a.family = AddressFamily::ipv6;
    std::copy(std::begin(octets), std::end(octets), a.bytes.begin());
    return a;
}

std::optional<Address> Address::parse(std::string_view text) {
    // inet_pton needs a NUL-terminated string; the longest textual IPv6
    // address ("ffff:...:255.255.255.255") fits in INET6_ADDRSTRLEN.
    char buffer[INET6_ADDRSTRLEN];
    if (text.empty() || text.size() >= sizeof buffer)
        return std::nullopt;
    if (text.find('\0') != std::string_view::npos)
        return std::nullopt;
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';

    Address a;
    if (text.find(':') != std::string_view::npos) {
        if (inet_pton(AF_INET6, buffer, a.bytes.data()) != 1)
            return std::nullopt;
        a.family = AddressFamily::ipv6;
    } else {
        if (inet_pton(AF_INET, buffer, a.bytes.data()) != 1)
            return std::nullopt;
        a.family = AddressFamily::ipv4;
    }
    return a;
}

bool Address::is_multicast() const {
    switch (family) {
        case AddressFamily::ipv4:
            return (bytes[0] & 0xf0) == 0xe0;  // 224.0.0.0/4
        case AddressFamily::ipv6:
            return bytes[0] == 0xff;  // ff00::/8
        case AddressFamily::none:
            return false;
    }
    return false;
}

std::string Address::to_string() const {
    char buffer[INET6_ADDRSTRLEN];
    switch (family) {
        case AddressFamily::ipv4: {
            // Dotted decimal by hand: front ends print two endpoints per
            // report line, and inet_ntop's printf machinery cost more than
            // the rest of the line.
            // At most 15 characters: within std::string's inline buffer.
            std::string text;
            for (std::size_t i = 0; i < 4; ++i) {
                if (i > 0)
                    text += '.';
                char digits[3];
                text.append(digits, std::to_chars(digits, digits + sizeof digits, bytes[i]).ptr);
            }
            return text;
        }
        case AddressFamily::ipv6:
            if (inet_ntop(AF_INET6, bytes.data(), buffer, sizeof buffer))
                return buffer;
            break;
        case AddressFamily::none:
            break;
    }
    return {};
}

std::string Endpoint::to_string() const {
    std::string out;
    if (address.family == AddressFamily::ipv6) {
        // Pushed and appended: GCC 12 at -O3 warns (-Wrestrict, a false
        // positive) on "[" + text and on assigning "[".
        out.push_back('[');
        out += address.to_string();
        out += ']';
    } else {
        out = address.to_string();
    }
    char digits[8];
    digits[0] = ':';
    out.append(digits, std::to_chars(digits + 1, digits + sizeof digits, port).ptr);
    return out;
}

std::optional<Endpoint> Endpoint::parse(std::string_view text) {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos)
        return std::nullopt;
    std::string_view host = text.substr(0, colon);
    std::string_view port_text = text.substr(colon + 1);

    // Port: 1 to 5 plain decimal digits, at most 65535 (no sign, no spaces).
    if (port_text.empty() || port_text.size() > 5)
        return std::nullopt;
    if (!std::all_of(port_text.begin(), port_text.end(),
                     [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    unsigned port = 0;
    std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port > 65535)
        return std::nullopt;

    // IPv6 must be bracketed, IPv4 must not: "::1:5683" would be ambiguous.
    bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
    if (bracketed)
        host = host.substr(1, host.size() - 2);
    auto address = Address::parse(host);
    if (!address)
        return std::nullopt;
    if (bracketed != (address->family == AddressFamily::ipv6))
        return std::nullopt;

    return Endpoint{*address, static_cast<std::uint16_t>(port)};
}

namespace {
// 64-bit mix (splitmix64 finaliser): cheap and spreads every input bit.
std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

std::uint64_t hash_address(const Address& a) {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
    std::memcpy(&hi, a.bytes.data(), 8);
    std::memcpy(&lo, a.bytes.data() + 8, 8);
    return mix(mix(hi ^ static_cast<std::uint64_t>(a.family)) ^ lo);
}
}  // namespace

std::size_t AddressHash::operator()(const Address& a) const noexcept {
    return static_cast<std::size_t>(hash_address(a));
}

std::size_t EndpointHash::operator()(const Endpoint& e) const noexcept {
    return static_cast<std::size_t>(mix(hash_address(e.address) ^ e.port));
}

}  // namespace coapjws
