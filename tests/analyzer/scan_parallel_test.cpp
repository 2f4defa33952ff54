// -j: the same report whatever the thread count, files in argument order,
// and the pipelined prepare/verify/conclude on one file agreeing with the
// single-threaded analysis.
#include "scan_fixture.hpp"

namespace coapjws::scan::test {
namespace {

TEST_F(ScanTest, PipelinedVerificationGivesTheSameReport) {
    BulkScenario s = bulk_scenario(600);
    const std::string capture =
        write_capture("bulk.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string keys = write_text("k.jwks", s.keys_json);
    ScanRun one =
        run_scan_binary({"--format", "json", "--messages", "-k", keys, "-j", "1", capture});
    ScanRun two =
        run_scan_binary({"--format", "json", "--messages", "-k", keys, "-j", "2", capture});
    ScanRun three =
        run_scan_binary({"--format", "json", "--messages", "-k", keys, "-j", "3", capture});
    EXPECT_EQ(one.out, two.out);
    EXPECT_EQ(one.out, three.out);

    JsonReport r = parse_json_report(two.out);
    ASSERT_TRUE(r.problems.empty());
    const FileReport& f = r.file(capture);
    EXPECT_EQ(f.message_frames.size(), s.messages);
    std::uint64_t valid = 0;
    for (const auto& [frame, status] : f.signatures)
        valid += status == "valid";
    EXPECT_EQ(valid, s.messages) << "every request and response verifies";
    EXPECT_EQ(f.summary->findings.at("replay"), s.replays);
    EXPECT_EQ(f.findings.size(), s.replays);
    EXPECT_EQ(two.status, 1);
}

TEST_F(ScanTest, ManyFilesInArgumentOrderWhateverTheThreads) {
    std::vector<std::string> args = {"--format", "json"};
    std::vector<std::string> files;
    for (int i = 0; i < 6; ++i) {
        // Sizes differ so that parallel runs finish out of order.
        BulkScenario s = bulk_scenario(static_cast<std::uint32_t>(200 - i * 30));
        files.push_back(write_capture("f" + std::to_string(i) + ".pcap",
                                      s.traffic.capture(CaptureFormat::pcap_us, Link::raw)));
    }
    std::vector<std::string> order = {files[3], files[0], files[5], files[1], files[4], files[2]};
    args.insert(args.end(), order.begin(), order.end());
    ScanRun serial = run_scan_binary([&] {
        auto a = args;
        a.insert(a.begin(), {"-j", "1"});
        return a;
    }());
    ScanRun parallel = run_scan_binary([&] {
        auto a = args;
        a.insert(a.begin(), {"-j", "4"});
        return a;
    }());
    EXPECT_EQ(serial.out, parallel.out);
    EXPECT_EQ(parse_json_report(parallel.out).files, order);
}

TEST_F(ScanTest, TextOutputIdenticalAcrossThreadCounts) {
    Scenario s = basic_scenario(Family::v6);
    const std::string a =
        write_capture("a.pcap", s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
    const std::string b =
        write_capture("b.pcapng", s.traffic.capture(CaptureFormat::pcapng, Link::linux_sll));
    const std::string keys = write_text("k.jwks", s.keys_json);
    ScanRun one = run_scan_binary({"-j", "1", "-k", keys, a, b});
    ScanRun many = run_scan_binary({"-j", "8", "-k", keys, a, b});
    EXPECT_EQ(one.out, many.out);
    EXPECT_EQ(one.status, many.status);
}

}  // namespace
}  // namespace coapjws::scan::test
