// Exit statuses: 0 nothing at or above --fail-on, 1 such findings, 2 usage or
// input errors.
#include "scan_fixture.hpp"

namespace coapjws::scan::test {
namespace {

const Host client = host(1);
const Host server = host(2);

// Only warnings: signed requests under a key that is not configured while
// another one is (unknown-key), nothing else.
Bytes warnings_only() {
    const TestKey key = hmac_key("client-1");
    Traffic t(Family::v4);
    for (std::uint32_t i = 0; i < 3; ++i) {
        t.udp(
            t0 + i * ms, client, 40000, server, 5683,
            signed_coap(get_request(static_cast<std::uint16_t>(i), {static_cast<std::uint8_t>(i)}),
                        key, request_header(key, i)));
    }
    return t.capture(CaptureFormat::pcap_us, Link::ethernet);
}

// Only information: an unsigned request and its retransmission.
Bytes info_only() {
    Traffic t(Family::v4);
    const Bytes request = plain_coap(get_request(7, {0x07}));
    t.udp(t0, client, 40000, server, 5683, request);
    t.udp(t0 + 2000 * ms, client, 40000, server, 5683, request);
    return t.capture(CaptureFormat::pcap_us, Link::ethernet);
}

// A keys file without client-1's key.
std::string other_key_json() {
    const TestKey other = hmac_key("someone-else");
    return jwk_set({&other});
}

TEST_F(ScanTest, ExitZeroWhenNothingAtTheThreshold) {
    const std::string w = write_capture("w.pcap", warnings_only());
    const std::string k = write_text("other.jwks", other_key_json());
    EXPECT_EQ(run_scan_binary({"-k", k, w}).status, 0);  // default --fail-on error
    EXPECT_EQ(run_scan_binary({"-k", k, "--fail-on", "error", w}).status, 0);
    EXPECT_EQ(run_scan_binary({"-k", k, "--fail-on", "never", w}).status, 0);
    // Without any key there is no finding at all (spec §6): unverified only.
    EXPECT_EQ(run_scan_binary({"--fail-on", "info", w}).status, 0);
}

TEST_F(ScanTest, ExitOneAtOrAboveTheThreshold) {
    const std::string w = write_capture("w.pcap", warnings_only());
    const std::string k = write_text("other.jwks", other_key_json());
    EXPECT_EQ(run_scan_binary({"-k", k, "--fail-on", "warning", w}).status, 1);
    EXPECT_EQ(run_scan_binary({"-k", k, "--fail-on", "info", w}).status, 1);

    const std::string i = write_capture("i.pcap", info_only());
    JsonReport r = json({i});
    EXPECT_EQ(r.file(i).findings, (std::map<std::uint32_t, FindingSet>{{2, {"retransmission"}}}));
    EXPECT_EQ(run_scan_binary({"--fail-on", "info", i}).status, 1);
    EXPECT_EQ(run_scan_binary({"--fail-on", "warning", i}).status, 0);

    Scenario s = basic_scenario(Family::v4);
    const std::string e =
        write_capture("e.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string keys = write_text("k.jwks", s.keys_json);
    EXPECT_EQ(run_scan_binary({"--keys", keys, e}).status, 1);  // replay, bad-signature
    EXPECT_EQ(run_scan_binary({"--keys", keys, "--fail-on", "never", e}).status, 0);
}

TEST_F(ScanTest, ExitTwoOnUsageErrors) {
    for (std::vector<std::string> args : {std::vector<std::string>{},
                                          {"--bogus", "x.pcap"},
                                          {"--window", "0", "x.pcap"},
                                          {"--format", "yaml", "x.pcap"},
                                          {"--keys"},
                                          {"--fail-on", "sometimes", "x.pcap"}}) {
        ScanRun run = run_scan_binary(args);
        EXPECT_EQ(run.status, 2) << (args.empty() ? "(no args)" : args[0]);
        EXPECT_NE(run.err.find("coapjws-scan: error:"), std::string::npos) << run.err;
        EXPECT_TRUE(run.out.empty());
    }
}

TEST_F(ScanTest, ExitTwoBeatsFindings) {
    Scenario s = basic_scenario(Family::v4);
    const std::string e =
        write_capture("e.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string keys = write_text("k.jwks", s.keys_json);
    ScanRun run = run_scan_binary({"--keys", keys, e, path("missing.pcap")});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.out.find("replay"), std::string::npos) << "the readable file is still reported";
}

TEST_F(ScanTest, HelpAndVersionExitZero) {
    ScanRun help = run_scan_binary({"--help"});
    EXPECT_EQ(help.status, 0);
    EXPECT_NE(help.out.find("Usage: coapjws-scan"), std::string::npos);
    ScanRun version = run_scan_binary({"--version"});
    EXPECT_EQ(version.status, 0);
    EXPECT_EQ(version.out.rfind("coapjws-scan ", 0), 0u);
}

}  // namespace
}  // namespace coapjws::scan::test
