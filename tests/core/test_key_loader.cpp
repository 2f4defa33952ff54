// The key loader both front ends use: the file rules (regular files only,
// no blocking, a size limit), the policy (a bad key is left out with an
// issue, a file without a usable key is refused), stable codes and key
// indexes, and the warning for private keys others may read.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <vector>

#include "coapjws/base64url.hpp"
#include "coapjws/key_loader.hpp"
#include "key_test_support.hpp"

namespace coapjws {
namespace {

namespace fs = std::filesystem;

const std::string data_dir = std::string(COAPJWS_TEST_DATA_DIR) + "/keys/";

constexpr std::string_view oct_k = "hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg";  // 256 bits
constexpr std::string_view p256_x = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr std::string_view p256_y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

std::string oct_jwk(std::string_view kid, std::string_view extra = "") {
    return R"({"kty":"oct","kid":")" + std::string(kid) + "\"," + std::string(extra) + R"("k":")" +
           std::string(oct_k) + R"(","alg":"HS256"})";
}
std::string public_ec_jwk(std::string_view kid) {
    return R"({"kty":"EC","kid":")" + std::string(kid) + R"(","crv":"P-256","x":")" +
           std::string(p256_x) + R"(","y":")" + std::string(p256_y) + R"("})";
}
std::string set_of(const std::vector<std::string>& keys) {
    std::string json = R"({"keys":[)";
    for (std::size_t i = 0; i < keys.size(); ++i)
        json += (i ? "," : "") + keys[i];
    return json + "]}";
}

