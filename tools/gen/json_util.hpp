// Small helpers over RapidJSON's DOM for the generator's input files
// (scenarios, JWK Sets): load with a precise error position, reject unknown
// members so a typo in a scenario is an error rather than a silent default,
// and read typed members with errors that name where they are.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "coapjws/result.hpp"

namespace coapjws::gen {

using JsonValue = rapidjson::Value;

// Parses JSON text; the error names `source`, the byte offset and the problem.
Result<rapidjson::Document> parse_json(std::string_view text, std::string_view source);
// Reads a whole file (errors name the file).
Result<std::string> read_file(const std::string& path);
Status write_file(const std::string& path, std::string_view contents);

// Error unless `object` is a JSON object whose member names are all listed.
Status check_members(const JsonValue& object, std::initializer_list<std::string_view> allowed,
                     std::string_view where);

// The member, or nullptr when absent.
const JsonValue* member(const JsonValue& object, std::string_view name);

// Typed member access: absent gives nullopt; a wrong type is an error.
Result<std::optional<std::string>> optional_string(const JsonValue& object, std::string_view name,
                                                   std::string_view where);
Result<std::optional<std::int64_t>> optional_int(const JsonValue& object, std::string_view name,
                                                 std::string_view where);
Result<std::optional<double>> optional_number(const JsonValue& object, std::string_view name,
                                              std::string_view where);
Result<std::optional<bool>> optional_bool(const JsonValue& object, std::string_view name,
                                          std::string_view where);
Result<std::string> required_string(const JsonValue& object, std::string_view name,
                                    std::string_view where);

// Compact JSON text of a value (for copying scenario values into headers).
std::string to_json_text(const JsonValue& value);
// A JSON string literal for `text`, escaped by RapidJSON.
std::string json_quote(std::string_view text);

}  // namespace coapjws::gen
