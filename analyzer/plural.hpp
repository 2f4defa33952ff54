// "1 packet", "3 packets": a count with the word that fits it, for the
// texts of every report format.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace coapjws::scan {

inline std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace coapjws::scan
