// Session: the per-message verdict (checks 1-9 of SPEC-NOTES "Order of
// checks"), configuration, counters and the three-stage pipeline.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <thread>

#include "coapjws/base64url.hpp"
#include "session_fixture.hpp"

namespace coapjws::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class SessionChecks : public SessionScenario {};

TEST_F(SessionChecks, SignedRequestIsValid) {
    const Bytes coap = signed_get(0x1001, {0xa1}, 17);
    MessageReport r = to_server(coap);
    EXPECT_EQ(r.frame, 1u);
    EXPECT_TRUE(r.coap_valid);
    EXPECT_EQ(r.kind, MessageKind::request);
    EXPECT_EQ(r.code, 0x01);
    EXPECT_EQ(r.message_id, 0x1001);
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
    EXPECT_THAT(r.findings, IsEmpty());
    ASSERT_TRUE(r.tid.has_value());
    EXPECT_EQ(r.tid->to_string(), "client-1:17");
    EXPECT_EQ(r.key_id, "client-1");
    ASSERT_TRUE(r.jws.has_value());
    EXPECT_EQ(r.jws->stage, JwsStage::header_parsed);
    EXPECT_EQ(r.jws->seq, 17u);
    EXPECT_EQ(r.jws->signed_content, SignedContentScope::message);
    ASSERT_TRUE(r.window.has_value());
    EXPECT_EQ(r.window->verdict, WindowVerdict::accepted);
    EXPECT_EQ(r.window->highest, 17u);
    EXPECT_FALSE(r.request_tid.has_value());
    // What a front end derives from the bytes when it shows the message.
    const JwsParts parts = parts_of(coap, r);
    EXPECT_EQ(parts.header_json, request_header("client-1", 17));
    ASSERT_TRUE(parts.header.has_value());
    EXPECT_EQ(parts.header->alg, "HS256");
    EXPECT_EQ(parts.signature.size(), 32u);  // HMAC-SHA-256
}

TEST_F(SessionChecks, JwsDetailsLocateTheOptionValue) {
    Bytes coap = signed_get(1, {0xa1}, 3);
    MessageReport r = to_server(coap);
    ASSERT_TRUE(r.jws.has_value());
    ASSERT_LE(r.jws->option_offset + r.jws->option_length, coap.size());
    std::string_view value(reinterpret_cast<const char*>(coap.data()) + r.jws->option_offset,
                           r.jws->option_length);
    const std::string header_b64 = base64url_encode(bytes_of(request_header("client-1", 3)));
    EXPECT_EQ(value.substr(0, header_b64.size() + 2), header_b64 + "..");
}

// The profile's construction by hand, independently of the engine's builder:
// GET (0x01) with Uri-Path "temp", HMAC-SHA-256 with OpenSSL directly.
TEST_F(SessionChecks, HandBuiltSignatureVerifies) {
    const std::string header = R"({"alg":"HS256","kid":"client-1","seq":5})";
    const Bytes content = {0x01, 0, 0, 0, 1, 0x01,                             // CODE GET
                           0x02, 0, 0, 0, 6, 0x00, 0x0b, 't', 'e', 'm', 'p'};  // Uri-Path
    std::string input = base64url_encode(bytes_of(header)) + "." + base64url_encode(content);
    const std::string secret = "client-1 secret, 32 bytes long!!";
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    ASSERT_NE(
        HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_len),
        nullptr);
    std::string value =
        base64url_encode(bytes_of(header)) + ".." + base64url_encode(ByteView(mac, mac_len));
    CoapMessageSpec spec = get(9, {0x01});
    MessageReport r = to_server(with_option_text(spec, value));
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);

    // The same with the last MAC byte flipped.
    mac[mac_len - 1] ^= 1;
    value = base64url_encode(bytes_of(header)) + ".." + base64url_encode(ByteView(mac, mac_len));
    MessageReport bad = to_server(with_option_text(get(10, {0x02}), value));
    EXPECT_EQ(bad.signature, SignatureStatus::invalid);
    EXPECT_THAT(ids(bad), ElementsAre(FindingId::bad_signature));
}

// The signed content a front end derives is the profile's items (spec §3),
// written out here by hand.
TEST_F(SessionChecks, DerivedSignedContentIsTheProfileItems) {
    const Bytes coap = signed_get(1, {0xa1}, 3);
    MessageReport r = to_server(coap);
    ASSERT_TRUE(r.jws.has_value());
    const Bytes expected = {0x01, 0, 0,    0,    1,   0x01, 0x02, 0,  0,
                            0,    6, 0x00, 0x0b, 't', 'e',  'm',  'p'};
    EXPECT_EQ(parts_of(coap, r).signed_content, expected);
}

