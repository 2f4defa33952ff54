// The generator's pieces against independent truth: RFC examples, bytes
// worked out by hand from RFC 7252 / the profile, OpenSSL's HMAC called
// directly, and the test suite's own pcap reader (written separately from the
// generator's frame builder).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "coapjws/base64url.hpp"
#include "coapjws/key_loader.hpp"
#include "gen/attacks.hpp"
#include "gen/capture_builder.hpp"
#include "gen/coap_uri.hpp"
#include "gen/coap_values.hpp"
#include "gen/compression.hpp"
#include "gen/frame_builder.hpp"
#include "gen/jose_header_writer.hpp"
#include "gen/jws_signer.hpp"
#include "gen/pcap_writer.hpp"
#include "gen/pcapng_writer.hpp"
#include "gen/scenario.hpp"
#include "pcap_frames.hpp"

namespace coapjws::gen {
namespace {

Bytes hex(std::string_view text) {
    Bytes out;
    EXPECT_TRUE(from_hex(text, out)) << text;
    return out;
}
Bytes text_bytes(std::string_view text) {
    return Bytes(text.begin(), text.end());
}

// --- URIs (RFC 7252 §6.4) ---------------------------------------------------

TEST(CoapUri, SplitsHostPortPathAndQuery) {
    auto options = options_from_uri("coap://Example.NET:61616/.well-known/core?rt=a%20b&if=x");
    ASSERT_TRUE(options) << options.error().message;
    ASSERT_EQ(options->size(), 6u);
    EXPECT_EQ((*options)[0].number, 3);  // Uri-Host, lower-cased
    EXPECT_EQ((*options)[0].value, text_bytes("example.net"));
    EXPECT_EQ((*options)[1].number, 7);  // Uri-Port 61616 = 0xf0b0
    EXPECT_EQ((*options)[1].value, hex("f0b0"));
    EXPECT_EQ((*options)[2].number, 11);
    EXPECT_EQ((*options)[2].value, text_bytes(".well-known"));
    EXPECT_EQ((*options)[3].value, text_bytes("core"));
    EXPECT_EQ((*options)[4].number, 15);
    EXPECT_EQ((*options)[4].value, text_bytes("rt=a b"));
    EXPECT_EQ((*options)[5].value, text_bytes("if=x"));
}

TEST(CoapUri, IpLiteralAndDefaultPortGiveNoHostOrPortOption) {
    auto v4 = options_from_uri("coap://127.0.0.1:5683/time");
    ASSERT_TRUE(v4);
    ASSERT_EQ(v4->size(), 1u);
    EXPECT_EQ((*v4)[0].number, 11);
    auto v6 = options_from_uri("coap://[ff02::fd]/");
    ASSERT_TRUE(v6);
    EXPECT_TRUE(v6->empty());
    auto trailing = options_from_uri("coap://[2001:db8::1]:5683/a/");  // segments "a" and ""
    ASSERT_TRUE(trailing);
    ASSERT_EQ(trailing->size(), 2u);
    EXPECT_TRUE((*trailing)[1].value.empty());
}

TEST(CoapUri, RejectsWhatIsNotACoapUri) {
    EXPECT_FALSE(options_from_uri("http://example.net/"));
    EXPECT_FALSE(options_from_uri("coap://example.net/a#frag"));
    EXPECT_FALSE(options_from_uri("coap://example.net:70000/"));
    EXPECT_FALSE(options_from_uri("coap://example.net/%4"));
    EXPECT_FALSE(options_from_uri("coap://example.net/%zz"));
}

// --- CoAP names and values --------------------------------------------------

TEST(CoapValues, CodesTypesAndUints) {
    EXPECT_EQ(*parse_code("GET"), 0x01);
    EXPECT_EQ(*parse_code("iPATCH"), 0x07);
    EXPECT_EQ(*parse_code("2.05"), 0x45);
    EXPECT_EQ(*parse_code("4.02"), 0x82);
    EXPECT_EQ(*parse_code("7.31"), 0xff);
    EXPECT_FALSE(parse_code("8.00"));
    EXPECT_FALSE(parse_code("2.5"));
    EXPECT_FALSE(parse_code("get"));
    EXPECT_EQ(*parse_type("ACK"), CoapType::acknowledgement);
    EXPECT_FALSE(parse_type("ack"));
    EXPECT_TRUE(encode_uint_option(0).empty());  // RFC 7252 §3.2: 0 is empty
    EXPECT_EQ(encode_uint_option(255), hex("ff"));
    EXPECT_EQ(encode_uint_option(256), hex("0100"));
    EXPECT_EQ(option_number_from_name("no-response"), 258);
}

// --- Attacks ----------------------------------------------------------------

TEST(Attacks, PatchKeepsEverythingAfterTheToken) {
    // CON GET, MID 0x1234, token a1b2, Uri-Path "x": 42 01 12 34 a1 b2 b1 78
    Bytes message = hex("42011234a1b2b178");
    auto patched = patch_coap_header(message, 0xbeef, CoapType::non_confirmable, hex("c0ffee"));
    ASSERT_TRUE(patched);
    EXPECT_EQ(*patched, hex("5301beefc0ffeeb178"));
    auto same = patch_coap_header(message, std::nullopt, std::nullopt, std::nullopt);
    ASSERT_TRUE(same);
    EXPECT_EQ(*same, message);
    EXPECT_FALSE(patch_coap_header(hex("4201"), 1, std::nullopt, std::nullopt));
    EXPECT_FALSE(patch_coap_header(hex("4f011234"), 1, std::nullopt, std::nullopt));
}

TEST(Attacks, CorruptFlipsOneBit) {
    Bytes signature = hex("00ff10");
    corrupt_signature(signature);
    EXPECT_EQ(signature, hex("00ff11"));
}

// --- JOSE header text -------------------------------------------------------

TEST(JoseHeaderWriter, FixedOrderAndEscaping) {
    HeaderFields fields;
    fields.alg = "HS256";
    fields.kid = "a\"b";
    fields.seq = 4294967295u;
    fields.isi = "11";
    fields.crit = std::vector<std::string>{"seq"};
    fields.extra.push_back({"exp", "12", 6 /* kNumberType */});
    EXPECT_EQ(
        write_jose_header(fields),
        R"({"alg":"HS256","kid":"a\"b","seq":4294967295,"isi":"11","crit":["seq"],"exp":12})");
}

// --- Frames and pcap --------------------------------------------------------

TEST(FrameBuilder, InternetChecksumMatchesRfc1071Example) {
    // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (one's complement).
    EXPECT_EQ(internet_checksum(hex("0001f203f4f5f6f7")), static_cast<std::uint16_t>(~0xddf2));
}

TEST(FrameBuilder, MulticastMacs) {
    auto v4 = Address::parse("224.0.1.187");
    auto v6 = Address::parse("ff02::fd");
    ASSERT_TRUE(v4 && v6);
    EXPECT_EQ(multicast_mac(*v4), (Mac{0x01, 0x00, 0x5e, 0x00, 0x01, 0xbb}));
    EXPECT_EQ(multicast_mac(*v6), (Mac{0x33, 0x33, 0x00, 0x00, 0x00, 0xfd}));
}

TEST(FrameBuilder, Ipv4HeaderChecksumVerifies) {
    FrameEndpoint a{*Endpoint::parse("192.0.2.10:40000"), {2, 0, 0, 0, 0, 1}, false};
    FrameEndpoint b{*Endpoint::parse("192.0.2.1:5683"), {2, 0, 0, 0, 0, 2}, false};
    auto frame = build_udp_frame(LinkType::raw, a, b, {}, hex("40010001"));
    ASSERT_TRUE(frame);
    ASSERT_EQ(frame->size(), 20u + 8u + 4u);
    // A correct header sums to 0xffff, so its checksum over itself is 0.
    EXPECT_EQ(internet_checksum(ByteView(frame->data(), 20)), 0);
    // UDP: pseudo-header + datagram also sums to 0xffff.
    Bytes pseudo =
        hex("c000020ac0000201001100"
            "0c");
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < pseudo.size(); i += 2)
        sum += pseudo[i] << 8 | pseudo[i + 1];
    EXPECT_EQ(internet_checksum(ByteView(frame->data() + 20, 12), sum), 0);
}

