// Pieces of finding messages: short human sentences with untrusted values
// (key identifiers, alg names from headers) quoted safely on one line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "coapjws/jose_header.hpp"

namespace coapjws::detail {

// `"text"` with quotes, backslashes and control bytes escaped (\", \\, \n,
// \xNN), cut after 64 bytes (at a UTF-8 boundary) with "..." so a hostile
// header cannot flood a report or break it over lines.
std::string quoted(std::string_view text);
void append_quoted(std::string& out, std::string_view text);

// `kid "client-1"`, `x5t#S256 "..."`: how a key identifier is named.
std::string key_label(KeyIdSource source, std::string_view id);
void append_key_label(std::string& out, KeyIdSource source, std::string_view id);

// Decimal digits of `value` appended (std::to_string without the temporary).
void append_number(std::string& out, std::uint64_t value);

}  // namespace coapjws::detail
