// The JOSE header (spec §2) as read by docs/SPEC-NOTES.md: a JSON object in
// valid UTF-8, no duplicate names after unescaping, typed members, `seq` as
// the plain digits of an unsigned 32-bit integer, `isi` from a closed list,
// `crit` naming present members, nesting at most 16 levels.
#include <gtest/gtest.h>

#include "coapjws/jose_header.hpp"

namespace coapjws {
namespace {

JoseHeader parse_ok(std::string_view json) {
    auto h = parse_jose_header(json);
    EXPECT_TRUE(h) << json << ": " << (h ? "" : h.error().message);
    return h ? *h : JoseHeader{};
}

// The header must be rejected, and the reason must contain `what`.
void expect_malformed(std::string_view json, std::string_view what) {
    auto h = parse_jose_header(json);
    ASSERT_FALSE(h) << json;
    EXPECT_NE(h.error().message.find(what), std::string::npos) << json << ": " << h.error().message;
}

// --- well-formed headers ------------------------------------------------------

TEST(JoseHeader, TypicalRequestHeader) {
    const JoseHeader h = parse_ok(R"({"alg":"ES256","kid":"client-1","seq":42})");
    EXPECT_EQ(h.alg, "ES256");
    ASSERT_TRUE(h.algorithm);
    EXPECT_EQ(*h.algorithm, Algorithm::ES256);
    EXPECT_EQ(h.kid, "client-1");
    EXPECT_EQ(h.seq, 42u);
    EXPECT_FALSE(h.isi);
    EXPECT_FALSE(h.crit);
    EXPECT_FALSE(h.x5t);
    EXPECT_FALSE(h.x5t_s256);
    ASSERT_NE(h.key_id(), nullptr);
    EXPECT_EQ(*h.key_id(), "client-1");
    EXPECT_EQ(h.key_id_source(), KeyIdSource::kid);
    EXPECT_FALSE(h.alg_is_none());
    EXPECT_TRUE(check_header_for_kind(h, MessageKind::request));
}

TEST(JoseHeader, WhitespaceAndMemberOrderDoNotMatter) {
    const JoseHeader h =
        parse_ok(" \t\r\n{ \"seq\" : 7 ,\n\"kid\":\"k\" , \"alg\" :\"HS256\" } \n\t");
    EXPECT_EQ(h.alg, "HS256");
    EXPECT_EQ(h.kid, "k");
    EXPECT_EQ(h.seq, 7u);
}

TEST(JoseHeader, EveryAlgorithmName) {
    for (Algorithm alg : all_algorithms) {
        const std::string json =
            std::string(R"({"alg":")") + std::string(algorithm_name(alg)) + "\"}";
        const JoseHeader h = parse_ok(json);
        ASSERT_TRUE(h.algorithm) << json;
        EXPECT_EQ(*h.algorithm, alg);
    }
}

// `none` and unknown names are well-formed headers: the session turns them
// into alg-none and alg-unsupported, not malformed.
TEST(JoseHeader, NoneAndUnknownAlgAreNotMalformed) {
    JoseHeader h = parse_ok(R"({"alg":"none"})");
    EXPECT_TRUE(h.alg_is_none());
    EXPECT_FALSE(h.algorithm);
    for (std::string_view json :
         {R"({"alg":"HS257"})", R"({"alg":"hs256"})", R"({"alg":""})", R"({"alg":"None"})"}) {
        h = parse_ok(json);
        EXPECT_FALSE(h.algorithm) << json;
        EXPECT_FALSE(h.alg_is_none()) << json;
    }
}

TEST(JoseHeader, StringsAreUnescaped) {
    JoseHeader h = parse_ok(R"({"alg":"HS256","kid":"client\u002d1\n\"\\\/"})");
    EXPECT_EQ(h.kid, "client-1\n\"\\/");
    // U+00E9 escaped and raw decode to the same UTF-8 (c3 a9); U+1F600 as a pair.
    h = parse_ok(R"({"alg":"HS256","kid":"caf\u00e9","x5t":"\ud83d\ude00"})");
    EXPECT_EQ(h.kid, "caf\xc3\xa9");
    EXPECT_EQ(h.x5t, "\xf0\x9f\x98\x80");
    h = parse_ok("{\"alg\":\"HS256\",\"kid\":\"caf\xc3\xa9\"}");
    EXPECT_EQ(h.kid, "caf\xc3\xa9");
    // An escaped NUL is a legal character in a JSON string.
    h = parse_ok(R"({"alg":"HS256","kid":"a\u0000b"})");
    EXPECT_EQ(h.kid, std::string("a\0b", 3));
}

TEST(JoseHeader, OtherMembersAreAllowedAndIgnored) {
    const JoseHeader h = parse_ok(
        R"({"typ":"JOSE","alg":"EdDSA","x":{"a":[1,2.5,-3e4,{"b":null}],"kid":7,"kid":8},"y":true,"z":null,"kid":"s"})");
    EXPECT_EQ(h.alg, "EdDSA");
    // The nested "kid" members belong to "x", not to the header.
    EXPECT_EQ(h.kid, "s");
}

TEST(JoseHeader, KeyIdentifierPrecedence) {
    JoseHeader h = parse_ok(R"({"alg":"RS256","x5t":"sha1","x5t#S256":"sha256","kid":"k"})");
    EXPECT_EQ(*h.key_id(), "k");
    EXPECT_EQ(h.key_id_source(), KeyIdSource::kid);
    h = parse_ok(R"({"alg":"RS256","x5t":"sha1","x5t#S256":"sha256"})");
    EXPECT_EQ(*h.key_id(), "sha256");
    EXPECT_EQ(h.key_id_source(), KeyIdSource::x5t_s256);
    h = parse_ok(R"({"alg":"RS256","x5t":"sha1"})");
    EXPECT_EQ(*h.key_id(), "sha1");
    EXPECT_EQ(h.key_id_source(), KeyIdSource::x5t);
    h = parse_ok(R"({"alg":"RS256"})");
    EXPECT_EQ(h.key_id(), nullptr);
    EXPECT_FALSE(h.key_id_source());
    // An empty string is still a key identifier.
    h = parse_ok(R"({"alg":"RS256","kid":""})");
    ASSERT_NE(h.key_id(), nullptr);
    EXPECT_EQ(*h.key_id(), "");
}

TEST(JoseHeader, KeyIdSourceNames) {
    EXPECT_EQ(to_string(KeyIdSource::kid), "kid");
    EXPECT_EQ(to_string(KeyIdSource::x5t_s256), "x5t#S256");
    EXPECT_EQ(to_string(KeyIdSource::x5t), "x5t");
}

// --- seq --------------------------------------------------------------------

TEST(JoseHeaderSeq, Limits) {
    EXPECT_EQ(parse_ok(R"({"alg":"HS256","seq":0})").seq, 0u);
    EXPECT_EQ(parse_ok(R"({"alg":"HS256","seq":4294967295})").seq, 4294967295u);
    EXPECT_EQ(parse_ok(R"({"alg":"HS256","seq":1000000000})").seq, 1000000000u);
    EXPECT_EQ(parse_ok(R"({"alg":"HS256","seq":4294967294 })").seq, 4294967294u);
}

TEST(JoseHeaderSeq, RejectsEverythingButPlainDigits) {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {R"({"alg":"HS256","seq":4294967296})", "exceeds 4294967295"},
        {R"({"alg":"HS256","seq":9999999999})", "exceeds 4294967295"},
        {R"({"alg":"HS256","seq":10000000000})", "exceeds 4294967295"},
        {R"({"alg":"HS256","seq":18446744073709551616})", "exceeds 4294967295"},
        {R"({"alg":"HS256","seq":-0})", "sign"},
        {R"({"alg":"HS256","seq":-1})", "sign"},
        {R"({"alg":"HS256","seq":1.0})", "fraction"},
        {R"({"alg":"HS256","seq":0.5})", "fraction"},
        {R"({"alg":"HS256","seq":1e2})", "exponent"},
        {R"({"alg":"HS256","seq":1E2})", "exponent"},
        {R"({"alg":"HS256","seq":0e0})", "exponent"},
        {R"({"alg":"HS256","seq":1e+2})", "exponent"},
        {R"({"alg":"HS256","seq":"5"})", "seq is a string"},
        {R"({"alg":"HS256","seq":null})", "seq is null"},
        {R"({"alg":"HS256","seq":true})", "seq is a boolean"},
        {R"({"alg":"HS256","seq":[5]})", "seq is an array"},
        {R"({"alg":"HS256","seq":{}})", "seq is an object"},
    };
    for (const auto& [json, what] : cases)
        expect_malformed(json, what);
}

TEST(JoseHeaderSeq, LeadingZerosAreNotJson) {
    expect_malformed(R"({"alg":"HS256","seq":01})", "not valid JSON");
    expect_malformed(R"({"alg":"HS256","seq":00})", "not valid JSON");
    expect_malformed(R"({"alg":"HS256","seq":+1})", "not valid JSON");
    expect_malformed(R"({"alg":"HS256","seq":.5})", "not valid JSON");
}

// --- numbers beyond a double --------------------------------------------------

// RFC 8259 §9 lets a parser limit the range of numbers it accepts. RapidJSON
// refuses, even when it only hands the text on, a number whose exponent is
// above 308 (plus its digits after the point) or whose integer digits grow
// beyond DBL_MAX (1.7976931348623157e308); docs/SPEC-NOTES.md records that
// such a header is malformed, whatever member holds the number. The check is
// on the text: 0e400 is zero, yet refused.
TEST(JoseHeaderNumbers, BeyondDoubleRangeIsMalformed) {
    const std::string nines_309(309, '9');  // ~1e309 > DBL_MAX
    const std::string cases[] = {
        R"({"alg":"HS256","kid":"a","seq":1,"x":1e400})",
        R"({"alg":"HS256","kid":"a","seq":1,"x":-1e400})",
        R"({"alg":"HS256","kid":"a","seq":1,"x":1E+309})",
        R"({"alg":"HS256","kid":"a","seq":1,"x":0e400})",
        R"({"alg":"HS256","kid":"a","seq":1,"x":[1e400]})",
        R"({"alg":"HS256","kid":"a","seq":1,"x":{"y":1e400}})",
        R"({"alg":"HS256","kid":"a","seq":1,"x":)" + nines_309 + "}",
        R"({"alg":"HS256","kid":"a","seq":1e400})",
    };
    for (const std::string& json : cases)
        expect_malformed(json, "Number too big");
}

TEST(JoseHeaderNumbers, WithinDoubleRangeIsShownNotJudged) {
    // The largest exponent, tiny numbers (they round to zero, which RFC 8259
    // allows) and 308 digits all parse; seq is unaffected.
    const std::string cases[] = {
        R"({"alg":"HS256","kid":"a","seq":1,"x":1e308})",
        R"({"alg":"HS256","kid":"a","seq":1,"x":-1.5E+308})",
        R"({"alg":"HS256","kid":"a","seq":1,"x":1e-400})",
        R"({"alg":"HS256","kid":"a","seq":1,"x":)" + std::string(308, '9') + "}",
    };
    for (const std::string& json : cases)
        EXPECT_EQ(parse_ok(json).seq, 1u) << json;
}

// --- isi ----------------------------------------------------------------------

TEST(JoseHeaderIsi, AcceptedValuesAndMeaning) {
    JoseHeader h = parse_ok(R"({"alg":"HS256"})");
    EXPECT_EQ(h.effective_isi(), "01");
    EXPECT_TRUE(h.isi_binds_request_tid());
    EXPECT_FALSE(h.isi_has_own_tid());

    h = parse_ok(R"({"alg":"HS256","isi":"01"})");
    EXPECT_EQ(h.isi, "01");
    EXPECT_TRUE(h.isi_binds_request_tid());
    EXPECT_FALSE(h.isi_has_own_tid());

    h = parse_ok(R"({"alg":"HS256","isi":"10"})");
    EXPECT_EQ(h.effective_isi(), "10");
    EXPECT_FALSE(h.isi_binds_request_tid());
    EXPECT_TRUE(h.isi_has_own_tid());

    h = parse_ok(R"({"alg":"HS256","isi":"11"})");
    EXPECT_TRUE(h.isi_binds_request_tid());
    EXPECT_TRUE(h.isi_has_own_tid());

    // Escaped digits are still the string "10".
    h = parse_ok(R"({"alg":"HS256","isi":"\u0031\u0030"})");
    EXPECT_EQ(h.isi, "10");
}

TEST(JoseHeaderIsi, RejectsOtherValues) {
    for (std::string_view value :
         {R"("00")", R"("99")", R"("1")", R"("011")", R"("")", R"(" 01")", R"("01 ")"}) {
        expect_malformed(std::string(R"({"alg":"HS256","isi":)") + std::string(value) + "}",
                         "is not \"01\"");
    }
    expect_malformed(R"({"alg":"HS256","isi":1})", "isi is a number");
    expect_malformed(R"({"alg":"HS256","isi":11})", "isi is a number");
    expect_malformed(R"({"alg":"HS256","isi":null})", "isi is null");
    expect_malformed(R"({"alg":"HS256","isi":["01"]})", "isi is an array");
}

// --- crit -----------------------------------------------------------------------

TEST(JoseHeaderCrit, NamesPresentMembers) {
    JoseHeader h = parse_ok(R"({"alg":"HS256","seq":1,"crit":["seq"]})");
    ASSERT_TRUE(h.crit);
    EXPECT_EQ(*h.crit, std::vector<std::string>{"seq"});
    EXPECT_TRUE(h.unknown_crit().empty());

    // crit may come before the members it names.
    h = parse_ok(R"({"crit":["isi","seq"],"alg":"HS256","seq":1,"isi":"11"})");
    EXPECT_EQ(*h.crit, (std::vector<std::string>{"isi", "seq"}));
    EXPECT_TRUE(h.unknown_crit().empty());

    // Names other than seq/isi parse, and are reported by unknown_crit().
    h = parse_ok(R"({"alg":"HS256","exp":5,"crit":["exp","seq"],"seq":2})");
    EXPECT_EQ(h.unknown_crit(), std::vector<std::string>{"exp"});
    h = parse_ok(R"({"alg":"HS256","crit":["alg"]})");
    EXPECT_EQ(h.unknown_crit(), std::vector<std::string>{"alg"});
    // Matching is on unescaped names.
    h = parse_ok(R"({"alg":"HS256","s\u0065q":3,"crit":["\u0073eq"]})");
    EXPECT_EQ(h.seq, 3u);
    EXPECT_TRUE(h.unknown_crit().empty());
}

TEST(JoseHeaderCrit, AbsentCritHasNoUnknownNames) {
    EXPECT_TRUE(parse_ok(R"({"alg":"HS256"})").unknown_crit().empty());
}

TEST(JoseHeaderCrit, Malformed) {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {R"({"alg":"HS256","crit":[]})", "crit is an empty array"},
        {R"({"alg":"HS256","crit":"seq","seq":1})", "crit is a string"},
        {R"({"alg":"HS256","crit":null})", "crit is null"},
        {R"({"alg":"HS256","crit":{"seq":1}})", "crit is an object"},
        {R"({"alg":"HS256","seq":1,"crit":["seq",1]})", "crit element #2 is a number"},
        {R"({"alg":"HS256","seq":1,"crit":[["seq"]]})", "crit element #1 is an array"},
        {R"({"alg":"HS256","seq":1,"crit":[{}]})", "crit element #1 is an object"},
        {R"({"alg":"HS256","seq":1,"crit":[null]})", "crit element #1 is null"},
        {R"({"alg":"HS256","crit":["seq"]})", "crit names \"seq\", which is not in the header"},
        {R"({"alg":"HS256","crit":["kid"]})", "crit names \"kid\""},
        {R"({"alg":"HS256","seq":1,"crit":["seq","isi"]})", "crit names \"isi\""},
        {R"({"alg":"HS256","x":{"exp":1},"crit":["exp"]})", "crit names \"exp\""},
    };
    for (const auto& [json, what] : cases)
        expect_malformed(json, what);
}

// --- member types and presence ---------------------------------------------------

TEST(JoseHeaderMembers, AlgRequiredAndString) {
    expect_malformed(R"({})", "alg is missing");
    expect_malformed(R"({"kid":"k","seq":1})", "alg is missing");
    expect_malformed(R"({"alg":null})", "alg is null, not a string");
    expect_malformed(R"({"alg":256})", "alg is a number");
    expect_malformed(R"({"alg":["HS256"]})", "alg is an array");
    expect_malformed(R"({"alg":{"name":"HS256"}})", "alg is an object");
    expect_malformed(R"({"alg":false})", "alg is a boolean");
}

TEST(JoseHeaderMembers, KeyIdentifiersAreStrings) {
    for (std::string_view member : {"kid", "x5t", "x5t#S256"}) {
        for (std::string_view value : {"1", "null", "true", "[\"k\"]", "{}"}) {
            const std::string json = std::string(R"({"alg":"HS256",")") + std::string(member) +
                                     "\":" + std::string(value) + "}";
            expect_malformed(json, std::string(member) + " is ");
        }
    }
}

// --- duplicates ---------------------------------------------------------------------

TEST(JoseHeaderDuplicates, SameNameTwice) {
    expect_malformed(R"({"alg":"HS256","alg":"HS256"})", "duplicate member \"alg\"");
    expect_malformed(R"({"alg":"HS256","kid":"a","kid":"b"})", "duplicate member \"kid\"");
    expect_malformed(R"({"alg":"HS256","seq":1,"seq":1})", "duplicate member \"seq\"");
    expect_malformed(R"({"alg":"HS256","isi":"01","isi":"10"})", "duplicate member \"isi\"");
    expect_malformed(R"({"alg":"HS256","seq":1,"crit":["seq"],"crit":["seq"]})",
                     "duplicate member \"crit\"");
    expect_malformed(R"({"alg":"HS256","x5t":"a","x5t":"a"})", "duplicate member \"x5t\"");
    expect_malformed(R"({"alg":"HS256","x5t#S256":"a","x5t#S256":"a"})",
                     "duplicate member \"x5t#S256\"");
    expect_malformed(R"({"alg":"HS256","typ":"a","typ":"a"})", "duplicate member \"typ\"");
    expect_malformed(R"({"alg":"HS256","":1,"":2})", "duplicate member \"\"");
}

TEST(JoseHeaderDuplicates, DetectedAfterUnescaping) {
    expect_malformed(R"({"alg":"HS256","kid":"a","k\u0069d":"b"})", "duplicate member \"kid\"");
    expect_malformed(R"({"\u0061lg":"HS256","alg":"none"})", "duplicate member \"alg\"");
    expect_malformed(R"({"alg":"HS256","typ":1,"\u0074\u0079\u0070":2})",
                     "duplicate member \"typ\"");
    expect_malformed(R"({"alg":"HS256","x\/y":1,"x/y":2})", "duplicate member \"x/y\"");
    // Escaped and raw non-ASCII spell the same name.
    expect_malformed("{\"alg\":\"HS256\",\"caf\\u00e9\":1,\"caf\xc3\xa9\":2}", "duplicate member");
}

TEST(JoseHeaderDuplicates, SimilarNamesAreDistinct) {
    // Case and an escaped NUL make different names.
    JoseHeader h = parse_ok(R"({"alg":"HS256","KID":"a","kid":"b","kid\u0000":"c"})");
    EXPECT_EQ(h.kid, "b");
    parse_ok(R"({"alg":"HS256","x5t":"a","x5t#S256":"b","x5t#s256":"c"})");
}

TEST(JoseHeaderDuplicates, ManyMembers) {
    // Past the linear scan's limit the names go into a hash set; both must agree.
    std::string json = R"({"alg":"HS256")";
    for (int i = 0; i < 100; ++i)
        json += ",\"m" + std::to_string(i) + "\":" + std::to_string(i);
    parse_ok(json + "}");
    expect_malformed(json + R"(,"m0":0})", "duplicate member \"m0\"");
    expect_malformed(json + R"(,"m99":0})", "duplicate member \"m99\"");
    expect_malformed(json + R"(,"m\u0035":0})", "duplicate member \"m5\"");
    // crit naming one of them is checked against the same set.
    parse_ok(json + R"(,"crit":["m77"]})");
    expect_malformed(json + R"(,"crit":["m100"]})", "crit names \"m100\"");
}

// --- JSON structure --------------------------------------------------------------------

TEST(JoseHeaderJson, NotAnObject) {
    expect_malformed(R"([])", "header is an array");
    expect_malformed(R"([{"alg":"HS256"}])", "header is an array");
    expect_malformed(R"("alg")", "header is a string");
    expect_malformed(R"(1)", "header is a number");
    expect_malformed(R"(true)", "header is a boolean");
    expect_malformed(R"(null)", "header is null");
}

TEST(JoseHeaderJson, NotJson) {
    for (std::string_view json :
         {"", " ", "{", "}", R"({"alg":"HS256",})", R"({'alg':'HS256'})", R"({alg:"HS256"})",
          R"({"alg":"HS256")", R"({"alg" "HS256"})", R"({"alg":"HS256"]})",
          "/*c*/{\"alg\":\"HS256\"}", R"({"alg":"HS\x256"})", R"({"alg":NaN})",
          "\xef\xbb\xbf{\"alg\":\"HS256\"}"}) {
        expect_malformed(json, "not valid JSON");
    }
}

TEST(JoseHeaderJson, TrailingData) {
    expect_malformed(R"({"alg":"HS256"} x)", "not valid JSON");
    expect_malformed(R"({"alg":"HS256"}{})", "not valid JSON");
    expect_malformed(R"({"alg":"HS256"},)", "not valid JSON");
    // A NUL byte would end a C string; here it is trailing data.
    expect_malformed(std::string_view("{\"alg\":\"HS256\"}\0", 16), "trailing data");
    expect_malformed(std::string_view("{\"alg\":\"HS256\"} \0x", 18), "trailing data");
    // ...and inside the object it is an error, not an early end.
    expect_malformed(std::string_view("{\"alg\":\"HS256\"\0}", 16), "not valid JSON");
    // (Split literal: "\0256" would be the octal escape \025 followed by '6',
    // a 15-byte literal read as 16 bytes — ASan found that.)
    expect_malformed(std::string_view("{\"alg\":\"HS\0"
                                      "256\"}",
                                      16),
                     "not valid JSON");
}

TEST(JoseHeaderJson, InvalidUtf8) {
    const std::string_view bad[] = {
        "\xff",              // never valid
        "\xc0\xaf",          // overlong '/'
        "\xe0\x80\xaf",      // overlong, three bytes
        "\xed\xa0\x80",      // UTF-16 surrogate encoded directly
        "\xe2\x82",          // truncated sequence
        "\x80",              // lone continuation byte
        "\xf4\x90\x80\x80",  // above U+10FFFF
    };
    for (std::string_view b : bad) {
        expect_malformed("{\"alg\":\"HS256\",\"kid\":\"a" + std::string(b) + "\"}",
                         "not valid JSON");
        expect_malformed("{\"alg\":\"HS256\",\"a" + std::string(b) + "\":1}", "not valid JSON");
    }
    // Outside strings, any non-ASCII byte is a syntax error.
    expect_malformed("{\"alg\":\"HS256\"}\xc3\xa9", "not valid JSON");
}

TEST(JoseHeaderJson, LoneSurrogateEscapes) {
    expect_malformed(R"({"alg":"HS256","kid":"\ud800"})", "not valid JSON");
    expect_malformed(R"({"alg":"HS256","kid":"\ud800x"})", "not valid JSON");
    expect_malformed(R"({"alg":"HS256","kid":"\udc00"})", "lone surrogate");
    expect_malformed(R"({"alg":"HS256","kid":"a\udfffb"})", "lone surrogate");
    expect_malformed(R"({"alg":"HS256","\udc00":1})", "lone surrogate");
    expect_malformed(R"({"alg":"HS256","x":["\udc00"]})", "lone surrogate");
    // A proper pair and the characters just outside the surrogate range are fine.
    parse_ok(R"({"alg":"HS256","kid":"\ud800\udc00\ud7ff\ue000"})");
}

std::string nested(unsigned levels) {
    // levels counts every container including the header object itself.
    std::string json = R"({"alg":"HS256","x":)";
    for (unsigned i = 1; i < levels; ++i)
        json += "[";
    for (unsigned i = 1; i < levels; ++i)
        json += "]";
    return json + "}";
}

TEST(JoseHeaderJson, NestingLimit) {
    parse_ok(nested(2));
    parse_ok(nested(16));
    expect_malformed(nested(17), "deeper than 16");
    expect_malformed(nested(100000), "deeper than 16");
    // Objects count as levels too.
    std::string json = R"({"alg":"HS256","x":)";
    for (int i = 1; i < 17; ++i)
        json += R"({"y":)";
    json += "1";
    for (int i = 1; i < 17; ++i)
        json += "}";
    expect_malformed(json + "}", "deeper than 16");
}

TEST(JoseHeaderJson, LargeHeader) {
    std::string kid(5000, 'k');
    const JoseHeader h = parse_ok(R"({"alg":"HS256","kid":")" + kid + R"(","seq":1})");
    EXPECT_EQ(h.kid, kid);
}

TEST(JoseHeaderJson, ErrorValuesAreQuotedSafely) {
    auto h = parse_jose_header("{\"alg\":\"HS256\",\"isi\":\"\\u0001\\n" + std::string(100, 'x') +
                               "\"}");
    ASSERT_FALSE(h);
    const std::string& m = h.error().message;
    EXPECT_NE(m.find("\\x01\\n"), std::string::npos) << m;
    EXPECT_NE(m.find("..."), std::string::npos) << m;
    EXPECT_LT(m.size(), 100u) << m;
}

// --- rules that depend on the message kind ----------------------------------------------

TEST(JoseHeaderKind, Request) {
    EXPECT_TRUE(check_header_for_kind(parse_ok(R"({"alg":"HS256","kid":"k","seq":0})"),
                                      MessageKind::request));
    EXPECT_TRUE(check_header_for_kind(parse_ok(R"({"alg":"HS256","x5t":"t","seq":1})"),
                                      MessageKind::request));
    EXPECT_TRUE(check_header_for_kind(parse_ok(R"({"alg":"HS256","x5t#S256":"t","seq":1})"),
                                      MessageKind::request));
    // isi in a request is the session's warning, not an error here.
    EXPECT_TRUE(check_header_for_kind(parse_ok(R"({"alg":"HS256","kid":"k","seq":0,"isi":"10"})"),
                                      MessageKind::request));

    auto s = check_header_for_kind(parse_ok(R"({"alg":"HS256","seq":1})"), MessageKind::request);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("no key identifier"), std::string::npos) << s.error().message;
    s = check_header_for_kind(parse_ok(R"({"alg":"HS256","kid":"k"})"), MessageKind::request);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("no seq"), std::string::npos) << s.error().message;
}

TEST(JoseHeaderKind, Response) {
    // isi absent or "01": the response has no TID of its own; nothing required.
    EXPECT_TRUE(check_header_for_kind(parse_ok(R"({"alg":"HS256"})"), MessageKind::response));
    EXPECT_TRUE(
        check_header_for_kind(parse_ok(R"({"alg":"HS256","isi":"01"})"), MessageKind::response));
    EXPECT_TRUE(
        check_header_for_kind(parse_ok(R"({"alg":"HS256","kid":"s"})"), MessageKind::response));
    // "10" and "11" need both the key identifier and seq.
    for (std::string_view isi : {"10", "11"}) {
        const std::string base = std::string(R"({"alg":"HS256","isi":")") + std::string(isi) + "\"";
        EXPECT_TRUE(check_header_for_kind(parse_ok(base + R"(,"kid":"s","seq":9})"),
                                          MessageKind::response));
        auto s = check_header_for_kind(parse_ok(base + R"(,"seq":9})"), MessageKind::response);
        ASSERT_FALSE(s) << isi;
        EXPECT_NE(s.error().message.find("no key identifier"), std::string::npos)
            << s.error().message;
        s = check_header_for_kind(parse_ok(base + R"(,"kid":"s"})"), MessageKind::response);
        ASSERT_FALSE(s) << isi;
        EXPECT_NE(s.error().message.find("no seq"), std::string::npos) << s.error().message;
    }
}

TEST(JoseHeaderKind, EmptyAndUnknownRequireNothing) {
    const JoseHeader h = parse_ok(R"({"alg":"HS256"})");
    EXPECT_TRUE(check_header_for_kind(h, MessageKind::empty));
    EXPECT_TRUE(check_header_for_kind(h, MessageKind::unknown));
}

}  // namespace
}  // namespace coapjws

