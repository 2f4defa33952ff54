// CoAP names a scenario author writes ("GET", "2.05", "CON", "uri-path") and
// option values given as text, hex or an unsigned integer (RFC 7252 §3.2).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "coapjws/bytes.hpp"
#include "coapjws/coap_message.hpp"
#include "coapjws/result.hpp"

namespace coapjws::gen {

// "GET" .. "iPATCH", "EMPTY", or "c.dd" (class 0-7, detail 00-31).
Result<std::uint8_t> parse_code(std::string_view text);
// "CON", "NON", "ACK", "RST".
Result<CoapType> parse_type(std::string_view text);
// Registered option names in lower case ("uri-path", "observe"); nullopt otherwise.
std::optional<std::uint16_t> option_number_from_name(std::string_view name);
// The shortest big-endian encoding of `value` (0 is the empty string).
Bytes encode_uint_option(std::uint64_t value);

}  // namespace coapjws::gen
