// Untrusted text (key ids, messages, file names) made safe for terminals,
// JSON and XML.
#include "text_sanitize.hpp"

#include <gtest/gtest.h>

namespace coapjws::scan {
namespace {

TEST(TextSanitize, PlainTextUnchanged) {
    EXPECT_EQ(sanitized("client-1:42 \xc3\xa9t\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x94\x91"),
              "client-1:42 \xc3\xa9t\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x94\x91");
}

TEST(TextSanitize, ControlsEscaped) {
    EXPECT_EQ(sanitized("a\nb"), "a\\x0ab");
    EXPECT_EQ(sanitized("\x1b[31mred"), "\\x1b[31mred");
    EXPECT_EQ(sanitized(std::string_view("a\0b", 3)), "a\\x00b");
    EXPECT_EQ(sanitized("\x7f"), "\\x7f");
    // C1 control U+009B (CSI) in UTF-8.
    EXPECT_EQ(sanitized("\xc2\x9b"), "\\xc2\\x9b");
    EXPECT_EQ(sanitized("a\nb", false), "a\nb");
}

TEST(TextSanitize, InvalidUtf8Escaped) {
    EXPECT_EQ(sanitized("\xff"), "\\xff");
    EXPECT_EQ(sanitized("\xc3"), "\\xc3");                             // cut sequence
    EXPECT_EQ(sanitized("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
    EXPECT_EQ(sanitized("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // surrogate U+D800
    EXPECT_EQ(sanitized("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
    EXPECT_EQ(sanitized("\xff", false), "\\xff");
}

}  // namespace
}  // namespace coapjws::scan