TEST(FrameBuilder, RefusesMixedFamiliesAndTagsOffEthernet) {
    FrameEndpoint a{*Endpoint::parse("192.0.2.10:40000"), {}, false};
    FrameEndpoint b{*Endpoint::parse("[2001:db8::1]:5683"), {}, false};
    EXPECT_FALSE(build_udp_frame(LinkType::ethernet, a, b, {}, {}));
    FrameOptions tagged;
    tagged.vlan = {10};
    EXPECT_FALSE(build_udp_frame(LinkType::sll, a, a, tagged, {}));
}

TEST(PcapWriter, GlobalHeaderIsLibpcapFormat) {
    PcapWriter writer(linktype_number(LinkType::sll));
    writer.add(1'700'000'000'123'456, hex("abcd"));
    const Bytes& b = writer.bytes();
    ASSERT_EQ(b.size(), 24u + 16u + 2u);
    // magic a1b2c3d4 little-endian, 2.4, zone 0, sigfigs 0, snaplen 262144, link 113
    EXPECT_EQ(Bytes(b.begin(), b.begin() + 24), hex("d4c3b2a1"
                                                    "0200"
                                                    "0400"
                                                    "00000000"
                                                    "00000000"
                                                    "00000400"
                                                    "71000000"));
    // record: 1700000000 s = 0x6553f100, 123456 us = 0x0001e240, both lengths 2
    EXPECT_EQ(Bytes(b.begin() + 24, b.begin() + 40), hex("00f15365"
                                                         "40e20100"
                                                         "02000000"
                                                         "02000000"));
}

struct RoundTrip {
    LinkType link;
    const char* src;
    const char* dst;
    std::vector<std::uint16_t> vlan;
    std::vector<Ipv6Extension> extensions;
};

class FrameRoundTrip : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(FrameRoundTrip, ReaderRecoversEndpointsAndPayload) {
    const RoundTrip& p = GetParam();
    FrameEndpoint src{*Endpoint::parse(p.src), {2, 0, 0, 0, 0, 1}, true};
    FrameEndpoint dst{*Endpoint::parse(p.dst), {2, 0, 0, 0, 0, 2}, false};
    FrameOptions options;
    options.vlan = p.vlan;
    options.ipv6_extensions = p.extensions;
    const Bytes payload = hex("5001abcd");
    auto frame = build_udp_frame(p.link, src, dst, options, payload);
    ASSERT_TRUE(frame) << frame.error().message;
    PcapWriter writer(linktype_number(p.link));
    writer.add(1'000'000, *frame);
    writer.add(2'500'000, *frame);

    auto path = std::filesystem::temp_directory_path() /
                ("coapjws-roundtrip-" + std::to_string(::getpid()) + ".pcap");
    {
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(writer.bytes().data()),
                  static_cast<std::streamsize>(writer.bytes().size()));
    }
    test::Capture capture;
    std::string error;
    bool ok = test::read_capture(path.string(), capture, error);
    std::filesystem::remove(path);
    ASSERT_TRUE(ok) << error;
    ASSERT_EQ(capture.frames.size(), 2u);
    const auto& f = capture.frames[1];
    ASSERT_TRUE(f.is_udp) << f.problem;
    EXPECT_EQ(f.frame, 2u);
    EXPECT_EQ(f.time_ns, 2'500'000'000);
    EXPECT_EQ(f.src, src.endpoint);
    EXPECT_EQ(f.dst, dst.endpoint);
    EXPECT_EQ(f.vlan, p.vlan);
    EXPECT_EQ(f.payload, payload);
}

INSTANTIATE_TEST_SUITE_P(
    Links, FrameRoundTrip,
    ::testing::Values(
        RoundTrip{LinkType::ethernet, "192.0.2.10:40000", "192.0.2.1:5683", {}, {}},
        RoundTrip{LinkType::ethernet, "192.0.2.10:40000", "224.0.1.187:5683", {42}, {}},
        RoundTrip{LinkType::ethernet, "[2001:db8::a]:40000", "[2001:db8::1]:5683", {100, 200}, {}},
        RoundTrip{LinkType::sll, "192.0.2.10:40000", "192.0.2.1:5683", {}, {}},
        RoundTrip{LinkType::sll2, "[2001:db8::a]:40000", "[ff02::fd]:5683", {}, {}},
        RoundTrip{LinkType::raw,
                  "[2001:db8::a]:40000",
                  "[2001:db8::1]:5683",
                  {},
                  {Ipv6Extension::hop_by_hop, Ipv6Extension::destination}},
        RoundTrip{LinkType::null, "192.0.2.10:40000", "192.0.2.1:5683", {}, {}},
        RoundTrip{LinkType::null, "[2001:db8::a]:40000", "[2001:db8::1]:5683", {}, {}}));

// --- Signing ----------------------------------------------------------------

// HMAC of `input` under the secret of `kid` in pcaps/keys.jwks, the secret
// read from the file by hand and the MAC computed by OpenSSL directly.
Bytes hmac_sha256_with(std::string_view kid, std::string_view input) {
    std::ifstream in(COAPJWS_PCAPS_DIR "/keys.jwks");
    std::string jwks((std::istreambuf_iterator<char>(in)), {});
    auto at = jwks.find("\"kid\":\"" + std::string(kid) + "\"");
    EXPECT_NE(at, std::string::npos);
    auto k = jwks.find("\"k\":\"", at) + 5;
    auto secret = base64url_decode(jwks.substr(k, jwks.find('"', k) - k));
    EXPECT_TRUE(secret);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_length = 0;
    HMAC(EVP_sha256(), secret->data(), static_cast<int>(secret->size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_length);
    return Bytes(mac, mac + mac_length);
}

// HS256 over a GET coap://server/temp, checked with OpenSSL's HMAC on a signing
// input assembled by hand from spec §3/§4.
TEST(Signing, Hs256RequestMatchesAHandBuiltSigningInput) {
    auto keys = load_jwks_file_strict(COAPJWS_PCAPS_DIR "/keys.jwks");
    ASSERT_TRUE(keys) << keys.error().message;
    JwsSpec spec;
    spec.key = "client-hs256";
    spec.seq = 7;
    std::vector<CoapOptionValue> options{{3, text_bytes("server")}, {11, text_bytes("temp")}};
    OptionSet signed_options = OptionSet::default_signed();
    SigningContext context{*keys, signed_options, 65021};
    SignedMessageParts parts{MessageKind::request, 0x01, options, {}};
    auto signed_jws = sign_message(spec, parts, context, nullptr);
    ASSERT_TRUE(signed_jws) << signed_jws.error().message;
    ASSERT_TRUE(signed_jws->header_tid);
    EXPECT_EQ(signed_jws->header_tid->to_string(), "client-hs256:7");
    EXPECT_TRUE(signed_jws->deterministic);

    const std::string header = R"({"alg":"HS256","kid":"client-hs256","seq":7})";
    // CODE item, then Uri-Path "temp" (Uri-Host is not signed).
    const Bytes content =
        hex("0100000001"
            "01"
            "0200000006"
            "000b"
            "74656d70");
    const std::string input =
        base64url_encode(text_bytes(header)) + "." + base64url_encode(content);

    const std::string expected = base64url_encode(text_bytes(header)) + ".." +
                                 base64url_encode(hmac_sha256_with("client-hs256", input));
    EXPECT_EQ(std::string(signed_jws->value.begin(), signed_jws->value.end()), expected);
}

// A 2.05 response (isi absent) binds its request's TID last (spec §3, 0x04).
TEST(Signing, Hs256ResponseMatchesAHandBuiltSigningInput) {
    auto keys = load_jwks_file_strict(COAPJWS_PCAPS_DIR "/keys.jwks");
    ASSERT_TRUE(keys) << keys.error().message;
    JwsSpec spec;
    spec.key = "server-hmac";
    spec.alg = "HS256";
    std::vector<CoapOptionValue> options{{12, {}},
                                         {14, hex("3c")}};  // Content-Format 0, Max-Age 60
    const Bytes payload = text_bytes("22.5");
    OptionSet signed_options = OptionSet::default_signed();
    SigningContext context{*keys, signed_options, 65021};
    SignedMessageParts parts{MessageKind::response, 0x45, options, payload};
    const Tid request{"client-hs256", 7};
    auto signed_jws = sign_message(spec, parts, context, &request);
    ASSERT_TRUE(signed_jws) << signed_jws.error().message;
    EXPECT_FALSE(signed_jws->header_tid);  // isi 01: no TID of its own

    const std::string header = R"({"alg":"HS256","kid":"server-hmac"})";
    const Bytes content =
        hex("0100000001"
            "45"  // CODE 2.05
            "0200000002"
            "000c"  // Content-Format, empty
            "0300000004"
            "32322e35"  // PAYLOAD "22.5"
            "0400000010"
            "00000007"
            "636c69656e742d6873323536");  // REQUEST-TID
    const std::string input =
        base64url_encode(text_bytes(header)) + "." + base64url_encode(content);
    const std::string expected = base64url_encode(text_bytes(header)) + ".." +
                                 base64url_encode(hmac_sha256_with("server-hmac", input));
    EXPECT_EQ(std::string(signed_jws->value.begin(), signed_jws->value.end()), expected);
}

TEST(Signing, ResponseBindsTheRequestTidLast) {
    JwsSpec response;
    response.key = "server-hmac";
    response.alg = "HS256";
    EXPECT_TRUE(binds_request_tid(response, MessageKind::response));
    response.isi = "10";
    EXPECT_FALSE(binds_request_tid(response, MessageKind::response));
    response.isi = "11";
    EXPECT_TRUE(binds_request_tid(response, MessageKind::response));
    EXPECT_FALSE(binds_request_tid(response, MessageKind::request));
}

// --- Scenarios --------------------------------------------------------------

TEST(Scenario, RejectsUnknownMembersAndMissingExpectations) {
    const char* typo = R"({"description":"d","endpoints":{"c":{"address":"192.0.2.1","port":1}},
        "messages":[{"from":"c","to":"c","type":"CON","code":"GET","mid":1,"paylod":"x"}]})";
    auto parsed = parse_scenario(typo, "typo");
    ASSERT_FALSE(parsed);
    EXPECT_NE(parsed.error().message.find("paylod"), std::string::npos);

    const char* bad_finding =
        R"({"description":"d","endpoints":{"c":{"address":"192.0.2.1","port":1}},
        "messages":[{"from":"c","to":"c","type":"CON","code":"GET","mid":1,
                     "expect":{"signature":"valid","findings":["replayed"]}}]})";
    EXPECT_FALSE(parse_scenario(bad_finding, "bad"));
}

