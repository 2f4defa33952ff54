// The analysis flags change the verdicts as the wire profile says.
#include "scan_fixture.hpp"

namespace coapjws::scan::test {
namespace {

const Host client = host(1);
const Host server = host(2);

TEST_F(ScanTest, OptionNumber) {
    // Signed into option 65001 instead of 65021.
    const TestKey key = hmac_key("client-1");
    SignOptions other;
    other.jws_option = 65001;
    Traffic t(Family::v4);
    t.udp(t0, client, 40000, server, 5683,
          signed_coap(get_request(1, {1}), key, request_header(key, 0), other));
    const std::string capture =
        write_capture("c.pcap", t.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string keys = write_text("k.jwks", jwk_set({&key}));

    // By default 65001 is just an unknown (elective, odd = critical) option: no JWS.
    JsonReport plain = json({"--messages", "-k", keys, capture});
    EXPECT_EQ(plain.file(capture).summary->jws_messages, 0u);
    EXPECT_EQ(plain.file(capture).signatures.at(1), "none");

    JsonReport chosen = json({"--messages", "-k", keys, "--option", "65001", capture});
    EXPECT_EQ(chosen.file(capture).summary->jws_messages, 1u);
    EXPECT_EQ(chosen.file(capture).signatures.at(1), "valid");
    EXPECT_TRUE(chosen.file(capture).findings.empty());
}

TEST_F(ScanTest, SignedOptions) {
    // Signed with Uri-Host (3) in the signed set; by default Uri-Host is not
    // signed, so the verifier's content differs -> bad-signature.
    const TestKey key = hmac_key("client-1");
    auto set = OptionSet::parse("3,11,15");
    ASSERT_TRUE(set);
    SignOptions with_host;
    with_host.signed_options = *set;
    CoapMessageSpec spec = get_request(1, {1});
    spec.options.insert(spec.options.begin(), {option::uri_host, Bytes{'h', 'o', 's', 't'}});
    Traffic t(Family::v4);
    t.udp(t0, client, 40000, server, 5683,
          signed_coap(spec, key, request_header(key, 0), with_host));
    const std::string capture =
        write_capture("c.pcap", t.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string keys = write_text("k.jwks", jwk_set({&key}));

    JsonReport by_default = json({"-k", keys, capture});
    EXPECT_EQ(by_default.file(capture).findings,
              (std::map<std::uint32_t, FindingSet>{{1, {"bad-signature"}}}));
    JsonReport configured = json({"-k", keys, "--signed-options", "uri-host,11,15", capture});
    EXPECT_TRUE(configured.file(capture).findings.empty());
}

TEST_F(ScanTest, Window) {
    // seq 40 then seq 5. W=32: 5 <= 40-32 -> out-of-window. W=64: 40-64 < 5 <= 40
    // and 5 not seen -> accepted (reordering).
    const TestKey key = hmac_key("client-1");
    Traffic t(Family::v4);
    t.udp(t0, client, 40000, server, 5683,
          signed_coap(get_request(1, {1}), key, request_header(key, 40)));
    t.udp(t0 + ms, client, 40000, server, 5683,
          signed_coap(get_request(2, {2}), key, request_header(key, 5)));
    const std::string capture =
        write_capture("c.pcap", t.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string keys = write_text("k.jwks", jwk_set({&key}));
    EXPECT_EQ(json({"-k", keys, capture}).file(capture).findings,
              (std::map<std::uint32_t, FindingSet>{{2, {"out-of-window"}}}));
    EXPECT_EQ(json({"-k", keys, "--window", "32", capture}).file(capture).findings,
              (std::map<std::uint32_t, FindingSet>{{2, {"out-of-window"}}}));
    EXPECT_TRUE(json({"-k", keys, "--window", "64", capture}).file(capture).findings.empty());
    // W=35: 40-35 = 5, so 5 <= H-W -> out-of-window; W=36: accepted.
    EXPECT_EQ(json({"-k", keys, "-w", "35", capture}).file(capture).findings.size(), 1u);
    EXPECT_TRUE(json({"-k", keys, "-w", "36", capture}).file(capture).findings.empty());
}

TEST_F(ScanTest, Ports) {
    // The same conversation with the server on 5684 (a CoAP-over-DTLS port
    // used here as just another port).
    const TestKey key = hmac_key("client-1");
    Traffic t(Family::v4);
    t.udp(t0, client, 40000, server, 5684,
          signed_coap(get_request(1, {1}), key, request_header(key, 0)));
    t.udp(t0 + ms, client, 40001, server, 61616,
          signed_coap(get_request(2, {2}), key, request_header(key, 0)));
    const std::string capture =
        write_capture("c.pcap", t.capture(CaptureFormat::pcap_us, Link::ethernet));
    EXPECT_EQ(json({capture}).file(capture).summary->coap_messages, 0u);
    EXPECT_EQ(json({"--port", "5684", capture}).file(capture).summary->coap_messages, 1u);
    EXPECT_EQ(json({"-p", "5684", "--port", "61616", capture}).file(capture).summary->coap_messages,
              2u);
    // Both on port lists: the second one (same client key and seq, other
    // receiver endpoint) is a different window: no replay (and, without
    // keys, no other finding either).
    auto both = json({"--port", "5684,61616", capture});
    EXPECT_EQ(both.file(capture).summary->coap_messages, 2u);
    EXPECT_EQ(both.file(capture).findings, (std::map<std::uint32_t, FindingSet>{}));
    // The source port counts too: the client sending from 5683.
    Traffic from_5683(Family::v4);
    from_5683.udp(t0, client, 5683, server, 40000, plain_coap(get_request(1, {1})));
    const std::string c2 =
        write_capture("c2.pcap", from_5683.capture(CaptureFormat::pcap_us, Link::raw));
    EXPECT_EQ(json({c2}).file(c2).summary->coap_messages, 1u);
}

TEST_F(ScanTest, MaxStreams) {
    // Ten clients (ten key ids) to one server: ten windows. With
    // --max-streams 4 the engine forgets windows (evictions) and the stream
    // table folds the rest into one row.
    Traffic t(Family::v4);
    std::vector<TestKey> keys;
    for (int i = 0; i < 10; ++i)
        keys.push_back(hmac_key("c" + std::to_string(i)));
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 10; ++i) {
            const std::uint16_t mid = static_cast<std::uint16_t>(round * 100 + i);
            t.udp(t0 + (round * 10 + i) * ms, host(static_cast<std::uint8_t>(10 + i)), 40000,
                  server, 5683,
                  signed_coap(get_request(mid, {static_cast<std::uint8_t>(mid)}),
                              keys[static_cast<std::size_t>(i)],
                              request_header(keys[static_cast<std::size_t>(i)],
                                             static_cast<std::uint32_t>(round))));
        }
    }
    const std::string capture =
        write_capture("c.pcap", t.capture(CaptureFormat::pcap_us, Link::ethernet));
    JsonReport roomy = json({capture});
    EXPECT_EQ(roomy.file(capture).summary->window_evictions, 0u);
    EXPECT_EQ(roomy.file(capture).summary->streams, 10u);
    JsonReport tight = json({"--max-streams", "4", capture});
    EXPECT_GT(tight.file(capture).summary->window_evictions, 0u);
    EXPECT_EQ(tight.file(capture).summary->streams, 5u);  // four rows and the overflow row
    ScanRun text = run_scan_binary({"--max-streams", "4", capture});
    EXPECT_NE(text.out.find("evictions"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("(other streams)"), std::string::npos) << text.out;
}

TEST_F(ScanTest, OutputFile) {
    Scenario s = basic_scenario(Family::v4);
    const std::string capture =
        write_capture("c.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string report = path("report.jsonl");
    ScanRun run = run_scan_binary({"--format", "json", "-o", report, capture});
    EXPECT_EQ(run.status, 1);  // the replay (frame 6) is found without keys too
    EXPECT_TRUE(run.out.empty());
    JsonReport r = parse_json_report(read_text_file(report));
    EXPECT_TRUE(r.problems.empty());
    expect_matches(r.file(capture), s.without_keys, "-o");
    EXPECT_EQ(run_scan_binary({"--output=" + report, capture}).status, 1);
    EXPECT_NE(read_text_file(report).find("error replay"), std::string::npos);

    ScanRun unwritable = run_scan_binary({"-o", path("no/such/dir/r.txt"), capture});
    EXPECT_EQ(unwritable.status, 2);
    EXPECT_NE(unwritable.err.find("r.txt"), std::string::npos) << unwritable.err;
}

// The progress bar needs a terminal on standard error: `script` (util-linux)
// provides one.
TEST_F(ScanTest, ProgressBarOnATerminalAndQuiet) {
    ASSERT_EQ(std::system("command -v script >/dev/null 2>&1"), 0)
        << "script(1) (bsdutils) missing";
    Scenario s = basic_scenario(Family::v4);
    const std::string capture =
        write_capture("c.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    auto run_in_pty = [&](const std::string& extra) {
        const std::string log = path("tty.log");
        const std::string command = "script -qfec \"" + std::string(COAPJWS_SCAN_BINARY) + " " +
                                    extra + " " + capture + " > " + path("stdout.txt") + "\" " +
                                    log + " >/dev/null 2>&1";
        std::system(command.c_str());
        return read_text_file(log);
    };
    const std::string shown = run_in_pty("");
    EXPECT_NE(shown.find("%"), std::string::npos) << shown;
    EXPECT_NE(shown.find(" MB "), std::string::npos) << shown;
    EXPECT_NE(shown.find("packets/s"), std::string::npos) << shown;
    const std::string quiet = run_in_pty("--quiet");
    EXPECT_EQ(quiet.find("packets/s"), std::string::npos) << quiet;
    EXPECT_NE(read_text_file(path("stdout.txt")).find("error replay"), std::string::npos);
}

}  // namespace
}  // namespace coapjws::scan::test
