#include "settings.hpp"

#include <limits>
#include <utility>

namespace coapjws::plugin {

ResolvedConfig resolve_session_config(const PluginSettings& settings) {
    ResolvedConfig out;
    SessionConfig& config = out.session;

    if (settings.option_number <= std::numeric_limits<std::uint16_t>::max()) {
        config.jws_option = static_cast<std::uint16_t>(settings.option_number);
    } else {
        out.problems.push_back("option number " + std::to_string(settings.option_number) +
                               " is not 0..65535; using " + std::to_string(option::jws_default));
    }

    if (auto parsed = OptionSet::parse(settings.signed_options)) {
        config.signed_options = std::move(*parsed);
    } else {
        out.problems.push_back("signed options \"" + settings.signed_options + "\": " +
                               parsed.error().message + "; using " + default_signed_options);
    }

    config.window = settings.window;
    if (auto status = config.validate(); !status) {
        out.problems.push_back("window " + std::to_string(settings.window) + ": " +
                               status.error().message + "; using " +
                               std::to_string(default_window));
        config.window = default_window;
    }
    return out;
}

}  // namespace coapjws::plugin