// --- Whole captures -----------------------------------------------------------

// Builds `json` with the bundled keys and reads the pcap back with the test
// suite's own reader.
struct Built {
    BuiltCapture capture;
    test::Capture frames;
};
Built build(const std::string& json) {
    Built out;
    auto scenario = parse_scenario(json, "t");
    EXPECT_TRUE(scenario) << (scenario ? "" : scenario.error().message);
    if (!scenario)
        return out;
    auto keys = load_jwks_file_strict(COAPJWS_PCAPS_DIR "/keys.jwks");
    EXPECT_TRUE(keys);
    if (!keys)
        return out;
    auto capture = build_capture({*scenario, *keys, "keys.jwks", "t.json", ""});
    EXPECT_TRUE(capture) << (capture ? "" : capture.error().message);
    if (!capture)
        return out;
    out.capture = std::move(*capture);
    auto path = std::filesystem::temp_directory_path() /
                ("coapjws-built-" + std::to_string(::getpid()) + ".pcap");
    {
        std::ofstream file(path, std::ios::binary);
        file.write(reinterpret_cast<const char*>(out.capture.capture.data()),
                   static_cast<std::streamsize>(out.capture.capture.size()));
    }
    std::string error;
    EXPECT_TRUE(test::read_capture(path.string(), out.frames, error)) << error;
    std::filesystem::remove(path);
    return out;
}