// A scratch folder for files the tests make, removed at the end.
class ScratchDir {
  public:
    ScratchDir() {
        std::string pattern = (fs::temp_directory_path() / "coapjws-keys.XXXXXX").string();
        EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    std::string write(const std::string& name, const std::string& text, mode_t mode = 0600) const {
        const std::string p = path(name);
        std::ofstream(p, std::ios::binary) << text;
        EXPECT_EQ(::chmod(p.c_str(), mode), 0);
        return p;
    }

  private:
    fs::path dir_;
};

std::vector<KeyIssueCode> codes(const KeyFileLoad& load) {
    std::vector<KeyIssueCode> out;
    for (const KeyIssue& issue : load.issues)
        out.push_back(issue.code);
    return out;
}

// ---------------------------------------------------------------------------
// Policy: one bad key is left out, the others load

TEST(KeyLoader, ABadKeyIsLeftOutTheOthersLoad) {
    KeyStore store;
    const KeyFileLoad load = add_jwks(
        store, set_of({oct_jwk("good"), R"({"kty":"oct","kid":"broken"})", oct_jwk("also")}),
        "keys.jwks");
    EXPECT_FALSE(load.refused());
    EXPECT_EQ(load.keys_added, 2u);
    ASSERT_EQ(load.issues.size(), 1u);
    const KeyIssue& issue = load.issues[0];
    EXPECT_EQ(issue.code, KeyIssueCode::key_refused);
    EXPECT_EQ(issue.level(), KeyIssueLevel::key_left_out);
    EXPECT_EQ(issue.key_index, 1u);  // counted from 0, as .keys[1]
    EXPECT_EQ(issue.message, R"(keys.jwks: key #1 (kid "broken"): k is missing; key left out)");
    EXPECT_EQ(store.size(), 2u);
    EXPECT_EQ(store.find(KeyIdSource::kid, "also").size(), 1u);
    EXPECT_TRUE(store.find(KeyIdSource::kid, "broken").empty());
}

TEST(KeyLoader, AKeyWithoutIdentifierIsLeftOut) {
    KeyStore store;
    const KeyFileLoad load = add_jwks(
        store, set_of({R"({"kty":"oct","k":")" + std::string(oct_k) + R"("})", oct_jwk("a")}),
        "keys.jwks");
    EXPECT_EQ(codes(load), std::vector<KeyIssueCode>{KeyIssueCode::key_without_identifier});
    EXPECT_EQ(load.issues[0].key_index, 0u);
    EXPECT_EQ(store.size(), 1u);
}

TEST(KeyLoader, NoUsableKeyRefusesTheFile) {
    KeyStore store;
    store.add(std::move(Key::from_secret(Bytes(32, 1))).value());
    const KeyFileLoad load = add_jwks(
        store, set_of({R"({"kty":"oct","kid":"x"})", R"({"kty":"XX","kid":"y"})"}), "keys.jwks");
    ASSERT_TRUE(load.refused());
    EXPECT_EQ(codes(load),
              (std::vector<KeyIssueCode>{KeyIssueCode::key_refused, KeyIssueCode::key_refused,
                                         KeyIssueCode::no_usable_key}));
    EXPECT_EQ(load.refusal()->message, "keys.jwks: no usable key: all 2 keys were left out");
    EXPECT_FALSE(load.refusal()->key_index.has_value());
    EXPECT_EQ(load.keys_added, 0u);
    EXPECT_EQ(store.size(), 1u);  // what was there before stays
}

// RFC 7517 §4.2 and §4.3: such a key is meant for something else.
TEST(KeyLoader, KeysNotForVerificationAreLeftOutWithAWarning) {
    KeyStore store;
    const KeyFileLoad load =
        add_jwks(store,
                 set_of({oct_jwk("enc", R"("use":"enc",)"), oct_jwk("sig", R"("use":"sig",)"),
                         oct_jwk("sign-only", R"("key_ops":["sign"],)"),
                         oct_jwk("ops", R"("key_ops":["sign","verify"],)"),
                         oct_jwk("none", R"("key_ops":[],)")}),
                 "keys.jwks");
    ASSERT_FALSE(load.refused());
    EXPECT_EQ(codes(load), (std::vector<KeyIssueCode>{KeyIssueCode::key_not_for_verification,
                                                      KeyIssueCode::key_not_for_verification,
                                                      KeyIssueCode::key_not_for_verification}));
    EXPECT_EQ(load.issues[0].message,
              R"(keys.jwks: key #0 (kid "enc"): use "enc" is not for signatures; key left out)");
    EXPECT_EQ(load.issues[1].key_index, 2u);
    EXPECT_EQ(
        load.issues[1].message,
        R"(keys.jwks: key #2 (kid "sign-only"): key_ops does not include "verify"; key left out)");
    EXPECT_EQ(load.issues[2].key_index, 4u);
    EXPECT_TRUE(store.find(KeyIdSource::kid, "enc").empty());
    EXPECT_TRUE(store.find(KeyIdSource::kid, "sign-only").empty());
    EXPECT_TRUE(store.find(KeyIdSource::kid, "none").empty());
    EXPECT_EQ(store.find(KeyIdSource::kid, "sig").size(), 1u);
    EXPECT_EQ(store.find(KeyIdSource::kid, "ops").size(), 1u);
    // Each loaded key knows its place in the set, counted as the messages count.
    const KeyOrigin& sig = store.find(KeyIdSource::kid, "sig")[0]->origin();
    EXPECT_EQ(sig.source, "keys.jwks");
    EXPECT_EQ(sig.index, 1u);
    EXPECT_EQ(store.find(KeyIdSource::kid, "ops")[0]->origin().index, 3u);
}

TEST(KeyLoader, CodesHaveStableNamesAndLevels) {
    EXPECT_EQ(to_string(KeyIssueCode::not_a_regular_file), "not-a-regular-file");
    EXPECT_EQ(to_string(KeyIssueCode::file_readable_by_others), "file-readable-by-others");
    EXPECT_EQ(level_of(KeyIssueCode::too_large), KeyIssueLevel::file_refused);
    EXPECT_EQ(level_of(KeyIssueCode::key_not_for_verification), KeyIssueLevel::key_left_out);
    EXPECT_EQ(level_of(KeyIssueCode::hmac_key_short), KeyIssueLevel::warning);
}

// ---------------------------------------------------------------------------
// File rules

TEST(KeyFile, ReadsARegularFile) {
    ScratchDir dir;
    const std::string path = dir.write("keys.jwks", set_of({oct_jwk("a")}));
    KeyFileText file;
    EXPECT_FALSE(read_key_file(path, file).has_value());
    EXPECT_EQ(file.text(), set_of({oct_jwk("a")}));
    EXPECT_FALSE(file.readable_by_others());

    KeyStore store;
    const KeyFileLoad load = load_jwks_file(path, store);
    EXPECT_FALSE(load.refused());
    EXPECT_TRUE(load.issues.empty()) << load.issues.front().message;
    EXPECT_EQ(store.size(), 1u);
}

TEST(KeyFile, MissingFileIsNamed) {
    KeyStore store;
    const std::string path = data_dir + "no-such-file.jwks";
    const KeyFileLoad load = load_jwks_file(path, store);
    ASSERT_TRUE(load.refused());
    EXPECT_EQ(load.refusal()->code, KeyIssueCode::cannot_open);
    EXPECT_EQ(load.refusal()->message, path + ": cannot open: No such file or directory");
}

TEST(KeyFile, DirectoryIsRefused) {
    KeyStore store;
    const KeyFileLoad load = load_jwks_file(data_dir, store);
    ASSERT_TRUE(load.refused());
    EXPECT_EQ(load.refusal()->code, KeyIssueCode::not_a_regular_file);
    EXPECT_EQ(load.refusal()->message,
              data_dir +
                  ": not a regular file (a directory): a key file must be a JWK Set or PEM "
                  "file");
}

// /dev/zero never ends: it must be refused before anything is read.
TEST(KeyFile, CharacterDeviceIsRefusedUnread) {
    KeyStore store;
    const KeyFileLoad load = load_jwks_file("/dev/zero", store);
    ASSERT_TRUE(load.refused());
    EXPECT_EQ(load.refusal()->code, KeyIssueCode::not_a_regular_file);
    EXPECT_NE(load.refusal()->message.find("/dev/zero: not a regular file (a character device)"),
              std::string::npos)
        << load.refusal()->message;
}

// Opening a FIFO for reading waits for a writer unless O_NONBLOCK is given:
// the loader must come back at once, with no writer ever appearing.
TEST(KeyFile, FifoIsRefusedWithoutWaiting) {
    ScratchDir dir;
    const std::string path = dir.path("keys.fifo");
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    auto loading = std::async(std::launch::async, [&path] {
        KeyStore store;
        return load_jwks_file(path, store);
    });
    if (loading.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        // Let the blocked open go (a writer appears), then fail.
        const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0)
            ::close(fd);
        FAIL() << "loading a FIFO blocked";
    }
    const KeyFileLoad load = loading.get();
    ASSERT_TRUE(load.refused());
    EXPECT_EQ(load.refusal()->code, KeyIssueCode::not_a_regular_file);
    EXPECT_NE(load.refusal()->message.find("(a FIFO)"), std::string::npos)
        << load.refusal()->message;
}

