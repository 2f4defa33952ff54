// The plugin's expert-info names must stay the profile's finding ids (spec §6)
// with '-' written as '_', one per finding, in FindingId order.
#include "finding_table.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace coapjws::plugin {
namespace {

TEST(FindingTable, OnePerFindingInOrder) {
    ASSERT_EQ(finding_labels.size(), finding_count);
    for (std::size_t i = 0; i < finding_count; ++i) {
        EXPECT_EQ(finding_labels[i].id, all_findings[i]) << i;
        EXPECT_EQ(&label_of(all_findings[i]), &finding_labels[i]);
    }
}

TEST(FindingTable, NamesAreTheProfilesIds) {
    // Spelled out from spec §6, not derived from the engine.
    const char* const spec_ids[] = {"malformed",
                                    "alg-none",
                                    "alg-unsupported",
                                    "crit-unknown",
                                    "key-mismatch",
                                    "bad-signature",
                                    "replay",
                                    "out-of-window",
                                    "seq-exhausted",
                                    "response-replay",
                                    "unknown-key",
                                    "unverifiable",
                                    "unprotected-response",
                                    "option-rejected",
                                    "stripped",
                                    "isi-in-request",
                                    "retransmission"};
    ASSERT_EQ(std::size(spec_ids), finding_count);
    for (std::size_t i = 0; i < finding_count; ++i) {
        EXPECT_STREQ(finding_labels[i].name, spec_ids[i]);
        EXPECT_EQ(finding_name(finding_labels[i].id), spec_ids[i]);
    }
}

TEST(FindingTable, ExpertNamesAreFilterable) {
    std::set<std::string> seen;
    for (const FindingLabel& label : finding_labels) {
        std::string expected = std::string("coapjws.expert.") + label.name;
        for (char& c : expected) {
            if (c == '-')
                c = '_';
        }
        EXPECT_EQ(label.expert_name, expected);
        EXPECT_TRUE(seen.insert(label.expert_name).second) << label.expert_name;
        EXPECT_NE(std::string(label.summary), "");
    }
}

}  // namespace
}  // namespace coapjws::plugin
