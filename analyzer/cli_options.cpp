#include "cli_options.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

#include "coapjws/session.hpp"

#ifndef COAPJWS_VERSION
#define COAPJWS_VERSION "unknown"
#endif

namespace coapjws::scan {

std::string_view to_string(OutputFormat format) {
    switch (format) {
        case OutputFormat::text:
            return "text";
        case OutputFormat::json:
            return "json";
        case OutputFormat::junit:
            return "junit";
        case OutputFormat::sarif:
            return "sarif";
        case OutputFormat::github:
            return "github";
    }
    return "text";
}

bool Options::ignores(FindingId id) const {
    return std::find(ignore.begin(), ignore.end(), id) != ignore.end();
}

namespace {

// Whole-string unsigned decimal in [min, max]; no sign, no spaces, no hex.
template <typename T>
std::optional<T> parse_number(std::string_view text, T min, T max) {
    if (text.empty() || text.front() < '0' || text.front() > '9')
        return std::nullopt;
    unsigned long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    if (value < min || value > max)
        return std::nullopt;
    return static_cast<T>(value);
}

// "5683", "5683,5684" (repeatable flag; commas allowed for convenience).
Status add_ports(std::string_view list, std::vector<std::uint16_t>& ports) {
    while (true) {
        std::size_t comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        auto port = parse_number<std::uint16_t>(item, 1, 65535);
        if (!port)
            return fail(ErrorCode::invalid_argument,
                        "--port: \"" + std::string(item) + "\" is not a port number 1..65535");
        if (std::find(ports.begin(), ports.end(), *port) == ports.end())
            ports.push_back(*port);
        if (comma == std::string_view::npos)
            return {};
        list.remove_prefix(comma + 1);
    }
}

// "replay,stripped" (repeatable flag; commas allowed).
Status add_ignored(std::string_view list, std::vector<FindingId>& ids) {
    while (true) {
        std::size_t comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        auto id = finding_from_name(item);
        if (!id) {
            std::string known;
            for (FindingId f : all_findings)
                known += (known.empty() ? "" : ", ") + std::string(finding_name(f));
            return fail(ErrorCode::invalid_argument, "--ignore: \"" + std::string(item) +
                                                         "\" is not a finding id (" + known + ")");
        }
        if (std::find(ids.begin(), ids.end(), *id) == ids.end())
            ids.push_back(*id);
        if (comma == std::string_view::npos)
            return {};
        list.remove_prefix(comma + 1);
    }
}

// The long options that take a value. Short forms map to these.
constexpr std::string_view valued_options[] = {
    "--keys",   "--option", "--signed-options", "--window", "--port",  "--jobs",
    "--format", "--output", "--fail-on",        "--ignore", "--shard", "--max-streams",
};

bool takes_value(std::string_view name) {
    return std::find(std::begin(valued_options), std::end(valued_options), name) !=
           std::end(valued_options);
}

Status apply(Options& o, std::string_view name, std::string_view value) {
    if (name == "--keys") {
        if (value.empty())
            return fail(ErrorCode::invalid_argument, "--keys: empty file name");
        o.key_files.emplace_back(value);
    } else if (name == "--option") {
        auto n = parse_number<std::uint16_t>(value, 1, 65535);
        if (!n)
            return fail(ErrorCode::invalid_argument, "--option: \"" + std::string(value) +
                                                         "\" is not an option number 1..65535");
        o.jws_option = *n;
    } else if (name == "--signed-options") {
        auto set = OptionSet::parse(value);
        if (!set)
            return fail(ErrorCode::invalid_argument, "--signed-options: " + set.error().message);
        o.signed_options = std::move(*set);
    } else if (name == "--window") {
        auto n = parse_number<std::uint32_t>(value, 1, SessionConfig::max_window);
        if (!n) {
            return fail(ErrorCode::invalid_argument, "--window: \"" + std::string(value) +
                                                         "\" is not a window size 1.." +
                                                         std::to_string(SessionConfig::max_window));
        }
        o.window = *n;
    } else if (name == "--port") {
        if (auto s = add_ports(value, o.ports); !s)
            return s;
    } else if (name == "--jobs") {
        auto n = parse_number<unsigned>(value, 1, 1024);
        if (!n)
            return fail(ErrorCode::invalid_argument,
                        "--jobs: \"" + std::string(value) + "\" is not a thread count 1..1024");
        o.jobs = *n;
    } else if (name == "--format") {
        if (value == "text") {
            o.format = OutputFormat::text;
        } else if (value == "json") {
            o.format = OutputFormat::json;
        } else if (value == "junit") {
            o.format = OutputFormat::junit;
        } else if (value == "sarif") {
            o.format = OutputFormat::sarif;
        } else if (value == "github") {
            o.format = OutputFormat::github;
        } else {
            return fail(ErrorCode::invalid_argument,
                        "--format: \"" + std::string(value) +
                            "\" is not text, json, junit, sarif or github");
        }
    } else if (name == "--output") {
        if (value.empty())
            return fail(ErrorCode::invalid_argument, "--output: empty file name");
        if (value == "-") {
            o.output_path.reset();  // standard output, as without -o
        } else {
            o.output_path = std::string(value);
        }
    } else if (name == "--ignore") {
        if (auto s = add_ignored(value, o.ignore); !s)
            return s;
    } else if (name == "--shard") {
        auto shard = Shard::parse(value);
        if (!shard)
            return shard.error();
        o.shard = *shard;
    } else if (name == "--fail-on") {
        if (value == "never") {
            o.fail_on.reset();
        } else if (auto s = severity_from_name(value)) {
            o.fail_on = *s;
        } else {
            return fail(ErrorCode::invalid_argument, "--fail-on: \"" + std::string(value) +
                                                         "\" is not error, warning, info or never");
        }
    } else if (name == "--max-streams") {
        auto n = parse_number<std::size_t>(value, 1, std::size_t{1} << 24);
        if (!n)
            return fail(ErrorCode::invalid_argument,
                        "--max-streams: \"" + std::string(value) + "\" is not a count 1..16777216");
        o.max_streams = *n;
    }
    return {};
}

std::string_view long_name_of_short(char c) {
    switch (c) {
        case 'k':
            return "--keys";
        case 'p':
            return "--port";
        case 'j':
            return "--jobs";
        case 'f':
            return "--format";
        case 'o':
            return "--output";
        case 'w':
            return "--window";
        default:
            return {};
    }
}

}  // namespace

Result<Options> parse_options(std::span<const std::string_view> args) {
    Options o;
    bool only_inputs = false;
    bool fail_seen = false, allow_seen = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (only_inputs || arg == "-" || arg.empty() || arg.front() != '-') {
            if (arg.empty())
                return fail(ErrorCode::invalid_argument,
                            "an empty argument is not a capture file name");
            o.inputs.emplace_back(arg);
            continue;
        }
        if (arg == "--") {
            only_inputs = true;
            continue;
        }

        std::string_view name;
        std::optional<std::string_view> value;
        if (arg.starts_with("--")) {
            std::size_t eq = arg.find('=');
            name = arg.substr(0, eq);
            if (eq != std::string_view::npos)
                value = arg.substr(eq + 1);
        } else {
            // Short options: -q, -h, -V alone; -j4 / -j 4 style for valued ones.
            char c = arg[1];
            if (arg.size() == 2 && (c == 'h' || c == 'q' || c == 'V')) {
                name = c == 'h' ? "--help" : c == 'q' ? "--quiet" : "--version";
            } else if (auto long_name = long_name_of_short(c); !long_name.empty()) {
                name = long_name;
                if (arg.size() > 2)
                    value = arg.substr(2);
            } else {
                return fail(ErrorCode::invalid_argument,
                            "unknown option " + std::string(arg) + " (see --help)");
            }
        }

        if (takes_value(name)) {
            if (!value) {
                if (i + 1 >= args.size())
                    return fail(ErrorCode::invalid_argument,
                                std::string(name) + " needs a value (see --help)");
                value = args[++i];
            }
            if (auto s = apply(o, name, *value); !s)
                return s.error();
            continue;
        }
        if (value)
            return fail(ErrorCode::invalid_argument, std::string(name) + " takes no value");
        if (name == "--help") {
            o.show_help = true;
        } else if (name == "--version") {
            o.show_version = true;
        } else if (name == "--quiet") {
            o.quiet = true;
        } else if (name == "--merge") {
            o.merge = true;
        } else if (name == "--messages") {
            o.messages = true;
        } else if (name == "--fail-on-unanalysed") {
            if (allow_seen)
                return fail(ErrorCode::invalid_argument,
                            "--fail-on-unanalysed and --allow-unanalysed contradict each other");
            o.unanalysed = UnanalysedPolicy::any;
            fail_seen = true;
        } else if (name == "--allow-unanalysed") {
            if (fail_seen)
                return fail(ErrorCode::invalid_argument,
                            "--fail-on-unanalysed and --allow-unanalysed contradict each other");
            o.unanalysed = UnanalysedPolicy::allow;
            allow_seen = true;
        } else {
            return fail(ErrorCode::invalid_argument,
                        "unknown option " + std::string(name) + " (see --help)");
        }
    }