TEST(CaptureBuilder, ReplyTakesTheRequestsEndpointsTokenAndMid) {
    Built b = build(R"({"description": "d",
      "endpoints": {"c": {"address": "192.0.2.10", "port": 49152},
                    "s": {"address": "192.0.2.1", "port": 5683}},
      "messages": [
        {"label": "q", "at": 1.5, "from": "c", "to": "s", "type": "CON", "code": "GET",
         "mid": 4660, "token": "a1b2", "uri": "coap://s.example/x",
         "expect": {"signature": "none", "findings": []}},
        {"reply_to": "q", "type": "ACK", "code": "2.05", "payload": "hi",
         "expect": {"signature": "none", "findings": ["unprotected-response"], "request": "q"}}]})");
    ASSERT_EQ(b.frames.frames.size(), 2u);
    const auto& q = b.frames.frames[0];
    const auto& r = b.frames.frames[1];
    EXPECT_EQ(q.time_ns, 1709287200LL * 1'000'000'000 + 1'500'000'000);
    EXPECT_EQ(r.time_ns, q.time_ns + 10'000'000);  // default gap 10 ms
    EXPECT_EQ(r.src, q.dst);
    EXPECT_EQ(r.dst, q.src);
    // ACK (0x60 | TKL 2), 2.05, MID 0x1234, token a1b2, marker, "hi"
    EXPECT_EQ(r.payload, hex("62451234a1b2ff6869"));
    // GET, Uri-Host "s.example" (3), Uri-Path "x" (delta 8)
    EXPECT_EQ(q.payload, hex("42011234a1b2"
                             "3973"
                             "2e6578616d706c65"
                             "8178"));
    ASSERT_EQ(b.capture.manifest.frames.size(), 2u);
    EXPECT_EQ(b.capture.manifest.frames[1].request, 1u);
    EXPECT_EQ(b.capture.manifest.frames[1].kind, "response");
    EXPECT_TRUE(b.capture.manifest.deterministic);
}

