// Wireshark's addresses (pinfo->src, pinfo->dst) as the engine's.
#pragma once

#include "coapjws/endpoint.hpp"
#include "ws.hpp"

namespace coapjws::plugin {

// IPv4 and IPv6 addresses; anything else is an empty Address.
Address to_address(const address& a) noexcept;

}  // namespace coapjws::plugin
