#include "key_sources.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace coapjws::plugin {
namespace {

const std::string test_dir = COAPJWS_PLUGIN_TEST_DIR;

// A file in the temporary folder, removed at the end of the test.
class TempFile {
  public:
    TempFile(const std::string& name, const std::string& text)
        : path_((std::filesystem::temp_directory_path() / name).string()) {
        std::ofstream(path_) << text;
        // Only the owner may read it, so no test depends on the umask (a
        // secret others may read gets a warning).
        ::chmod(path_.c_str(), 0600);
    }
    ~TempFile() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

TEST(UatKey, HexSecretIsAnOctKey) {
    auto key = key_from_uat_entry({"client-1", "HS256", "00112233445566778899aabbccddeeff"});
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_EQ(key->type(), KeyType::oct);
    EXPECT_EQ(key->bits(), 128u);
    EXPECT_EQ(key->kid(), "client-1");
    EXPECT_EQ(key->alg(), Algorithm::HS256);
}

TEST(UatKey, AlgIsOptional) {
    auto key = key_from_uat_entry({"k", "", "0102030405060708"});
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_FALSE(key->alg().has_value());
}

TEST(UatKey, BadSecretIsRefusedWithoutEchoingIt) {
    auto key = key_from_uat_entry({"client-1", "HS256", "0011zz-secret-ish"});
    ASSERT_FALSE(key);
    EXPECT_NE(key.error().message.find("client-1"), std::string::npos);
    EXPECT_EQ(key.error().message.find("zz-secret-ish"), std::string::npos);
}

TEST(UatKey, OtherBadRows) {
    EXPECT_FALSE(key_from_uat_entry({"", "HS256", "0011"}));
    EXPECT_FALSE(key_from_uat_entry({"k", "HS256", ""}));
    auto alg = key_from_uat_entry({"k", "XS256", "0011"});
    ASSERT_FALSE(alg);
    EXPECT_NE(alg.error().message.find("XS256"), std::string::npos);
    auto none = key_from_uat_entry({"k", "none", "0011"});
    EXPECT_FALSE(none);
}

TEST(UatKey, PemPathIsAPublicKey) {
    auto key = key_from_uat_entry({"ec-1", "ES256", test_dir + "/keys/ec-1.public.pem"});
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_EQ(key->type(), KeyType::ec);
    EXPECT_EQ(key->curve(), Curve::p256);
    EXPECT_EQ(key->kid(), "ec-1");
    EXPECT_FALSE(key->has_private());
}

TEST(UatKey, MissingPemIsNamed) {
    auto key = key_from_uat_entry({"ec-1", "ES256", "/nonexistent/ec.pem"});
    ASSERT_FALSE(key);
    EXPECT_NE(key.error().message.find("/nonexistent/ec.pem"), std::string::npos);
}

TEST(LoadKeys, JwkSetAndTableTogether) {
    const auto loaded = load_keys(test_dir + "/keys/keys.jwks",
                                  std::vector<UatKeyEntry>{{"extra", "HS256", "0a0b0c0d"}});
    // Nothing left out; only warnings (secrets shorter than some HS hash).
    for (const std::string& problem : loaded.problems)
        EXPECT_TRUE(problem.starts_with("warning: ")) << problem;
    ASSERT_TRUE(loaded.keys);
    EXPECT_EQ(loaded.keys->size(), 5u);  // client-1, client-2, server-1, ec-1, extra
    EXPECT_EQ(loaded.keys->find(KeyIdSource::kid, "server-1").size(), 1u);
    EXPECT_EQ(loaded.keys->find(KeyIdSource::kid, "extra").size(), 1u);
}

TEST(LoadKeys, BadKeyIsLeftOutOthersStay) {
    TempFile file("coapjws-test-bad.jwks",
                  R"({"keys":[{"kty":"oct","kid":"good","k":"AAECAwQFBgcICQoLDA0ODw"},)"
                  R"({"kty":"oct","kid":"broken"},)"
                  R"({"kty":"oct","kid":"also-good","k":"EBESEw"}]})");
    const auto loaded = load_keys(file.path(), {});
    // Numbered from 0, as coapjws-scan numbers them: the second key is #1.
    std::vector<std::string> refusals, warnings;
    for (const std::string& problem : loaded.problems)
        (problem.starts_with("warning: ") ? warnings : refusals).push_back(problem);
    ASSERT_EQ(refusals.size(), 1u);
    EXPECT_EQ(refusals[0], file.path() + ": key #1 (kid \"broken\"): k is missing; key left out");
    // The short secrets are used, each with a warning.
    ASSERT_EQ(warnings.size(), 2u);
    EXPECT_EQ(warnings[0].rfind("warning: " + file.path() + ": key #0 (kid \"good\"): HMAC key", 0),
              0u)
        << warnings[0];
    EXPECT_EQ(warnings[1].rfind("warning: " + file.path() + ": key #2 (kid \"also-good\")", 0), 0u)
        << warnings[1];
    EXPECT_EQ(loaded.keys->size(), 2u);
    EXPECT_EQ(loaded.keys->find(KeyIdSource::kid, "also-good").size(), 1u);
    EXPECT_TRUE(loaded.keys->find(KeyIdSource::kid, "broken").empty());
}

TEST(LoadKeys, MissingFileIsNamed) {
    const auto loaded = load_keys("/nonexistent/keys.jwks", {});
    ASSERT_EQ(loaded.problems.size(), 1u);
    EXPECT_NE(loaded.problems[0].find("/nonexistent/keys.jwks"), std::string::npos);
    EXPECT_TRUE(loaded.keys->empty());
}

// Issue 11's edge cases: never a hang, never an unbounded read, the file
// and the problem named, and no key from it (the table rows still load).
TEST(LoadKeys, NotARegularFileIsRefusedByName) {
    const std::string fifo =
        (std::filesystem::temp_directory_path() / "coapjws-test-keys.fifo").string();
    std::remove(fifo.c_str());
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    struct Case {
        std::string path;
        std::string kind;
    };
    for (const Case& c : {Case{test_dir + "/keys", "a directory"},
                          Case{"/dev/zero", "a character device"}, Case{fifo, "a FIFO"}}) {
        SCOPED_TRACE(c.path);
        const auto loaded =
            load_keys(c.path, std::vector<UatKeyEntry>{{"extra", "HS256", to_hex(Bytes(32, 1))}});
        ASSERT_EQ(loaded.problems.size(), 1u);
        EXPECT_EQ(loaded.problems[0], c.path + ": not a regular file (" + c.kind +
                                          "): a key file must be a JWK Set or PEM file (no key "
                                          "loaded from it)");
        EXPECT_EQ(loaded.keys->size(), 1u);  // the table's row
    }
    std::remove(fifo.c_str());
}

TEST(LoadKeys, FileOverTheLimitIsRefused) {
    TempFile file("coapjws-test-big.jwks", "");
    std::filesystem::resize_file(file.path(), max_key_file_size + 1);
    const auto loaded = load_keys(file.path(), {});
    ASSERT_EQ(loaded.problems.size(), 1u);
    EXPECT_NE(loaded.problems[0].find(file.path() + ": " + std::to_string(max_key_file_size + 1) +
                                      " bytes, larger than the 16 MiB"),
              std::string::npos)
        << loaded.problems[0];
    EXPECT_TRUE(loaded.keys->empty());
}

TEST(LoadKeys, TwoKeysMembersAreRefused) {
    TempFile file(
        "coapjws-test-two-sets.jwks",
        R"({"keys":[{"kty":"oct","kid":"a","alg":"HS256","k":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"}],)"
        R"("keys":[]})");
    const auto loaded = load_keys(file.path(), {});
    ASSERT_EQ(loaded.problems.size(), 1u);
    EXPECT_EQ(loaded.problems[0],
              file.path() + ": member \"keys\" appears twice (no key loaded from it)");
    EXPECT_TRUE(loaded.keys->empty());
}

