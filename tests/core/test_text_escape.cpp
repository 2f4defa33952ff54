// The one escaping primitive and the one UTF-8 check: RFC 3629's rules for
// well-formed UTF-8 (its §4 syntax and the §10 examples of what must be
// refused), and each of the escapings the engine and the front ends use.
#include <gtest/gtest.h>

#include <string>

#include "coapjws/text_escape.hpp"

namespace coapjws {
namespace {

TEST(Utf8, WellFormedCharacters) {
    EXPECT_EQ(utf8_char_length("a", 0), 1u);
    EXPECT_EQ(utf8_char_length("\xC2\x80", 0), 2u);          // U+0080
    EXPECT_EQ(utf8_char_length("\xDF\xBF", 0), 2u);          // U+07FF
    EXPECT_EQ(utf8_char_length("\xE0\xA0\x80", 0), 3u);      // U+0800
    EXPECT_EQ(utf8_char_length("\xED\x9F\xBF", 0), 3u);      // U+D7FF
    EXPECT_EQ(utf8_char_length("\xEE\x80\x80", 0), 3u);      // U+E000
    EXPECT_EQ(utf8_char_length("\xF0\x90\x80\x80", 0), 4u);  // U+10000
    EXPECT_EQ(utf8_char_length("\xF4\x8F\xBF\xBF", 0), 4u);  // U+10FFFF
    EXPECT_EQ(utf8_char_length("x\xE2\x82\xAC", 1), 3u);     // at an offset
    EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91"));
    EXPECT_TRUE(is_valid_utf8(""));
}

TEST(Utf8, IllFormedSequencesAreRefused) {
    EXPECT_EQ(utf8_char_length("\x80", 0), 0u);              // a lone continuation byte
    EXPECT_EQ(utf8_char_length("\xC0\xAF", 0), 0u);          // overlong '/'
    EXPECT_EQ(utf8_char_length("\xC1\xBF", 0), 0u);          // overlong
    EXPECT_EQ(utf8_char_length("\xE0\x9F\xBF", 0), 0u);      // overlong U+07FF
    EXPECT_EQ(utf8_char_length("\xED\xA0\x80", 0), 0u);      // surrogate U+D800
    EXPECT_EQ(utf8_char_length("\xF0\x8F\xBF\xBF", 0), 0u);  // overlong U+FFFF
    EXPECT_EQ(utf8_char_length("\xF4\x90\x80\x80", 0), 0u);  // above U+10FFFF
    EXPECT_EQ(utf8_char_length("\xF5\x80\x80\x80", 0), 0u);
    EXPECT_EQ(utf8_char_length("\xFF", 0), 0u);
    EXPECT_EQ(utf8_char_length("\xE2\x82", 0), 0u);      // cut short
    EXPECT_EQ(utf8_char_length("\xE2\x28\xA1", 0), 0u);  // a non-continuation inside
    EXPECT_FALSE(is_valid_utf8("ok\xFF"));
    EXPECT_FALSE(is_valid_utf8("\xE2\x82"));
}

TEST(TextEscape, BareTextEscapesControlsAndInvalidBytes) {
    const TextEscaping bare{};
    EXPECT_EQ(escaped("client-1", bare), "client-1");
    EXPECT_EQ(escaped("caf\xC3\xA9", bare), "caf\xC3\xA9");
    EXPECT_EQ(escaped(std::string_view("a\0b\n\x7F", 5), bare), "a\\x00b\\x0a\\x7f");
    EXPECT_EQ(escaped("\xC3", bare), "\\xc3");
    EXPECT_EQ(escaped("\xED\xA0\x80", bare), "\\xed\\xa0\\x80");
    EXPECT_EQ(escaped("\xC2\x9B", bare), "\xC2\x9B");  // C1 kept unless asked
    EXPECT_EQ(escaped("\xC2\x9B", TextEscaping{.escape_c1 = true}), "\\xc2\\x9b");
}

TEST(TextEscape, ControlsMayBeKept) {
    const TextEscaping keep_controls{.escape_controls = false};
    EXPECT_EQ(escaped("a\nb", keep_controls), "a\nb");
    EXPECT_EQ(escaped("\xFF", keep_controls), "\\xff");
}

TEST(TextEscape, InvalidBytesMayBeReplacedOrKept) {
    const std::string fffd = "\xEF\xBF\xBD";
    EXPECT_EQ(escaped("ok\xFF", TextEscaping{.invalid = InvalidUtf8::replace}), "ok" + fffd);
    EXPECT_EQ(escaped("\xE2\x82", TextEscaping{.invalid = InvalidUtf8::replace}), fffd + fffd);
    EXPECT_EQ(escaped("ok\xFF", TextEscaping{.invalid = InvalidUtf8::keep}), "ok\xFF");
}

TEST(TextEscape, QuotedTextEscapesQuotesAndUsesShortForms) {
    const TextEscaping quoted{.quote = true};
    EXPECT_EQ(escaped("a\"b\\c", quoted), R"("a\"b\\c")");
    EXPECT_EQ(escaped("l1\nl2\r\t\x01", quoted), R"("l1\nl2\r\t\x01")");
    EXPECT_EQ(escaped("", quoted), R"("")");
}

TEST(TextEscape, LongTextIsCutAtACharacter) {
    const TextEscaping cut{.quote = true, .max_bytes = 4};
    EXPECT_EQ(escaped("abcd", cut), R"("abcd")");
    EXPECT_EQ(escaped("abcdef", cut), R"("abcd"...)");
    // A character that starts inside the budget is shown whole.
    EXPECT_EQ(escaped("abc\xE2\x82\xAC"
                      "def",
                      cut),
              "\"abc\xE2\x82\xAC\"...");
    // Unchecked text is cut before a byte that starts a character, at most
    // three continuation bytes past the budget.
    const TextEscaping unchecked{.quote = true, .invalid = InvalidUtf8::keep, .max_bytes = 4};
    EXPECT_EQ(escaped("abc\xE2\x82\xAC"
                      "def",
                      unchecked),
              "\"abc\xE2\x82\xAC\"...");
    EXPECT_EQ(escaped("abcd\x80\x80\x80\x80\x80", unchecked), "\"abcd\x80\x80\x80\"...");
}

}  // namespace
}  // namespace coapjws
