#include "info_text.hpp"

#include <vector>

#include "display_text.hpp"
#include "finding_table.hpp"

namespace coapjws::plugin {

namespace {

// "REPLAY of #3", or "REPLAY" when the frame is not in view.
std::string finding_note(const FindingNote& finding) {
    const FindingLabel& label = label_of(finding.id);
    std::string text = label.info_label;
    if (label.relation && finding.related_frame) {
        text += ' ';
        text += label.relation;
        text += " #";
        text += std::to_string(*finding.related_frame);
    }
    return text;
}

bool is_problem(FindingId id) {
    return severity_of(id) >= Severity::warning;
}

}  // namespace

std::string info_text(const InfoFacts& facts) {
    if (!facts.has_jws && facts.findings.empty())
        return {};

    // What is wrong comes first, so a glance at the column finds it.
    std::string problems;
    for (const FindingNote& finding : facts.findings) {
        if (!is_problem(finding.id))
            continue;
        if (!problems.empty())
            problems += ", ";
        problems += finding_note(finding);
    }
    std::string details;
    const auto add = [&details](std::string_view part) {
        if (!details.empty())
            details += ' ';
        details += part;
    };
    if (facts.key_id)
        add("kid=" + std::string(*facts.key_id));
    if (facts.seq)
        add("seq=" + std::to_string(*facts.seq));

    std::string text = "JWS";
    if (!problems.empty()) {
        text += ' ' + problems;
        if (!details.empty())
            text += ": " + details;
    } else {
        // Nothing wrong: the signature status ("valid" only here).
        if (facts.signature != SignatureStatus::none)
            add(to_string(facts.signature));
        if (!details.empty())
            text += ' ' + details;
    }
    // Notes that are not problems (a CoAP retransmission) come last.
    for (const FindingNote& finding : facts.findings) {
        if (is_problem(finding.id))
            continue;
        text += text == "JWS" ? " " : ", ";
        text += finding_note(finding);
    }
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
