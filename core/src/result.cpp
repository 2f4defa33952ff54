#include "coapjws/result.hpp"

namespace coapjws {

std::string_view to_string(ErrorCode code) {
    switch (code) {
        case ErrorCode::invalid_argument:
            return "invalid-argument";
        case ErrorCode::malformed:
            return "malformed";
        case ErrorCode::unsupported:
            return "unsupported";
        case ErrorCode::refused:
            return "refused";
        case ErrorCode::too_large:
            return "too-large";
        case ErrorCode::not_found:
            return "not-found";
        case ErrorCode::io:
            return "io";
        case ErrorCode::crypto:
            return "crypto";
        case ErrorCode::internal:
            break;
    }
    return "internal";
}

}  // namespace coapjws
