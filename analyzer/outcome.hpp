// How a capture (or the whole run) comes out: pass, findings, unanalysed
// traffic, or a read error — decided once here from the summary and the
// run's policy, and shown the same way by every format and the exit status.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "capture_summary.hpp"
#include "coapjws/finding.hpp"

namespace coapjws::scan {

// When traffic that could not be analysed fails the run.
enum class UnanalysedPolicy : std::uint8_t {
    allow,             // --allow-unanalysed: never (still reported as a warning)
    nothing_analysed,  // default: when not a single message of the capture was analysed
    any,               // --fail-on-unanalysed: whenever some was not analysed
};

struct RunPolicy {
    std::optional<Severity> fail_on = Severity::error;  // nullopt: findings never fail
    UnanalysedPolicy unanalysed = UnanalysedPolicy::nothing_analysed;
};

// Ordered by precedence: a worse outcome wins when captures are combined.
enum class Outcome : std::uint8_t { pass, findings, unanalysed, error };
std::string_view to_string(Outcome outcome);  // "pass", "findings", "unanalysed", "error"

// Some traffic might have been CoAP, and not one message reached the engine.
bool nothing_analysed(const CaptureSummary& summary);
// Whether the capture's unanalysed traffic fails the run under `policy`.
bool unanalysed_fails(const CaptureSummary& summary, UnanalysedPolicy policy);
bool findings_fail(const CaptureSummary& summary, const RunPolicy& policy);
Outcome outcome_of(const CaptureSummary& summary, const RunPolicy& policy);
int exit_status_of(Outcome outcome);
inline Outcome worse(Outcome a, Outcome b) {
    return a > b ? a : b;
}

}  // namespace coapjws::scan
