// A transport endpoint: IP address and UDP port, as seen in a packet.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace coapjws {

enum class AddressFamily : std::uint8_t { none = 0, ipv4 = 4, ipv6 = 6 };

struct Address {
    AddressFamily family = AddressFamily::none;
    // IPv4 uses the first 4 bytes; the rest stay zero so equality is bytewise.
    std::array<std::uint8_t, 16> bytes{};

    static Address ipv4(const std::uint8_t (&octets)[4]);
    static Address ipv4(std::uint32_t host_order);
    static Address ipv6(const std::uint8_t (&octets)[16]);
    // Parses dotted IPv4 or textual IPv6 (inet_pton rules).
    static std::optional<Address> parse(std::string_view text);

    bool is_multicast() const;
    std::string to_string() const;  // "192.0.2.1", "2001:db8::1"

    friend auto operator<=>(const Address&, const Address&) = default;
};

struct Endpoint {
    Address address;
    std::uint16_t port = 0;

    // "192.0.2.1:5683", "[2001:db8::1]:5683" (IPv6 in brackets).
    std::string to_string() const;
    // Parses the to_string() form.
    static std::optional<Endpoint> parse(std::string_view text);

    friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};

struct AddressHash {
    std::size_t operator()(const Address& a) const noexcept;
};
struct EndpointHash {
    std::size_t operator()(const Endpoint& e) const noexcept;
};

}  // namespace coapjws
