// The set of CoAP option numbers whose values are signed (spec §3).
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "coapjws/result.hpp"

namespace coapjws {

// The IANA registry's name of a CoAP option ("Uri-Path"), "" when unknown.
std::string_view option_name(std::uint16_t number);

class OptionSet {
  public:
    OptionSet() = default;
    // 1 If-Match, 4 ETag, 5 If-None-Match, 8 Location-Path, 11 Uri-Path,
    // 12 Content-Format, 15 Uri-Query, 17 Accept, 20 Location-Query.
    static OptionSet default_signed();

    // A comma-separated list of option numbers or names ("11,uri-query,15"),
    // whitespace around items allowed. An empty string is the empty set.
    static Result<OptionSet> parse(std::string_view list);

    void insert(std::uint16_t number) { bits_.set(number); }
    bool contains(std::uint16_t number) const { return bits_.test(number); }
    std::vector<std::uint16_t> numbers() const;
    std::string to_string() const;  // "1,4,5,8,11,12,15,17,20"

    friend bool operator==(const OptionSet&, const OptionSet&) = default;

  private:
    std::bitset<65536> bits_;
};

}  // namespace coapjws