TEST(LoadKeys, WarningsAreShown) {
    // A secret shorter than its algorithm's hash (RFC 7518 §3.2).
    const auto loaded = load_keys("", std::vector<UatKeyEntry>{{"short", "HS512", "00112233"}});
    ASSERT_EQ(loaded.problems.size(), 1u);
    EXPECT_EQ(loaded.problems[0],
              "warning: coapjws_keys row 1: key \"short\": HMAC key has 32 bits, shorter than the "
              "hash of HS512 (512 bits) (RFC 7518 section 3.2)");
    EXPECT_EQ(loaded.keys->size(), 1u);
}

TEST(UatKey, PemPathThatIsNotARegularFileIsRefused) {
    for (const std::string& path : {test_dir + "/keys/", std::string("/dev/zero.pem")}) {
        auto key = key_from_uat_entry({"ec-1", "ES256", path});
        ASSERT_FALSE(key) << path;
        EXPECT_NE(key.error().message.find("key \"ec-1\": " + path), std::string::npos)
            << key.error().message;
    }
    auto zero = key_from_uat_entry({"ec-1", "ES256", "/dev/zero"});
    ASSERT_FALSE(zero);
    EXPECT_EQ(zero.error().message,
              "key \"ec-1\": /dev/zero: not a regular file (a character device): a key file must "
              "be a JWK Set or PEM file");
}

TEST(LoadKeys, BadTableRowIsNamed) {
    const auto loaded =
        load_keys("", std::vector<UatKeyEntry>{{"a", "HS256", "00"}, {"b", "HS256", "nothex"}});
    ASSERT_EQ(loaded.problems.size(), 2u);
    EXPECT_TRUE(loaded.problems[0].starts_with("warning: coapjws_keys row 1: key \"a\": HMAC"))
        << loaded.problems[0];
    EXPECT_EQ(loaded.problems[1],
              "coapjws_keys row 2: key \"b\": neither a hex secret nor a PEM file path (a path "
              "contains '/' or ends in .pem) (key left out)");
    EXPECT_EQ(loaded.keys->size(), 1u);
}

}  // namespace
}  // namespace coapjws::plugin
