// Every bundled capture, analysed by the engine (coapjws::Session) directly,
// must give what its manifest says — the manifest being the scenario author's
// reading of the profile, never the engine's output. Frames listed in
// known-discrepancies.json were reported to the engine's authors: they are
// shown but do not fail, and an entry that no longer differs fails (so the
// list stays true).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "coapjws/key_store.hpp"
#include "coapjws/session.hpp"
#include "manifest.hpp"
#include "pcap_frames.hpp"

namespace coapjws::test {
namespace {

std::string describe(const ExpectedFrame& e) {
    std::ostringstream out;
    out << "kind=" << e.kind << " tid=" << e.tid.value_or("null") << " signature=" << e.signature
        << " findings=[";
    for (std::size_t i = 0; i < e.findings.size(); ++i)
        out << (i ? "," : "") << e.findings[i];
    out << "]";
    for (const auto& [finding, frame] : e.related)
        out << " " << finding << "->" << frame;
    if (e.request)
        out << " request=" << *e.request;
    return out.str();
}

// The engine's report in the manifest's terms; related frames and the request
// frame only where the manifest states them.
ExpectedFrame observed(const MessageReport& report, const ExpectedFrame& expected) {
    ExpectedFrame o;
    o.frame = report.frame;
    o.kind = std::string(to_string(report.kind));
    if (report.tid)
        o.tid = report.tid->to_string();
    o.signature = std::string(to_string(report.signature));
    for (const auto& finding : report.findings) {
        o.findings.emplace_back(finding_name(finding.id));
        if (expected.related.count(std::string(finding_name(finding.id)))) {
            o.related[std::string(finding_name(finding.id))] = finding.related_frame.value_or(0);
        }
    }
    std::sort(o.findings.begin(), o.findings.end());
    if (expected.request)
        o.request = report.request_frame.value_or(0);
    return o;
}

bool same(const ExpectedFrame& a, const ExpectedFrame& b) {
    return a.kind == b.kind && a.tid == b.tid && a.signature == b.signature &&
           a.findings == b.findings && a.related == b.related && a.request == b.request;
}

class CaptureManifest : public ::testing::TestWithParam<std::string> {};

TEST_P(CaptureManifest, EngineGivesTheExpectedVerdicts) {
    ExpectedCapture manifest;
    std::string error;
    ASSERT_TRUE(read_manifest(GetParam(), manifest, error)) << error;

    KnownDiscrepancies known;
    ASSERT_TRUE(read_known_discrepancies(COAPJWS_KNOWN_DISCREPANCIES, known, error)) << error;
    const std::string capture_name = std::filesystem::path(manifest.capture).filename().string();

    Capture capture;
    ASSERT_TRUE(read_capture(manifest.capture, capture, error)) << error;
    ASSERT_EQ(capture.frames.size(), manifest.frame_count) << "records in " << manifest.capture;

    SessionConfig config;
    config.jws_option = manifest.option;
    config.window = manifest.window;
    if (manifest.signed_options != "default") {
        auto set = OptionSet::parse(manifest.signed_options);
        ASSERT_TRUE(set) << set.error().message;
        config.signed_options = *set;
    }
    std::shared_ptr<const KeyStore> keys;
    if (!manifest.keys.empty()) {
        auto store = load_jwks_file(manifest.keys);
        ASSERT_TRUE(store) << store.error().message;
        keys = std::make_shared<const KeyStore>(std::move(*store));
    }
    auto session = Session::create(config, keys);
    ASSERT_TRUE(session) << session.error().message;

    std::map<std::uint32_t, MessageReport> reports;
    for (const auto& frame : capture.frames) {
        if (!frame.is_udp)
            continue;
        auto on_port = [&](std::uint16_t port) {
            return std::find(manifest.ports.begin(), manifest.ports.end(), port) !=
                   manifest.ports.end();
        };
        if (!on_port(frame.src.port) && !on_port(frame.dst.port))
            continue;
        Packet packet{frame.frame, frame.time_ns, frame.src, frame.dst, frame.payload};
        reports.emplace(frame.frame, session->analyze(packet));
    }

    std::set<std::uint32_t> expected_frames;
    for (const auto& e : manifest.frames)
        expected_frames.insert(e.frame);
    for (const auto& [frame, report] : reports) {
        EXPECT_TRUE(expected_frames.count(frame))
            << capture_name << " frame " << frame << " is CoAP but not in the manifest";
    }

    for (const auto& expected : manifest.frames) {
        const std::string where = capture_name + " frame " + std::to_string(expected.frame) +
                                  (expected.label.empty() ? "" : " (" + expected.label + ")");
        auto it = reports.find(expected.frame);
        if (it == reports.end()) {
            ADD_FAILURE() << where << ": the manifest lists it, but it is not a CoAP frame";
            continue;
        }
        ExpectedFrame actual = observed(it->second, expected);
        auto listed = known.find({capture_name, expected.frame});
        if (listed != known.end()) {
            if (same(expected, actual)) {
                ADD_FAILURE() << where << " is listed in known-discrepancies.json but now agrees "
                              << "with its manifest: remove the entry";
            } else {
                std::cout << "[ KNOWN    ] " << where << ": " << listed->second
                          << "\n             expected " << describe(expected)
                          << "\n             engine   " << describe(actual) << "\n";
            }
            continue;
        }
        EXPECT_TRUE(same(expected, actual))
            << where << (expected.note.empty() ? "" : " — " + expected.note) << "\n  expected "
            << describe(expected) << "\n  engine   " << describe(actual);
    }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string name = std::filesystem::path(info.param).filename().string();
    name.resize(name.size() - std::string(".expected.json").size());
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)))
            c = '_';
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(Pcaps, CaptureManifest,
                         ::testing::ValuesIn(list_manifests(COAPJWS_PCAPS_DIR)), test_name);

TEST(PcapsFolder, HoldsCaptures) {
    EXPECT_FALSE(list_manifests(COAPJWS_PCAPS_DIR).empty())
        << "no manifests in " << COAPJWS_PCAPS_DIR;
}

}  // namespace
}  // namespace coapjws::test
