// Shared set-up for the end-to-end tests that run the coapjws-scan binary.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "capture_file.hpp"
#include "scan_json.hpp"
#include "scan_runner.hpp"
#include "scenarios.hpp"

namespace coapjws::scan::test {

class ScanTest : public ::testing::Test {
  protected:
    std::string write_capture(const std::string& name, const Bytes& bytes) {
        const std::string path = dir_.path(name);
        write_file(path, bytes);
        return path;
    }
    std::string write_text(const std::string& name, std::string_view text) {
        const std::string path = dir_.path(name);
        write_file(path, text);
        return path;
    }
    std::string path(const std::string& name) const { return dir_.path(name); }

    // Runs with --format json and parses the result; schema problems fail the test.
    JsonReport json(std::vector<std::string> args, ScanRun* run_out = nullptr,
                    const std::string& stdin_path = "") {
        args.insert(args.begin(), {"--format", "json"});
        ScanRun run = run_scan_binary(args, stdin_path);
        JsonReport report = parse_json_report(run.out);
        EXPECT_TRUE(report.problems.empty()) << report.problems.front();
        if (run_out != nullptr)
            *run_out = run;
        return report;
    }

    static void expect_matches(const FileReport& got, const Expected& want,
                               const std::string& what) {
        EXPECT_EQ(got.findings, want.findings) << what;
        EXPECT_EQ(got.related, want.related) << what;
        ASSERT_TRUE(got.summary.has_value()) << what;
        EXPECT_EQ(got.summary->packets, want.packets) << what;
        EXPECT_EQ(got.summary->coap_messages, want.coap_messages) << what;
        EXPECT_EQ(got.summary->jws_messages, want.jws_messages) << what;
        EXPECT_EQ(got.summary->fragments, want.fragments) << what;
        if (!got.signatures.empty()) {
            EXPECT_EQ(got.signatures, want.signatures) << what;
        }
        // The summary's counts agree with the finding lines.
        std::map<std::string, std::uint64_t> counted;
        for (const auto& [frame, ids] : got.findings) {
            for (const auto& id : ids)
                ++counted[id];
        }
        for (const auto& [id, n] : got.summary->findings) {
            EXPECT_EQ(n, counted.count(id) ? counted[id] : 0) << what << " " << id;
        }
    }

  private:
    ScratchDir dir_;
};

}  // namespace coapjws::scan::test
