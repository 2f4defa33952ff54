// Pathological messages at the limits of the wire format: the most options a
// UDP datagram can hold, options and JOSE headers of 64 KiB, deep nesting,
// huge numbers, thousands of members. Each gets the verdict the profile gives
// it (often a perfectly valid one: size alone is no reason to reject) and
// findings whose text stays one short line.
#include <gtest/gtest.h>

#include <string>

#include "coapjws/base64url.hpp"
#include "coapjws/jose_header.hpp"
#include "session_fixture.hpp"

namespace coapjws::test {
namespace {

// Largest UDP payload over IPv4: 65535 - 20 (IP) - 8 (UDP).
constexpr std::size_t max_udp_payload = 65507;
constexpr std::size_t max_finding_text = 512;

class Pathological : public SessionScenario {
  protected:
    void expect_short_findings(const MessageReport& r) {
        for (const Finding& f : r.findings) {
            EXPECT_LE(f.message.size(), max_finding_text) << finding_name(f.id);
            EXPECT_EQ(f.message.find('\n'), std::string::npos);
        }
    }

    // A signed GET whose JWS header is `header_json` (under client-1's key).
    Bytes signed_with_header(CoapMessageSpec spec, const std::string& header_json) {
        return sign(std::move(spec), header_json, key("client-1"));
    }

    // A GET with a JWS option whose signature is garbage.
    Bytes unsigned_with_header(CoapMessageSpec spec, const std::string& header_json) {
        return with_option_text(std::move(spec), base64url_encode(as_bytes(header_json)) + ".." +
                                                     base64url_encode(Bytes(32, 1)));
    }
};

// Request: one empty Uri-Path (RFC 7252 §3.1: first byte 0xB0), then 0x00
// bytes — each a further empty Uri-Path (delta 0, length 0).
Bytes empty_path_options(std::size_t total_size) {
    Bytes message{0x40, 0x01, 0x12, 0x34, 0xb0};
    message.resize(total_size, 0x00);
    return message;
}

TEST_F(Pathological, MaximalOptionCountParses) {
    const Bytes message = empty_path_options(max_udp_payload);
    Result<CoapMessage> parsed = parse_coap(message);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->options.size(), max_udp_payload - 4);
    EXPECT_EQ(parsed->count_options(option::uri_path), max_udp_payload - 4);

    MessageReport r = to_server(message);
    EXPECT_TRUE(r.coap_valid);
    EXPECT_EQ(r.signature, SignatureStatus::none);
    EXPECT_TRUE(r.findings.empty()) << names(r);
}

// The most signed options that fit beside a JWS option, signed correctly:
// verification covers every one of them, and changing the last one breaks it.
TEST_F(Pathological, MaximalSignedOptionCountVerifies) {
    CoapMessageSpec spec = get(1, {0x01}, "");
    const std::size_t paths = 65000;
    spec.options.assign(paths, CoapOptionValue{option::uri_path, {}});
    const Bytes message = signed_with_header(spec, request_header("client-1", 0));
    ASSERT_LE(message.size(), max_udp_payload);

    MessageReport r = to_server(message);
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
    EXPECT_TRUE(r.findings.empty()) << names(r);
    // CODE item (1+4+1) and one OPTION item (1+4+2) per Uri-Path (spec §3).
    ASSERT_TRUE(r.jws);
    EXPECT_EQ(parts_of(message, r).signed_content.size(), 6u + 7u * paths);

    // One more Uri-Path than was signed: the signature no longer holds.
    Result<CoapMessage> parsed = parse_coap(message);
    ASSERT_TRUE(parsed);
    CoapMessageSpec tampered = spec;
    tampered.options.push_back({option::uri_path, {}});
    tampered.options.push_back(
        {option::jws_default, Bytes(parsed->find_option(option::jws_default)->value.begin(),
                                    parsed->find_option(option::jws_default)->value.end())});
    MessageReport t = to_server(encode(tampered));
    EXPECT_EQ(t.signature, SignatureStatus::invalid);
    EXPECT_TRUE(t.has(FindingId::bad_signature)) << names(t);
}

TEST_F(Pathological, ThousandsOfJwsOptionsAreMalformed) {
    CoapMessageSpec spec = get(1, {0x01});
    spec.options.insert(spec.options.end(), 20000, CoapOptionValue{option::jws_default, {}});
    MessageReport r = to_server(encode(spec));
    EXPECT_EQ(r.signature, SignatureStatus::none);
    ASSERT_EQ(ids(r), std::vector<FindingId>{FindingId::malformed}) << names(r);
    EXPECT_NE(r.findings[0].message.find("20000 JWS options"), std::string::npos);
    expect_short_findings(r);
}

// The largest option value the encoding allows: 269 + 65535 bytes.
TEST_F(Pathological, LargestOptionValueParses) {
    CoapMessageSpec spec = get(1, {0x01});
    spec.options.push_back({option::uri_query, Bytes(65804, 'q')});
    const Bytes message = encode(spec);
    Result<CoapMessage> parsed = parse_coap(message);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->find_option(option::uri_query)->value.size(), 65804u);

