// The short note the plugin appends to the Info column and to its protocol
// item, e.g. "JWS kid=client-1 seq=42 valid" or "JWS kid=client-1 seq=0 valid
// REPLAY of #17".
#pragma once

#include <string>

#include "coapjws/session.hpp"

namespace coapjws::plugin {

// Empty when the report holds nothing about JWS (no option, no finding).
std::string info_text(const MessageReport& report);

}  // namespace coapjws::plugin