// Where each member's value is in the text, for the plugin's decoded-header
// view: the token as sent, quotes and escapes included.
namespace coapjws {
namespace {

std::string_view at(std::string_view text, TextSpan span) {
    return text.substr(span.offset, span.length);
}

TEST(JoseHeaderSpans, PointAtEachValueToken) {
    const std::string text =
        R"({ "alg" : "ES256", "kid":"k\u0069d-1","x5t":"AA","x5t#S256" :"BB",)"
        "\n\t\"seq\":\t42 ,\"isi\":\"10\",\"crit\": [ \"seq\" ,\"isi\"],\"typ\":{\"a\":[1]}}";
    Result<JoseHeader> h = parse_jose_header(text);
    ASSERT_TRUE(h.has_value()) << h.error().message;
    EXPECT_EQ(at(text, h->spans.alg), R"("ES256")");
    EXPECT_EQ(at(text, h->spans.kid), R"("k\u0069d-1")");
    EXPECT_EQ(*h->kid, "kid-1");
    EXPECT_EQ(at(text, h->spans.x5t), R"("AA")");
    EXPECT_EQ(at(text, h->spans.x5t_s256), R"("BB")");
    EXPECT_EQ(at(text, h->spans.seq), "42");
    EXPECT_EQ(at(text, h->spans.isi), R"("10")");
    EXPECT_EQ(at(text, h->spans.crit), R"([ "seq" ,"isi"])");
    ASSERT_EQ(h->spans.crit_names.size(), 2u);
    EXPECT_EQ(at(text, h->spans.crit_names[0]), R"("seq")");
    EXPECT_EQ(at(text, h->spans.crit_names[1]), R"("isi")");
}

TEST(JoseHeaderSpans, NonAsciiTextCountsBytes) {
    const std::string text = "{\"kid\":\"\xc3\xa9t\xc3\xa9\",\"alg\":\"HS256\",\"seq\":7}";
    Result<JoseHeader> h = parse_jose_header(text);
    ASSERT_TRUE(h.has_value()) << h.error().message;
    EXPECT_EQ(at(text, h->spans.kid), "\"\xc3\xa9t\xc3\xa9\"");
    EXPECT_EQ(at(text, h->spans.alg), R"("HS256")");
    EXPECT_EQ(at(text, h->spans.seq), "7");
}

// The session parses every header into one JoseHeader: nothing of a rich
// header may survive into the next, leaner one, nor of a header that failed.
TEST(JoseHeaderSpans, AReusedHeaderKeepsNothingOfThePreviousOne) {
    const std::string rich =
        R"({"alg":"ES256","kid":"a","x5t":"AA","x5t#S256":"BB","seq":7,"isi":"10",)"
        R"("crit":["seq","isi"]})";
    const std::string lean = R"({"alg":"HS256"})";
    JoseHeader reused;
    ASSERT_TRUE(parse_jose_header(rich, reused));
    ASSERT_TRUE(parse_jose_header(lean, reused));
    EXPECT_EQ(reused.alg, "HS256");
    EXPECT_EQ(reused.algorithm, Algorithm::HS256);
    EXPECT_FALSE(reused.kid);
    EXPECT_FALSE(reused.x5t);
    EXPECT_FALSE(reused.x5t_s256);
    EXPECT_FALSE(reused.seq);
    EXPECT_FALSE(reused.isi);
    EXPECT_FALSE(reused.crit);
    EXPECT_EQ(at(lean, reused.spans.alg), R"("HS256")");
    EXPECT_EQ(reused.spans.kid.length, 0u);
    EXPECT_EQ(reused.spans.seq.length, 0u);
    EXPECT_EQ(reused.spans.crit.length, 0u);
    EXPECT_TRUE(reused.spans.crit_names.empty());

    // A header that fails leaves no algorithm behind for the next check.
    ASSERT_TRUE(parse_jose_header(rich, reused));
    EXPECT_FALSE(parse_jose_header(R"({"kid":"a"})", reused));  // no alg
    EXPECT_FALSE(reused.algorithm);

    // Reused or fresh, the same header parses to the same members.
    const Result<JoseHeader> fresh = parse_jose_header(rich);
    ASSERT_TRUE(fresh.has_value());
    ASSERT_TRUE(parse_jose_header(rich, reused));
    EXPECT_EQ(reused.kid, fresh->kid);
    EXPECT_EQ(reused.seq, fresh->seq);
    EXPECT_EQ(reused.isi, fresh->isi);
    EXPECT_EQ(reused.crit, fresh->crit);
    EXPECT_EQ(reused.spans.crit_names.size(), fresh->spans.crit_names.size());
}

}  // namespace
}  // namespace coapjws
