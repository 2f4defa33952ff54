#include "coapjws/finding.hpp"

#include <array>

namespace coapjws {

namespace {
struct FindingInfo {
    std::string_view name;
    Severity severity;
};

// Indexed by FindingId; the names and severities are the profile's, and stable.
constexpr std::array<FindingInfo, finding_count> finding_table{{
    {"malformed", Severity::error},
    {"alg-none", Severity::error},
    {"alg-unsupported", Severity::error},
    {"crit-unknown", Severity::error},
    {"key-mismatch", Severity::error},
    {"bad-signature", Severity::error},
    {"replay", Severity::error},
    {"out-of-window", Severity::error},
    {"seq-exhausted", Severity::error},
    {"response-replay", Severity::error},
    {"unknown-key", Severity::warning},
    {"unverifiable", Severity::warning},
    {"unprotected-response", Severity::warning},
    {"option-rejected", Severity::warning},
    {"stripped", Severity::warning},
    {"isi-in-request", Severity::warning},
    {"retransmission", Severity::info},
}};
}  // namespace

std::string_view finding_name(FindingId id) {
    return finding_table[static_cast<std::size_t>(id)].name;
}

std::optional<FindingId> finding_from_name(std::string_view name) {
    for (std::size_t i = 0; i < finding_table.size(); ++i) {
        if (finding_table[i].name == name) return static_cast<FindingId>(i);
    }
    return std::nullopt;
}

Severity severity_of(FindingId id) { return finding_table[static_cast<std::size_t>(id)].severity; }

std::string_view severity_name(Severity severity) {
    switch (severity) {
        case Severity::info: return "info";
        case Severity::warning: return "warning";
        case Severity::error: return "error";
    }
    return "error";
}

std::optional<Severity> severity_from_name(std::string_view name) {
    for (Severity s : {Severity::info, Severity::warning, Severity::error}) {
        if (severity_name(s) == name) return s;
    }
    return std::nullopt;
}

}  // namespace coapjws
