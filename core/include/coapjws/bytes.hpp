// Byte buffers and views used throughout the engine.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coapjws {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}
inline std::string_view as_text(ByteView bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Lower-case hex, two digits per byte ("0a1b").
std::string to_hex(ByteView bytes);
// Accepts upper or lower case, an optional "0x" prefix, and ':' or ' '
// separators between bytes. Returns false on anything else.
[[nodiscard]] bool from_hex(std::string_view text, Bytes& out);

}  // namespace coapjws