// JwsDetails::signed_content says what the signature covers, whether or not
// it was checked: a request's own content once its header passes checks
// 1-5; a response binding a request TID needs its request in view (then the
// content ends with that TID); alg "none" stops before the content.
TEST_F(SessionChecks, SignedContentScopeWithoutKeys) {
    without_keys = true;
    MessageReport request = to_server(signed_get(1, {0xa1}, 3));
    ASSERT_TRUE(request.jws.has_value());
    EXPECT_EQ(request.signature, SignatureStatus::unverified);
    EXPECT_EQ(request.jws->signed_content, SignedContentScope::message);

    const Tid tid{"client-1", 3};
    const Bytes answer_bytes = signed_content(1, {0xa1}, tid);
    MessageReport answer = to_client(answer_bytes);
    ASSERT_TRUE(answer.jws.has_value());
    EXPECT_EQ(answer.jws->signed_content, SignedContentScope::request_tid);
    ASSERT_TRUE(answer.request_tid.has_value());
    EXPECT_EQ(*answer.request_tid, tid);
    EXPECT_EQ(answer.request_frame, 1u);
    // The derived content ends with the REQUEST-TID item: seq, then key id.
    const Bytes content = parts_of(answer_bytes, answer).signed_content;
    const Bytes tail = {0x04, 0, 0, 0, 12, 0, 0, 0, 3, 'c', 'l', 'i', 'e', 'n', 't', '-', '1'};
    ASSERT_GE(content.size(), tail.size());
    EXPECT_EQ(Bytes(content.end() - static_cast<std::ptrdiff_t>(tail.size()), content.end()), tail);

    const Bytes orphan_bytes = signed_content(2, {0xee}, tid);  // no such request
    MessageReport orphan = to_client(orphan_bytes);
    ASSERT_TRUE(orphan.jws.has_value());
    EXPECT_THAT(ids(orphan), ElementsAre(FindingId::unverifiable));
    EXPECT_EQ(orphan.jws->signed_content, SignedContentScope::unknown);
    EXPECT_TRUE(parts_of(orphan_bytes, orphan).signed_content.empty());

    const std::string none_header = R"({"alg":"none","kid":"client-1","seq":4})";
    MessageReport none = to_server(
        with_option_text(get(3, {0xa2}), base64url_encode(bytes_of(none_header)) + "..AA"));
    ASSERT_TRUE(none.jws.has_value());
    EXPECT_THAT(ids(none), ElementsAre(FindingId::alg_none));
    EXPECT_EQ(none.jws->signed_content, SignedContentScope::unknown);
}

TEST_F(SessionChecks, WrongKeyIsBadSignature) {
    Key impostor = secret_key("client-1", "not the configured secret........");
    MessageReport r = to_server(sign(get(1, {0xa1}), request_header("client-1", 1), impostor));
    EXPECT_EQ(r.signature, SignatureStatus::invalid);
    ASSERT_THAT(ids(r), ElementsAre(FindingId::bad_signature));
    EXPECT_EQ(r.findings[0].message, "signature does not verify with the key for kid \"client-1\"");
    EXPECT_EQ(r.findings[0].severity(), Severity::error);
}

TEST_F(SessionChecks, AlteredSignedOptionIsBadSignature) {
    // Signed for /temp, sent for /door: Uri-Path is signed.
    CoapMessageSpec signed_for = get(1, {0xa1}, "temp");
    std::string value =
        jws_value(signed_for, request_header("client-1", 1), key("client-1"), Algorithm::HS256);
    MessageReport r = to_server(with_option_text(get(1, {0xa1}, "door"), value));
    EXPECT_EQ(r.signature, SignatureStatus::invalid);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::bad_signature));
}

TEST_F(SessionChecks, UnsignedOptionsMayChange) {
    // Uri-Host and Max-Age are not signed: adding them keeps the signature.
    CoapMessageSpec signed_for = get(1, {0xa1});
    std::string value =
        jws_value(signed_for, request_header("client-1", 1), key("client-1"), Algorithm::HS256);
    CoapMessageSpec sent = signed_for;
    sent.options.push_back({option::uri_host, bytes_of("proxy.example")});
    sent.options.push_back({option::max_age, Bytes{60}});
    MessageReport r = to_server(with_option_text(sent, value));
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
}

TEST_F(SessionChecks, UnknownKey) {
    Key other = secret_key("client-9", "client-9 secret, 32 bytes long!!");
    MessageReport r = to_server(sign(get(1, {0xa1}), request_header("client-9", 4), other));
    EXPECT_EQ(r.signature, SignatureStatus::unverified);
    ASSERT_THAT(ids(r), ElementsAre(FindingId::unknown_key));
    EXPECT_EQ(r.findings[0].message, "no key for kid \"client-9\"");
    EXPECT_EQ(r.findings[0].severity(), Severity::warning);
    EXPECT_EQ(r.tid->to_string(), "client-9:4");
}

// Spec §6 (v1.1): unknown-key only when at least one key is configured.
// With none, every signed message is unverified without a finding, and the
// report says why (the front ends say it once).
TEST_F(SessionChecks, NoKeysAtAllMeansUnverifiedWithoutAFinding) {
    without_keys = true;
    MessageReport r = to_server(signed_get(1, {0xa1}, 4));
    EXPECT_EQ(r.signature, SignatureStatus::unverified);
    EXPECT_THAT(r.findings, IsEmpty()) << names(r);
    EXPECT_TRUE(r.unverified_without_keys);
    EXPECT_EQ(r.tid, (Tid{"client-1", 4}));

    // A response naming no key at all: still no unknown-key.
    MessageReport answer = to_client(sign(response(code_content, 1, {0xa1}), R"({"alg":"HS256"})",
                                          key("server-1"), Algorithm::HS256, SignOptions{}));
    EXPECT_EQ(answer.signature, SignatureStatus::unverified);
    EXPECT_THAT(answer.findings, IsEmpty()) << names(answer);
    EXPECT_TRUE(answer.unverified_without_keys);

    // Messages that fail before a key is needed are not "unverified".
    MessageReport none = to_server(with_option_text(
        get(2, {0xa2}), base64url_encode(bytes_of(R"({"alg":"none","kid":"c","seq":1})")) + ".."));
    EXPECT_FALSE(none.unverified_without_keys);
    MessageReport unsigned_get = to_server(encode(get(3, {0xa3})));
    EXPECT_FALSE(unsigned_get.unverified_without_keys);
    EXPECT_EQ(session().stats().unverified_without_keys, 2u);
}

