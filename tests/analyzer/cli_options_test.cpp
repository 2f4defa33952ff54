// Every flag of coapjws-scan, its defaults and its usage errors.
#include "cli_options.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace coapjws::scan {
namespace {

Result<Options> parse(std::initializer_list<std::string_view> args) {
    std::vector<std::string_view> v(args);
    return parse_options(v);
}

std::string error_of(std::initializer_list<std::string_view> args) {
    auto r = parse(args);
    EXPECT_FALSE(r) << "expected a usage error";
    return r ? std::string() : r.error().message;
}

TEST(CliOptions, Defaults) {
    auto o = parse({"x.pcap"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->inputs, std::vector<std::string>{"x.pcap"});
    EXPECT_TRUE(o->key_files.empty());
    EXPECT_EQ(o->jws_option, 65021);
    EXPECT_EQ(o->signed_options, OptionSet::default_signed());
    EXPECT_EQ(o->window, 32u);
    EXPECT_EQ(o->ports, std::vector<std::uint16_t>{5683});
    EXPECT_FALSE(o->merge);
    EXPECT_EQ(o->jobs, std::max(1u, std::thread::hardware_concurrency()));
    EXPECT_EQ(o->format, OutputFormat::text);
    EXPECT_FALSE(o->messages);
    EXPECT_FALSE(o->output_path);
    EXPECT_EQ(o->fail_on, Severity::error);
    EXPECT_FALSE(o->quiet);
    EXPECT_EQ(o->max_streams, 65536u);
}

TEST(CliOptions, EveryFlagLongForm) {
    auto o = parse({"--keys",       "k1.jwks",   "--keys=k2.jwks",
                    "--option",     "65001",     "--signed-options",
                    "11,uri-query", "--window",  "1024",
                    "--port",       "5684",      "--port=5685,5686",
                    "--merge",      "--jobs",    "3",
                    "--format",     "json",      "--messages",
                    "--output",     "out.jsonl", "--fail-on",
                    "warning",      "--quiet",   "--max-streams",
                    "100",          "a.pcap",    "b.pcapng"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->key_files, (std::vector<std::string>{"k1.jwks", "k2.jwks"}));
    EXPECT_EQ(o->jws_option, 65001);
    EXPECT_TRUE(o->signed_options.contains(11));
    EXPECT_TRUE(o->signed_options.contains(15));
    EXPECT_FALSE(o->signed_options.contains(12));
    EXPECT_EQ(o->window, 1024u);
    EXPECT_EQ(o->ports, (std::vector<std::uint16_t>{5684, 5685, 5686}));
    EXPECT_TRUE(o->merge);
    EXPECT_EQ(o->jobs, 3u);
    EXPECT_EQ(o->format, OutputFormat::json);
    EXPECT_TRUE(o->messages);
    EXPECT_EQ(o->output_path, "out.jsonl");
    EXPECT_EQ(o->fail_on, Severity::warning);
    EXPECT_TRUE(o->quiet);
    EXPECT_EQ(o->max_streams, 100u);
    EXPECT_EQ(o->inputs, (std::vector<std::string>{"a.pcap", "b.pcapng"}));
}

TEST(CliOptions, ShortForms) {
    auto o = parse({"-k", "k.jwks", "-p5684", "-j", "2", "-f", "junit", "-o", "r.xml", "-w", "8",
                    "-q", "x.pcap"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->key_files, std::vector<std::string>{"k.jwks"});
    EXPECT_EQ(o->ports, std::vector<std::uint16_t>{5684});
    EXPECT_EQ(o->jobs, 2u);
    EXPECT_EQ(o->format, OutputFormat::junit);
    EXPECT_EQ(o->output_path, "r.xml");
    EXPECT_EQ(o->window, 8u);
    EXPECT_TRUE(o->quiet);
}

TEST(CliOptions, FailOnValues) {
    EXPECT_EQ(parse({"--fail-on", "error", "x"})->fail_on, Severity::error);
    EXPECT_EQ(parse({"--fail-on", "info", "x"})->fail_on, Severity::info);
    EXPECT_FALSE(parse({"--fail-on", "never", "x"})->fail_on.has_value());
    EXPECT_NE(error_of({"--fail-on", "fatal", "x"}).find("--fail-on"), std::string::npos);
}

TEST(CliOptions, StdinAndDoubleDash) {
    auto o = parse({"-", "--", "--weird-name.pcap", "-"});
    // "-" twice is refused even after "--".
    EXPECT_FALSE(o);
    auto p = parse({"--", "--weird-name.pcap", "-q"});
    ASSERT_TRUE(p);
    EXPECT_EQ(p->inputs, (std::vector<std::string>{"--weird-name.pcap", "-q"}));
    EXPECT_FALSE(p->quiet);
    auto s = parse({"-"});
    ASSERT_TRUE(s);
    EXPECT_EQ(s->inputs, std::vector<std::string>{"-"});
}

TEST(CliOptions, HelpAndVersionNeedNoInput) {
    EXPECT_TRUE(parse({"--help"})->show_help);
    EXPECT_TRUE(parse({"-h"})->show_help);
    EXPECT_TRUE(parse({"--version"})->show_version);
    EXPECT_TRUE(parse({"-V"})->show_version);
}

TEST(CliOptions, HelpDocumentsEveryFlagWithAnExample) {
    const std::string help = help_text();
    const std::size_t examples = help.find("Examples:");
    ASSERT_NE(examples, std::string::npos);
    for (std::string_view flag : {"--keys",
                                  "--port",
                                  "--option",
                                  "--signed-options",
                                  "--window",
                                  "--merge",
                                  "--max-streams",
                                  "--format",
                                  "--messages",
                                  "--output",
                                  "--fail-on",
                                  "--quiet",
                                  "--jobs",
                                  "--help",
                                  "--version",
                                  "--shard",
                                  "--ignore",
                                  "--fail-on-unanalysed",
                                  "--allow-unanalysed",
                                  "sarif",
                                  "github",
                                  "130/143"}) {
        EXPECT_NE(help.find(flag), std::string::npos) << flag;
    }
    // The examples use every option that changes the analysis or the output
    // (short or long form).
    const std::string_view used = std::string_view(help).substr(examples);
    for (std::string_view flag : {"--keys",
                                  "--port",
                                  "--option",
                                  "--signed-options",
                                  "--window",
                                  "--merge",
                                  "--max-streams",
                                  "--format",
                                  "--messages",
                                  "--fail-on",
                                  "--quiet",
                                  "-j ",
                                  "-o ",
                                  "-k ",
                                  " -",
                                  "--shard",
                                  "--ignore",
                                  "--fail-on-unanalysed",
                                  "--allow-unanalysed",
                                  "sarif",
                                  "github"}) {
        EXPECT_NE(used.find(flag), std::string::npos) << flag;
    }
    EXPECT_NE(help.find("Exit status"), std::string::npos);
    EXPECT_NE(version_text().find("coapjws-scan "), std::string::npos);
}

TEST(CliOptions, UsageErrorsNameTheOption) {
    EXPECT_NE(error_of({}).find("no capture file"), std::string::npos);
    EXPECT_NE(error_of({"--bogus", "x"}).find("--bogus"), std::string::npos);
    EXPECT_NE(error_of({"-Z", "x"}).find("-Z"), std::string::npos);
    EXPECT_NE(error_of({"x", "--keys"}).find("--keys needs a value"), std::string::npos);
    EXPECT_NE(error_of({"--option", "0", "x"}).find("--option"), std::string::npos);
    EXPECT_NE(error_of({"--option", "65536", "x"}).find("--option"), std::string::npos);
    EXPECT_NE(error_of({"--option", "0x10", "x"}).find("--option"), std::string::npos);
    EXPECT_NE(error_of({"--window", "0", "x"}).find("--window"), std::string::npos);
    EXPECT_NE(error_of({"--window", "65537", "x"}).find("--window"), std::string::npos);
    EXPECT_NE(error_of({"--window", "-1", "x"}).find("--window"), std::string::npos);
    EXPECT_NE(error_of({"--port", "0", "x"}).find("--port"), std::string::npos);
    EXPECT_NE(error_of({"--port", "5683,", "x"}).find("--port"), std::string::npos);
    EXPECT_NE(error_of({"--port", "70000", "x"}).find("--port"), std::string::npos);
    EXPECT_NE(error_of({"--jobs", "0", "x"}).find("--jobs"), std::string::npos);
    EXPECT_NE(error_of({"--format", "xml", "x"}).find("--format"), std::string::npos);
    EXPECT_NE(error_of({"--max-streams", "0", "x"}).find("--max-streams"), std::string::npos);
    EXPECT_NE(error_of({"--signed-options", "bogus-option", "x"}).find("--signed-options"),
              std::string::npos);
    EXPECT_NE(error_of({"--quiet=yes", "x"}).find("takes no value"), std::string::npos);
    EXPECT_NE(error_of({"--messages", "--format", "junit", "x"}).find("--messages"),
              std::string::npos);
    EXPECT_NE(error_of({"-", "-"}).find("standard input"), std::string::npos);
    EXPECT_NE(error_of({"--output=", "x"}).find("--output"), std::string::npos);
}

TEST(CliOptions, ReportAndCiFlags) {
    auto o =
        parse({"--format", "sarif", "--ignore", "replay,stripped", "--ignore=replay", "--ignore",
               "unknown-key", "--fail-on-unanalysed", "--shard", "2/5", "-o", "-", "x"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->format, OutputFormat::sarif);
    EXPECT_EQ(o->ignore, (std::vector<FindingId>{FindingId::replay, FindingId::stripped,
                                                 FindingId::unknown_key}));
    EXPECT_TRUE(o->ignores(FindingId::stripped));
    EXPECT_FALSE(o->ignores(FindingId::bad_signature));
    EXPECT_EQ(o->unanalysed, UnanalysedPolicy::any);
    ASSERT_TRUE(o->shard);
    EXPECT_EQ(o->shard->index, 2u);
    EXPECT_EQ(o->shard->count, 5u);
    EXPECT_FALSE(o->output_path) << "-o - is standard output";
    EXPECT_EQ(parse({"x"})->unanalysed, UnanalysedPolicy::nothing_analysed);
    EXPECT_EQ(parse({"--allow-unanalysed", "x"})->unanalysed, UnanalysedPolicy::allow);
    EXPECT_EQ(parse({"-f", "github", "x"})->format, OutputFormat::github);
}

TEST(CliOptions, ReportAndCiFlagErrors) {
    EXPECT_NE(error_of({"--ignore", "replays", "x"}).find("--ignore"), std::string::npos);
    EXPECT_NE(error_of({"--ignore", "replay,", "x"}).find("--ignore"), std::string::npos);
    for (auto bad : {"0/2", "3/2", "1/0", "1", "a/b", "1/2/3", "-1/2", "1/65537"})
        EXPECT_NE(error_of({"--shard", bad, "x"}).find("--shard"), std::string::npos) << bad;
    EXPECT_NE(error_of({"--fail-on-unanalysed", "--allow-unanalysed", "x"}).find("contradict"),
              std::string::npos);
    EXPECT_NE(error_of({"--messages", "--format", "sarif", "x"}).find("--messages"),
              std::string::npos);
}

TEST(Shard, StableHashAndEveryReceiverInExactlyOneShard) {
    // FNV-1a 64 of 192.0.2.1 and port 5683 (0x16 0x33), computed by hand
    // from the published offset basis and prime: the same in every release.
    const Endpoint e = *Endpoint::parse("192.0.2.1:5683");
    std::uint64_t h = 14695981039346656037ull;
    constexpr std::uint8_t bytes[] = {192, 0, 2, 1, 0x16, 0x33};
    for (std::uint8_t b : bytes) {
        h ^= b;
        h *= 1099511628211ull;
    }
    EXPECT_EQ(stable_endpoint_hash(e), h);
    for (std::uint32_t n : {1u, 2u, 3u, 7u}) {
        int owners = 0;
        for (std::uint32_t k = 1; k <= n; ++k)
            owners += Shard{k, n}.owns(e) ? 1 : 0;
        EXPECT_EQ(owners, 1) << n;
    }
    EXPECT_NE(stable_endpoint_hash(e), stable_endpoint_hash(*Endpoint::parse("192.0.2.1:5684")));
    EXPECT_NE(stable_endpoint_hash(*Endpoint::parse("[2001:db8::1]:5683")),
              stable_endpoint_hash(*Endpoint::parse("[2001:db8::2]:5683")));
}

TEST(CliOptions, EmptySignedOptionsIsTheEmptySet) {
    auto o = parse({"--signed-options", "", "x"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_TRUE(o->signed_options.numbers().empty());
}

}  // namespace
}  // namespace coapjws::scan