TEST(KeyFile, SymlinkToADirectoryIsRefused) {
    ScratchDir dir;
    const std::string link = dir.path("keys.jwks");
    fs::create_directory_symlink(data_dir, link);
    KeyStore store;
    const KeyFileLoad load = load_jwks_file(link, store);
    ASSERT_TRUE(load.refused());
    EXPECT_EQ(load.refusal()->code, KeyIssueCode::not_a_regular_file);
}

TEST(KeyFile, LargerThanTheLimitIsRefusedUnread) {
    ScratchDir dir;
    // A sparse file one byte over the limit: its size alone refuses it.
    const std::string path = dir.write("big.jwks", "");
    fs::resize_file(path, max_key_file_size + 1);
    KeyStore store;
    const KeyFileLoad load = load_jwks_file(path, store);
    ASSERT_TRUE(load.refused());
    EXPECT_EQ(load.refusal()->code, KeyIssueCode::too_large);
    EXPECT_EQ(load.refusal()->message, path + ": " + std::to_string(max_key_file_size + 1) +
                                           " bytes, larger than the 16 MiB a key file may have");
}

TEST(KeyFile, ExactlyTheLimitIsRead) {
    ScratchDir dir;
    std::string text = set_of({oct_jwk("a")});
    text.resize(max_key_file_size, ' ');  // JSON allows trailing white space
    const std::string path = dir.write("full.jwks", text);
    KeyStore store;
    const KeyFileLoad load = load_jwks_file(path, store);
    EXPECT_FALSE(load.refused()) << load.issues.front().message;
    EXPECT_EQ(store.size(), 1u);
}

TEST(KeyFile, EmptyFileIsNotJson) {
    ScratchDir dir;
    const std::string path = dir.write("empty.jwks", "");
    KeyStore store;
    const KeyFileLoad load = load_jwks_file(path, store);
    ASSERT_TRUE(load.refused());
    EXPECT_EQ(load.refusal()->code, KeyIssueCode::not_json);
}

TEST(KeyFile, NulByteIsNotJson) {
    // RapidJSON's in-place reader would stop at the NUL and ignore the rest.
    KeyStore store;
    const KeyFileLoad load =
        add_jwks(store, set_of({oct_jwk("a")}) + std::string("\0{", 2), "keys.jwks");
    ASSERT_TRUE(load.refused());
    EXPECT_EQ(load.refusal()->code, KeyIssueCode::not_json);
}

// ---------------------------------------------------------------------------
// Secrets in a file others may read

