// Command-line options of coapjws-scan: parsing, validation and --help text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "coapjws/finding.hpp"
#include "coapjws/option_set.hpp"
#include "coapjws/result.hpp"
#include "outcome.hpp"
#include "shard.hpp"

namespace coapjws::scan {

enum class OutputFormat : std::uint8_t { text, json, junit, sarif, github };
std::string_view to_string(OutputFormat format);

inline constexpr std::uint16_t default_coap_port = 5683;
inline constexpr std::size_t default_max_streams = 65536;

struct Options {
    std::vector<std::string> inputs;     // capture files; "-" is stdin
    std::vector<std::string> key_files;  // JWK Sets, in order
    std::uint16_t jws_option = 65021;
    OptionSet signed_options = OptionSet::default_signed();
    std::uint32_t window = 32;
    std::vector<std::uint16_t> ports;  // empty until parsed: then {5683}
    bool merge = false;
    unsigned jobs = 0;  // 0: one per core
    OutputFormat format = OutputFormat::text;
    bool messages = false;
    std::optional<std::string> output_path;  // nullopt (or "-" given): standard output
    // Findings at or above this severity make the exit status 1; nullopt is
    // "never".
    std::optional<Severity> fail_on = Severity::error;
    // When traffic that could not be analysed makes the exit status 3.
    UnanalysedPolicy unanalysed = UnanalysedPolicy::nothing_analysed;
    // Finding ids left out of the reports and the exit status.
    std::vector<FindingId> ignore;
    std::optional<Shard> shard;
    bool quiet = false;
    std::size_t max_streams = default_max_streams;

    RunPolicy policy() const { return RunPolicy{fail_on, unanalysed}; }
    bool ignores(FindingId id) const;

    bool show_help = false;
    bool show_version = false;
};

// Parses argv[1..] (the program name excluded). Errors are usage errors
// (exit status 2) whose message names the option and the problem.
Result<Options> parse_options(std::span<const std::string_view> args);

std::string help_text();
std::string version_text();

}  // namespace coapjws::scan