TEST(CaptureBuilder, CopyKeepsTheJwsAndPatchesTheHeader) {
    Built b = build(R"({"description": "d",
      "endpoints": {"c": {"address": "192.0.2.10", "port": 49152},
                    "a": {"address": "192.0.2.66", "port": 50000},
                    "s": {"address": "192.0.2.1", "port": 5683}},
      "messages": [
        {"label": "q", "from": "c", "to": "s", "type": "CON", "code": "POST", "mid": 1,
         "token": "01", "payload": "x", "jws": {"key": "client-hs256", "seq": 3},
         "expect": {"tid": "client-hs256:3", "signature": "valid", "findings": []}},
        {"from": "a", "copy": {"label": "q", "mid": 2, "token": "0203"},
         "expect": {"tid": "client-hs256:3", "signature": "valid", "findings": ["replay"],
                    "related": {"replay": "q"}}}]})");
    ASSERT_EQ(b.frames.frames.size(), 2u);
    const Bytes& original = b.frames.frames[0].payload;
    const Bytes& copy = b.frames.frames[1].payload;
    EXPECT_EQ(b.frames.frames[1].src.to_string(), "192.0.2.66:50000");
    EXPECT_EQ(b.frames.frames[1].dst.to_string(), "192.0.2.1:5683");
    ASSERT_EQ(copy.size(), original.size() + 1);
    // CON (TKL 2 now), POST, MID 2, token 0203; everything after the token unchanged.
    EXPECT_EQ(Bytes(copy.begin(), copy.begin() + 6), hex("420200020203"));
    EXPECT_TRUE(std::equal(original.begin() + 5, original.end(), copy.begin() + 6));
    ASSERT_EQ(b.capture.manifest.frames[1].related.size(), 1u);
    EXPECT_EQ(b.capture.manifest.frames[1].related[0].second, 1u);
}

