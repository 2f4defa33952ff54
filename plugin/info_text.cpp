#include "info_text.hpp"

#include <vector>

#include "display_text.hpp"

namespace coapjws::plugin {

namespace {

std::string frame_ref(const std::optional<std::uint32_t>& frame) {
    return frame ? " #" + std::to_string(*frame) : std::string();
}

std::string finding_note(const FindingNote& finding) {
    switch (finding.id) {
        // The two a reader must not miss are written in capitals.
        case FindingId::replay:
            return "REPLAY" + (finding.related_frame ? " of" + frame_ref(finding.related_frame)
                                                     : std::string());
        case FindingId::response_replay:
            return "RESPONSE REPLAY" + (finding.related_frame
                                            ? " of" + frame_ref(finding.related_frame)
                                            : std::string());
        case FindingId::retransmission:
            return "retransmission" + (finding.related_frame
                                           ? " of" + frame_ref(finding.related_frame)
                                           : std::string());
        // Said by the status already.
        case FindingId::unknown_key:
            return {};
        default:
            return std::string(finding_name(finding.id));
    }
}

}  // namespace

std::string info_text(const InfoFacts& facts) {
    if (!facts.has_jws && facts.findings.empty())
        return {};

    std::string text = "JWS";
    const auto add = [&text](std::string_view part) {
        if (part.empty())
            return;
        text += ' ';
        text += part;
    };
    if (facts.key_id) {
        text += " kid=";
        text += *facts.key_id;
    }
    if (facts.seq)
        add("seq=" + std::to_string(*facts.seq));
    if (facts.signature != SignatureStatus::none)
        add(to_string(facts.signature));
    for (const FindingNote& finding : facts.findings)
        add(finding_note(finding));
    return text;
}

std::string info_text(const MessageReport& report) {
    std::vector<FindingNote> notes;
    notes.reserve(report.findings.size());
    for (const Finding& finding : report.findings)
        notes.push_back({finding.id, finding.related_frame});
    std::string key_id;
    InfoFacts facts;
    facts.has_jws = report.jws.has_value();
    if (report.key_id) {
        key_id = display_text(*report.key_id);
        facts.key_id = key_id;
    }
    if (report.jws)
        facts.seq = report.jws->seq;
    facts.signature = report.signature;
    facts.findings = notes;
    return info_text(facts);
}

}  // namespace coapjws::plugin