TEST_F(SessionChecks, AnEmptyKeyStoreIsNoKeys) {
    const Bytes coap = signed_get(1, {0xa1}, 4);
    keys = std::make_shared<KeyStore>();  // configured, but holding nothing
    MessageReport r = to_server(coap);
    EXPECT_EQ(r.signature, SignatureStatus::unverified);
    EXPECT_THAT(r.findings, IsEmpty()) << names(r);
    EXPECT_TRUE(r.unverified_without_keys);
}

TEST_F(SessionChecks, WithKeysAnUnknownIdentifierIsUnknownKey) {
    MessageReport r = to_server(sign(get(1, {0xa1}), request_header("stranger", 4),
                                     secret_key("stranger", "a key that is not configured!!!!")));
    EXPECT_EQ(r.signature, SignatureStatus::unverified);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::unknown_key));
    EXPECT_FALSE(r.unverified_without_keys);
    EXPECT_EQ(session().stats().unverified_without_keys, 0u);
}

TEST_F(SessionChecks, KeyFoundByX5tS256) {
    Key k = secret_key("", "thumbprint key secret 32 bytes..");
    k.set_x5t_s256("q1w2e3");
    Key stored = secret_key("", "thumbprint key secret 32 bytes..");
    stored.set_x5t_s256("q1w2e3");
    keys->add(std::move(stored));
    std::string header = R"({"alg":"HS256","x5t#S256":"q1w2e3","seq":0})";
    MessageReport r = to_server(sign(get(1, {0xa1}), header, k));
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
    EXPECT_EQ(r.key_id, "q1w2e3");

    // A kid of the same text is a different identifier.
    MessageReport by_kid = to_server(sign(get(2, {0xa2}), request_header("q1w2e3", 1), k));
    EXPECT_THAT(ids(by_kid), ElementsAre(FindingId::unknown_key));
}

TEST_F(SessionChecks, KeyOfTheWrongTypeIsAMismatchNeverTried) {
    // An oct key under a kid whose header says ES256: algorithm confusion.
    Result<Key> ec = Key::generate(KeyType::ec, Curve::p256);
    ASSERT_TRUE(ec.has_value());
    Key signer = std::move(ec).value();
    MessageReport r = to_server(
        sign(get(1, {0xa1}), request_header("client-1", 1, "ES256"), signer, Algorithm::ES256));
    EXPECT_EQ(r.signature, SignatureStatus::invalid);
    ASSERT_THAT(ids(r), ElementsAre(FindingId::key_mismatch));
    EXPECT_NE(r.findings[0].message.find("kid \"client-1\""), std::string::npos)
        << r.findings[0].message;
}

TEST_F(SessionChecks, KeyAlgMemberMustEqualHeaderAlg) {
    Key pinned = secret_key("pinned", "pinned key secret, 32 bytes!!!!!");
    pinned.set_alg(Algorithm::HS512);
    keys->add(std::move(pinned));
    Key signer = secret_key("pinned", "pinned key secret, 32 bytes!!!!!");
    MessageReport r = to_server(sign(get(1, {0xa1}), request_header("pinned", 1), signer));
    EXPECT_EQ(r.signature, SignatureStatus::invalid);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::key_mismatch));
}

TEST_F(SessionChecks, SeveralKeysUnderOneIdAnyFittingOneMayVerify) {
    Result<Key> ec = Key::generate(KeyType::ec, Curve::p256);
    ASSERT_TRUE(ec.has_value());
    Key ec_key = std::move(ec).value();
    ec_key.set_kid("shared");
    keys->add(std::move(ec_key));                                         // does not fit HS256
    keys->add(secret_key("shared", "first shared secret, 32 bytes!!!"));  // fits, wrong secret
    keys->add(secret_key("shared", "second shared secret 32 bytes!!!"));  // the signer
    Key signer = secret_key("shared", "second shared secret 32 bytes!!!");
    MessageReport r = to_server(sign(get(1, {0xa1}), request_header("shared", 1), signer));
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
    // The report names the key that verified: the third of the three
    // "shared" keys, the store's seventh (after the fixture's four).
    ASSERT_TRUE(r.verifying_key.has_value());
    EXPECT_EQ(*r.verifying_key, 6u);
    EXPECT_EQ(session().keys().at(*r.verifying_key).secret().size(), 32u);
    EXPECT_EQ(&session().keys().at(*r.verifying_key), keys->find(KeyIdSource::kid, "shared")[2]);

    Key stranger = secret_key("shared", "nobody's secret, 32 bytes long!!");
    MessageReport bad = to_server(sign(get(2, {0xa2}), request_header("shared", 2), stranger));
    EXPECT_EQ(bad.signature, SignatureStatus::invalid);
    EXPECT_FALSE(bad.verifying_key.has_value());
    ASSERT_THAT(ids(bad), ElementsAre(FindingId::bad_signature));
    EXPECT_EQ(bad.findings[0].message,
              "signature verifies with none of the 2 keys for kid \"shared\"");
}

