// Writes a JOSE header as compact JSON (RapidJSON's Writer, so strings are
// escaped correctly) with its members in a fixed order: alg, kid, x5t#S256,
// x5t, seq, isi, crit, then any extra members. A fixed order keeps the
// generator's output byte-for-byte reproducible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gen/scenario.hpp"

namespace coapjws::gen {

struct HeaderFields {
    std::string alg;
    std::optional<std::string> kid;
    std::optional<std::string> x5t_s256;
    std::optional<std::string> x5t;
    std::optional<std::uint32_t> seq;
    std::optional<std::string> isi;
    std::optional<std::vector<std::string>> crit;
    std::vector<ExtraMember> extra;
};

std::string write_jose_header(const HeaderFields& fields);

}  // namespace coapjws::gen
