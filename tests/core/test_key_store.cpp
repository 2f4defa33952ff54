// KeyStore and the JWK Set parser: lookups by each identifier, and messages
// that name the file, the key (index from 0, with its kid) and the problem,
// and never a secret. The strict parser (parse_jwks, for the generator) and
// the front ends' loader (add_jwks) read JWKs the same way; the loader's
// policy and file rules are in test_key_loader.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coapjws/base64url.hpp"
#include "coapjws/jws_crypto.hpp"
#include "coapjws/key_loader.hpp"
#include "key_test_support.hpp"

namespace coapjws {
namespace {

const std::string data_dir = std::string(COAPJWS_TEST_DATA_DIR) + "/keys/";

constexpr std::string_view oct_k = "hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg";
constexpr std::string_view p256_x = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr std::string_view p256_y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
constexpr std::string_view p256_d = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";

// A valid first key (with secrets, so messages about later keys can be
// checked not to leak them), then the key under test as key #1.
std::string jwks_with(const std::string& second) {
    return R"({"keys":[{"kty":"EC","kid":"a","crv":"P-256","x":")" + std::string(p256_x) +
           R"(","y":")" + std::string(p256_y) + R"(","d":")" + std::string(p256_d) + R"("},)" +
           second + "]}";
}

std::string error_of(const std::string& json) {
    auto store = parse_jwks(json, "keys.jwks");
    EXPECT_FALSE(store) << "accepted: " << json;
    return store ? std::string() : store.error().message;
}

void expect_no_secret(const std::string& text) {
    for (std::string_view secret : {oct_k, p256_d}) {
        EXPECT_EQ(text.find(secret), std::string::npos) << text;
        EXPECT_EQ(text.find(secret.substr(0, 8)), std::string::npos) << text;
        EXPECT_EQ(text.find(to_hex(*base64url_decode(secret)).substr(0, 8)), std::string::npos)
            << text;
    }
}

// ---------------------------------------------------------------------------
// Lookups

TEST(KeyStore, FindsKeysByEachIdentifier) {
    auto store = load_jwks_file_strict(data_dir + "rfc-keys.jwks");
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ(store->size(), 5u);

    // Two keys share the kid: both are found, in file order.
    auto bilbo = store->find(KeyIdSource::kid, "bilbo.baggins@hobbiton.example");
    ASSERT_EQ(bilbo.size(), 2u);
    EXPECT_EQ(bilbo[0]->type(), KeyType::ec);
    EXPECT_EQ(bilbo[0]->curve(), Curve::p521);
    EXPECT_TRUE(bilbo[0]->has_private());
    EXPECT_EQ(bilbo[1]->type(), KeyType::rsa);

    auto hmac = store->find(KeyIdSource::kid, "018c0ae5-4d9b-471b-bfd6-eef314bc7037");
    ASSERT_EQ(hmac.size(), 1u);
    EXPECT_EQ(hmac[0]->type(), KeyType::oct);

    auto ed = store->find(KeyIdSource::x5t_s256, "rfc8037-a2");
    ASSERT_EQ(ed.size(), 1u);
    EXPECT_EQ(ed[0]->curve(), Curve::ed25519);
    auto ec = store->find(KeyIdSource::x5t, "rfc7515-a3");
    ASSERT_EQ(ec.size(), 1u);
    EXPECT_EQ(ec[0]->curve(), Curve::p256);

    // Each identifier is looked up only where it belongs, and exactly.
    EXPECT_TRUE(store->find(KeyIdSource::kid, "rfc8037-a2").empty());
    EXPECT_TRUE(store->find(KeyIdSource::x5t, "rfc8037-a2").empty());
    EXPECT_TRUE(store->find(KeyIdSource::x5t_s256, "bilbo.baggins@hobbiton.example").empty());
    EXPECT_TRUE(store->find(KeyIdSource::kid, "BILBO.BAGGINS@HOBBITON.EXAMPLE").empty());
    EXPECT_TRUE(store->find(KeyIdSource::kid, "").empty());
    EXPECT_EQ(&store->at(2), hmac[0]);
}

