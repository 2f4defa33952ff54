#include <string>

#include "coapjws/session.hpp"

namespace coapjws {

Status SessionConfig::validate() const {
    if (window < 1 || window > max_window) {
        return fail(ErrorCode::invalid_argument, "window must be 1.." + std::to_string(max_window) +
                                                     " (got " + std::to_string(window) + ")");
    }
    // Option 0 is reserved (RFC 7252 §12.2): no message can carry it.
    if (jws_option == 0)
        return fail(ErrorCode::invalid_argument, "JWS option number must be 1..65535 (got 0)");
    const std::pair<const char*, std::size_t> sizes[] = {
        {"max_windows", limits.max_windows},
        {"max_pending_requests", limits.max_pending_requests},
        {"max_retransmission_entries", limits.max_retransmission_entries},
        {"max_retransmission_bytes", limits.max_retransmission_bytes},
        {"max_response_bindings", limits.max_response_bindings},
        {"max_protected_pairs", limits.max_protected_pairs},
        {"max_pending_request_bytes", limits.max_pending_request_bytes},
    };
    for (const auto& [name, value] : sizes) {
        if (value == 0)
            return fail(ErrorCode::invalid_argument, std::string(name) + " must be at least 1");
    }
    const std::pair<const char*, std::int64_t> lifetimes[] = {
        {"retransmission_lifetime_ns", limits.retransmission_lifetime_ns},
        {"request_lifetime_ns", limits.request_lifetime_ns},
        {"observe_lifetime_ns", limits.observe_lifetime_ns},
    };
    for (const auto& [name, value] : lifetimes) {
        if (value < 0)
            return fail(ErrorCode::invalid_argument, std::string(name) + " must not be negative");
    }
    return {};
}

}  // namespace coapjws
