// `coapjws-gen build`: scenarios in, <name>.pcap (or .pcapng), its compressed
// copies and <name>.expected.json out.
//
// Captures signed with ECDSA or RSA-PSS differ on every run (OpenSSL 3.0 has no
// deterministic ECDSA, PSS salts are random). Their committed pcap is kept
// while the scenario and key file are unchanged (same source digest), so
// rebuilding does not churn them; --force rebuilds them anyway. --check
// compares instead of writing: deterministic captures byte for byte, every
// manifest, and every compressed copy by what it decompresses to (compressor
// versions may differ in their bytes, not in their content).
#include <filesystem>
#include <iostream>

#include "coapjws/key_loader.hpp"
#include "gen/capture_builder.hpp"
#include "gen/cli_args.hpp"
#include "gen/commands.hpp"
#include "gen/compression.hpp"
#include "gen/json_util.hpp"

namespace coapjws::gen {

namespace {
namespace fs = std::filesystem;

constexpr const char* build_usage =
    "usage: coapjws-gen build --keys FILE [--out DIR] [--force | --check] SCENARIO.json...\n"
    "  Writes DIR/<name>.pcap (or .pcapng), its compressed copies and\n"
    "  DIR/<name>.expected.json for each scenario (DIR defaults to the current directory).\n";

std::optional<std::string> existing_digest(const std::string& manifest_path) {
    auto text = read_file(manifest_path);
    if (!text)
        return std::nullopt;
    auto doc = parse_json(*text, manifest_path);
    if (!doc)
        return std::nullopt;
    auto digest = optional_string(*doc, "source_digest", manifest_path);
    if (!digest || !digest->has_value())
        return std::nullopt;
    return **digest;
}

enum class Outcome { same, written, kept, different, error };

Outcome build_one(const std::string& scenario_path, const KeyStore& keys,
                  const std::string& keys_text, const fs::path& keys_path, const fs::path& out_dir,
                  bool force, bool check) {
    auto scenario_text = read_file(scenario_path);
    if (!scenario_text) {
        std::cerr << "coapjws-gen: " << scenario_text.error().message << "\n";
        return Outcome::error;
    }
    auto scenario = parse_scenario(*scenario_text, fs::path(scenario_path).stem().string());
    if (!scenario) {
        std::cerr << "coapjws-gen: " << scenario.error().message << "\n";
        return Outcome::error;
    }
    const fs::path abs_out = fs::absolute(out_dir);
    CaptureInputs inputs{*scenario, keys,
                         fs::relative(fs::absolute(keys_path), abs_out).generic_string(),
                         fs::relative(fs::absolute(scenario_path), abs_out).generic_string(),
                         source_digest(*scenario_text, keys_text)};
    auto capture = build_capture(inputs);
    if (!capture) {
        std::cerr << "coapjws-gen: " << capture.error().message << "\n";
        return Outcome::error;
    }
    const std::string pcap_path = (out_dir / capture->manifest.capture).string();
    const std::string manifest_path = (out_dir / (scenario->name + ".expected.json")).string();
    const std::string manifest_text = write_manifest(capture->manifest);
    const std::string_view pcap_text(reinterpret_cast<const char*>(capture->capture.data()),
                                     capture->capture.size());
    auto copy_path = [&](Codec codec) { return pcap_path + std::string(file_extension(codec)); };

    if (check) {
        bool same = true;
        auto old_manifest = read_file(manifest_path);
        if (!old_manifest || *old_manifest != manifest_text) {
            std::cerr << "coapjws-gen: " << manifest_path << " differs from its scenario\n";
            same = false;
        }
        auto old_pcap = read_file(pcap_path);
        if (!old_pcap) {
            std::cerr << "coapjws-gen: " << pcap_path << " is missing\n";
            same = false;
        } else if (capture->manifest.deterministic && *old_pcap != pcap_text) {
            std::cerr << "coapjws-gen: " << pcap_path << " differs from its scenario\n";
            same = false;
        }
        for (Codec codec : capture->copies) {
            auto old_copy = read_file(copy_path(codec));
            Result<Bytes> content =
                old_copy ? decompress(as_bytes(*old_copy), codec) : fail(ErrorCode::io, "missing");
            if (!old_copy || !content || !old_pcap || as_text(*content) != *old_pcap) {
                std::cerr << "coapjws-gen: " << copy_path(codec)
                          << " is missing or does not hold the capture\n";
                same = false;
            }
        }
        return same ? Outcome::same : Outcome::different;
    }

    bool keep_pcap = !force && !capture->manifest.deterministic && fs::exists(pcap_path) &&
                     existing_digest(manifest_path) == capture->manifest.source_digest;
    if (!keep_pcap) {
        if (auto status = write_file(pcap_path, pcap_text); !status) {
            std::cerr << "coapjws-gen: " << status.error().message << "\n";
            return Outcome::error;
        }
    }
    // The copies hold whatever capture is on disk (a kept one included).
    auto on_disk = read_file(pcap_path);
    if (!on_disk) {
        std::cerr << "coapjws-gen: " << on_disk.error().message << "\n";
        return Outcome::error;
    }
    for (Codec codec : capture->copies) {
        auto packed = compress(as_bytes(*on_disk), codec);
        if (!packed) {
            std::cerr << "coapjws-gen: " << packed.error().message << "\n";
            return Outcome::error;
        }
        if (auto status = write_file(copy_path(codec), as_text(*packed)); !status) {
            std::cerr << "coapjws-gen: " << status.error().message << "\n";
            return Outcome::error;
        }
    }
    if (auto status = write_file(manifest_path, manifest_text); !status) {
        std::cerr << "coapjws-gen: " << status.error().message << "\n";
        return Outcome::error;
    }
    std::cout << (keep_pcap ? "kept  " : "wrote ") << pcap_path << " ("
              << capture->manifest.frame_count << " frames"
              << (capture->manifest.deterministic ? "" : ", not deterministic") << ")\n";
    return keep_pcap ? Outcome::kept : Outcome::written;
}
}  // namespace

int run_build(int argc, char** argv, int first) {
    auto args = CliArgs::parse(argc, argv, first, {"keys", "out"}, {"force", "check", "help"});
    if (!args) {
        std::cerr << "coapjws-gen build: " << args.error().message << "\n" << build_usage;
        return exit_usage;
    }
    if (args->flag("help")) {
        std::cout << build_usage;
        return exit_ok;
    }
    auto keys_path = args->get("keys");
    if (!keys_path || args->positional().empty() || (args->flag("force") && args->flag("check"))) {
        std::cerr << build_usage;
        return exit_usage;
    }
    auto keys_text = read_file(*keys_path);
    if (!keys_text) {
        std::cerr << "coapjws-gen: " << keys_text.error().message << "\n";
        return exit_usage;
    }
    auto keys = parse_jwks(*keys_text, *keys_path);
    if (!keys) {
        std::cerr << "coapjws-gen: " << keys.error().message << "\n";
        return exit_usage;
    }
    const fs::path out_dir = args->get("out").value_or(".");

    int result = exit_ok;
    for (const auto& scenario : args->positional()) {
        switch (build_one(scenario, *keys, *keys_text, *keys_path, out_dir, args->flag("force"),
                          args->flag("check"))) {
            case Outcome::error:
                return exit_usage;
            case Outcome::different:
                result = exit_different;
                break;
            default:
                break;
        }
    }
    return result;
}

}  // namespace coapjws::gen