    // One byte short of what its length promises: malformed, not a read past the end.
    const Bytes truncated(message.begin(), message.end() - 1);
    MessageReport r = to_server(truncated);
    EXPECT_FALSE(r.coap_valid);
    ASSERT_EQ(ids(r), std::vector<FindingId>{FindingId::malformed});
    EXPECT_NE(r.findings[0].message.find("truncated"), std::string::npos) << names(r);
    expect_short_findings(r);
}

TEST_F(Pathological, SignedSixtyFourKibOptionVerifies) {
    CoapMessageSpec spec = get(1, {0x01});
    spec.options.push_back({option::uri_query, Bytes(64000, 'q')});
    MessageReport r = to_server(signed_with_header(spec, request_header("client-1", 0)));
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
}

// A JOSE header of about 48 KiB (64 KiB as base64url, as much as the option
// can carry) is an ordinary header: valid when signed, bad-signature when not.
TEST_F(Pathological, SixtyFourKibHeader) {
    const std::string header =
        R"({"alg":"HS256","kid":"client-1","seq":3,"pad":")" + std::string(48000, 'p') + R"("})";
    const Bytes good = signed_with_header(get(1, {0x01}), header);
    ASSERT_GT(good.size(), 64000u);
    MessageReport r = to_server(good);
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
    ASSERT_TRUE(r.tid);
    EXPECT_EQ(r.tid->seq, 3u);

    MessageReport bad = to_server(unsigned_with_header(get(2, {0x02}), header));
    EXPECT_EQ(bad.signature, SignatureStatus::invalid);
    EXPECT_TRUE(bad.has(FindingId::bad_signature)) << names(bad);
    expect_short_findings(bad);
}

// Nesting is cut at 16 levels (SPEC-NOTES), however deep the input goes and
// whether or not it is ever closed.
TEST_F(Pathological, DeepNestingIsMalformed) {
    for (const std::size_t depth : {std::size_t{17}, std::size_t{20000}}) {
        std::string header = R"({"alg":"HS256","kid":"client-1","seq":1,"x":)";
        header += std::string(depth, '[') + std::string(depth, ']') + "}";
        Result<JoseHeader> parsed = parse_jose_header(header);
        ASSERT_FALSE(parsed) << depth;
        EXPECT_NE(parsed.error().message.find("deeper than 16"), std::string::npos)
            << parsed.error().message;
    }
    // 15 arrays inside the top-level object: 16 levels, accepted.
    std::string at_limit =
        R"({"alg":"HS256","x":)" + std::string(15, '[') + std::string(15, ']') + "}";
    EXPECT_TRUE(parse_jose_header(at_limit)) << at_limit;

    const std::string unclosed = R"({"alg":"HS256","x":)" + std::string(40000, '{');
    EXPECT_FALSE(parse_jose_header(unclosed));

    MessageReport r = to_server(unsigned_with_header(
        get(1, {0x01}), R"({"alg":"HS256","kid":"client-1","seq":1,"x":)" +
                            std::string(20000, '[') + std::string(20000, ']') + "}"));
    EXPECT_EQ(r.signature, SignatureStatus::none);
    ASSERT_EQ(ids(r), std::vector<FindingId>{FindingId::malformed}) << names(r);
    expect_short_findings(r);
}