TEST(CaptureBuilder, RefusesExpectationsOffCoapPortsAndMissingOnes) {
    auto keys = load_jwks_file_strict(COAPJWS_PCAPS_DIR "/keys.jwks");
    ASSERT_TRUE(keys);
    auto missing = parse_scenario(R"({"description": "d",
      "endpoints": {"c": {"address": "192.0.2.10", "port": 49152},
                    "s": {"address": "192.0.2.1", "port": 5683}},
      "messages": [{"from": "c", "to": "s", "type": "NON", "code": "GET", "mid": 1}]})",
                                  "t");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(build_capture({*missing, *keys, "", "", ""}));
    auto off_port = parse_scenario(R"({"description": "d",
      "endpoints": {"c": {"address": "192.0.2.10", "port": 49152},
                    "s": {"address": "192.0.2.1", "port": 53}},
      "messages": [{"from": "c", "to": "s", "raw_hex": "00",
                    "expect": {"kind": "unknown", "signature": "none", "findings": []}}]})",
                                   "t");
    ASSERT_TRUE(off_port);
    EXPECT_FALSE(build_capture({*off_port, *keys, "", "", ""}));
}

// --- Fragments, TCP, pcapng, compressed copies --------------------------------

TEST(CaptureBuilder, FragmentsCompleteOnTheFrameThatFillsTheDatagram) {
    Built b = build(R"({"description": "d",
      "endpoints": {"c": {"address": "192.0.2.10", "port": 49152},
                    "s": {"address": "192.0.2.1", "port": 5683}},
      "messages": [
        {"label": "q", "from": "c", "to": "s", "type": "CON", "code": "POST", "mid": 1,
         "token": "01", "payload_hex": ")" +
                    std::string(2000, 'a') + R"(",
         "fragments": {"size": 400, "send": [2, 0, 1]},
         "expect": {"signature": "none", "findings": []}},
        {"reply_to": "q", "type": "ACK", "code": "2.04",
         "expect": {"signature": "none", "findings": [], "request": "q"}}]})");
    // 8 + 1000 + 6 bytes of UDP: three pieces of 400, 400 and 214; sent 2, 0, 1.
    ASSERT_EQ(b.frames.frames.size(), 4u);
    EXPECT_FALSE(b.frames.frames[0].is_udp) << "the last piece alone";
    EXPECT_FALSE(b.frames.frames[1].is_udp);
    ASSERT_TRUE(b.frames.frames[2].is_udp) << b.frames.frames[2].problem;
    EXPECT_TRUE(b.frames.frames[2].reassembled);
    EXPECT_EQ(b.frames.frames[2].payload.size(), 1006u);
    ASSERT_EQ(b.capture.manifest.frames.size(), 2u);
    EXPECT_EQ(b.capture.manifest.frames[0].frame, 3u);
    EXPECT_EQ(b.capture.manifest.frames[1].frame, 4u);
    EXPECT_EQ(b.capture.manifest.frames[1].request, 3u) << "labels name completing frames";
}

