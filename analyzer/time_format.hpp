// Capture timestamps as text.
#pragma once

#include <cstdint>
#include <string>

namespace coapjws::scan {

// Now, in ns since the epoch (the wall clock, for report timestamps).
std::int64_t wall_clock_ns();

// Seconds since the epoch with 9 decimals: "1700000000.123456789" — the
// form of tshark's frame.time_epoch, and exact (no floating point).
std::string epoch_seconds(std::int64_t time_ns);

// ISO 8601 in UTC with nanoseconds: "2023-11-14T22:13:20.123456789Z".
std::string iso8601_utc(std::int64_t time_ns);

// Appends iso8601_utc(time_ns) to `out`. Keeps the date and time of day of
// the last whole second it formatted, which the packets of a capture mostly
// share, so a report line costs a few digits instead of gmtime and printf.
class Iso8601Appender {
  public:
    void append(std::string& out, std::int64_t time_ns);

  private:
    std::int64_t second_ = 0;
    bool valid_ = false;
    char prefix_[32] = {};  // "YYYY-MM-DDTHH:MM:SS."
    std::size_t prefix_length_ = 0;
};

}  // namespace coapjws::scan
