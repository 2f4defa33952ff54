// Timestamps as text, against dates computed independently (date -u -d @N).
#include "time_format.hpp"

#include <gtest/gtest.h>

namespace coapjws::scan {
namespace {

TEST(TimeFormat, EpochSecondsNineDecimals) {
    EXPECT_EQ(epoch_seconds(0), "0.000000000");
    EXPECT_EQ(epoch_seconds(1'700'000'000'123'456'789), "1700000000.123456789");
    EXPECT_EQ(epoch_seconds(1'000'000'001), "1.000000001");
    EXPECT_EQ(epoch_seconds(-500'000'000), "-0.500000000");
}

TEST(TimeFormat, Iso8601Utc) {
    EXPECT_EQ(iso8601_utc(0), "1970-01-01T00:00:00.000000000Z");
    // date -u -d @1700000000 → Tue Nov 14 22:13:20 UTC 2023
    EXPECT_EQ(iso8601_utc(1'700'000'000'123'456'789), "2023-11-14T22:13:20.123456789Z");
    // 2024-02-29 leap day: 1709164800
    EXPECT_EQ(iso8601_utc(1'709'164'800'000'000'000), "2024-02-29T00:00:00.000000000Z");
    EXPECT_EQ(iso8601_utc(-1), "1969-12-31T23:59:59.999999999Z");
}

// The appender keeps the text of the last second; each line must still be
// the whole, right timestamp when the second changes, goes back, or repeats.
TEST(TimeFormat, Iso8601AppenderAcrossSeconds) {
    Iso8601Appender appender;
    std::string out;
    auto text = [&](std::int64_t ns) {
        out = "x";
        appender.append(out, ns);
        return out;
    };
    EXPECT_EQ(text(1'700'000'000'123'456'789), "x2023-11-14T22:13:20.123456789Z");
    EXPECT_EQ(text(1'700'000'000'999'999'999), "x2023-11-14T22:13:20.999999999Z");
    EXPECT_EQ(text(1'700'000'001'000'000'007), "x2023-11-14T22:13:21.000000007Z");
    // Earlier again (merged interfaces): date -u -d @1700000000
    EXPECT_EQ(text(1'700'000'000'000'000'000), "x2023-11-14T22:13:20.000000000Z");
    EXPECT_EQ(text(1'709'164'800'000'000'000), "x2024-02-29T00:00:00.000000000Z");
    EXPECT_EQ(text(-1), "x1969-12-31T23:59:59.999999999Z");
    EXPECT_EQ(text(0), "x1970-01-01T00:00:00.000000000Z");
}

}  // namespace
}  // namespace coapjws::scan