TEST(CaptureBuilder, FragmentsThatNeverCompleteTakeNoExpectation) {
    auto keys = load_jwks_file_strict(COAPJWS_PCAPS_DIR "/keys.jwks");
    ASSERT_TRUE(keys) << keys.error().message;
    auto lost = parse_scenario(R"({"description": "d",
      "endpoints": {"c": {"address": "2001:db8::10", "port": 49152},
                    "s": {"address": "2001:db8::1", "port": 5683}},
      "messages": [{"from": "c", "to": "s", "type": "NON", "code": "GET", "mid": 1,
                    "payload_hex": ")" +
                                   std::string(600, 'b') + R"(",
                    "fragments": {"size": 200, "send": [0, 2]},
                    "expect": {"signature": "none", "findings": []}}]})",
                               "t");
    ASSERT_TRUE(lost) << lost.error().message;
    EXPECT_FALSE(build_capture({*lost, *keys, "", "", ""}));
}

TEST(CaptureBuilder, TcpSegmentsCarryTheStreamAndNameCompletingFrames) {
    Built b = build(R"({"description": "d", "transport": "tcp",
      "endpoints": {"c": {"address": "192.0.2.10", "port": 40000},
                    "s": {"address": "192.0.2.1", "port": 5683}},
      "messages": [
        {"label": "a", "from": "c", "to": "s", "code": "GET", "token": "01",
         "expect": {"signature": "none", "findings": []}},
        {"label": "b", "from": "c", "to": "s", "code": "POST", "token": "02",
         "payload": "0123456789",
         "expect": {"signature": "none", "findings": []}}],
      "segments": [
        {"from": "c", "to": "s", "flags": "S"},
        {"from": "s", "to": "c", "flags": "SA"},
        {"data": ["a", {"message": "b", "end": 4}]},
        {"data": [{"message": "b", "begin": 4}]}]})");
    ASSERT_EQ(b.frames.frames.size(), 4u);
    const auto& syn = b.frames.frames[0];
    const auto& first = b.frames.frames[2];
    const auto& second = b.frames.frames[3];
    ASSERT_TRUE(syn.is_tcp && first.is_tcp && second.is_tcp);
    EXPECT_TRUE(syn.syn);
    // GET over TCP: Len 0 TKL 1, 0.01, token: 3 bytes; then POST's first 4.
    EXPECT_EQ(first.seq, syn.seq + 1);
    EXPECT_EQ(first.payload.size(), 7u);
    EXPECT_EQ(Bytes(first.payload.begin(), first.payload.begin() + 3), hex("010101"));
    EXPECT_EQ(second.seq, first.seq + 7);
    ASSERT_EQ(b.capture.manifest.frames.size(), 2u);
    EXPECT_EQ(b.capture.manifest.frames[0].frame, 3u);
    EXPECT_EQ(b.capture.manifest.frames[1].frame, 4u);
    EXPECT_EQ(b.capture.manifest.transport, "tcp");
}

TEST(CaptureBuilder, TcpMessageBehindAHoleNeedsItsSegmentNamed) {
    auto keys = load_jwks_file_strict(COAPJWS_PCAPS_DIR "/keys.jwks");
    ASSERT_TRUE(keys) << keys.error().message;
    const std::string base = R"({"description": "d", "transport": "tcp",
      "endpoints": {"c": {"address": "192.0.2.10", "port": 40000},
                    "s": {"address": "192.0.2.1", "port": 5683}},
      "messages": [
        {"label": "a", "from": "c", "to": "s", "code": "GET", "token": "01",
         "expect": {"signature": "none", "findings": []}},
        {"label": "lost", "from": "c", "to": "s", "code": "GET", "token": "02"},
        {"label": "b", "from": "c", "to": "s", "code": "GET", "token": "03",
         "expect": {"signature": "none", "findings": [] EXTRA}},
        {"label": "c", "from": "c", "to": "s", "code": "GET", "token": "04",
         "expect": {"signature": "none", "findings": []}}],
      "segments": [
        {"from": "c", "to": "s", "flags": "S"},
        {"data": ["a"]},
        {"data": ["lost"], "captured": false},
        {"label": "late", "data": ["b", "c"]}]})";
    auto unnamed = parse_scenario(std::string(base).replace(base.find(" EXTRA"), 6, ""), "t");
    ASSERT_TRUE(unnamed) << unnamed.error().message;
    EXPECT_FALSE(build_capture({*unnamed, *keys, "", "", ""}));
    auto named = parse_scenario(
        std::string(base).replace(base.find(" EXTRA"), 6, R"(, "segment": "late")"), "t");
    ASSERT_TRUE(named) << named.error().message;
    auto built = build_capture({*named, *keys, "", "", ""});
    ASSERT_TRUE(built) << built.error().message;
    ASSERT_EQ(built->manifest.frames.size(), 3u);
    EXPECT_EQ(built->manifest.frames[0].frame, 2u);
    EXPECT_EQ(built->manifest.frames[1].frame, 3u);
    EXPECT_EQ(built->manifest.frames[2].frame, 3u) << "c follows b, whose end is known";
}

