// Test bytes written as hex ("40 01 12 34" or "40011234"), for the parsers'
// tests: a typo fails the test that wrote it.
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "coapjws/bytes.hpp"

namespace coapjws::test {

inline Bytes hex(std::string_view text) {
    Bytes out;
    EXPECT_TRUE(from_hex(text, out)) << text;
    return out;
}

}  // namespace coapjws::test
