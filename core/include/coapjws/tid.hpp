// Transaction ID: a key identifier and a sequence number (spec §2).
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace coapjws {

struct Tid {
    std::string key_id;
    std::uint32_t seq = 0;

    std::string to_string() const;  // "KEYID:SEQ", e.g. "client-1:42"
    friend auto operator<=>(const Tid&, const Tid&) = default;
};

}  // namespace coapjws