TEST(PcapngWriter, OneInterfacePerLinkType) {
    PcapngWriter writer;
    const Bytes frame = {1, 2, 3, 4, 5};
    writer.add(1'000'000, linktype_number(LinkType::sll), frame);
    writer.add(2'000'000, linktype_number(LinkType::ethernet), frame);
    writer.add(3'000'000, linktype_number(LinkType::sll), frame);
    EXPECT_EQ(writer.interface_count(), 2u);
    const Bytes bytes = writer.bytes();
    // Section Header Block, little-endian byte-order magic.
    EXPECT_EQ(Bytes(bytes.begin(), bytes.begin() + 4), hex("0a0d0d0a"));
    EXPECT_EQ(Bytes(bytes.begin() + 8, bytes.begin() + 12), hex("4d3c2b1a"));
    // The first IDB (after the 28-byte SHB) is LINKTYPE_LINUX_SLL (113).
    EXPECT_EQ(Bytes(bytes.begin() + 28, bytes.begin() + 32), hex("01000000"));
    EXPECT_EQ(bytes[36], 113);
}

TEST(Compression, EveryCodecRoundTrips) {
    Bytes data;
    for (int i = 0; i < 5000; ++i)
        data.push_back(static_cast<std::uint8_t>(i * 7 % 251));
    for (Codec codec : {Codec::gzip, Codec::zstd, Codec::lz4}) {
        auto packed = compress(data, codec);
        ASSERT_TRUE(packed) << codec_name(codec);
        EXPECT_LT(packed->size(), data.size()) << codec_name(codec);
        auto unpacked = decompress(*packed, codec);
        ASSERT_TRUE(unpacked) << codec_name(codec);
        EXPECT_EQ(*unpacked, data) << codec_name(codec);
        // A cut stream is an error, not a short result.
        Bytes cut(packed->begin(),
                  packed->begin() + static_cast<std::ptrdiff_t>(packed->size() / 2));
        EXPECT_FALSE(decompress(cut, codec)) << codec_name(codec);
    }
    // The magic numbers: gzip (RFC 1952), zstd (RFC 8878), lz4 frame.
    const std::pair<Codec, const char*> magic[] = {
        {Codec::gzip, "1f8b"}, {Codec::zstd, "28b52ffd"}, {Codec::lz4, "04224d18"}};
    for (const auto& [codec, start] : magic) {
        const Bytes packed = *compress(data, codec);
        const Bytes want = hex(start);
        EXPECT_EQ(Bytes(packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(want.size())),
                  want)
            << codec_name(codec);
    }
}

TEST(Scenario, TransportMembersAreChecked) {
    const char* segments_over_udp = R"({"description": "d",
      "endpoints": {"c": {"address": "192.0.2.1", "port": 5683}},
      "messages": [{"from": "c", "to": "c", "type": "CON", "code": "GET", "mid": 1,
                    "expect": {"signature": "none", "findings": []}}],
      "segments": [{"from": "c", "to": "c", "flags": "S"}]})";
    EXPECT_FALSE(parse_scenario(segments_over_udp, "t"));
    const char* mid_over_tcp = R"({"description": "d", "transport": "tcp",
      "endpoints": {"c": {"address": "192.0.2.1", "port": 5683}},
      "messages": [{"from": "c", "to": "c", "type": "CON", "code": "GET", "mid": 1}],
      "segments": [{"data": ["x"]}]})";
    EXPECT_FALSE(parse_scenario(mid_over_tcp, "t"));
    const char* bad_size = R"({"description": "d",
      "endpoints": {"c": {"address": "192.0.2.1", "port": 5683}},
      "messages": [{"from": "c", "to": "c", "type": "CON", "code": "GET", "mid": 1,
                    "fragments": {"size": 100},
                    "expect": {"signature": "none", "findings": []}}]})";
    EXPECT_FALSE(parse_scenario(bad_size, "t")) << "fragment sizes are multiples of 8";
}

}  // namespace
}  // namespace coapjws::gen