TEST(KeyStore, KeyWithSeveralIdentifiersIsFoundByAll) {
    auto store = parse_jwks(R"({"keys":[{"kty":"oct","kid":"k","x5t":"t","x5t#S256":"s","k":")" +
                                std::string(oct_k) + R"("}]})",
                            "inline");
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ(store->find(KeyIdSource::kid, "k").size(), 1u);
    EXPECT_EQ(store->find(KeyIdSource::x5t, "t").size(), 1u);
    EXPECT_EQ(store->find(KeyIdSource::x5t_s256, "s").size(), 1u);
}

TEST(KeyStore, AddAndAddJwksAppend) {
    KeyStore store;
    EXPECT_TRUE(store.empty());
    auto key = Key::from_secret(Bytes(32, 7));
    ASSERT_TRUE(key);
    key->set_kid("manual");
    store.add(std::move(*key));
    const KeyFileLoad load = add_jwks(
        store, R"({"keys":[{"kty":"oct","kid":"manual","k":")" + std::string(oct_k) + R"("}]})",
        "more.jwks");
    EXPECT_FALSE(load.refused());
    EXPECT_EQ(load.keys_added, 1u);
    EXPECT_EQ(store.size(), 2u);
    EXPECT_EQ(store.find(KeyIdSource::kid, "manual").size(), 2u);
}

TEST(KeyStore, ARefusedSetAddsNothing) {
    KeyStore store;
    ASSERT_FALSE(
        add_jwks(store, jwks_with(R"({"kty":"oct","kid":"b","k":")" + std::string(oct_k) + R"("})"),
                 "one.jwks")
            .refused());
    ASSERT_EQ(store.size(), 2u);
    // A usable key "c" in a set that is refused as a whole (no JSON after all).
    const KeyFileLoad load = add_jwks(
        store, R"({"keys":[{"kty":"oct","kid":"c","k":")" + std::string(oct_k) + R"("}]} x)",
        "two.jwks");
    ASSERT_TRUE(load.refused());
    EXPECT_EQ(load.refusal()->code, KeyIssueCode::not_json);
    EXPECT_EQ(load.keys_added, 0u);
    EXPECT_EQ(store.size(), 2u);
    EXPECT_TRUE(store.find(KeyIdSource::kid, "c").empty());
    EXPECT_EQ(store.find(KeyIdSource::kid, "a").size(), 1u);
}

TEST(KeyStore, AnEmptySetIsRefused) {
    // A key file that gives no key cannot be what the user meant.
    EXPECT_EQ(error_of(R"({"keys":[]})"), "keys.jwks: no usable key: \"keys\" is empty");
    KeyStore store;
    const KeyFileLoad load = add_jwks(store, R"({"keys":[]})", "empty.jwks");
    ASSERT_TRUE(load.refused());
    EXPECT_EQ(load.refusal()->code, KeyIssueCode::no_usable_key);
}

TEST(KeyStore, LoadedKeysVerify) {
    // RFC 7520 §4.4 through the store.
    auto store = load_jwks_file_strict(data_dir + "rfc-keys.jwks");
    ASSERT_TRUE(store);
    auto keys = store->find(KeyIdSource::kid, "018c0ae5-4d9b-471b-bfd6-eef314bc7037");
    ASSERT_EQ(keys.size(), 1u);
    const std::string input =
        "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9."
        "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb2"
        "50"
        "byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2"
        "hl"
        "cmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4";
    EXPECT_TRUE(verify_signature(Algorithm::HS256, *keys[0], as_bytes(input),
                                 *base64url_decode("s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0")));
}

// ---------------------------------------------------------------------------
// File errors (the file rules themselves: test_key_loader.cpp)

TEST(JwksFile, MissingFile) {
    const std::string path = data_dir + "no-such-file.jwks";
    auto store = load_jwks_file_strict(path);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().message, path + ": cannot open: No such file or directory");
}

