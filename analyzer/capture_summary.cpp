#include "capture_summary.hpp"

#include <algorithm>

namespace coapjws::scan {

bool CaptureSummary::truncated() const {
    return std::any_of(issues.begin(), issues.end(),
                       [](const ReadIssue& i) { return i.truncated; });
}

std::uint64_t CaptureSummary::evictions() const {
    return session.window_evictions + session.request_evictions + session.retransmission_evictions +
           session.binding_evictions + session.protected_pair_evictions;
}

}  // namespace coapjws::scan
