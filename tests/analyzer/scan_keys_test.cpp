// coapjws-scan and its key files, through the binary: the engine's loader
// and its policy (a bad key left out with a warning, a refused file exit 2
// with the file named), the file rules (no directory, device, FIFO or
// oversized file is read), and, without keys, one line saying that nothing
// could be verified.
#include <sys/stat.h>

#include <filesystem>

#include "coapjws/key_loader.hpp"
#include "scan_fixture.hpp"

namespace coapjws::scan::test {
namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

class ScanKeys : public ScanTest {
  protected:
    ScanKeys() {
        capture = write_capture("c.pcap",
                                scenario.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    }
    // Expects exit 2, nothing on standard output, and `what` (naming the
    // file) on standard error, within the time ctest allows.
    void expect_refused(const std::string& keys, const std::string& what) {
        ScanRun run = run_scan_binary({"--keys", keys, capture});
        EXPECT_EQ(run.status, 2) << keys << ": " << run.err;
        EXPECT_TRUE(run.out.empty()) << keys;
        EXPECT_NE(run.err.find("coapjws-scan: error: " + keys + ": " + what), std::string::npos)
            << run.err;
    }

    Scenario scenario = basic_scenario(Family::v4);
    std::string capture;
};

TEST_F(ScanKeys, ADirectoryIsRefused) {
    expect_refused(path(""), "not a regular file (a directory)");
}

TEST_F(ScanKeys, DevZeroIsRefusedUnread) {
    expect_refused("/dev/zero", "not a regular file (a character device)");
}

TEST_F(ScanKeys, AFifoIsRefusedWithoutWaitingForAWriter) {
    const std::string fifo = path("keys.fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    expect_refused(fifo, "not a regular file (a FIFO)");
}

TEST_F(ScanKeys, AFileOverTheLimitIsRefused) {
    const std::string big = write_text("big.jwks", "");
    std::filesystem::resize_file(big, max_key_file_size + 1);
    expect_refused(big, std::to_string(max_key_file_size + 1) +
                            " bytes, larger than the 16 MiB a key file may have");
}

TEST_F(ScanKeys, TwoKeysMembersAreRefused) {
    const TestKey client = hmac_key("client-1");
    const std::string set = jwk_set({&client});
    // {"keys":[...],"keys":[...]}: the same set twice under one object.
    const std::string twice = set.substr(0, set.size() - 1) + "," + set.substr(1);
    expect_refused(write_text("twice.jwks", twice), "member \"keys\" appears twice");
}

// The same policy as the plugin: an unusable key is left out with a warning
// (numbered from 0), the others verify.
TEST_F(ScanKeys, AnUnusableKeyIsLeftOutTheOthersVerify) {
    const TestKey client = hmac_key("client-1");
    const TestKey server = es256_key("server-1");
    const std::string set = jwk_set({&client, &server});
    // A broken key in front, and one meant for encryption.
    const std::string keys = write_text(
        "mixed.jwks",
        std::string(R"({"keys":[{"kty":"EC","kid":"broken","crv":"P-256"},)") +
            R"({"kty":"oct","kid":"enc","use":"enc","k":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"},)" +
            set.substr(std::string(R"({"keys":[)").size()));
    ScanRun run;
    JsonReport r = json({"--keys", keys, capture}, &run);
    expect_matches(r.file(capture), scenario.with_keys, "mixed keys");
    EXPECT_NE(run.err.find("coapjws-scan: warning: " + keys +
                           R"(: key #0 (kid "broken"): x is missing; key left out)"),
              std::string::npos)
        << run.err;
    EXPECT_NE(
        run.err.find("coapjws-scan: warning: " + keys +
                     R"(: key #1 (kid "enc"): use "enc" is not for signatures; key left out)"),
        std::string::npos)
        << run.err;
}

TEST_F(ScanKeys, NoUsableKeyIsRefused) {
    const std::string keys = write_text(
        "useless.jwks", R"({"keys":[{"kty":"oct","kid":"a","key_ops":["sign"],"k":"AAEC"}]})");
    ScanRun run = run_scan_binary({"--keys", keys, capture});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(
        run.err.find("warning: " + keys +
                     R"(: key #0 (kid "a"): key_ops does not include "verify"; key left out)"),
        std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("error: " + keys + ": no usable key: its only key was left out"),
              std::string::npos)
        << run.err;
}

TEST_F(ScanKeys, SecretsOthersMayReadAreAWarning) {
    const std::string keys = write_text("k.jwks", scenario.keys_json);
    ASSERT_EQ(::chmod(keys.c_str(), 0644), 0);
    ScanRun run = run_scan_binary({"--keys", keys, capture});
    EXPECT_EQ(run.status, 1) << run.err;  // the findings, not the warning
    EXPECT_NE(run.err.find("warning: " + keys + ": holds private or secret keys"),
              std::string::npos)
        << run.err;
    ASSERT_EQ(::chmod(keys.c_str(), 0600), 0);
    EXPECT_EQ(run_scan_binary({"--keys", keys, capture}).err.find("private or secret"),
              std::string::npos);
}

// Spec §6: without any key nothing is verified and there is no unknown-key;
// the scanner says so once on standard error and in each capture's summary.
TEST_F(ScanKeys, WithoutKeysItSaysOnceThatNothingWasVerified) {
    const std::string second =
        write_capture("d.pcap", scenario.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    ScanRun run = run_scan_binary({capture, second});
    EXPECT_EQ(run.status, 1);  // the replay is found without keys too
    // Frames 1 3 5 6 7 9 10 of each capture are signed (9: the datagram
    // reassembled from frames 8 and 9): 14 in all.
    EXPECT_EQ(count_of(run.err, "no keys given"), 1u) << run.err;
    EXPECT_NE(run.err.find("coapjws-scan: warning: no keys given (-k): 14 signed messages could "
                           "not be verified"),
              std::string::npos)
        << run.err;
    EXPECT_EQ(
        count_of(run.out,
                 "   note: no keys given: 7 signed messages could not be verified (unverified)\n"),
        2u)
        << run.out;
    EXPECT_EQ(run.out.find("unknown-key"), std::string::npos) << run.out;

    const std::string keys = write_text("k.jwks", scenario.keys_json);
    ScanRun with_keys = run_scan_binary({"--keys", keys, capture});
    EXPECT_EQ(with_keys.err.find("no keys given"), std::string::npos) << with_keys.err;
    EXPECT_EQ(with_keys.out.find("not verified"), std::string::npos) << with_keys.out;
}

}  // namespace
}  // namespace coapjws::scan::test
