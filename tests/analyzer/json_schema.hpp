// The JSON Lines schema of coapjws-scan --format json, as README.md
// documents it, checked line by line.
#pragma once

#include <string>
#include <string_view>

namespace coapjws::scan::test {

// "" when `line` is a valid report line; otherwise what is wrong.
std::string check_json_line(std::string_view line);

}  // namespace coapjws::scan::test
