#include "address.hpp"

#include <cstring>

namespace coapjws::plugin {

Address to_address(const address& a) noexcept {
    if (a.type == AT_IPv4 && a.len == 4) {
        std::uint8_t octets[4];
        std::memcpy(octets, a.data, 4);
        return Address::ipv4(octets);
    }
    if (a.type == AT_IPv6 && a.len == 16) {
        std::uint8_t octets[16];
        std::memcpy(octets, a.data, 16);
        return Address::ipv6(octets);
    }
    return {};
}

}  // namespace coapjws::plugin
