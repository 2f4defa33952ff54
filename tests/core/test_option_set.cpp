// The signed option set (spec §3): the default list, parsing of user lists
// with numbers and IANA option names, and the text form.
#include <gtest/gtest.h>

#include "coapjws/coap_message.hpp"
#include "coapjws/option_set.hpp"

namespace coapjws {
namespace {

TEST(OptionSet, DefaultIsTheProfilesList) {
    const OptionSet set = OptionSet::default_signed();
    // Spec §3: If-Match 1, ETag 4, If-None-Match 5, Location-Path 8, Uri-Path 11,
    // Content-Format 12, Uri-Query 15, Accept 17, Location-Query 20.
    EXPECT_EQ(set.numbers(), (std::vector<std::uint16_t>{1, 4, 5, 8, 11, 12, 15, 17, 20}));
    EXPECT_EQ(set.to_string(), "1,4,5,8,11,12,15,17,20");
    // Options the profile leaves unsigned.
    for (std::uint16_t n :
         {option::uri_host, option::observe, option::uri_port, option::max_age, option::block2,
          option::block1, option::size2, option::proxy_uri, option::proxy_scheme, option::size1,
          option::no_response, option::jws_default}) {
        EXPECT_FALSE(set.contains(n)) << n;
    }
}

TEST(OptionSet, EmptyByDefaultAndFromEmptyText) {
    EXPECT_TRUE(OptionSet().numbers().empty());
    EXPECT_EQ(OptionSet().to_string(), "");
    for (std::string_view text : {"", " ", "\t \n"}) {
        auto set = OptionSet::parse(text);
        ASSERT_TRUE(set) << text;
        EXPECT_EQ(*set, OptionSet()) << text;
    }
}

TEST(OptionSet, ParsesNumbers) {
    auto set = OptionSet::parse("11,15,0,65535");
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(set->numbers(), (std::vector<std::uint16_t>{0, 11, 15, 65535}));
    EXPECT_EQ(set->to_string(), "0,11,15,65535");
}

TEST(OptionSet, ParsesNamesInAnyCase) {
    auto set = OptionSet::parse(
        "uri-path, Uri-Query ,ETAG,if-match,If-None-Match,location-path,"
        "Location-Query,content-format,accept");
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(*set, OptionSet::default_signed());
}

TEST(OptionSet, KnowsRegisteredNames) {
    // IANA CoAP Option Numbers (RFC 7252 §12.2, RFC 7641, RFC 7959, RFC 7967,
    // RFC 8613, RFC 8768, RFC 9175, RFC 9177).
    const std::pair<std::string_view, std::uint16_t> names[] = {
        {"Uri-Host", 3},      {"Observe", 6},    {"Uri-Port", 7},  {"OSCORE", 9},
        {"Max-Age", 14},      {"Hop-Limit", 16}, {"Q-Block1", 19}, {"Block2", 23},
        {"Block1", 27},       {"Size2", 28},     {"Q-Block2", 31}, {"Proxy-Uri", 35},
        {"Proxy-Scheme", 39}, {"Size1", 60},     {"Echo", 252},    {"No-Response", 258},
        {"Request-Tag", 292},
    };
    for (const auto& [name, number] : names) {
        auto set = OptionSet::parse(name);
        ASSERT_TRUE(set) << name;
        EXPECT_EQ(set->numbers(), std::vector<std::uint16_t>{number}) << name;
    }
}

TEST(OptionSet, MixedAndRepeatedItems) {
    auto set = OptionSet::parse(" 11 ,uri-query,15, 60 ,Uri-Path");
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(set->to_string(), "11,15,60");
}

TEST(OptionSet, RejectsBadItems) {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"11,,15", "empty item"},
        {"11,", "empty item"},
        {",11", "empty item"},
        {"65536", "not an integer 0-65535"},
        {"99999999999", "not an integer 0-65535"},
        {"-1", "unknown option name"},
        {"+11", "unknown option name"},
        {"11x", "not an integer"},
        {"0x0b", "not an integer"},
        {"1 1", "not an integer"},
        {"uri path", "unknown option name"},
        {"uri_path", "unknown option name"},
        {"Uri-Paths", "unknown option name"},
        {"jws", "unknown option name"},
    };
    for (const auto& [text, what] : cases) {
        auto set = OptionSet::parse(text);
        ASSERT_FALSE(set) << text;
        EXPECT_NE(set.error().message.find(what), std::string::npos)
            << text << ": " << set.error().message;
    }
}

TEST(OptionSet, ErrorNamesTheItem) {
    auto set = OptionSet::parse("11,Uri-Pth,15");
    ASSERT_FALSE(set);
    EXPECT_NE(set.error().message.find("'Uri-Pth'"), std::string::npos) << set.error().message;
}

TEST(OptionSet, TextRoundTrip) {
    OptionSet set;
    for (std::uint16_t n : {std::uint16_t{65021}, std::uint16_t{3}, std::uint16_t{258}})
        set.insert(n);
    EXPECT_EQ(set.to_string(), "3,258,65021");
    auto back = OptionSet::parse(set.to_string());
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, set);
    EXPECT_NE(*back, OptionSet::default_signed());
}

}  // namespace
}  // namespace coapjws