TEST(JwksFile, StrictErrorNamesTheFileTheKeyAndTheProblem) {
    const std::string path = data_dir + "bad-curve.jwks";
    auto store = load_jwks_file_strict(path);
    ASSERT_FALSE(store);
    EXPECT_EQ(
        store.error().message,
        path + ": key #2 (kid \"srv\"): crv \"P-999\" is not supported (P-256, P-384, P-521)");
    expect_no_secret(store.error().message);
}

// ---------------------------------------------------------------------------
// Set structure errors

TEST(JwksErrors, NotJson) {
    // Offset 9 is the '}' where a value should start.
    EXPECT_EQ(error_of(R"({"keys":[})"), "keys.jwks: not valid JSON: Invalid value. (at offset 9)");
    EXPECT_EQ(error_of(""), "keys.jwks: not valid JSON: The document is empty. (at offset 0)");
    EXPECT_EQ(error_of(R"({"keys":[]} x)"),
              "keys.jwks: not valid JSON: The document root must not be followed by other values. "
              "(at offset 12)");
}

TEST(JwksErrors, NotASet) {
    EXPECT_EQ(error_of("[]"), "keys.jwks: not a JWK Set: not a JSON object");
    EXPECT_EQ(error_of(R"({"kty":"oct","k":"AAAA"})"),
              "keys.jwks: not a JWK Set: no \"keys\" member");
    EXPECT_EQ(error_of(R"({"keys":{}})"), "keys.jwks: not a JWK Set: \"keys\" is not an array");
}

TEST(JwksErrors, SourceNameDefaults) {
    auto store = parse_jwks("[]", "");
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().message, "JWK Set: not a JWK Set: not a JSON object");
}

// Two "keys" members: RapidJSON would take the first, other parsers the
// last, so the set means different keys to different tools.
TEST(JwksErrors, TwoKeysMembersAreRefused) {
    const std::string first = R"({"kty":"oct","kid":"first","k":")" + std::string(oct_k) + R"("})";
    const std::string second =
        R"({"kty":"oct","kid":"second","k":")" + std::string(oct_k) + R"("})";
    const std::string json = R"({"keys":[)" + first + R"(],"keys":[)" + second + "]}";
    EXPECT_EQ(error_of(json), "keys.jwks: member \"keys\" appears twice");
    KeyStore store;
    const KeyFileLoad load = add_jwks(store, json, "keys.jwks");
    ASSERT_TRUE(load.refused());
    EXPECT_EQ(load.refusal()->code, KeyIssueCode::duplicate_member);
    EXPECT_FALSE(load.refusal()->key_index.has_value());
    EXPECT_TRUE(store.empty());
    // Any other member given twice too, even one the loader does not read.
    EXPECT_EQ(error_of(R"({"note":1,"keys":[)" + first + R"(],"note":2})"),
              "keys.jwks: member \"note\" appears twice");
}