TEST_F(SessionChecks, EcdsaAndEdDsaVerify) {
    struct Case {
        KeyType type;
        Curve curve;
        Algorithm alg;
        const char* name;
    };
    for (const Case& c : {Case{KeyType::ec, Curve::p256, Algorithm::ES256, "ES256"},
                          Case{KeyType::okp, Curve::ed25519, Algorithm::EdDSA, "EdDSA"}}) {
        Result<Key> generated = Key::generate(c.type, c.curve);
        ASSERT_TRUE(generated.has_value()) << c.name;
        std::string kid = std::string("asym-") + c.name;
        Key k = std::move(generated).value();
        k.set_kid(kid);
        keys->add(std::move(k));
        MessageReport r = to_server(sign(get(static_cast<std::uint16_t>(frame + 1), {0xa1}),
                                         request_header(kid, 1, c.name), key(kid), c.alg));
        EXPECT_EQ(r.signature, SignatureStatus::valid) << c.name << names(r);
    }
}

TEST_F(SessionChecks, AlgNone) {
    std::string value = base64url_encode(bytes_of(R"({"alg":"none","kid":"client-1","seq":1})")) +
                        ".." + base64url_encode(bytes_of("x"));
    MessageReport r = to_server(with_option_text(get(1, {0xa1}), value));
    EXPECT_EQ(r.signature, SignatureStatus::invalid);
    ASSERT_THAT(ids(r), ElementsAre(FindingId::alg_none));
    EXPECT_EQ(r.tid->to_string(), "client-1:1");  // shown, though never used
}

TEST_F(SessionChecks, AlgUnsupported) {
    std::string value = base64url_encode(bytes_of(R"({"alg":"HS1","kid":"client-1","seq":1})")) +
                        ".." + base64url_encode(bytes_of("x"));
    MessageReport r = to_server(with_option_text(get(1, {0xa1}), value));
    EXPECT_EQ(r.signature, SignatureStatus::invalid);
    ASSERT_THAT(ids(r), ElementsAre(FindingId::alg_unsupported));
    EXPECT_EQ(r.findings[0].message, "alg \"HS1\" is not supported");
}

TEST_F(SessionChecks, CritUnknown) {
    std::string header = R"({"alg":"HS256","kid":"client-1","seq":1,"exp":5,"crit":["exp"]})";
    MessageReport r = to_server(sign(get(1, {0xa1}), header, key("client-1")));
    EXPECT_EQ(r.signature, SignatureStatus::invalid);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::crit_unknown));

    // crit naming only understood members is fine.
    std::string ok = R"({"alg":"HS256","kid":"client-1","seq":2,"crit":["seq"]})";
    EXPECT_EQ(to_server(sign(get(2, {0xa2}), ok, key("client-1"))).signature,
              SignatureStatus::valid);
}

TEST_F(SessionChecks, RequestWithoutSeqOrKeyIsMalformed) {
    for (std::string header : {std::string(R"({"alg":"HS256","kid":"client-1"})"),
                               std::string(R"({"alg":"HS256","seq":3})")}) {
        MessageReport r = to_server(
            sign(get(static_cast<std::uint16_t>(frame + 1), {0xa1}), header, key("client-1")));
        EXPECT_EQ(r.signature, SignatureStatus::none) << header;
        EXPECT_THAT(ids(r), ElementsAre(FindingId::malformed)) << header;
        EXPECT_FALSE(r.tid.has_value());
    }
}

TEST_F(SessionChecks, MalformedOptionValuesHaveStatusNone) {
    std::string header = base64url_encode(bytes_of(request_header("client-1", 1)));
    for (std::string value : {header + ".x." + "AAAA", header + "." + "AAAA", header + "..AA=A",
                              std::string("..AAAA"), std::string("not base64!")}) {
        MessageReport r =
            to_server(with_option_text(get(static_cast<std::uint16_t>(frame + 1), {0xa1}), value));
        EXPECT_EQ(r.signature, SignatureStatus::none) << value;
        EXPECT_THAT(ids(r), ElementsAre(FindingId::malformed)) << value;
        ASSERT_TRUE(r.jws.has_value());
        EXPECT_EQ(r.jws->stage, JwsStage::option);
    }
}

