// The Info column note, from reports built by hand.
#include "info_text.hpp"

#include <gtest/gtest.h>

#include <array>

namespace coapjws::plugin {
namespace {

MessageReport signed_report(std::string kid, std::uint32_t seq, SignatureStatus status) {
    MessageReport report;
    report.signature = status;
    report.key_id = kid;
    JwsDetails jws;
    jws.stage = JwsStage::header_parsed;
    jws.seq = seq;
    report.jws = jws;
    report.tid = Tid{kid, seq};
    return report;
}

TEST(InfoText, NothingForPlainCoap) {
    MessageReport report;
    report.kind = MessageKind::request;
    EXPECT_EQ(info_text(report), "");
}

TEST(InfoText, KeySequenceAndStatus) {
    EXPECT_EQ(info_text(signed_report("client-1", 42, SignatureStatus::valid)),
              "JWS kid=client-1 seq=42 valid");
}

TEST(InfoText, ReplayNamesTheFrame) {
    auto report = signed_report("client-1", 0, SignatureStatus::valid);
    report.findings.push_back({FindingId::replay, "seq 0 already seen", 17});
    // The problem leads; "valid" is not said of a replay.
    EXPECT_EQ(info_text(report), "JWS REPLAY of #17: kid=client-1 seq=0");
}

// The replayed frame is not in view (a read filter removed it): no number.
TEST(InfoText, ReplayOfAFrameNotShown) {
    const std::array notes{FindingNote{FindingId::replay, std::nullopt}};
    InfoFacts facts;
    facts.has_jws = true;
    facts.key_id = "client-1";
    facts.seq = 3;
    facts.signature = SignatureStatus::valid;
    facts.findings = notes;
    EXPECT_EQ(info_text(facts), "JWS REPLAY: kid=client-1 seq=3");
}

TEST(InfoText, FindingsByName) {
    auto report = signed_report("client-1", 41, SignatureStatus::invalid);
    report.findings.push_back({FindingId::bad_signature, "signature does not verify", {}});
    EXPECT_EQ(info_text(report), "JWS BAD SIGNATURE: kid=client-1 seq=41");
}

TEST(InfoText, UnknownKeyIsAProblem) {
    auto report = signed_report("nobody", 0, SignatureStatus::unverified);
    report.findings.push_back({FindingId::unknown_key, "no key \"nobody\"", {}});
    EXPECT_EQ(info_text(report), "JWS UNKNOWN KEY: kid=nobody seq=0");
}

// Without keys nothing is wrong, nothing is verified either.
TEST(InfoText, UnverifiedWithoutFindings) {
    EXPECT_EQ(info_text(signed_report("client-1", 2, SignatureStatus::unverified)),
              "JWS kid=client-1 seq=2 unverified");
}

TEST(InfoText, SeveralProblemsInTheOrderFound) {
    auto report = signed_report("client-1", 9, SignatureStatus::valid);
    report.findings.push_back({FindingId::isi_in_request, "isi", {}});
    report.findings.push_back({FindingId::replay, "seen", 4});
    EXPECT_EQ(info_text(report), "JWS ISI IN REQUEST, REPLAY of #4: kid=client-1 seq=9");
}

// A retransmission is a note after the verdict, not a problem.
TEST(InfoText, RetransmissionOfAValidMessage) {
    auto report = signed_report("client-1", 1, SignatureStatus::valid);
    report.findings.push_back({FindingId::retransmission, "again", 3});
    EXPECT_EQ(info_text(report), "JWS kid=client-1 seq=1 valid, retransmission of #3");
}

TEST(InfoText, FramesNamedWithTheirRelation) {
    MessageReport unprotected;
    unprotected.findings.push_back({FindingId::unprotected_response, "no JWS", 17});
    EXPECT_EQ(info_text(unprotected), "JWS UNPROTECTED RESPONSE to #17");
    MessageReport rejected;
    rejected.findings.push_back({FindingId::option_rejected, "4.02", 5});
    EXPECT_EQ(info_text(rejected), "JWS OPTION REJECTED for #5");
}

TEST(InfoText, MessageWithoutJws) {
    MessageReport report;
    report.findings.push_back({FindingId::stripped, "no JWS", 1});
    EXPECT_EQ(info_text(report), "JWS STRIPPED after #1");
    MessageReport retransmitted;
    retransmitted.findings.push_back({FindingId::retransmission, "again", 3});
    EXPECT_EQ(info_text(retransmitted), "JWS retransmission of #3");
}

TEST(InfoText, KeyIdIsMadeDisplayable) {
    auto report = signed_report("a\nb", 1, SignatureStatus::unverified);
    EXPECT_EQ(info_text(report), "JWS kid=a\\x0ab seq=1 unverified");
}

}  // namespace
}  // namespace coapjws::plugin
