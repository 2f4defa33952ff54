// Pieces of finding messages: short human sentences with untrusted values
// (key identifiers, alg names from headers) quoted safely on one line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "coapjws/jose_header.hpp"

namespace coapjws::detail {

// `"text"` with quotes, backslashes and control bytes escaped (\", \\, \n,
// \xNN), cut after `max_bytes` (at a UTF-8 boundary) with "..." so a hostile
// header cannot flood a report or break it over lines. Every untrusted value
// in an engine message (finding texts, key and header errors) goes through
// it; bytes that are not UTF-8 are left for the front ends to show their way.
inline constexpr std::size_t max_quoted_bytes = 64;
std::string quoted(std::string_view text, std::size_t max_bytes = max_quoted_bytes);
void append_quoted(std::string& out, std::string_view text,
                   std::size_t max_bytes = max_quoted_bytes);

// `kid "client-1"`, `x5t#S256 "..."`: how a key identifier is named.
std::string key_label(KeyIdSource source, std::string_view id);
void append_key_label(std::string& out, KeyIdSource source, std::string_view id);

// Decimal digits of `value` appended (std::to_string without the temporary).
void append_number(std::string& out, std::uint64_t value);

}  // namespace coapjws::detail
