// Minimal command-line parsing for the subcommands: "--name value" options
// (repeatable), "--flag" switches and positional arguments, each checked
// against what the subcommand accepts.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "coapjws/result.hpp"

namespace coapjws::gen {

class CliArgs {
  public:
    // `options` take a value, `flags` do not. "--name=value" is accepted too.
    static Result<CliArgs> parse(int argc, char** argv, int first,
                                 const std::set<std::string>& options,
                                 const std::set<std::string>& flags);

    std::optional<std::string> get(const std::string& name) const;
    std::vector<std::string> all(const std::string& name) const;
    bool flag(const std::string& name) const { return flags_.count(name) != 0; }
    const std::vector<std::string>& positional() const { return positional_; }

  private:
    std::multimap<std::string, std::string> values_;
    std::set<std::string> flags_;
    std::vector<std::string> positional_;
};

}  // namespace coapjws::gen
