// Capture timestamps as text.
#pragma once

#include <cstdint>
#include <string>

namespace coapjws::scan {

// Seconds since the epoch with 9 decimals: "1700000000.123456789" — the
// form of tshark's frame.time_epoch, and exact (no floating point).
std::string epoch_seconds(std::int64_t time_ns);

// ISO 8601 in UTC with nanoseconds: "2023-11-14T22:13:20.123456789Z".
std::string iso8601_utc(std::int64_t time_ns);

}  // namespace coapjws::scan
