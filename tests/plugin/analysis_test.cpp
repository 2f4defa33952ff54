// The plugin's per-capture state: analysis once per frame in the first pass,
// the same stored result afterwards, a fresh Session per capture.
#include "analysis.hpp"

#include <gtest/gtest.h>

#include "coapjws/jws_crypto.hpp"
#include "coapjws/signed_content.hpp"

namespace coapjws::plugin {
namespace {

const Bytes secret(32, 0x42);

PluginSettings settings_with_key() {
    PluginSettings settings;
    settings.uat_keys.push_back({"client-1", "HS256", to_hex(secret)});
    return settings;
}

// A CON GET /temp with a JWS over it (spec §3/§4), Message ID `mid`.
Bytes signed_request(std::uint16_t mid, std::uint32_t seq) {
    const std::vector<CoapOptionValue> options{{option::uri_path, Bytes{'t', 'e', 'm', 'p'}}};
    Bytes content;
    const OptionSet signed_options = OptionSet::default_signed();
    build_signed_content(0x01, options, {}, {signed_options, option::jws_default}, nullptr,
                         content);
    auto key = Key::from_secret(secret);
    const std::string header =
        R"({"alg":"HS256","kid":"client-1","seq":)" + std::to_string(seq) + "}";
    auto value = sign_jws_option(header, content, Algorithm::HS256, *key);
    CoapMessageSpec spec;
    spec.code = 0x01;
    spec.message_id = mid;
    spec.token = {0x01};
    spec.options = options;
    spec.options.push_back({option::jws_default, Bytes(value->begin(), value->end())});
    return *encode_coap(spec);
}

CapturedMessage message(std::uint32_t frame, const Bytes& coap) {
    CapturedMessage m;
    m.packet.frame = frame;
    m.packet.time_ns = std::int64_t{frame} * nanoseconds_per_second;
    m.packet.src = {Address::ipv4(0xC000020Au), 40000};
    m.packet.dst = {Address::ipv4(0xC0000214u), 5683};
    m.packet.coap = coap;
    m.location = {true, 42, static_cast<std::uint32_t>(coap.size())};
    return m;
}

TEST(Analysis, StoresOneResultPerFrame) {
    Analysis analysis;
    EXPECT_TRUE(analysis.start(settings_with_key()).empty());
    const Bytes first = signed_request(1, 0);
    const Bytes replayed = signed_request(2, 0);  // same seq, new Message ID

    const CapturedMessage m1[] = {message(1, first)};
    const StoredFrame* f1 = analysis.analyze(1, m1);
    ASSERT_NE(f1, nullptr);
    ASSERT_EQ(f1->messages.size(), 1u);
    EXPECT_EQ(f1->messages[0].report.signature, SignatureStatus::valid);
    EXPECT_EQ(f1->messages[0].tid, "client-1:0");
    EXPECT_EQ(f1->messages[0].info, "JWS kid=client-1 seq=0 valid");
    EXPECT_EQ(f1->messages[0].location.offset, 42u);
    EXPECT_FALSE(f1->messages[0].report.jws->signed_content.empty());

    const CapturedMessage m2[] = {message(2, replayed)};
    const StoredFrame* f2 = analysis.analyze(2, m2);
    ASSERT_NE(f2, nullptr);
    EXPECT_EQ(f2->messages[0].report.replay_of, 1u);

    // Handing frame 1 in again (a second "first pass") must not feed the
    // Session again: it would then be a replay of itself.
    EXPECT_EQ(analysis.analyze(1, m1), f1);
    EXPECT_FALSE(f1->messages[0].report.has(FindingId::replay));
    EXPECT_EQ(analysis.lookup(1), f1);
    EXPECT_EQ(analysis.lookup(2), f2);
    EXPECT_EQ(analysis.lookup(3), nullptr);
}

TEST(Analysis, NewCaptureStartsFresh) {
    Analysis analysis;
    (void)analysis.start(settings_with_key());
    const Bytes first = signed_request(1, 0);
    const CapturedMessage m1[] = {message(1, first)};
    ASSERT_NE(analysis.analyze(1, m1), nullptr);

    analysis.stop();
    EXPECT_EQ(analysis.lookup(1), nullptr);
    (void)analysis.start(settings_with_key());
    // The same message in a new capture is no replay.
    const StoredFrame* again = analysis.analyze(1, m1);
    ASSERT_NE(again, nullptr);
    EXPECT_FALSE(again->messages[0].report.has(FindingId::replay));
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

TEST(Analysis, WithoutKeysEverythingIsUnverified) {
    Analysis analysis;
    (void)analysis.start(PluginSettings{});
    EXPECT_EQ(analysis.key_count(), 0u);
    const Bytes first = signed_request(1, 0);
    const CapturedMessage m1[] = {message(1, first)};
    const StoredFrame* f1 = analysis.analyze(1, m1);
    ASSERT_NE(f1, nullptr);
    EXPECT_EQ(f1->messages[0].report.signature, SignatureStatus::unverified);
    EXPECT_TRUE(f1->messages[0].report.has(FindingId::unknown_key));
}

}  // namespace
}  // namespace coapjws::plugin