// Every per-key problem, as key #1 after a valid key carrying secrets.
TEST(JwksErrors, EachKeyProblemIsNamed) {
    const std::string k = std::string(oct_k);
    const std::string x = std::string(p256_x);
    const std::string y = std::string(p256_y);
    Bytes short_x = *base64url_decode(p256_x);
    short_x.pop_back();
    Bytes off_curve = *base64url_decode(p256_y);
    off_curve[5] ^= 0x10;
    struct Case {
        std::string key;
        std::string message;
    };
    const Case cases[] = {
        {"7", "key #1: not a JSON object"},
        {R"({"kty":"XX","kid":"b"})",
         R"(key #1 (kid "b"): kty "XX" is not supported (oct, EC, RSA, OKP))"},
        {R"({"kid":"b","k":")" + k + R"("})", R"(key #1 (kid "b"): kty is missing)"},
        {R"({"kty":"oct","kid":"b"})", R"(key #1 (kid "b"): k is missing)"},
        {R"({"kty":"oct","kid":"b","k":"AB=C"})", R"(key #1 (kid "b"): k is not valid base64url)"},
        {R"({"kty":"EC","kid":"b","crv":"P-256","x":")" + base64url_encode(short_x) + R"(","y":")" +
             y + R"("})",
         R"(key #1 (kid "b"): x is 31 bytes long, P-256 needs 32)"},
        {R"({"kty":"EC","kid":"b","crv":"P-256","x":")" + x + R"(","y":")" +
             base64url_encode(off_curve) + R"("})",
         R"(key #1 (kid "b"): x, y is not a point on P-256)"},
        {R"({"kty":"EC","kid":"b","crv":"P-256","x":")" + x + R"("})",
         R"(key #1 (kid "b"): y is missing)"},
        {R"({"kty":"oct","kid":"b","alg":"none","k":")" + k + R"("})",
         R"(key #1 (kid "b"): alg "none" is never accepted)"},
        {R"({"kty":"oct","kid":"b","alg":"HS999","k":")" + k + R"("})",
         R"(key #1 (kid "b"): alg "HS999" is not a supported JWS algorithm)"},
        {R"({"kty":"oct","k":")" + k + R"("})",
         "key #1: no identifier (kid, x5t#S256 or x5t): it could never be found"},
        {R"({"kty":"oct","x5t#S256":"th","k":"A"})",
         R"(key #1 (x5t#S256 "th"): k is not valid base64url)"},
        {R"({"kty":"oct","x5t":"t1","kty":"oct","k":")" + k + R"("})",
         R"(key #1 (x5t "t1"): member "kty" appears twice)"},
        {R"({"kty":"oct","kid":"b","use":5,"k":")" + k + R"("})",
         R"(key #1 (kid "b"): use is not a string)"},
        {R"({"kty":"oct","kid":"b","key_ops":"verify","k":")" + k + R"("})",
         R"(key #1 (kid "b"): key_ops is not an array)"},
        {R"({"kty":"oct","kid":"b","key_ops":["verify",1],"k":")" + k + R"("})",
         R"(key #1 (kid "b"): key_ops holds a value that is not a string)"},
        {R"({"kty":"oct","kid":"b","key_ops":["verify","verify"],"k":")" + k + R"("})",
         R"(key #1 (kid "b"): key_ops lists "verify" twice)"},
        {R"({"kty":"oct","kid":"b","use":"enc","k":")" + k + R"("})",
         R"(key #1 (kid "b"): use "enc" is not for signatures)"},
        {R"({"kty":"oct","kid":"b","key_ops":["sign"],"k":")" + k + R"("})",
         R"(key #1 (kid "b"): key_ops does not include "verify")"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.key);
        std::string message = error_of(jwks_with(c.key));
        EXPECT_EQ(message, "keys.jwks: " + c.message);
        expect_no_secret(message);
    }
}

TEST(JwksErrors, FirstKeyIsNumberedZero) {
    EXPECT_EQ(error_of(R"({"keys":[{"kty":"oct","kid":"z"}]})"),
              R"(keys.jwks: key #0 (kid "z"): k is missing)");
}

TEST(JwksErrors, KidInMessagesIsEscapedAndShortened) {
    std::string message = error_of(jwks_with(R"({"kty":"XX","kid":"a\"b\nc"})"));
    EXPECT_EQ(
        message,
        R"(keys.jwks: key #1 (kid "a\"b\nc"): kty "XX" is not supported (oct, EC, RSA, OKP))");
    message = error_of(jwks_with(R"({"kty":"XX","kid":")" + std::string(60, 'n') + R"("})"));
    EXPECT_NE(message.find(std::string(40, 'n') + "\"..."), std::string::npos) << message;
    EXPECT_EQ(message.find(std::string(41, 'n')), std::string::npos) << message;
}

// ---------------------------------------------------------------------------
// Warnings

std::vector<std::string> warnings_of(const KeyFileLoad& load) {
    std::vector<std::string> out;
    for (const KeyIssue& issue : load.issues) {
        EXPECT_EQ(issue.level(), KeyIssueLevel::warning) << issue.message;
        out.push_back(issue.message);
    }
    return out;
}

