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

CaptureSummary& CaptureSummary::operator+=(const CaptureSummary& o) {
    decode += o.decode;
    session.messages += o.session.messages;
    session.coap_messages += o.session.coap_messages;
    session.jws_messages += o.session.jws_messages;
    for (std::size_t i = 0; i < finding_count; ++i) {
        session.findings[i] += o.session.findings[i];
        findings[i] += o.findings[i];
    }
    session.window_evictions += o.session.window_evictions;
    session.request_evictions += o.session.request_evictions;
    session.retransmission_evictions += o.session.retransmission_evictions;
    session.binding_evictions += o.session.binding_evictions;
    session.protected_pair_evictions += o.session.protected_pair_evictions;
    for (std::size_t i = 0; i < signatures.size(); ++i)
        signatures[i] += o.signatures[i];
    if (o.worst && (!worst || *o.worst > *worst))
        worst = o.worst;
    issues.insert(issues.end(), o.issues.begin(), o.issues.end());
    no_keys_configured = no_keys_configured || o.no_keys_configured;
    unverified_without_keys += o.unverified_without_keys;
    interrupted = interrupted || o.interrupted;
    unanalysed_reported_elsewhere =
        unanalysed_reported_elsewhere || o.unanalysed_reported_elsewhere;
    return *this;
}

}  // namespace coapjws::scan
