// Inputs: bad files, key files, standard input (also streamed), several
// files, --merge.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "scan_fixture.hpp"

extern char** environ;

namespace coapjws::scan::test {
namespace {

const Host client = host(1);
const Host server = host(2);

TEST_F(ScanTest, EmptyFile) {
    const std::string empty = write_text("empty.pcap", "");
    ScanRun run = run_scan_binary({empty});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("empty.pcap"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("empty file"), std::string::npos) << run.err;
}

TEST_F(ScanTest, TextFile) {
    const std::string text = write_text("readme.txt", "hello, this is not a capture\n");
    ScanRun run = run_scan_binary({text});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("readme.txt"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("not a pcap or pcapng capture"), std::string::npos) << run.err;
}

TEST_F(ScanTest, MissingFile) {
    ScanRun run = run_scan_binary({path("nope.pcap")});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("nope.pcap"), std::string::npos) << run.err;
}

TEST_F(ScanTest, TruncatedCaptureIsAnalysedUpToTheCut) {
    Scenario s = basic_scenario(Family::v4);
    for (CaptureFormat format : {CaptureFormat::pcap_us, CaptureFormat::pcapng}) {
        Bytes bytes = s.traffic.capture(format, Link::ethernet);
        bytes.resize(bytes.size() - 7);  // frame 11 (stripped) loses its end
        const std::string cut = write_capture("cut.pcap", bytes);
        const std::string keys = write_text("k.jwks", s.keys_json);
        ScanRun run;
        JsonReport r = json({"--keys", keys, cut}, &run);
        EXPECT_EQ(run.status, 1) << "findings before the cut still count; not an input error";
        EXPECT_NE(run.err.find("warning"), std::string::npos) << run.err;
        EXPECT_NE(run.err.find("cut.pcap"), std::string::npos) << run.err;
        const FileReport& f = r.file(cut);
        ASSERT_TRUE(f.summary);
        EXPECT_TRUE(f.summary->truncated);
        EXPECT_EQ(f.summary->packets, 10u);
        Expected want = s.with_keys;
        want.findings.erase(11);
        EXPECT_EQ(f.findings, want.findings);
    }
}

TEST_F(ScanTest, BadKeysFiles) {
    Scenario s = basic_scenario(Family::v4);
    const std::string capture =
        write_capture("c.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    struct Case {
        const char* name;
        const char* text;
    };
    for (const Case& c :
         {Case{"notjson.jwks", "this is not JSON"}, Case{"nokeys.jwks", "{\"kids\":[]}"},
          Case{"badkey.jwks",
               "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"x\",\"crv\":\"P-256\","
               "\"x\":\"AAAA\",\"y\":\"AAAA\"}]}"},
          Case{"noid.jwks",
               "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMko\"}]}"}}) {
        const std::string keys = write_text(c.name, c.text);
        ScanRun run = run_scan_binary({"--keys", keys, capture});
        EXPECT_EQ(run.status, 2) << c.name;
        EXPECT_NE(run.err.find(c.name), std::string::npos) << c.name << ": " << run.err;
        EXPECT_TRUE(run.out.empty()) << c.name;
    }
    ScanRun missing = run_scan_binary({"--keys", path("absent.jwks"), capture});
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("absent.jwks"), std::string::npos) << missing.err;
}