// Spec §1 (v1.1): `header..` with alg "none" is an Unsecured JWS (RFC 7515
// §6), the shape every alg-none attack takes: alg-none, invalid, with its
// TID, and it never enters the window. With any other alg the empty
// signature part makes the option malformed (status none, no TID).
TEST_F(SessionChecks, UnsecuredJwsIsAlgNone) {
    const std::string forged = R"({"alg":"none","kid":"client-1","seq":5})";
    const Bytes coap = with_option_text(get(1, {0xa1}), base64url_encode(bytes_of(forged)) + "..");
    MessageReport r = to_server(coap);
    EXPECT_EQ(r.signature, SignatureStatus::invalid);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::alg_none)) << names(r);
    EXPECT_EQ(r.tid, (Tid{"client-1", 5}));
    EXPECT_EQ(r.key_id, "client-1");
    ASSERT_TRUE(r.jws.has_value());
    EXPECT_EQ(r.jws->stage, JwsStage::header_parsed);
    EXPECT_FALSE(r.window.has_value());  // never enters the window
    const JwsParts parts = parts_of(coap, r);
    EXPECT_TRUE(parts.header.has_value());
    EXPECT_TRUE(parts.signature.empty());
    EXPECT_FALSE(r.unverified_without_keys);

    // The real client's seq 5 afterwards: the forgery did not enter the window.
    MessageReport real = to_server(signed_get(2, {0xa2}, 5));
    EXPECT_EQ(real.signature, SignatureStatus::valid) << names(real);
    EXPECT_THAT(real.findings, IsEmpty()) << names(real);

    // A response forged the same way.
    MessageReport answer = to_client(
        with_option_text(response(code_content, 2, {0xa2}),
                         base64url_encode(bytes_of(R"({"alg":"none","kid":"server-1"})")) + ".."));
    EXPECT_EQ(answer.signature, SignatureStatus::invalid);
    EXPECT_THAT(ids(answer), ElementsAre(FindingId::alg_none)) << names(answer);
    EXPECT_EQ(answer.request_frame, 2u);
}

TEST_F(SessionChecks, UnsecuredJwsIsAlgNoneWithoutKeysToo) {
    without_keys = true;
    MessageReport r = to_server(with_option_text(
        get(1, {0xa1}),
        base64url_encode(bytes_of(R"({"alg":"none","kid":"client-1","seq":5})")) + ".."));
    EXPECT_EQ(r.signature, SignatureStatus::invalid);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::alg_none)) << names(r);
    EXPECT_EQ(r.tid, (Tid{"client-1", 5}));
}

TEST_F(SessionChecks, EmptySignatureWithAnotherAlgIsMalformed) {
    for (std::string alg : {"HS256", "ES256", "EdDSA", "HS999", "NONE"}) {
        const std::string header =
            R"({"alg":")" + alg + R"(","kid":"client-1","seq":)" + std::to_string(frame + 1) + "}";
        MessageReport r =
            to_server(with_option_text(get(static_cast<std::uint16_t>(frame + 1), {0xa1}),
                                       base64url_encode(bytes_of(header)) + ".."));
        EXPECT_EQ(r.signature, SignatureStatus::none) << alg;
        EXPECT_THAT(ids(r), ElementsAre(FindingId::malformed)) << alg << names(r);
        EXPECT_NE(r.findings.at(0).message.find("signature part is empty"), std::string::npos)
            << r.findings.at(0).message;
        EXPECT_FALSE(r.tid.has_value()) << alg;
        EXPECT_FALSE(r.key_id.has_value()) << alg;
    }
    // A header that does not parse is malformed for the header's sake.
    MessageReport bad = to_server(
        with_option_text(get(9, {0xa9}), base64url_encode(bytes_of(R"({"alg":"none",)")) + ".."));
    EXPECT_EQ(bad.signature, SignatureStatus::none);
    EXPECT_THAT(ids(bad), ElementsAre(FindingId::malformed));
    EXPECT_NE(bad.findings.at(0).message.find("JOSE header"), std::string::npos);
}

TEST_F(SessionChecks, MalformedHeaderHasStatusNone) {
    for (std::string json :
         {std::string(R"({"alg":"HS256","alg":"HS256","kid":"c","seq":1})"),
          std::string(R"({"alg":"HS256","kid":"c","seq":"1"})"),
          std::string(R"({"alg":"HS256","kid":"c","seq":1,"isi":"99"})"), std::string("[1,2]")}) {
        std::string value =
            base64url_encode(bytes_of(json)) + ".." + base64url_encode(bytes_of("sig"));
        const Bytes coap =
            with_option_text(get(static_cast<std::uint16_t>(frame + 1), {0xa1}), value);
        MessageReport r = to_server(coap);
        EXPECT_EQ(r.signature, SignatureStatus::none) << json;
        EXPECT_THAT(ids(r), ElementsAre(FindingId::malformed)) << json;
        ASSERT_TRUE(r.jws.has_value());
        EXPECT_EQ(r.jws->stage, JwsStage::header_decoded);
        const JwsParts parts = parts_of(coap, r);
        EXPECT_EQ(parts.header_json, json);
        EXPECT_FALSE(parts.header.has_value());
    }
}

TEST_F(SessionChecks, TwoJwsOptionsAreMalformed) {
    CoapMessageSpec spec = get(1, {0xa1});
    std::string value =
        jws_value(spec, request_header("client-1", 1), key("client-1"), Algorithm::HS256);
    spec.options.push_back({option::jws_default, bytes_of(value)});
    spec.options.push_back({option::jws_default, bytes_of(value)});
    MessageReport r = to_server(encode(spec));
    EXPECT_EQ(r.signature, SignatureStatus::none);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::malformed));
    EXPECT_FALSE(r.jws.has_value());
}

