#include "display_text.hpp"

#include <gtest/gtest.h>

namespace coapjws::plugin {
namespace {

const std::string fffd = "\xEF\xBF\xBD";

TEST(DisplayText, KeepsValidUtf8) {
    EXPECT_EQ(display_text("client-1"), "client-1");
    EXPECT_EQ(display_text("{\"kid\":\"k\xC3\xA9y\"}"), "{\"kid\":\"k\xC3\xA9y\"}");  // é
    EXPECT_EQ(display_text("\xE2\x82\xAC"), "\xE2\x82\xAC");                          // €
    EXPECT_EQ(display_text("\xF0\x9F\x94\x91"), "\xF0\x9F\x94\x91");                  // U+1F511
    EXPECT_EQ(display_text(""), "");
}

TEST(DisplayText, EscapesControlCharacters) {
    EXPECT_EQ(display_text(std::string_view("a\0b", 3)), "a\\x00b");
    EXPECT_EQ(display_text("line\nbreak\x7F"), "line\\x0abreak\\x7f");
}

TEST(DisplayText, ReplacesInvalidSequencesBytewise) {
    // RFC 3629 §3: overlong forms, surrogates and values above U+10FFFF are invalid.
    EXPECT_EQ(display_text("\xC0\xAF"), fffd + fffd);                        // overlong '/'
    EXPECT_EQ(display_text("\xED\xA0\x80"), fffd + fffd + fffd);             // U+D800
    EXPECT_EQ(display_text("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // U+110000
    EXPECT_EQ(display_text("ok\xFF"), "ok" + fffd);
    EXPECT_EQ(display_text("\xE2\x82"), fffd + fffd);  // cut short
}

}  // namespace
}  // namespace coapjws::plugin