TEST_F(ScanTest, SeveralKeyFilesAddUp) {
    Scenario s = basic_scenario(Family::v4);
    const std::string capture =
        write_capture("c.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    const TestKey client_key = hmac_key("client-1");
    const TestKey server_key = es256_key("server-1");
    const std::string k1 = write_text("client.jwks", jwk_set({&client_key}));
    const std::string k2 = write_text("server.jwks", jwk_set({&server_key}));
    JsonReport r = json({"--keys", k1, "-k", k2, capture});
    expect_matches(r.file(capture), s.with_keys, "two key files");
}

TEST_F(ScanTest, KeyLoaderRemarksAreWarnings) {
    // An HMAC key of 5 bytes is shorter than SHA-256's 32 (RFC 7518 §3.2):
    // loaded, with a warning naming the file; not an error.
    Scenario s = basic_scenario(Family::v4);
    const std::string capture =
        write_capture("c.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string keys =
        write_text("short.jwks", R"({"keys":[{"kty":"oct","kid":"short","k":"c2hvcnQ"}]})");
    ScanRun run = run_scan_binary({"--keys", keys, capture});
    EXPECT_NE(run.status, 2) << run.err;
    EXPECT_NE(run.err.find("warning"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("short.jwks"), std::string::npos) << run.err;
}

TEST_F(ScanTest, StandardInput) {
    Scenario s = basic_scenario(Family::v4);
    const std::string capture =
        write_capture("c.pcapng", s.traffic.capture(CaptureFormat::pcapng, Link::linux_sll2));
    const std::string keys = write_text("k.jwks", s.keys_json);
    ScanRun run;
    JsonReport r = json({"--keys", keys, "-"}, &run, capture);
    EXPECT_EQ(run.status, 1);
    ASSERT_EQ(r.files, std::vector<std::string>{"<stdin>"});
    expect_matches(r.file("<stdin>"), s.with_keys, "stdin");
    EXPECT_EQ(run.err.find('\r'), std::string::npos) << "no progress bar for standard input";
}

TEST_F(ScanTest, EmptyStandardInput) {
    ScanRun run = run_scan_binary({"-"});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("standard input"), std::string::npos) << run.err;
}

// With standard input a finding is printed as soon as its packet is read:
// the replay (frame 6) must be in the output while the writer still holds
// the rest of the capture back.
TEST_F(ScanTest, StandardInputStreamsFindings) {
    Scenario s = basic_scenario(Family::v4);
    const Bytes capture = s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet);
    const auto records = s.traffic.records(Link::ethernet);
    // Bytes up to the end of frame 7: header 24, each record 16 + data.
    std::size_t first_part = 24;
    for (std::size_t i = 0; i < 7; ++i)
        first_part += 16 + records[i].data.size();

    const std::string fifo = path("in.fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    // posix_spawn returns only once the child has exec'd, and the child's
    // open of the FIFO waits for a writer: hold one (read-write, which does
    // not block) across the spawn.
    int holder = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(holder, 0);
    const std::string out = path("out.jsonl");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, fifo.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::string binary = COAPJWS_SCAN_BINARY;
    std::vector<std::string> args = {binary, "--format", "json", "-j", "2", "-"};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    ASSERT_EQ(posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);

    int fd = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    ::close(holder);  // from now on closing `fd` is the end of input
    ASSERT_EQ(::write(fd, capture.data(), first_part), static_cast<ssize_t>(first_part));
    bool seen = false;
    for (int i = 0; i < 200 && !seen; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        seen = read_text_file(out).find("\"replay\"") != std::string::npos;
    }
    EXPECT_TRUE(seen) << "replay not printed before the capture ended: " << read_text_file(out);
    ASSERT_EQ(::write(fd, capture.data() + first_part, capture.size() - first_part),
              static_cast<ssize_t>(capture.size() - first_part));
    ::close(fd);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status));
    JsonReport r = parse_json_report(read_text_file(out));
    EXPECT_EQ(r.file("<stdin>").summary->packets, 11u);
}

