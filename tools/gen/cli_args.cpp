#include "gen/cli_args.hpp"

namespace coapjws::gen {

Result<CliArgs> CliArgs::parse(int argc, char** argv, int first,
                               const std::set<std::string>& options,
                               const std::set<std::string>& flags) {
    CliArgs args;
    bool only_positional = false;
    for (int i = first; i < argc; ++i) {
        std::string arg = argv[i];
        if (only_positional || arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
            if (arg == "--") {
                only_positional = true;
                continue;
            }
            args.positional_.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inline_value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name.resize(eq);
        }
        if (flags.count(name)) {
            if (inline_value)
                return fail(ErrorCode::invalid_argument, "--" + name + " takes no value");
            args.flags_.insert(name);
        } else if (options.count(name)) {
            if (inline_value) {
                args.values_.emplace(name, *inline_value);
            } else if (i + 1 < argc) {
                args.values_.emplace(name, argv[++i]);
            } else {
                return fail(ErrorCode::invalid_argument, "--" + name + " needs a value");
            }
        } else {
            return fail(ErrorCode::invalid_argument, "unknown option --" + name);
        }
    }
    return args;
}

std::optional<std::string> CliArgs::get(const std::string& name) const {
    auto range = values_.equal_range(name);
    if (range.first == range.second)
        return std::nullopt;
    return std::prev(range.second)->second;  // the last one wins
}

std::vector<std::string> CliArgs::all(const std::string& name) const {
    std::vector<std::string> out;
    auto range = values_.equal_range(name);
    for (auto it = range.first; it != range.second; ++it)
        out.push_back(it->second);
    return out;
}

}  // namespace coapjws::gen