TEST_F(SessionChecks, IsiInARequestIsAWarningOnly) {
    std::string header = R"({"alg":"HS256","kid":"client-1","seq":1,"isi":"01"})";
    MessageReport r = to_server(sign(get(1, {0xa1}), header, key("client-1")));
    EXPECT_EQ(r.signature, SignatureStatus::valid);
    ASSERT_THAT(ids(r), ElementsAre(FindingId::isi_in_request));
    EXPECT_EQ(r.findings[0].severity(), Severity::warning);
}

TEST_F(SessionChecks, MalformedCoapMessages) {
    const Bytes cases[] = {
        {0x40, 0x01},                          // shorter than the header
        {0x80, 0x01, 0x00, 0x01},              // version 2
        {0x49, 0x01, 0x00, 0x01},              // token length 9
        {0x40, 0x01, 0x00, 0x01, 0xff},        // payload marker, no payload
        {0x40, 0x01, 0x00, 0x01, 0xb5, 't'},   // Uri-Path value cut short
        {0x60, 0x00, 0x00, 0x01, 0xff, 0x01},  // empty ACK with a payload
    };
    for (const Bytes& coap : cases) {
        MessageReport r = to_server(coap);
        EXPECT_FALSE(r.coap_valid) << to_hex(coap);
        EXPECT_EQ(r.signature, SignatureStatus::none);
        ASSERT_THAT(ids(r), ElementsAre(FindingId::malformed)) << to_hex(coap);
        EXPECT_FALSE(r.jws.has_value());
    }
    EXPECT_EQ(session().stats().coap_messages, 0u);
    EXPECT_EQ(session().stats().messages, std::size(cases));
}

TEST_F(SessionChecks, ReservedCodeClassIsMalformed) {
    MessageReport r = to_server(Bytes{0x40, 0xe1, 0x00, 0x01});  // 7.01: signalling, not UDP
    EXPECT_THAT(ids(r), ElementsAre(FindingId::malformed));
    EXPECT_EQ(r.kind, MessageKind::unknown);
}

TEST_F(SessionChecks, EmptyMessagesAreNeverFindings) {
    for (CoapType type : {CoapType::confirmable, CoapType::acknowledgement, CoapType::reset}) {
        for (int copy = 0; copy < 2; ++copy) {  // sent twice: not even a retransmission
            MessageReport r = to_server(empty_message(type, 0x7777));
            EXPECT_EQ(r.kind, MessageKind::empty);
            EXPECT_TRUE(r.coap_valid);
            EXPECT_THAT(r.findings, IsEmpty());
            EXPECT_EQ(r.signature, SignatureStatus::none);
        }
    }
}

TEST_F(SessionChecks, UnsignedRequestHasStatusNone) {
    MessageReport r = to_server(encode(get(1, {0xa1})));
    EXPECT_EQ(r.signature, SignatureStatus::none);
    EXPECT_THAT(r.findings, IsEmpty());
    EXPECT_FALSE(r.jws.has_value());
    EXPECT_FALSE(r.tid.has_value());
}

TEST_F(SessionChecks, ConfigurableOptionNumber) {
    config.jws_option = 65001;
    SignOptions how;
    how.jws_option = 65001;
    MessageReport r = to_server(sign(get(1, {0xa1}), request_header("client-1", 1), key("client-1"),
                                     Algorithm::HS256, how));
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);

    // The default number is now just an unknown, unsigned option.
    MessageReport other = to_server(signed_get(2, {0xa2}, 2));
    EXPECT_EQ(other.signature, SignatureStatus::none);
    EXPECT_FALSE(other.jws.has_value());
}

TEST_F(SessionChecks, ConfigurableSignedOptions) {
    Result<OptionSet> only_path = OptionSet::parse("11");
    ASSERT_TRUE(only_path.has_value());
    config.signed_options = *only_path;
    CoapMessageSpec spec = get(1, {0xa1});
    spec.options.push_back({option::accept, Bytes{50}});  // signed by default, not here

    SignOptions narrow;
    narrow.signed_options = *only_path;
    MessageReport r = to_server(
        sign(spec, request_header("client-1", 1), key("client-1"), Algorithm::HS256, narrow));
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);

    spec.message_id = 2;
    MessageReport wide = to_server(sign(spec, request_header("client-1", 2), key("client-1")));
    EXPECT_EQ(wide.signature, SignatureStatus::invalid);
    EXPECT_THAT(ids(wide), ElementsAre(FindingId::bad_signature));
}

TEST_F(SessionChecks, HostileKeyIdIsQuotedOnOneLine) {
    Key other = secret_key("a\"b\nc", "x secret 32 bytes long..........");
    std::string header = R"({"alg":"HS256","kid":"a\"b\nc","seq":1})";
    MessageReport r = to_server(sign(get(1, {0xa1}), header, other));
    ASSERT_THAT(ids(r), ElementsAre(FindingId::unknown_key));
    EXPECT_EQ(r.findings[0].message, "no key for kid \"a\\\"b\\nc\"");
}

TEST(SessionConfigTest, Validate) {
    SessionConfig config;
    EXPECT_TRUE(config.validate());
    for (std::uint32_t w : {1u, 32u, 1024u, 65536u}) {
        config.window = w;
        EXPECT_TRUE(config.validate()) << w;
    }
    for (std::uint32_t w : {0u, 65537u}) {
        config.window = w;
        Status s = config.validate();
        ASSERT_FALSE(s) << w;
        EXPECT_EQ(s.error().message, "window must be 1..65536 (got " + std::to_string(w) + ")");
        EXPECT_FALSE(Session::create(config).has_value());
    }
    config.window = 32;
    config.jws_option = 0;
    EXPECT_FALSE(config.validate());
    config.jws_option = 65021;
    config.limits.max_windows = 0;
    EXPECT_FALSE(config.validate());
}

