// Findings: the stable identifiers and severities of spec §6.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coapjws {

enum class FindingId : std::uint8_t {
    malformed,
    alg_none,
    alg_unsupported,
    crit_unknown,
    key_mismatch,
    bad_signature,
    replay,
    out_of_window,
    seq_exhausted,
    response_replay,
    unknown_key,
    unverifiable,
    unprotected_response,
    option_rejected,
    stripped,
    isi_in_request,
    retransmission,
};
inline constexpr std::size_t finding_count = 17;

inline constexpr FindingId all_findings[finding_count] = {
    FindingId::malformed,       FindingId::alg_none,       FindingId::alg_unsupported,
    FindingId::crit_unknown,    FindingId::key_mismatch,   FindingId::bad_signature,
    FindingId::replay,          FindingId::out_of_window,  FindingId::seq_exhausted,
    FindingId::response_replay, FindingId::unknown_key,    FindingId::unverifiable,
    FindingId::unprotected_response, FindingId::option_rejected, FindingId::stripped,
    FindingId::isi_in_request,  FindingId::retransmission,
};

// Ordered so that comparisons express "at or above": info < warning < error.
enum class Severity : std::uint8_t { info, warning, error };

std::string_view finding_name(FindingId id);  // "out-of-window"
std::optional<FindingId> finding_from_name(std::string_view name);
Severity severity_of(FindingId id);
std::string_view severity_name(Severity severity);  // "info", "warning", "error"
std::optional<Severity> severity_from_name(std::string_view name);

struct Finding {
    FindingId id;
    std::string message;                        // one line, no secrets
    std::optional<std::uint32_t> related_frame; // the frame a replay repeats, etc.

    Severity severity() const { return severity_of(id); }
};

}  // namespace coapjws