TEST_F(ScanTest, SeveralFilesAreSeparateCapturesInArgumentOrder) {
    // File a: request seq 0. File b: the same signature again. As separate
    // captures neither has a replay (each has its own session).
    const TestKey key = hmac_key("client-1");
    CoapMessageSpec spec = get_request(1, {1});
    const std::string value = jws_value(spec, key, request_header(key, 0));
    Traffic a(Family::v4), b(Family::v4);
    a.udp(t0, client, 40000, server, 5683, with_jws(spec, value));
    spec.message_id = 2;
    b.udp(t0 + 10 * ms, client, 40000, server, 5683, with_jws(spec, value));
    const std::string pa =
        write_capture("a.pcap", a.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string pb = write_capture("b.pcapng", b.capture(CaptureFormat::pcapng, Link::raw));
    const std::string keys = write_text("k.jwks", jwk_set({&key}));

    JsonReport separate = json({"-k", keys, pb, pa});
    EXPECT_EQ(separate.files, (std::vector<std::string>{pb, pa}));
    EXPECT_TRUE(separate.file(pa).findings.empty());
    EXPECT_TRUE(separate.file(pb).findings.empty());
    EXPECT_EQ(separate.file(pa).summary->packets, 1u);

    // Merged, b's copy (later timestamp) is frame 2 and replays frame 1 —
    // even with b named first.
    JsonReport merged = json({"-k", keys, "--merge", pb, pa});
    const std::string label = pb + "+" + pa;
    ASSERT_EQ(merged.files, std::vector<std::string>{label});
    EXPECT_EQ(merged.file(label).findings, (std::map<std::uint32_t, FindingSet>{{2, {"replay"}}}));
    EXPECT_EQ(merged.file(label).related, (std::map<std::uint32_t, std::uint32_t>{{2, 1}}));
    EXPECT_EQ(merged.file(label).summary->packets, 2u);
}

TEST_F(ScanTest, MergeInterleavesAndNumbersOverTheMergedStream) {
    Scenario s = basic_scenario(Family::v4);
    auto records = s.traffic.records(Link::ethernet);
    // Odd frames in one file, even frames in another (pcapng, SLL2 for the
    // even ones): merged by time they are the original conversation.
    std::vector<TestRecord> odd, even;
    auto even_records = s.traffic.records(Link::linux_sll2);
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (i % 2 == 0) {
            odd.push_back(records[i]);
        } else {
            even.push_back(even_records[i]);
        }
    }
    const std::string po = write_capture("odd.pcap", make_capture(CaptureFormat::pcap_us, 1, odd));
    const std::string pe =
        write_capture("even.pcapng", make_capture(CaptureFormat::pcapng, 276, even));
    const std::string keys = write_text("k.jwks", s.keys_json);
    JsonReport r = json({"--merge", "--messages", "-k", keys, pe, po});
    expect_matches(r.file(pe + "+" + po), s.with_keys, "merged");
}

TEST_F(ScanTest, OneUnreadableFileAmongSeveral) {
    Scenario s = basic_scenario(Family::v4);
    const std::string good =
        write_capture("good.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string bad = write_text("bad.pcap", "garbage");
    const std::string keys = write_text("k.jwks", s.keys_json);
    ScanRun run;
    JsonReport r = json({"-k", keys, bad, good}, &run);
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("bad.pcap"), std::string::npos);
    EXPECT_EQ(r.files, (std::vector<std::string>{bad, good}));
    EXPECT_TRUE(r.file(bad).error.has_value());
    expect_matches(r.file(good), s.with_keys, "the readable file");

    // With --merge the readable files are merged and analysed.
    ScanRun merged_run;
    JsonReport merged = json({"--merge", "-k", keys, bad, good}, &merged_run);
    EXPECT_EQ(merged_run.status, 2);
    expect_matches(merged.file(bad + "+" + good), s.with_keys, "merged without the bad file");
}

TEST_F(ScanTest, DtlsRecordsOnACoapPortAreCountedNotMalformed) {
    // Real libcoap traffic: two DTLS 1.2 PSK sessions, 30 datagrams, every
    // one a DTLS record (the capture's manifest; tshark dissects them all as
    // DTLS). Pointed at the DTLS port, the scanner must not call them
    // malformed CoAP: it cannot decrypt them, and the plugin reports nothing
    // for records Wireshark does not decrypt.
    const std::string capture = std::string(COAPJWS_PCAPS_DIR) + "/libcoap-dtls-psk.pcap";
    const FileReport report = json({"--port", "5684", capture}).file(capture);
    ASSERT_TRUE(report.summary);
    EXPECT_EQ(report.summary->packets, 30u);
    EXPECT_EQ(report.summary->dtls_records, 30u);
    EXPECT_EQ(report.summary->coap_messages, 0u);
    EXPECT_TRUE(report.findings.empty());
    // With the default CoAP port only, 5684 is still watched for encrypted
    // CoAP: the same records are counted and the capture is not a pass.
    ScanRun run;
    const FileReport by_default = json({capture}, &run).file(capture);
    ASSERT_TRUE(by_default.summary);
    EXPECT_EQ(by_default.summary->dtls_records, 30u);
    EXPECT_EQ(by_default.summary->outcome, "unanalysed");
    EXPECT_EQ(run.status, 3) << run.err;
}

