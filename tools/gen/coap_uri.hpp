// Turns a coap:// URI into request options as RFC 7252 §6.4 does: Uri-Host
// unless the host is an IP literal, Uri-Port unless it is the scheme's
// default, one Uri-Path per segment and one Uri-Query per '&'-separated part,
// each percent-decoded.
#pragma once

#include <string_view>
#include <vector>

#include "coapjws/coap_message.hpp"
#include "coapjws/result.hpp"

namespace coapjws::gen {

Result<std::vector<CoapOptionValue>> options_from_uri(std::string_view uri);

}  // namespace coapjws::gen
