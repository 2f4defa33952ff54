#include "time_format.hpp"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <ctime>

namespace coapjws::scan {

namespace {
constexpr std::int64_t ns_per_s = 1'000'000'000;

// Floor division, so times before 1970 still get a fraction in [0, 1e9).
void split(std::int64_t time_ns, std::int64_t& seconds, std::int64_t& nanos) {
    seconds = time_ns / ns_per_s;
    nanos = time_ns % ns_per_s;
    if (nanos < 0) {
        nanos += ns_per_s;
        --seconds;
    }
}
}  // namespace

std::int64_t wall_clock_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string epoch_seconds(std::int64_t time_ns) {
    // Sign and magnitude: -0.5 s is "-0.500000000".
    const bool negative = time_ns < 0;
    const std::uint64_t magnitude = negative
                                        ? std::uint64_t{0} - static_cast<std::uint64_t>(time_ns)
                                        : static_cast<std::uint64_t>(time_ns);
    char text[48];
    std::snprintf(text, sizeof text, "%s%" PRIu64 ".%09" PRIu64, negative ? "-" : "",
                  magnitude / ns_per_s, magnitude % ns_per_s);
    return text;
}

std::string iso8601_utc(std::int64_t time_ns) {
    std::int64_t seconds = 0, nanos = 0;
    split(time_ns, seconds, nanos);
    std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    if (gmtime_r(&t, &tm) == nullptr)
        return epoch_seconds(time_ns);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%09" PRId64 "Z",
                  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  nanos);
    return text;
}

void Iso8601Appender::append(std::string& out, std::int64_t time_ns) {
    std::int64_t seconds = 0, nanos = 0;
    split(time_ns, seconds, nanos);
    if (!valid_ || seconds != second_) {
        std::time_t t = static_cast<std::time_t>(seconds);
        std::tm tm{};
        if (gmtime_r(&t, &tm) == nullptr) {
            valid_ = false;
            out += epoch_seconds(time_ns);
            return;
        }
        int n = std::snprintf(prefix_, sizeof prefix_, "%04d-%02d-%02dT%02d:%02d:%02d.",
                              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                              tm.tm_sec);
        if (n <= 0 || static_cast<std::size_t>(n) >= sizeof prefix_) {
            valid_ = false;
            out += iso8601_utc(time_ns);
            return;
        }
        prefix_length_ = static_cast<std::size_t>(n);
        second_ = seconds;
        valid_ = true;
    }
    char digits[10];
    for (int i = 8; i >= 0; --i) {
        digits[i] = static_cast<char>('0' + nanos % 10);
        nanos /= 10;
    }
    digits[9] = 'Z';
    out.append(prefix_, prefix_length_);
    out.append(digits, sizeof digits);
}

}  // namespace coapjws::scan