TEST(JwksWarnings, ShortHmacKey) {
    // RFC 7518 §3.2: the key must be at least as long as the hash. A 256-bit
    // key with HS512 falls short of HS512; without an alg, of every HS
    // algorithm longer than it (it may be used with any of them).
    KeyStore store;
    const KeyFileLoad load = add_jwks(store,
                                      R"({"keys":[
        {"kty":"oct","kid":"h512","alg":"HS512","k":")" +
                                          std::string(oct_k) + R"("},
        {"kty":"oct","kid":"h256","alg":"HS256","k":")" +
                                          std::string(oct_k) + R"("},
        {"kty":"oct","kid":"short","k":"AAECAwQFBgcICQoLDA0ODw"},
        {"kty":"oct","kid":"any","k":")" + std::string(oct_k) +
                                          R"("}]})",
                                      "keys.jwks");
    ASSERT_FALSE(load.refused());
    EXPECT_EQ(store.size(), 4u);
    const std::vector<std::string> warnings = warnings_of(load);
    ASSERT_EQ(warnings.size(), 3u);
    EXPECT_EQ(warnings[0],
              "keys.jwks: key #0 (kid \"h512\"): HMAC key has 256 bits, shorter than the hash of "
              "HS512 (512 bits) (RFC 7518 section 3.2)");
    EXPECT_EQ(warnings[1],
              "keys.jwks: key #2 (kid \"short\"): HMAC key has 128 bits, shorter than the hash "
              "of HS256 (256 bits), HS384 (384 bits), HS512 (512 bits) (RFC 7518 section 3.2)");
    EXPECT_EQ(warnings[2],
              "keys.jwks: key #3 (kid \"any\"): HMAC key has 256 bits, shorter than the hash of "
              "HS384 (384 bits), HS512 (512 bits) (RFC 7518 section 3.2)");
    EXPECT_EQ(load.issues[0].code, KeyIssueCode::hmac_key_short);
    EXPECT_EQ(load.issues[0].key_index, 0u);
    EXPECT_EQ(load.issues[2].key_index, 3u);
    for (const auto& warning : warnings)
        expect_no_secret(warning);
    // A warning, not a refusal: the short key still verifies.
    auto keys = store.find(KeyIdSource::kid, "short");
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_TRUE(key_fits(*keys[0], Algorithm::HS256));
}

TEST(JwksWarnings, LongEnoughHmacKeysGiveNoWarning) {
    const std::string k64 = base64url_encode(Bytes(64, 0x5a));
    const std::string k48 = base64url_encode(Bytes(48, 0x5a));
    KeyStore store;
    const KeyFileLoad load =
        add_jwks(store,
                 R"({"keys":[{"kty":"oct","kid":"a","k":")" + k64 + R"("},)" +
                     R"({"kty":"oct","kid":"b","alg":"HS384","k":")" + k48 + R"("}]})",
                 "keys.jwks");
    EXPECT_FALSE(load.refused());
    EXPECT_TRUE(load.issues.empty()) << load.issues.front().message;
}

TEST(JwksWarnings, SmallRsaKeyLoadsButNeverFits) {
    Key small = test::generated(KeyType::rsa, Curve::none, 1024);
    KeyStore store;
    const KeyFileLoad load = add_jwks(
        store, R"({"keys":[)" + test::jwk_of(small, false, R"("kid":"old",)") + "]}", "keys.jwks");
    ASSERT_FALSE(load.refused());
    ASSERT_EQ(load.issues.size(), 1u);
    EXPECT_EQ(load.issues[0].code, KeyIssueCode::rsa_key_too_small);
    EXPECT_EQ(load.issues[0].message,
              "keys.jwks: key #0 (kid \"old\"): RSA modulus has 1024 bits: it will never verify "
              "(at least 2048 needed)");
    auto keys = store.find(KeyIdSource::kid, "old");
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys[0]->bits(), 1024u);
    auto fits = key_fits(*keys[0], Algorithm::RS256);
    ASSERT_FALSE(fits);
    EXPECT_EQ(fits.error().message, "RSA modulus has 1024 bits, at least 2048 needed");
}

}  // namespace
}  // namespace coapjws