TEST(SignatureStatusTest, Names) {
    EXPECT_EQ(to_string(SignatureStatus::none), "none");
    EXPECT_EQ(to_string(SignatureStatus::valid), "valid");
    EXPECT_EQ(to_string(SignatureStatus::invalid), "invalid");
    EXPECT_EQ(to_string(SignatureStatus::unverified), "unverified");
}

TEST(MessageReportTest, Helpers) {
    MessageReport r;
    EXPECT_FALSE(r.worst_severity().has_value());
    EXPECT_FALSE(r.has(FindingId::replay));
    r.findings.push_back({FindingId::retransmission, "r", 1});
    r.findings.push_back({FindingId::unknown_key, "u", std::nullopt});
    EXPECT_EQ(r.worst_severity(), Severity::warning);
    r.findings.push_back({FindingId::replay, "p", 2});
    EXPECT_EQ(r.worst_severity(), Severity::error);
    ASSERT_NE(r.find(FindingId::replay), nullptr);
    EXPECT_EQ(r.find(FindingId::replay)->message, "p");
    EXPECT_TRUE(r.has(FindingId::unknown_key));
    EXPECT_EQ(r.find(FindingId::stripped), nullptr);
}

TEST_F(SessionChecks, StatsCountMessagesAndFindings) {
    to_server(signed_get(1, {0xa1}, 1));                 // valid
    to_server(signed_get(2, {0xa2}, 1));                 // replay
    to_server(encode(get(3, {0xa3})));                   // plain
    to_server(Bytes{0x40});                              // malformed CoAP
    to_server(empty_message(CoapType::confirmable, 4));  // ping
    SessionStats s = session().stats();
    EXPECT_EQ(s.messages, 5u);
    EXPECT_EQ(s.coap_messages, 4u);
    EXPECT_EQ(s.jws_messages, 2u);
    EXPECT_EQ(s.findings[static_cast<std::size_t>(FindingId::replay)], 1u);
    EXPECT_EQ(s.findings[static_cast<std::size_t>(FindingId::malformed)], 1u);
    EXPECT_EQ(s.findings[static_cast<std::size_t>(FindingId::stripped)], 1u);  // the plain one
    EXPECT_EQ(s.windows, 1u);
    EXPECT_EQ(s.pending_requests, 3u);
}

// --- The pipeline ------------------------------------------------------------

class SessionPipeline : public SessionScenario {
  protected:
    // A short capture exercising every stateful table.
    std::vector<Packet> capture() {
        storage.clear();
        Tid t1{"client-1", 1};
        storage.push_back(signed_get(1, {0xa1}, 1));
        storage.push_back(signed_get(2, {0xa2}, 1));  // replay
        storage.push_back(signed_content(0x2001, {0xa1}, t1));
        storage.push_back(signed_content(0x2002, {0xa1}, t1));  // response-replay
        storage.push_back(encode(get(3, {0xa3})));              // stripped
        storage.push_back(storage[0]);                          // retransmission
        Key impostor = secret_key("client-1", "impostor secret, 32 bytes long!!");
        storage.push_back(sign(get(4, {0xa4}), request_header("client-1", 7), impostor));  // bad
        storage.push_back(signed_get(5, {0xa5}, 7));  // not a replay: the bad one did not count
        std::vector<Packet> packets;
        const bool from_client[] = {true, true, false, false, true, true, true, true};
        for (std::size_t i = 0; i < storage.size(); ++i) {
            Packet p;
            p.frame = static_cast<std::uint32_t>(i + 1);
            p.time_ns = now + static_cast<std::int64_t>(i) * seconds;
            p.src = from_client[i] ? client : server;
            p.dst = from_client[i] ? server : client;
            p.coap = storage[i];
            packets.push_back(p);
        }
        return packets;
    }
    std::vector<Bytes> storage;
};

void expect_same(const MessageReport& a, const MessageReport& b) {
    EXPECT_EQ(a.frame, b.frame);
    EXPECT_EQ(a.signature, b.signature) << a.frame;
    EXPECT_EQ(ids(a), ids(b)) << a.frame;
    for (std::size_t i = 0; i < std::min(a.findings.size(), b.findings.size()); ++i) {
        EXPECT_EQ(a.findings[i].message, b.findings[i].message);
        EXPECT_EQ(a.findings[i].related_frame, b.findings[i].related_frame);
    }
    EXPECT_EQ(a.tid, b.tid);
    EXPECT_EQ(a.request_tid, b.request_tid);
    EXPECT_EQ(a.request_frame, b.request_frame);
    EXPECT_EQ(a.replay_of, b.replay_of);
    EXPECT_EQ(a.retransmission_of, b.retransmission_of);
}

