// Every bundled capture, analysed by the engine (coapjws::Session) directly,
// must give what its manifest says — the manifest being the scenario author's
// reading of the profile, never the engine's output. Frames listed in
// known-discrepancies.json were reported to the engine's authors: they are
// shown but do not fail, and an entry that no longer differs fails (so the
// list stays true).
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "engine_check.hpp"
#include "manifest.hpp"

namespace coapjws::test {
namespace {

class CaptureManifest : public ::testing::TestWithParam<std::string> {};

TEST_P(CaptureManifest, EngineGivesTheExpectedVerdicts) {
    ExpectedCapture manifest;
    std::string error;
    ASSERT_TRUE(read_manifest(GetParam(), manifest, error)) << error;
    KnownDiscrepancies known;
    ASSERT_TRUE(read_known_discrepancies(COAPJWS_KNOWN_DISCREPANCIES, known, error)) << error;
    const std::string name = std::filesystem::path(manifest.capture).filename().string();

    EngineCheck check = check_with_engine(manifest);
    ASSERT_TRUE(check.error.empty()) << check.error;
    // DTLS and TLS are the plugin's (through Wireshark's decryption); the
    // engine, fed as coapjws-scan feeds it, sees no message there.
    EXPECT_EQ(check.frames_checked, manifest.analysed_by_engine() ? manifest.frames.size() : 0u)
        << name << " (transport " << manifest.transport << ")";
    // The compressed copies hold the same capture.
    for (const std::string& copy : manifest.copies) {
        ExpectedCapture from_copy = manifest;
        from_copy.capture = copy;
        EngineCheck copy_check = check_with_engine(from_copy);
        ASSERT_TRUE(copy_check.error.empty()) << copy_check.error;
        EXPECT_EQ(copy_check.frames_checked, check.frames_checked) << copy;
        EXPECT_EQ(copy_check.mismatches.size(), check.mismatches.size()) << copy;
    }

    std::set<std::uint32_t> differing;
    for (const auto& m : check.mismatches) {
        differing.insert(m.frame);
        auto listed = known.find({name, m.frame});
        if (!m.expected) {
            ADD_FAILURE() << where(manifest, m) << " is CoAP but not in the manifest";
        } else if (!m.analysed) {
            ADD_FAILURE() << where(manifest, m) << ": listed in the manifest, but no CoAP frame";
        } else if (listed != known.end()) {
            std::cout << "[ KNOWN    ] " << where(manifest, m) << ": " << listed->second
                      << "\n             expected " << describe(*m.expected)
                      << "\n             engine   " << describe(m.actual) << "\n";
        } else {
            ADD_FAILURE() << where(manifest, m)
                          << (m.expected->note.empty() ? "" : " — " + m.expected->note)
                          << "\n  expected " << describe(*m.expected) << "\n  engine   "
                          << describe(m.actual);
        }
    }
    for (const auto& [key, reason] : known) {
        if (key.first == name && !differing.count(key.second)) {
            ADD_FAILURE() << name << " frame " << key.second
                          << " is listed in known-discrepancies.json but now agrees with its "
                             "manifest: remove the entry";
        }
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