TEST_F(ScanTest, TlsOnTheCoapsPortIsUnanalysedWithoutPort5684) {
    const std::string capture = std::string(COAPJWS_PCAPS_DIR) + "/libcoap-tls-psk.pcap";
    ScanRun run;
    const FileReport report = json({capture}, &run).file(capture);
    EXPECT_EQ(run.status, 3) << run.err;
    ASSERT_TRUE(report.summary);
    EXPECT_EQ(report.unanalysed, (std::map<std::string, std::uint64_t>{{"tls-streams", 4}}));
}

TEST_F(ScanTest, TlsOnACoapPortIsUnanalysedAndNeverAPass) {
    // Real libcoap traffic: two CoAP-over-TLS connections to port 5684, so
    // four one-way streams of TLS records (the capture's manifest; the
    // scanner decrypts nothing). Nothing in it can be analysed: exit 3.
    const std::string capture = std::string(COAPJWS_PCAPS_DIR) + "/libcoap-tls-psk.pcap";
    ScanRun run;
    const FileReport report = json({"--port", "5684", capture}, &run).file(capture);
    EXPECT_EQ(run.status, 3) << run.err;
    ASSERT_TRUE(report.summary);
    EXPECT_EQ(report.summary->coap_messages, 0u);
    EXPECT_EQ(report.summary->outcome, "unanalysed");
    EXPECT_EQ(report.unanalysed, (std::map<std::string, std::uint64_t>{{"tls-streams", 4}}));
    EXPECT_EQ(report.summary->counts.at("tls_streams"), 4u);
    EXPECT_GT(report.summary->counts.at("tls_bytes"), 0u);
    EXPECT_EQ(run_scan_binary({"--port", "5684", "--allow-unanalysed", capture}).status, 0);
}

TEST_F(ScanTest, TcpBytesWithoutAMessageStartOrLostAreUnanalysed) {
    // tcp-midstream: both directions begun before the capture, and one
    // segment never captured (its scenario): bytes before the first message
    // boundary and bytes in a gap, while the messages after are analysed.
    const std::string capture = std::string(COAPJWS_PCAPS_DIR) + "/tcp-midstream.pcap";
    const std::string keys = std::string(COAPJWS_PCAPS_DIR) + "/keys.jwks";
    ScanRun run;
    const FileReport report = json({"--keys", keys, capture}, &run).file(capture);
    EXPECT_EQ(run.status, 0) << run.err;  // some analysed: a warning by default
    ASSERT_TRUE(report.summary);
    EXPECT_GT(report.summary->counts.at("tcp_messages"), 0u);
    EXPECT_EQ(report.summary->counts.at("tcp_unknown_start"), 2u);
    EXPECT_EQ(report.summary->counts.at("tcp_gaps"), 1u);
    std::set<std::string> ids;
    for (const auto& [id, count] : report.unanalysed) {
        ids.insert(id);
        EXPECT_GT(count, 0u) << id;
    }
    EXPECT_EQ(ids, (std::set<std::string>{"tcp-unsynced-bytes", "tcp-gap-bytes"}));
    EXPECT_EQ(run_scan_binary({"--keys", keys, "--fail-on-unanalysed", capture}).status, 3);
}

}  // namespace
}  // namespace coapjws::scan::test
