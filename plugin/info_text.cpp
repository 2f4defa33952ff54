#include "info_text.hpp"

#include "display_text.hpp"

namespace coapjws::plugin {

namespace {

std::string frame_ref(const std::optional<std::uint32_t>& frame) {
    return frame ? " #" + std::to_string(*frame) : std::string();
}

std::string finding_note(const Finding& finding) {
    switch (finding.id) {
        // The two a reader must not miss are written in capitals.
        case FindingId::replay:
            return "REPLAY of" + frame_ref(finding.related_frame);
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

std::string info_text(const MessageReport& report) {
    if (!report.jws && report.findings.empty())
        return {};

    std::string text = "JWS";
    const auto add = [&text](const std::string& part) {
        if (part.empty())
            return;
        text += ' ';
        text += part;
    };
    if (report.key_id)
        add("kid=" + display_text(*report.key_id));
    if (report.jws && report.jws->header && report.jws->header->seq) {
        add("seq=" + std::to_string(*report.jws->header->seq));
    }
    if (report.signature != SignatureStatus::none)
        add(std::string(to_string(report.signature)));
    for (const Finding& finding : report.findings)
        add(finding_note(finding));
    return text;
}

}  // namespace coapjws::plugin
