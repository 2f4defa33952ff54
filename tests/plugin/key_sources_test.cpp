#include "key_sources.hpp"

#include <gtest/gtest.h>

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
    EXPECT_TRUE(loaded.problems.empty());
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
    ASSERT_EQ(loaded.problems.size(), 1u);
    EXPECT_NE(loaded.problems[0].find(file.path()), std::string::npos);
    EXPECT_NE(loaded.problems[0].find("key #2"), std::string::npos);
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

TEST(LoadKeys, BadTableRowIsNamed) {
    const auto loaded =
        load_keys("", std::vector<UatKeyEntry>{{"a", "HS256", "00"}, {"b", "HS256", "nothex"}});
    ASSERT_EQ(loaded.problems.size(), 1u);
    EXPECT_NE(loaded.problems[0].find("row 2"), std::string::npos);
    EXPECT_EQ(loaded.keys->size(), 1u);
}

}  // namespace
}  // namespace coapjws::plugin
