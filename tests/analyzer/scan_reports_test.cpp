// Never silently green, and reports CI systems read right: unanalysed traffic
// and its exit status, SARIF and GitHub annotations checked against their
// published syntax, -o safety and atomic writes, SIGINT/SIGTERM, --ignore,
// eviction warnings, --shard.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "scan_fixture.hpp"

extern char** environ;

namespace coapjws::scan::test {
namespace {

const Host client = host(1);
const Host server = host(2);

// Nothing but the first fragments of datagrams to the CoAP port whose rest
// was never captured: possible CoAP, none of it analysed (a datagram is
// analysed once reassembled, and these never complete).
Bytes fragments_only() {
    Traffic t(Family::v4);
    for (int i = 0; i < 6; ++i) {
        t.first_fragment_only(t0 + i * ms, client, 40000, server, 5683, Bytes(40, 0x42));
    }
    return t.capture(CaptureFormat::pcap_us, Link::ethernet);
}

// basic_scenario's traffic (whose fragmented datagram is reassembled and
// analysed) and the first fragments of two datagrams that never complete:
// some traffic analysed, two IP fragments not.
Bytes basic_with_lost_fragments(Scenario& s) {
    for (int i = 0; i < 2; ++i) {
        s.traffic.first_fragment_only(t0 + (200 + i) * ms, client, 40000, server, 5683,
                                      Bytes(40, 0x42));
    }
    return s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet);
}

int run_checker(const char* script, const std::string& file, const std::string& args) {
    const std::string command =
        std::string(COAPJWS_SYSTEM_PYTHON3) + " " + script + " " + file + " " + args;
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(ScanTest, NothingAnalysedIsNeverAPassByDefault) {
    const std::string f = write_capture("frag.pcap", fragments_only());
    ScanRun run = run_scan_binary({f});
    EXPECT_EQ(run.status, 3) << run.out << run.err;
    EXPECT_NE(run.out.find("warning: not analysed: 6 IP fragments"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("outcome: unanalysed"), std::string::npos) << run.out;
    EXPECT_NE(run.err.find("not one message of the capture was analysed"), std::string::npos)
        << run.err;
    EXPECT_EQ(run_scan_binary({"--allow-unanalysed", f}).status, 0);
    EXPECT_EQ(run_scan_binary({"--fail-on-unanalysed", f}).status, 3);

    JsonReport r = json({f});
    ASSERT_TRUE(r.file(f).summary);
    EXPECT_EQ(r.file(f).summary->outcome, "unanalysed");
    EXPECT_EQ(r.file(f).unanalysed.at("ip-fragments"), 6u);
    EXPECT_EQ(r.file(f).summary->unanalysed.at("ip-fragments"), 6u);
}

TEST_F(ScanTest, SomeUnanalysedWarnsAndFailsOnlyOnRequest) {
    // basic_scenario: CoAP messages, and two IP fragments never completed.
    Scenario s = basic_scenario(Family::v4);
    const std::string c = write_capture("c.pcap", basic_with_lost_fragments(s));
    const std::string keys = write_text("k.jwks", s.keys_json);
    ScanRun run = run_scan_binary({"-k", keys, "--fail-on", "never", c});
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_NE(run.out.find("warning: not analysed: 2 IP fragments"), std::string::npos) << run.out;
    EXPECT_NE(run.err.find("warning: " + c + ": not analysed: 2 IP fragments"), std::string::npos)
        << run.err;
    EXPECT_EQ(run_scan_binary({"-k", keys, "--fail-on", "never", "--fail-on-unanalysed", c}).status,
              3);
    // 3 beats 1: the replay is there too.
    EXPECT_EQ(run_scan_binary({"-k", keys, "--fail-on-unanalysed", c}).status, 3);
    EXPECT_EQ(run_scan_binary({"-k", keys, "--allow-unanalysed", c}).status, 1);
    // 2 beats 3.
    EXPECT_EQ(run_scan_binary({"-k", keys, "--fail-on-unanalysed", c, path("missing.pcap")}).status,
              2);
}

TEST_F(ScanTest, UnanalysedInJunit) {
    const std::string f = write_capture("frag.pcap", fragments_only());
    const std::string xml = path("r.xml");
    EXPECT_EQ(run_scan_binary({"-f", "junit", "-o", xml, f}).status, 3);
    EXPECT_EQ(run_checker(COAPJWS_CHECK_JUNIT, xml, "--suites 1 --failure unanalysed"), 0)
        << read_text_file(xml);
    EXPECT_EQ(run_scan_binary({"-f", "junit", "--allow-unanalysed", "-o", xml, f}).status, 0);
    EXPECT_EQ(run_checker(COAPJWS_CHECK_JUNIT, xml, "--suites 1 --skipped --no-failures"), 0)
        << read_text_file(xml);
}

TEST_F(ScanTest, JunitOfRealTrafficIsValidAndStable) {
    // Two runs of the same exchange with other client ports: same test names.
    auto capture = [&](std::uint16_t client_port, const std::string& name) {
        const TestKey key = hmac_key("client-1");
        const TestKey server_key = hmac_key("server-1");
        Traffic t(Family::v4);
        const Bytes request = signed_coap(get_request(1, {0x01}), key, request_header(key, 0));
        t.udp(t0, client, client_port, server, 5683, request);
        t.udp(t0 + ms, client, client_port, server, 5683, request);  // retransmission
        const Tid tid{"client-1", 0};
        SignOptions bound;
        bound.request_tid = &tid;
        // isi "10": the response has a TID of its own, a stream at the client.
        t.udp(t0 + 2 * ms, server, 5683, client, client_port,
              signed_coap(content_response(1, {0x01}, "21.5"), server_key,
                          response_header(server_key, "10", 7), bound));
        return write_capture(name, t.capture(CaptureFormat::pcap_us, Link::ethernet));
    };
    const std::string a = capture(40001, "a.pcap");
    const std::string b = capture(51234, "b.pcap");
    auto names = [&](const std::string& file) {
        const std::string xml = path("n.xml");
        run_scan_binary({"-f", "junit", "-o", xml, file});
        EXPECT_EQ(run_checker(COAPJWS_CHECK_JUNIT, xml, "--ports 5683"), 0) << read_text_file(xml);
        std::set<std::string> found;
        const std::string text = read_text_file(xml);
        for (std::size_t at = text.find("<testcase name=\""); at != std::string::npos;
             at = text.find("<testcase name=\"", at + 1)) {
            const std::size_t start = at + 16;
            found.insert(text.substr(start, text.find('"', start) - start));
        }
        return found;
    };
    const std::set<std::string> first = names(a);
    EXPECT_EQ(first, names(b));
    EXPECT_TRUE(first.count("192.0.2.1:* server-1")) << *first.begin();
}

TEST_F(ScanTest, SarifValidatesAgainstTheOasisSchema) {
    Scenario s = basic_scenario(Family::v4);
    const std::string c = write_capture("c p.pcap", basic_with_lost_fragments(s));
    const std::string f = write_capture("frag.pcap", fragments_only());
    const std::string keys = write_text("k.jwks", s.keys_json);
    const std::string log = path("r.sarif");
    ScanRun run =
        run_scan_binary({"-f", "sarif", "-k", keys, "-o", log, c, f, c, path("gone.pcap")});
    EXPECT_EQ(run.status, 2);
    EXPECT_EQ(
        run_checker(COAPJWS_CHECK_SARIF, log,
                    "--rule replay --rule bad-signature --rule stripped --rule retransmission "
                    "--level replay=error --level stripped=warning "
                    "--level retransmission=note --rule unanalysed/ip-fragments "
                    "--exit-code 2"),
        0)
        << read_text_file(log);
    // One capture, nothing found: a valid log without results.
    const Scenario clean_scenario = basic_scenario(Family::v6);
    EXPECT_EQ(run_scan_binary({"-f", "sarif", "--ignore",
                               "replay,bad-signature,stripped,retransmission,unknown-key",
                               "--allow-unanalysed", "-o", log, c})
                  .status,
              0);
    EXPECT_EQ(run_checker(COAPJWS_CHECK_SARIF, log, "--results 1 --rule unanalysed/ip-fragments"),
              0)
        << read_text_file(log);
    // The checker can fail: a log that breaks the schema.
    write_text("bad.sarif", "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{}}]}");
    EXPECT_NE(run_checker(COAPJWS_CHECK_SARIF, path("bad.sarif"), ""), 0);
}

TEST_F(ScanTest, GithubAnnotationsFollowTheWorkflowCommandSyntax) {
    Scenario s = basic_scenario(Family::v4);
    const std::string c = write_capture("a,b:c.pcap", basic_with_lost_fragments(s));
    const std::string keys = write_text("k.jwks", s.keys_json);
    const std::string log = path("gh.log");
    EXPECT_EQ(run_scan_binary({"-f", "github", "-k", keys, "-o", log, c}).status, 1);
    const std::string text = read_text_file(log);
    // Frames 6 (replay), 7 (bad-signature), 10 (retransmission), 11 (stripped).
    EXPECT_NE(text.find("::error file=" + path("a%2Cb%3Ac.pcap") + ",line=6,title=coapjws replay"),
              std::string::npos)
        << text;
    const std::string where = path("a,b");  // the checker splits on ':' once per field
    EXPECT_EQ(run_checker(COAPJWS_CHECK_GITHUB, log, "--count 5"), 0) << text;
    EXPECT_NE(text.find("::notice file="), std::string::npos);  // retransmission is info
    EXPECT_NE(text.find("::warning file=" + path("a%2Cb%3Ac.pcap") +
                        ",title=coapjws unanalysed/ip-fragments::2 IP fragments"),
              std::string::npos)
        << text;
    // The checker can fail.
    write_text("bad.log", "::error file=x,line=1:message\n");
    EXPECT_NE(run_checker(COAPJWS_CHECK_GITHUB, path("bad.log"), ""), 0);
    write_text("bad2.log", "::error file=a,b,line=1::m\n");
    EXPECT_NE(run_checker(COAPJWS_CHECK_GITHUB, path("bad2.log"), ""), 0);
}

TEST_F(ScanTest, OutputNeverReplacesAnInputOrTheKeys) {
    Scenario s = basic_scenario(Family::v4);
    const Bytes bytes = s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet);
    const std::string c = write_capture("c.pcap", bytes);
    const std::string keys = write_text("k.jwks", s.keys_json);
    std::filesystem::create_hard_link(c, path("hard.pcap"));
    std::filesystem::create_symlink(keys, path("link.jwks"));
    for (const std::string& target :
         {c, path("hard.pcap"), keys, path("link.jwks"), path("./c.pcap")}) {
        ScanRun run = run_scan_binary({"-k", keys, "-o", target, c});
        EXPECT_EQ(run.status, 2) << target;
        EXPECT_NE(run.err.find("refusing to overwrite"), std::string::npos) << run.err;
    }
    EXPECT_EQ(read_text_file(c), std::string(bytes.begin(), bytes.end()));
    EXPECT_EQ(read_text_file(keys), s.keys_json);
}

TEST_F(ScanTest, OutputIsAtomicAndDashIsStandardOutput) {
    Scenario s = basic_scenario(Family::v4);
    const std::string c =
        write_capture("c.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    ScanRun dash = run_scan_binary({"-f", "json", "-o", "-", c});
    EXPECT_NE(dash.out.find("\"type\":\"summary\""), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists("-"));

    // A report that exists keeps its mode and is replaced whole.
    const std::string report = write_text("r.jsonl", "old\n");
    ::chmod(report.c_str(), 0640);
    EXPECT_EQ(run_scan_binary({"-f", "json", "-o", report, c}).status, 1);
    struct stat st {};
    ASSERT_EQ(::stat(report.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);
    EXPECT_EQ(read_text_file(report).find("old"), std::string::npos);
    // No temporary file stays behind.
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(path("")))
        files += entry.path().filename().string().rfind(".r.jsonl", 0) == 0 ? 1 : 0;
    EXPECT_EQ(files, 0u);
}

// Starts the scanner reading a pipe; returns its pid, the pipe's write end.
struct LiveScan {
    pid_t pid = -1;
    int input = -1;
};
LiveScan start_live(const std::vector<std::string>& args, const std::string& out,
                    const std::string& err) {
    int fds[2];
    if (::pipe(fds) != 0)
        throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> storage{COAPJWS_SCAN_BINARY};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : storage)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    LiveScan live;
    if (posix_spawn(&live.pid, COAPJWS_SCAN_BINARY, &actions, nullptr, argv.data(), environ) != 0)
        throw std::runtime_error("spawn");
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[0]);
    live.input = fds[1];
    return live;
}

bool wait_for(const std::string& file, const std::string& text) {
    for (int i = 0; i < 200; ++i) {
        if (read_text_file(file).find(text) != std::string::npos)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
}

class Signals : public ScanTest, public ::testing::WithParamInterface<int> {};

TEST_P(Signals, FinishTheLineAndTheSummaryInLiveMode) {
    const int signal = GetParam();
    Scenario s = basic_scenario(Family::v4);
    const Bytes bytes = s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet);
    const std::string out = path("live.out"), err = path("live.err");
    const std::string report = path("live.jsonl");
    LiveScan live = start_live({"-f", "json", "-o", report, "-"}, out, err);
    ASSERT_EQ(::write(live.input, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    // The pipe stays open: the scanner waits in a read for more packets.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::kill(live.pid, signal);
    int status = 0;
    ::waitpid(live.pid, &status, 0);
    ::close(live.input);
    ASSERT_TRUE(WIFEXITED(status)) << "killed instead of finishing";
    EXPECT_EQ(WEXITSTATUS(status), 128 + signal) << read_text_file(err);
    JsonReport r = parse_json_report(read_text_file(report));
    EXPECT_TRUE(r.problems.empty());
    const FileReport& f = r.file("<stdin>");
    ASSERT_TRUE(f.summary) << read_text_file(report);
    EXPECT_EQ(f.summary->packets, 11u);
    EXPECT_EQ(f.findings.at(6), s.without_keys.findings.at(6));
    EXPECT_NE(read_text_file(report).find("\"interrupted\":true"), std::string::npos);
}

TEST_P(Signals, TextOnStandardOutputEndsWithTheSummary) {
    const int signal = GetParam();
    Scenario s = basic_scenario(Family::v4);
    const Bytes bytes = s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet);
    const std::string out = path("live.out"), err = path("live.err");
    LiveScan live = start_live({"-"}, out, err);
    ASSERT_EQ(::write(live.input, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    ASSERT_TRUE(wait_for(out, "stripped")) << read_text_file(out);  // flushed per message
    ::kill(live.pid, signal);
    int status = 0;
    ::waitpid(live.pid, &status, 0);
    ::close(live.input);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 128 + signal);
    const std::string text = read_text_file(out);
    EXPECT_NE(text.find("== <stdin>: 11 packets"), std::string::npos) << text;
    EXPECT_NE(text.find("interrupted:"), std::string::npos) << text;
    EXPECT_EQ(text.back(), '\n');
}

INSTANTIATE_TEST_SUITE_P(IntAndTerm, Signals, ::testing::Values(SIGINT, SIGTERM));

TEST_F(ScanTest, IgnoreLeavesIdsOutOfReportsAndExitStatus) {
    Scenario s = basic_scenario(Family::v4);
    const std::string c =
        write_capture("c.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string keys = write_text("k.jwks", s.keys_json);
    EXPECT_EQ(
        run_scan_binary({"-k", keys, "--ignore", "replay", "--ignore=bad-signature", c}).status, 0);
    JsonReport r = json({"-k", keys, "--ignore", "replay,bad-signature", "--messages", c});
    const FileReport& f = r.file(c);
    for (const auto& [frame, ids] : f.findings) {
        EXPECT_FALSE(ids.count("replay")) << frame;
        EXPECT_FALSE(ids.count("bad-signature")) << frame;
    }
    EXPECT_EQ(f.summary->findings.at("replay"), 0u);
    EXPECT_EQ(f.summary->findings.at("stripped"), 1u);
    ScanRun bad = run_scan_binary({"--ignore", "replays", c});
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("not a finding id"), std::string::npos);
}

TEST_F(ScanTest, EvictionsThatCanHideAReplayWarn) {
    BulkScenario s = bulk_scenario(40);
    const std::string c =
        write_capture("bulk.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    ScanRun small = run_scan_binary({"--max-streams", "1", c});
    EXPECT_NE(small.err.find("replay window(s)"), std::string::npos) << small.err;
    EXPECT_NE(small.err.find("raise --max-streams"), std::string::npos);
    ScanRun roomy = run_scan_binary({c});
    EXPECT_EQ(roomy.err.find("replay window(s)"), std::string::npos) << roomy.err;
}

TEST_F(ScanTest, ShardsAddUpToTheWholeRun) {
    BulkScenario s = bulk_scenario(120);
    const std::string c =
        write_capture("bulk.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string keys = write_text("k.jwks", s.keys_json);
    JsonReport whole = json({"-k", keys, "--messages", c});
    for (int n : {2, 3}) {
        std::map<std::uint32_t, FindingSet> united;
        std::uint64_t messages = 0;
        for (int k = 1; k <= n; ++k) {
            JsonReport part = json({"-k", keys, "--messages", "--shard",
                                    std::to_string(k) + "/" + std::to_string(n), c});
            for (const auto& [frame, ids] : part.file(c).findings) {
                EXPECT_FALSE(united.count(frame)) << "frame " << frame << " in two shards";
                united[frame] = ids;
            }
            messages += part.file(c).message_frames.size();
        }
        EXPECT_EQ(united, whole.file(c).findings) << n << " shards";
        EXPECT_EQ(messages, whole.file(c).message_frames.size());
    }
}

}  // namespace
}  // namespace coapjws::scan::test

namespace coapjws::scan::test {
namespace {

// Standard output and standard error on one terminal: the bar is erased
// before report text and redrawn after it, never in the middle of a line.
TEST_F(ScanTest, ProgressBarNeverLandsInsideAReportLine) {
    BulkScenario s = bulk_scenario(1500);  // no keys: a finding line per message
    const std::string c =
        write_capture("bulk.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string command = std::string(COAPJWS_SYSTEM_PYTHON3) + " " + COAPJWS_CHECK_TTY +
                                " " + COAPJWS_SCAN_BINARY + " -j 2 " + c + " > " + path("tty.txt") +
                                " 2>&1";
    const int status = std::system(command.c_str());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_text_file(path("tty.txt"));
}

}  // namespace
}  // namespace coapjws::scan::test