TEST_F(SessionPipeline, PreparingAheadAndVerifyingOutOfOrderGivesTheSameReports) {
    std::vector<Packet> packets = capture();
    Session serial = Session::create(config, keys).value();
    std::vector<MessageReport> expected;
    for (const Packet& p : packets)
        expected.push_back(serial.analyze(p));
    // The capture says what it should: sanity of the scenario itself.
    EXPECT_THAT(ids(expected[1]), ElementsAre(FindingId::replay));
    EXPECT_THAT(ids(expected[3]), ElementsAre(FindingId::response_replay));
    EXPECT_THAT(ids(expected[4]), ElementsAre(FindingId::stripped));
    EXPECT_THAT(ids(expected[5]), ElementsAre(FindingId::retransmission));
    EXPECT_THAT(ids(expected[6]), ElementsAre(FindingId::bad_signature));
    EXPECT_THAT(expected[7].findings, IsEmpty());

    // Prepare everything first, verify backwards, then conclude in order.
    Session piped = Session::create(config, keys).value();
    std::vector<PreparedMessage> prepared;
    for (const Packet& p : packets)
        prepared.push_back(piped.prepare(p));
    storage.clear();  // the packet buffers are gone after prepare()
    for (auto it = prepared.rbegin(); it != prepared.rend(); ++it)
        piped.verify(*it);
    for (std::size_t i = 0; i < prepared.size(); ++i) {
        expect_same(piped.conclude(std::move(prepared[i])), expected[i]);
    }
}

TEST_F(SessionPipeline, VerifyOnWorkerThreads) {
    std::vector<Packet> packets = capture();
    Session serial = Session::create(config, keys).value();
    std::vector<MessageReport> expected;
    for (const Packet& p : packets)
        expected.push_back(serial.analyze(p));

    Session piped = Session::create(config, keys).value();
    std::vector<PreparedMessage> prepared;
    for (const Packet& p : packets)
        prepared.push_back(piped.prepare(p));
    const Session& shared = piped;
    std::vector<std::thread> workers;
    for (std::size_t t = 0; t < 2; ++t) {
        workers.emplace_back([&, t] {
            for (std::size_t i = t; i < prepared.size(); i += 2)
                shared.verify(prepared[i]);
        });
    }
    for (std::thread& w : workers)
        w.join();
    for (std::size_t i = 0; i < prepared.size(); ++i) {
        expect_same(piped.conclude(std::move(prepared[i])), expected[i]);
    }
}

TEST_F(SessionPipeline, ConcludeWithoutVerifyStillVerifies) {
    std::vector<Packet> packets = capture();
    Session serial = Session::create(config, keys).value();
    Session skipping = Session::create(config, keys).value();
    for (const Packet& p : packets) {
        expect_same(skipping.conclude(skipping.prepare(p)), serial.analyze(p));
    }
}

TEST_F(SessionPipeline, PreparedReportIsVisibleBeforeConclude) {
    std::vector<Packet> packets = capture();
    Session s = Session::create(config, keys).value();
    PreparedMessage m = s.prepare(packets[0]);
    EXPECT_EQ(m.report().frame, 1u);
    EXPECT_EQ(m.report().tid->to_string(), "client-1:1");
    EXPECT_EQ(m.report().signature, SignatureStatus::none);  // not verified yet
    s.verify(m);
    EXPECT_EQ(m.report().signature, SignatureStatus::valid);
    s.verify(m);  // idempotent
    MessageReport r = s.conclude(std::move(m));
    EXPECT_THAT(r.findings, IsEmpty());
    EXPECT_EQ(s.stats().messages, 1u);
}

TEST_F(SessionPipeline, OnlyPublicKeySignaturesAreCostlyToVerify) {
    // ES256 under kid "ec-1"; the fixture's HMAC keys for the rest.
    Key ec = Key::generate(KeyType::ec, Curve::p256).value();
    ec.set_kid("ec-1");
    const Bytes es256 =
        sign(get(1, {0xb1}), R"({"alg":"ES256","kid":"ec-1","seq":0})", ec, Algorithm::ES256);
    keys->add(std::move(ec));
    Session s = Session::create(config, keys).value();
    auto packet = [&](const Bytes& coap, std::uint32_t n) {
        return Packet{n, now + n * seconds, client, server, coap};
    };

    PreparedMessage costly = s.prepare(packet(es256, 1));
    EXPECT_TRUE(costly.has_costly_verification());
    s.verify(costly);
    EXPECT_FALSE(costly.has_costly_verification());  // done: nothing left for a worker
    EXPECT_EQ(s.conclude(std::move(costly)).signature, SignatureStatus::valid);

    PreparedMessage hmac = s.prepare(packet(signed_get(2, {0xb2}, 1), 2));
    EXPECT_FALSE(hmac.has_costly_verification());
    // Left to conclude(), which checks it inline.
    EXPECT_EQ(s.conclude(std::move(hmac)).signature, SignatureStatus::valid);

    const Bytes unknown = sign(get(3, {0xb3}), R"({"alg":"ES256","kid":"nobody","seq":0})",
                               key("client-1"), Algorithm::HS256);
    PreparedMessage no_key = s.prepare(packet(unknown, 3));
    EXPECT_FALSE(no_key.has_costly_verification());  // no key: nothing to verify
    PreparedMessage plain = s.prepare(packet(encode(get(4, {0xb4})), 4));
    EXPECT_FALSE(plain.has_costly_verification());
}

}  // namespace
}  // namespace coapjws::test
