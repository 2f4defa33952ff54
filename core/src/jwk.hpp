// JWK parsing shared by Key::from_jwk and the JWK Set loader (private to the engine).
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <string>

#include "coapjws/key.hpp"
#include "coapjws/result.hpp"

namespace coapjws::detail {

// One JWK (RFC 7517 §4) already parsed: see Key::from_jwk for the rules.
Result<Key> key_from_jwk_value(const rapidjson::Value& jwk);

// RapidJSON's parse error as text with its offset. It never quotes the input.
inline std::string json_error(const rapidjson::Document& doc) {
    return std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " (at offset " +
           std::to_string(doc.GetErrorOffset()) + ")";
}

}  // namespace coapjws::detail
