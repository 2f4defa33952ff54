// Pieces of finding messages: short human sentences with untrusted values
// (key identifiers, alg names from headers) quoted safely on one line.
#pragma once

#include <string>
#include <string_view>

#include "coapjws/jose_header.hpp"

namespace coapjws::detail {

// `"text"` with quotes, backslashes and control bytes escaped (\", \\, \n,
// \xNN), cut after 64 bytes (at a UTF-8 boundary) with "..." so a hostile
// header cannot flood a report or break it over lines.
std::string quoted(std::string_view text);

// `kid "client-1"`, `x5t#S256 "..."`: how a key identifier is named.
std::string key_label(KeyIdSource source, std::string_view id);

}  // namespace coapjws::detail
