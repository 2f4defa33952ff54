#include "outcome.hpp"

#include <algorithm>

#include "exit_status.hpp"
#include "unanalysed.hpp"

namespace coapjws::scan {

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::pass:
            return "pass";
        case Outcome::findings:
            return "findings";
        case Outcome::unanalysed:
            return "unanalysed";
        case Outcome::error:
            return "error";
    }
    return "error";
}

bool nothing_analysed(const CaptureSummary& summary) {
    return summary.decode.coap == 0 && unanalysed_total(summary) > 0;
}

bool unanalysed_fails(const CaptureSummary& summary, UnanalysedPolicy policy) {
    switch (policy) {
        case UnanalysedPolicy::allow:
            return false;
        case UnanalysedPolicy::nothing_analysed:
            return nothing_analysed(summary);
        case UnanalysedPolicy::any:
            return unanalysed_total(summary) > 0;
    }
    return false;
}

bool findings_fail(const CaptureSummary& summary, const RunPolicy& policy) {
    return policy.fail_on && summary.worst && *summary.worst >= *policy.fail_on;
}

Outcome outcome_of(const CaptureSummary& summary, const RunPolicy& policy) {
    const bool read_error = std::any_of(summary.issues.begin(), summary.issues.end(),
                                        [](const ReadIssue& i) { return !i.truncated; });
    if (read_error)
        return Outcome::error;
    if (unanalysed_fails(summary, policy.unanalysed))
        return Outcome::unanalysed;
    if (findings_fail(summary, policy))
        return Outcome::findings;
    return Outcome::pass;
}

int exit_status_of(Outcome outcome) {
    switch (outcome) {
        case Outcome::pass:
            return exit_clean;
        case Outcome::findings:
            return exit_findings;
        case Outcome::unanalysed:
            return exit_unanalysed;
        case Outcome::error:
            return exit_error;
    }
    return exit_error;
}

}  // namespace coapjws::scan