    if (o.show_help || o.show_version)
        return o;
    if (o.inputs.empty())
        return fail(ErrorCode::invalid_argument, "no capture file given (see --help)");
    if (std::count(o.inputs.begin(), o.inputs.end(), "-") > 1) {
        return fail(ErrorCode::invalid_argument, "standard input (-) can be read only once");
    }
    if (o.messages && o.format != OutputFormat::text && o.format != OutputFormat::json) {
        return fail(ErrorCode::invalid_argument, "--messages needs --format text or json");
    }
    if (o.ports.empty())
        o.ports.push_back(default_coap_port);
    if (o.jobs == 0)
        o.jobs = std::max(1u, std::thread::hardware_concurrency());
    return o;
}

std::string help_text() {
    return R"(Usage: coapjws-scan [OPTIONS] CAPTURE...

Checks the CoAP JWS option (signatures, replay windows, stripped and
unprotected messages) in pcap and pcapng captures. CAPTURE is a file or "-"
for standard input (analysed as a stream: each finding is printed as soon as
its packet is read).

Input:
  -k, --keys FILE          JWK Set ({"keys":[...]}) with the verification keys;
                           repeatable. Without keys, signed messages are
                           "unverified" (finding unknown-key).
  -p, --port N[,N...]      UDP or TCP port carrying CoAP (source or
                           destination); repeatable. Default 5683. DTLS and
                           TLS on 5684 are counted as not analysed anyway.
      --option N           number of the JWS option. Default 65021.
      --signed-options L   comma-separated option numbers or names that are
                           signed. Default 1,4,5,8,11,12,15,17,20.
  -w, --window N           replay window size, 1..65536. Default 32.
      --merge              treat all captures as one, merged in timestamp
                           order (frames numbered over the merged stream).
      --max-streams N      remember at most N replay windows and stream rows
                           (least recently used forgotten, counted as
                           evictions; a warning says when that can hide a
                           replay). Default 65536.
      --shard K/N          report only the streams whose receiver hashes to
                           shard K of N (1 <= K <= N); N runs with K = 1..N
                           together report what one run does.

Output:
  -f, --format F           text (default), json (JSON Lines), junit (XML),
                           sarif (SARIF 2.1.0) or github (GitHub Actions
                           workflow annotations).
      --messages           also one line per CoAP message (text and json).
  -o, --output FILE        write the report to FILE ("-": standard output);
                           written to a temporary file and renamed when
                           complete. Never one of the inputs or keys files.
      --fail-on S          exit with 1 when a finding at or above S exists:
                           error (default), warning, info or never. Also the
                           threshold for JUnit failures.
      --ignore ID[,ID...]  leave these finding ids out of the reports and the
                           exit status; repeatable.
      --fail-on-unanalysed exit with 3 when any traffic could not be analysed
                           (IP fragments, snapped packets, DTLS, ...).
      --allow-unanalysed   never exit with 3 for unanalysed traffic (it is
                           still reported as a warning).
  -q, --quiet              no progress bar.

Performance:
  -j, --jobs N             threads (default: one per core). Several files are
                           analysed in parallel; signatures of one file are
                           verified in parallel. Output order is always the
                           order of the arguments.

  -h, --help               this text.
  -V, --version            the version.

Exit status: 0 nothing that fails the run; 1 findings at or above --fail-on;
2 usage error, unreadable input (bad capture or keys file) or output that
cannot be written; 3 traffic that could not be analysed fails the run (by
default: a capture with possible CoAP traffic of which not one message was
analysed; with --fail-on-unanalysed: any). 2 beats 3, 3 beats 1.
SIGINT/SIGTERM: the current capture stops, reports are finished, and the
exit status is 130/143.

Examples:
  coapjws-scan capture.pcapng
  coapjws-scan --keys keys.jwks --port 5683 --port 5684 a.pcap b.pcapng
  coapjws-scan -k keys.jwks --option 65001 --signed-options 11,15,uri-host x.pcap
  coapjws-scan -k keys.jwks --window 64 --max-streams 10000 big.pcap
  coapjws-scan -k keys.jwks --format json --messages -o report.jsonl x.pcap
  coapjws-scan -k keys.jwks --format junit --fail-on warning -o junit.xml *.pcap
  coapjws-scan -k keys.jwks --format sarif -o coapjws.sarif --fail-on-unanalysed *.pcap
  coapjws-scan -k keys.jwks --format github --ignore retransmission *.pcap
  coapjws-scan -k keys.jwks --shard 2/4 --format json -o shard-2.jsonl *.pcap
  coapjws-scan --merge -j 4 --quiet --allow-unanalysed left.pcap right.pcap
  tcpdump -i eth0 -U -w - udp port 5683 | coapjws-scan -k keys.jwks -
)";
}

std::string version_text() {
    return "coapjws-scan " COAPJWS_VERSION "\n";
}

}  // namespace coapjws::scan
