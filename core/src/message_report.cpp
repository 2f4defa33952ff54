#include <algorithm>

#include "coapjws/session.hpp"

namespace coapjws {

std::string_view to_string(SignatureStatus status) {
    switch (status) {
        case SignatureStatus::none:
            return "none";
        case SignatureStatus::valid:
            return "valid";
        case SignatureStatus::invalid:
            return "invalid";
        case SignatureStatus::unverified:
            return "unverified";
    }
    return "none";
}

std::string_view to_string(WindowVerdict verdict) {
    switch (verdict) {
        case WindowVerdict::accepted:
            return "accepted";
        case WindowVerdict::replay:
            return "replay";
        case WindowVerdict::out_of_window:
            return "out-of-window";
        case WindowVerdict::seq_exhausted:
            break;
    }
    return "seq-exhausted";
}

bool MessageReport::has(FindingId id) const {
    return find(id) != nullptr;
}

const Finding* MessageReport::find(FindingId id) const {
    auto it = std::find_if(findings.begin(), findings.end(),
                           [id](const Finding& f) { return f.id == id; });
    return it == findings.end() ? nullptr : &*it;
}

std::optional<Severity> MessageReport::worst_severity() const {
    std::optional<Severity> worst;
    for (const Finding& f : findings) {
        if (!worst || f.severity() > *worst)
            worst = f.severity();
    }
    return worst;
}

}  // namespace coapjws