TEST(KeyFile, PrivateKeysReadableByOthersWarn) {
    ScratchDir dir;
    const std::string secret = dir.write("secret.jwks", set_of({oct_jwk("a")}), 0644);
    KeyStore store;
    KeyFileLoad load = load_jwks_file(secret, store);
    EXPECT_FALSE(load.refused());
    ASSERT_EQ(codes(load), std::vector<KeyIssueCode>{KeyIssueCode::file_readable_by_others});
    EXPECT_EQ(load.issues[0].message,
              secret +
                  ": holds private or secret keys but its group or others may read it "
                  "(chmod 600 it)");
    EXPECT_FALSE(load.issues[0].key_index.has_value());
    EXPECT_EQ(store.size(), 1u);  // a warning: the keys are used

    ASSERT_EQ(::chmod(secret.c_str(), 0640), 0);  // the group alone is enough
    EXPECT_EQ(codes(load_jwks_file(secret, store)),
              std::vector<KeyIssueCode>{KeyIssueCode::file_readable_by_others});

    ASSERT_EQ(::chmod(secret.c_str(), 0600), 0);
    EXPECT_TRUE(load_jwks_file(secret, store).issues.empty());

    // Public keys may be read by anyone.
    const std::string pub = dir.write("public.jwks", set_of({public_ec_jwk("p")}), 0644);
    EXPECT_TRUE(load_jwks_file(pub, store).issues.empty());
}

// ---------------------------------------------------------------------------
// PEM files go through the same rules

TEST(PemFile, CertificateLoads) {
    const PemFileLoad load = load_pem_file(data_dir + "test-cert-p256.pem");
    ASSERT_TRUE(load.key.has_value());
    EXPECT_TRUE(load.issues.empty());
    EXPECT_EQ(load.key->curve(), Curve::p256);
}

TEST(PemFile, NonRegularFilesAreRefused) {
    for (const std::string& path : {data_dir, std::string("/dev/zero")}) {
        const PemFileLoad load = load_pem_file(path);
        EXPECT_FALSE(load.key.has_value()) << path;
        ASSERT_EQ(load.issues.size(), 1u) << path;
        EXPECT_EQ(load.issues[0].code, KeyIssueCode::not_a_regular_file) << path;
        EXPECT_EQ(load.issues[0].message.rfind(path + ": not a regular file", 0), 0u)
            << load.issues[0].message;
    }
}

TEST(PemFile, NotAKeyIsNamed) {
    ScratchDir dir;
    const std::string path = dir.write("notes.pem", "hello");
    const PemFileLoad load = load_pem_file(path);
    EXPECT_FALSE(load.key.has_value());
    ASSERT_EQ(load.issues.size(), 1u);
    EXPECT_EQ(load.issues[0].code, KeyIssueCode::key_refused);
    EXPECT_EQ(load.issues[0].message, path + ": no PEM key or certificate found");
}

TEST(PemFile, PrivateKeyReadableByOthersWarns) {
    Key key = test::generated(KeyType::ec, Curve::p256);
    BIO* bio = BIO_new(BIO_s_mem());
    ASSERT_NE(bio, nullptr);
    ASSERT_EQ(PEM_write_bio_PrivateKey(bio, key.pkey(), nullptr, nullptr, 0, nullptr, nullptr), 1);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    const std::string pem(data, static_cast<std::size_t>(size));
    BIO_free(bio);
    ScratchDir dir;
    const std::string path = dir.write("private.pem", pem, 0644);
    const PemFileLoad load = load_pem_file(path);
    ASSERT_TRUE(load.key.has_value());
    ASSERT_EQ(load.issues.size(), 1u);
    EXPECT_EQ(load.issues[0].code, KeyIssueCode::file_readable_by_others);
}

// ---------------------------------------------------------------------------
// Weak keys: the warnings the front ends show for table rows as well

TEST(WeakKeys, HmacKeyIsHeldToItsAlgOrToEveryHsAlgorithm) {
    Key key = std::move(Key::from_secret(Bytes(40, 1))).value();  // 320 bits
    auto warnings = weak_key_warnings(key, "row 1");
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0].code, KeyIssueCode::hmac_key_short);
    EXPECT_EQ(warnings[0].message,
              "row 1: HMAC key has 320 bits, shorter than the hash of HS384 (384 bits), HS512 "
              "(512 bits) (RFC 7518 section 3.2)");
    key.set_alg(Algorithm::HS256);
    EXPECT_TRUE(weak_key_warnings(key, "row 1").empty());
    key.set_alg(Algorithm::HS384);
    ASSERT_EQ(weak_key_warnings(key, "row 1").size(), 1u);
    EXPECT_NE(weak_key_warnings(key, "row 1")[0].message.find("HS384 (384 bits) (RFC"),
              std::string::npos);
}

}  // namespace
}  // namespace coapjws
