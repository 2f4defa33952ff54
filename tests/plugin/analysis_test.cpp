// The plugin's per-capture state: analysis of each frame in the first pass,
// related frames renumbered as a read filter renumbers them, a fresh Session per capture, and the
// header, signature and signed content derived again from the bytes.
#include "analysis.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "coapjws/base64url.hpp"
#include "coapjws/jws_crypto.hpp"
#include "coapjws/signed_content.hpp"

namespace coapjws::plugin {
namespace {

const Bytes secret(32, 0x42);
const Bytes server_secret(32, 0x53);

PluginSettings settings_with_keys() {
    PluginSettings settings;
    settings.uat_keys.push_back({"client-1", "HS256", to_hex(secret)});
    settings.uat_keys.push_back({"server-1", "HS256", to_hex(server_secret)});
    return settings;
}

std::string request_header(std::uint32_t seq) {
    return R"({"alg":"HS256","kid":"client-1","seq":)" + std::to_string(seq) + "}";
}
const std::string response_header = R"({"alg":"HS256","kid":"server-1"})";

// The signed content of spec §3, written out by hand: CODE 0.01, OPTION
// Uri-Path (11) "temp".
const Bytes get_temp_content = {0x01, 0, 0, 0, 1, 0x01,                             // CODE
                                0x02, 0, 0, 0, 6, 0x00, 0x0b, 't', 'e', 'm', 'p'};  // OPTION
// CODE 2.05, PAYLOAD "21.5", REQUEST-TID seq 0, "client-1".
const Bytes content_21_5 = {0x01, 0,   0,   0,   1,   0x45,                 // CODE
                            0x03, 0,   0,   0,   4,   '2',  '1', '.', '5',  // PAYLOAD
                            0x04, 0,   0,   0,   12,  0,    0,   0,   0,    // REQUEST-TID
                            'c',  'l', 'i', 'e', 'n', 't',  '-', '1'};

// HMAC-SHA-256 over the JWS Signing Input (spec §4), with OpenSSL directly.
Bytes hs256(const Bytes& key, const std::string& header, const Bytes& content) {
    const std::string input = base64url_encode(as_bytes(header)) + "." + base64url_encode(content);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
    return Bytes(mac, mac + length);
}

std::string option_value(const Bytes& key, const std::string& header, const Bytes& content) {
    return base64url_encode(as_bytes(header)) + ".." +
           base64url_encode(hs256(key, header, content));
}

// A CON GET /temp with a JWS over it, Message ID `mid`, token 0x01.
Bytes signed_request(std::uint16_t mid, std::uint32_t seq) {
    CoapMessageSpec spec;
    spec.code = 0x01;
    spec.message_id = mid;
    spec.token = {0x01};
    spec.options = {{option::uri_path, Bytes{'t', 'e', 'm', 'p'}}};
    const std::string value = option_value(secret, request_header(seq), get_temp_content);
    spec.options.push_back({option::jws_default, Bytes(value.begin(), value.end())});
    return *encode_coap(spec);
}

// Its piggybacked 2.05 "21.5", binding the request's TID (no isi: "01").
Bytes signed_response(std::uint16_t mid) {
    CoapMessageSpec spec;
    spec.type = CoapType::acknowledgement;
    spec.code = 0x45;
    spec.message_id = mid;
    spec.token = {0x01};
    const std::string value = option_value(server_secret, response_header, content_21_5);
    spec.options = {{option::jws_default, Bytes(value.begin(), value.end())}};
    spec.payload = {'2', '1', '.', '5'};
    return *encode_coap(spec);
}

CapturedMessage message(std::uint32_t frame, const Bytes& coap, bool to_server = true) {
    CapturedMessage m;
    const Endpoint client{Address::ipv4(0xC000020Au), 40000};
    const Endpoint server{Address::ipv4(0xC0000214u), 5683};
    m.packet.frame = frame;
    m.packet.time_ns = std::int64_t{frame} * nanoseconds_per_second;
    m.packet.src = to_server ? client : server;
    m.packet.dst = to_server ? server : client;
    m.packet.coap = coap;
    m.location = {true, 42, static_cast<std::uint32_t>(coap.size())};
    return m;
}

const StoredMessage& only_message(const Analysis& analysis, std::optional<StoredFrame> frame) {
    EXPECT_TRUE(frame.has_value());
    EXPECT_EQ(frame->count, 1u);
    return analysis.message(frame->first);
}

constexpr WantedParts all_parts{true, true, true};

TEST(Analysis, StoresOneResultPerFrame) {
    Analysis analysis;
    EXPECT_TRUE(analysis.start(settings_with_keys()).empty());
    const Bytes first = signed_request(1, 0);
    const Bytes replayed = signed_request(2, 0);  // same seq, new Message ID

    const CapturedMessage m1[] = {message(1, first)};
    const auto f1 = analysis.analyze(1, m1);
    const StoredMessage& s1 = only_message(analysis, f1);
    EXPECT_EQ(s1.signature, SignatureStatus::valid);
    EXPECT_EQ(analysis.tid(s1), "client-1:0");
    EXPECT_EQ(analysis.info(s1), "JWS kid=client-1 seq=0 valid");
    EXPECT_EQ(s1.location.offset, 42u);
    EXPECT_EQ(s1.finding_count, 0u);

    const CapturedMessage m2[] = {message(2, replayed)};
    const auto f2 = analysis.analyze(2, m2);
    const StoredMessage& s2 = only_message(analysis, f2);
    EXPECT_EQ(s2.replay_of, 1u);
    ASSERT_EQ(s2.finding_count, 1u);
    EXPECT_EQ(analysis.finding(s2.first_finding).id, FindingId::replay);
    EXPECT_EQ(analysis.finding(s2.first_finding).related_frame, 1u);
    EXPECT_EQ(analysis.info(s2), "JWS REPLAY of #1: kid=client-1 seq=0");

    // Without a read filter the records are the frame numbers.
    EXPECT_EQ(analysis.shown_frame(1), 1u);
    EXPECT_EQ(analysis.shown_frame(2), 2u);
    EXPECT_EQ(analysis.shown_frame(3), 0u);  // nothing analysed there
    EXPECT_EQ(analysis.shown_frame(0), 0u);
}

// A read filter (tshark -2 -R, the GUI's) dissects every frame of the file on
// the first pass but keeps only those that pass: a dropped frame's number
// goes to the next one. The engine sees records (1, 2, 3 ... in the file);
// related frames are shown by their number in the view, or not at all when
// the filter removed them.
TEST(Analysis, ReadFilterRenumbersRelatedFrames) {
    Analysis analysis;
    (void)analysis.start(settings_with_keys());
    const Bytes seq0 = signed_request(1, 0);
    const Bytes seq0_again = signed_request(2, 0);
    const Bytes seq5 = signed_request(3, 5);
    const Bytes seq5_again = signed_request(4, 5);

    // File frame 1 is kept as frame 1; file frame 2 (no CoAP) is dropped.
    const std::uint32_t r1 = analysis.begin_record(1);
    const CapturedMessage m1[] = {message(r1, seq0)};
    ASSERT_TRUE(analysis.analyze(r1, m1).has_value());
    EXPECT_EQ(analysis.begin_record(2), 2u);
    // File frame 3 becomes frame 2 of the view: a replay of frame 1.
    const std::uint32_t r3 = analysis.begin_record(2);
    EXPECT_EQ(r3, 3u);
    const CapturedMessage m3[] = {message(r3, seq0_again)};
    const StoredMessage& s3 = only_message(analysis, analysis.analyze(r3, m3));
    EXPECT_EQ(s3.replay_of, r1);
    EXPECT_EQ(analysis.shown_frame(r1), 1u);
    EXPECT_EQ(analysis.shown_frame(r3), 2u);
    EXPECT_EQ(analysis.info(s3), "JWS REPLAY of #1: kid=client-1 seq=0");

    // File frame 4 (seq 5) is dissected as frame 3 and dropped; file frame 5,
    // its replay, becomes frame 3.
    const std::uint32_t r4 = analysis.begin_record(3);
    const CapturedMessage m4[] = {message(r4, seq5)};
    ASSERT_TRUE(analysis.analyze(r4, m4).has_value());
    const std::uint32_t r5 = analysis.begin_record(3);
    const CapturedMessage m5[] = {message(r5, seq5_again)};
    const StoredMessage& s5 = only_message(analysis, analysis.analyze(r5, m5));
    // The verdict is the one without the filter (the engine saw file frame
    // 4), but frame 4 of the file is not in the view: no number to show.
    EXPECT_EQ(s5.replay_of, r4);
    ASSERT_EQ(s5.finding_count, 1u);
    EXPECT_EQ(analysis.finding(s5.first_finding).related_frame, r4);
    EXPECT_EQ(analysis.shown_frame(r4), 0u);
    EXPECT_EQ(analysis.shown_frame(r5), 3u);
    EXPECT_EQ(analysis.info(s5), "JWS REPLAY: kid=client-1 seq=5");
    // The earlier frames keep their numbers.
    EXPECT_EQ(analysis.shown_frame(r1), 1u);
    EXPECT_EQ(analysis.shown_frame(r3), 2u);
}

TEST(Analysis, NewCaptureStartsFresh) {
    Analysis analysis;
    (void)analysis.start(settings_with_keys());
    const Bytes first = signed_request(1, 0);
    const CapturedMessage m1[] = {message(1, first)};
    ASSERT_TRUE(analysis.analyze(1, m1).has_value());

    analysis.stop();
    EXPECT_EQ(analysis.shown_frame(1), 0u);
    (void)analysis.start(settings_with_keys());
    // The same message in a new capture is no replay.
    const StoredMessage& again = only_message(analysis, analysis.analyze(1, m1));
    EXPECT_EQ(again.finding_count, 0u);
    EXPECT_EQ(again.replay_of, 0u);
}

TEST(Analysis, ProblemsOnlyWhenSomethingChanged) {
    Analysis analysis;
    PluginSettings bad;
    bad.window = 0;
    bad.keys_file = "/nonexistent/keys.jwks";
    EXPECT_EQ(analysis.start(bad).size(), 2u);
    EXPECT_TRUE(analysis.start(bad).empty());  // a redissection says nothing new
    analysis.invalidate_keys();                // the user pressed Apply
    EXPECT_EQ(analysis.start(bad).size(), 2u);
    EXPECT_TRUE(analysis.running());
}

// Spec §6: with no key configured, signed messages are unverified without
// unknown-key, and the first of them carries the note that nothing could be
// verified (shown once per capture).
TEST(Analysis, WithoutKeysEverythingIsUnverifiedAndSaidOnce) {
    Analysis analysis;
    (void)analysis.start(PluginSettings{});
    EXPECT_EQ(analysis.key_count(), 0u);
    const Bytes first = signed_request(1, 0);
    const Bytes second = signed_request(2, 1);
    const CapturedMessage m1[] = {message(1, first)};
    const CapturedMessage m2[] = {message(2, second)};
    const auto f1 = analysis.analyze(1, m1);
    const auto f2 = analysis.analyze(2, m2);
    const StoredMessage& s1 = only_message(analysis, f1);
    const StoredMessage& s2 = only_message(analysis, f2);
    EXPECT_EQ(s1.signature, SignatureStatus::unverified);
    EXPECT_EQ(s1.finding_count, 0u);
    EXPECT_TRUE(s1.no_keys_note);
    EXPECT_EQ(analysis.info(s1), "JWS kid=client-1 seq=0 unverified");
    EXPECT_EQ(s2.signature, SignatureStatus::unverified);
    EXPECT_FALSE(s2.no_keys_note);
    // Later passes see the same stored note (the frames keep what analyze()
    // returned), on the same message only.
    EXPECT_TRUE(analysis.message(f1->first).no_keys_note);
    EXPECT_FALSE(analysis.message(f2->first).no_keys_note);

    // A new capture says it again, on its own first message.
    analysis.stop();
    (void)analysis.start(PluginSettings{});
    EXPECT_TRUE(only_message(analysis, analysis.analyze(1, m2)).no_keys_note);
}

TEST(Analysis, WithKeysAnUnknownIdentifierIsUnknownKey) {
    Analysis analysis;
    PluginSettings settings;
    settings.uat_keys.push_back({"server-1", "HS256", to_hex(server_secret)});
    (void)analysis.start(settings);
    const Bytes first = signed_request(1, 0);
    const CapturedMessage m1[] = {message(1, first)};
    const StoredMessage& s1 = only_message(analysis, analysis.analyze(1, m1));
    EXPECT_EQ(s1.signature, SignatureStatus::unverified);
    EXPECT_FALSE(s1.no_keys_note);
    ASSERT_EQ(s1.finding_count, 1u);
    EXPECT_EQ(analysis.finding(s1.first_finding).id, FindingId::unknown_key);
    EXPECT_EQ(analysis.text(analysis.finding(s1.first_finding).message),
              "no key for kid \"client-1\"");
}

// Issue 11: a keys path that is not a usable file (a directory, /dev/zero)
// is reported, and the rest of the analysis runs: replays and
// retransmissions are still found.
TEST(Analysis, ABadKeysPathDoesNotStopTheAnalysis) {
    for (const std::string& path :
         {std::string(COAPJWS_PLUGIN_TEST_DIR), std::string("/dev/zero")}) {
        SCOPED_TRACE(path);
        Analysis analysis;
        PluginSettings settings;
        settings.keys_file = path;
        const std::vector<std::string> problems = analysis.start(settings);
        ASSERT_EQ(problems.size(), 1u);
        EXPECT_NE(problems[0].find(path + ": not a regular file"), std::string::npos)
            << problems[0];
        EXPECT_TRUE(analysis.running());
        const Bytes request = signed_request(1, 0);
        const Bytes replayed = signed_request(2, 0);  // same seq, new Message ID
        const CapturedMessage m1[] = {message(1, request)};
        const CapturedMessage m2[] = {message(2, request)};
        const CapturedMessage m3[] = {message(3, replayed)};
        EXPECT_EQ(only_message(analysis, analysis.analyze(1, m1)).signature,
                  SignatureStatus::unverified);
        EXPECT_EQ(only_message(analysis, analysis.analyze(2, m2)).retransmission_of, 1u);
        EXPECT_EQ(only_message(analysis, analysis.analyze(3, m3)).replay_of, 1u);
    }
}

// The header, signature and signed content come from the bytes as the
// profile defines them, with or without keys (the engine keeps none of them).
TEST(Analysis, DerivesTheJwsPartsFromTheBytes) {
    for (const PluginSettings& settings : {settings_with_keys(), PluginSettings{}}) {
        Analysis analysis;
        (void)analysis.start(settings);
        const Bytes request = signed_request(0x1001, 0);
        const Bytes response = signed_response(0x1001);
        const CapturedMessage m1[] = {message(1, request)};
        const CapturedMessage m2[] = {message(2, response, false)};
        const StoredMessage& s1 = only_message(analysis, analysis.analyze(1, m1));
        const StoredMessage& s2 = only_message(analysis, analysis.analyze(2, m2));
        EXPECT_EQ(analysis.request_tid(s2), "client-1:0");
        EXPECT_EQ(s2.request_frame, 1u);
        EXPECT_EQ(analysis.tid(s2), "");  // isi "01": no TID of its own

        const JwsParts p1 = analysis.jws_parts(s1, request, all_parts);
        ASSERT_TRUE(p1.header_json.has_value());
        EXPECT_EQ(*p1.header_json, request_header(0));
        ASSERT_TRUE(p1.header.has_value());
        EXPECT_EQ(p1.header->alg, "HS256");
        EXPECT_EQ(p1.header->kid, "client-1");
        EXPECT_EQ(p1.header->seq, 0u);
        EXPECT_EQ(p1.signature, hs256(secret, request_header(0), get_temp_content));
        EXPECT_EQ(p1.signed_content, get_temp_content);

        const JwsParts p2 = analysis.jws_parts(s2, response, all_parts);
        ASSERT_TRUE(p2.header_json.has_value());
        EXPECT_EQ(*p2.header_json, response_header);
        EXPECT_EQ(p2.signature, hs256(server_secret, response_header, content_21_5));
        EXPECT_EQ(p2.signed_content, content_21_5);

        // Only what is asked for.
        const JwsParts some = analysis.jws_parts(s1, request, WantedParts{false, false, true});
        EXPECT_FALSE(some.header_json.has_value());
        EXPECT_FALSE(some.header.has_value());
        EXPECT_TRUE(some.signature.empty());
        EXPECT_EQ(some.signed_content, get_temp_content);
        const JwsParts none = analysis.jws_parts(s1, request, WantedParts{});
        EXPECT_FALSE(none.header_json.has_value());
        EXPECT_TRUE(none.signed_content.empty());
        // Bytes that do not hold the option where the verdict says: nothing.
        const Bytes cut(request.begin(), request.begin() + 8);
        EXPECT_FALSE(analysis.jws_parts(s1, cut, all_parts).header_json.has_value());
    }
}

// Wireshark's "Response in": a request learns of the responses bound to it
// as they are analysed; a response of another request is not among them.
TEST(Analysis, RequestsLinkToTheirResponses) {
    Analysis analysis;
    (void)analysis.start(settings_with_keys());
    const Bytes request = signed_request(0x1001, 0);
    const Bytes response = signed_response(0x1001);
    const Bytes other_request = signed_request(0x1002, 1);
    const CapturedMessage m1[] = {message(1, request)};
    const CapturedMessage m2[] = {message(2, other_request)};
    const CapturedMessage m3[] = {message(3, response, false)};
    const auto f1 = analysis.analyze(1, m1);
    const auto f2 = analysis.analyze(2, m2);
    // Same token: the later request replaced the first in the engine's
    // table, so the response answers frame 2.
    const StoredMessage& s3 = only_message(analysis, analysis.analyze(3, m3));
    ASSERT_TRUE(f1 && f2);
    EXPECT_EQ(s3.request_frame, 2u);
    EXPECT_TRUE(analysis.responses_to(f1->first).empty());
    const auto responses = analysis.responses_to(f2->first);
    ASSERT_EQ(responses.size(), 1u);
    EXPECT_EQ(responses[0], 3u);
    // Responses are not requests: nothing links to them.
    EXPECT_TRUE(analysis.responses_to(f2->first + 1).empty());
}

// Which key verified: the engine's verdict, shown from the keys the analysis
// runs with; a shared secret has no thumbprint to show.
TEST(Analysis, KnowsTheKeyThatVerified) {
    Analysis analysis;
    (void)analysis.start(settings_with_keys());
    const Bytes request = signed_request(0x1001, 0);
    const CapturedMessage m1[] = {message(1, request)};
    const StoredMessage& s1 = only_message(analysis, analysis.analyze(1, m1));
    ASSERT_TRUE(s1.has_verifying_key);
    const Key* key = analysis.verifying_key(s1);
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->kid(), "client-1");
    EXPECT_EQ(key->origin().source, "Keys table row 1");
    EXPECT_EQ(analysis.key_thumbprint(s1), "");