TEST_F(Pathological, HugeNumbers) {
    for (const std::size_t length : {std::size_t{11}, std::size_t{400}, std::size_t{30000}}) {
        MessageReport r = to_server(unsigned_with_header(
            get(1, {0x01}),
            R"({"alg":"HS256","kid":"client-1","seq":)" + std::string(length, '9') + "}"));
        EXPECT_EQ(r.signature, SignatureStatus::none) << length;
        ASSERT_EQ(ids(r), std::vector<FindingId>{FindingId::malformed}) << names(r);
        expect_short_findings(r);
    }

    // Numbers in other members are not ours to judge: long ones are fine...
    const std::string header = R"({"alg":"HS256","kid":"client-1","seq":5,"big":-)" +
                               std::string(300, '9') + "." + std::string(30000, '9') + "e+7}";
    MessageReport ok = to_server(signed_with_header(get(2, {0x02}), header));
    EXPECT_EQ(ok.signature, SignatureStatus::valid) << names(ok);

    // ...but RapidJSON refuses numbers beyond a double's range even as text
    // (RFC 8259 §9 lets a parser limit the range): such a header is malformed.
    // docs/SECURITY.md lists this limit.
    MessageReport beyond = to_server(signed_with_header(
        get(3, {0x03}), R"({"alg":"HS256","kid":"client-1","seq":6,"x":1e400})"));
    EXPECT_EQ(beyond.signature, SignatureStatus::none);
    EXPECT_EQ(ids(beyond), std::vector<FindingId>{FindingId::malformed}) << names(beyond);
}

TEST_F(Pathological, ThousandsOfMembers) {
    std::string header = R"({"alg":"HS256","kid":"client-1","seq":9)";
    for (int i = 0; i < 3000; ++i)
        header += ",\"m" + std::to_string(i) + "\":" + std::to_string(i);
    MessageReport ok = to_server(signed_with_header(get(1, {0x01}), header + "}"));
    EXPECT_EQ(ok.signature, SignatureStatus::valid) << names(ok);

    // The same member again at the very end is found among the 3000.
    MessageReport dup = to_server(signed_with_header(get(2, {0x02}), header + R"(,"m7":0})"));
    EXPECT_EQ(dup.signature, SignatureStatus::none);
    ASSERT_EQ(ids(dup), std::vector<FindingId>{FindingId::malformed}) << names(dup);
    EXPECT_NE(dup.findings[0].message.find("duplicate member \"m7\""), std::string::npos);
}

// crit naming a thousand present but unknown members: crit-unknown, with a
// finding that names a few of them rather than all.
TEST_F(Pathological, ThousandsOfCritNames) {
    std::string members;
    std::string crit;
    for (int i = 0; i < 1000; ++i) {
        const std::string name = "x-" + std::to_string(i);
        members += ",\"" + name + "\":1";
        crit += (i ? ",\"" : "\"") + name + "\"";
    }
    const std::string header =
        R"({"alg":"HS256","kid":"client-1","seq":1)" + members + ",\"crit\":[" + crit + "]}";
    MessageReport r = to_server(signed_with_header(get(1, {0x01}), header));
    EXPECT_EQ(r.signature, SignatureStatus::invalid);
    ASSERT_EQ(ids(r), std::vector<FindingId>{FindingId::crit_unknown}) << names(r).substr(0, 300);
    EXPECT_NE(r.findings[0].message.find("\"x-0\""), std::string::npos) << r.findings[0].message;
    EXPECT_NE(r.findings[0].message.find("and 996 more"), std::string::npos)
        << r.findings[0].message;
    expect_short_findings(r);
}

// A key identifier of 40 KB: shown cut short in findings, used whole as the
// identifier (a second message under it is a replay).
TEST_F(Pathological, HugeKeyIdentifier) {
    const std::string kid(40000, 'k');  // not configured: unknown-key
    MessageReport first = to_server(unsigned_with_header(get(1, {0x01}), request_header(kid, 7)));
    EXPECT_EQ(ids(first), std::vector<FindingId>{FindingId::unknown_key});
    ASSERT_TRUE(first.key_id);
    EXPECT_EQ(first.key_id->size(), kid.size());
    expect_short_findings(first);

    MessageReport again = to_server(unsigned_with_header(get(2, {0x02}), request_header(kid, 7)));
    EXPECT_TRUE(again.has(FindingId::replay)) << names(again).substr(0, 300);
    EXPECT_EQ(again.replay_of, first.frame);
    expect_short_findings(again);

    // Differing only in the last byte: a different key, a different window.
    MessageReport other =
        to_server(unsigned_with_header(get(3, {0x03}), request_header(kid.substr(1) + "x", 7)));
    EXPECT_FALSE(other.has(FindingId::replay)) << names(other).substr(0, 300);
}

}  // namespace
}  // namespace coapjws::test
