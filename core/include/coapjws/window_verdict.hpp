// What a receiver's replay window (spec §5) makes of a TID's seq.
#pragma once

#include <cstdint>
#include <string_view>

namespace coapjws {

enum class WindowVerdict : std::uint8_t {
    accepted,       // new: the window now holds it
    replay,         // already accepted
    out_of_window,  // below the window
    seq_exhausted,  // the window accepted 4294967295: no seq is new any more
};

std::string_view to_string(WindowVerdict verdict);  // "accepted", "replay", "out-of-window", ...

}  // namespace coapjws