    Analysis without_keys;
    (void)without_keys.start(PluginSettings{});
    const StoredMessage& s2 = only_message(without_keys, without_keys.analyze(1, m1));
    EXPECT_FALSE(s2.has_verifying_key);
    EXPECT_EQ(without_keys.verifying_key(s2), nullptr);
}

// What a stored message adds to its stream equals what its report adds.
TEST(Analysis, StreamFactsAreTheReportsFacts) {
    Analysis analysis;
    (void)analysis.start(settings_with_keys());
    const Endpoint server{Address::ipv4(0xC0000214u), 5683};
    const Bytes request = signed_request(0x1001, 7);
    const Bytes replayed = signed_request(0x1002, 7);
    const CapturedMessage m1[] = {message(1, request)};
    const CapturedMessage m2[] = {message(2, replayed)};
    const StoredMessage& s1 = only_message(analysis, analysis.analyze(1, m1));
    const StoredMessage& s2 = only_message(analysis, analysis.analyze(2, m2));
    const StreamFacts a = analysis.stream_facts(s1, server, 1);
    EXPECT_EQ(a.receiver, server);
    EXPECT_EQ(a.key_id, "client-1");
    EXPECT_EQ(a.signature, SignatureStatus::valid);
    EXPECT_EQ(a.accepted_seq, 7u);
    EXPECT_FALSE(a.has_findings());
    const StreamFacts b = analysis.stream_facts(s2, server, 2);
    EXPECT_FALSE(b.accepted_seq.has_value());  // a replay: the window did not take it
    EXPECT_EQ(b.findings[static_cast<std::size_t>(FindingId::replay)], 1u);
}

// A response whose request is not in view: the content needs the request
// TID, so there is none to show; the header still is.
TEST(Analysis, NoSignedContentWithoutTheBoundRequest) {
    Analysis analysis;
    (void)analysis.start(settings_with_keys());
    const Bytes response = signed_response(0x1001);
    const CapturedMessage m1[] = {message(1, response, false)};
    const StoredMessage& s1 = only_message(analysis, analysis.analyze(1, m1));
    EXPECT_EQ(s1.signature, SignatureStatus::unverified);
    const JwsParts parts = analysis.jws_parts(s1, response, all_parts);
    EXPECT_TRUE(parts.header.has_value());
    EXPECT_FALSE(parts.signature.empty());
    EXPECT_TRUE(parts.signed_content.empty());
}

// A header that does not parse: its text is shown, no members, no content.
TEST(Analysis, UnparsedHeaderShowsItsText) {
    Analysis analysis;
    (void)analysis.start(settings_with_keys());
    const std::string header = R"({"alg":"HS256","kid":"client-1","seq":-1})";
    CoapMessageSpec spec;
    spec.code = 0x01;
    spec.message_id = 7;
    spec.token = {0x07};
    const std::string value = base64url_encode(as_bytes(header)) + "..AAAA";
    spec.options = {{option::jws_default, Bytes(value.begin(), value.end())}};
    const Bytes coap = *encode_coap(spec);
    const CapturedMessage m1[] = {message(1, coap)};
    const StoredMessage& s1 = only_message(analysis, analysis.analyze(1, m1));
    EXPECT_TRUE(s1.has_jws);
    EXPECT_EQ(s1.jws_stage, JwsStage::header_decoded);
    const JwsParts parts = analysis.jws_parts(s1, coap, all_parts);
    ASSERT_TRUE(parts.header_json.has_value());
    EXPECT_EQ(*parts.header_json, header);
    EXPECT_FALSE(parts.header.has_value());
    EXPECT_EQ(parts.signature, (Bytes{0, 0, 0}));
    EXPECT_TRUE(parts.signed_content.empty());
}

// Bytes Wireshark may not show again (decrypted, reassembled) are kept; the
// frame's own bytes are not.
TEST(Analysis, KeepsOnlyBytesOutsideTheFrame) {
    Analysis analysis;
    (void)analysis.start(settings_with_keys());
    const Bytes first = signed_request(1, 0);
    const Bytes second = signed_request(2, 1);
    CapturedMessage decrypted = message(2, second);
    decrypted.location.in_frame_bytes = false;
    const CapturedMessage m1[] = {message(1, first)};
    const CapturedMessage m2[] = {decrypted};
    const StoredMessage& s1 = only_message(analysis, analysis.analyze(1, m1));
    const StoredMessage& s2 = only_message(analysis, analysis.analyze(2, m2));
    EXPECT_TRUE(analysis.copy_of(s1).empty());
    const ByteView copy = analysis.copy_of(s2);
    EXPECT_EQ(Bytes(copy.begin(), copy.end()), second);
    EXPECT_EQ(analysis.jws_parts(s2, copy, all_parts).signed_content, get_temp_content);
}

// The point of keeping only the verdict: a signed message costs about a
// hundred bytes (issue 5), whatever it carried.
TEST(Analysis, StoredVerdictsAreSmall) {
    Analysis analysis;
    (void)analysis.start(PluginSettings{});  // every message gets an unknown-key finding
    constexpr std::uint32_t frames = 20000;
    for (std::uint32_t frame = 1; frame <= frames; ++frame) {
        const Bytes coap = signed_request(static_cast<std::uint16_t>(frame), frame);
        const CapturedMessage m[] = {message(frame, coap)};
        ASSERT_TRUE(analysis.analyze(frame, m).has_value());
    }
    EXPECT_LE(analysis.bytes_stored() / frames, 150u) << analysis.bytes_stored();
}

}  // namespace
}  // namespace coapjws::plugin
