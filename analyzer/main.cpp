// coapjws-scan: checks the CoAP JWS option in pcap/pcapng captures.
#include <cstdio>
#include <string_view>
#include <vector>

#include "cli_options.hpp"
#include "diagnostics.hpp"
#include "exit_status.hpp"
#include "scanner.hpp"

int main(int argc, char** argv) {
    using namespace coapjws::scan;
    std::vector<std::string_view> args(argv + 1, argv + argc);
    auto options = parse_options(args);
    if (!options) {
        Diagnostics().error(options.error().message);
        return exit_error;
    }
    if (options->show_help) {
        std::fputs(help_text().c_str(), stdout);
        return exit_clean;
    }
    if (options->show_version) {
        std::fputs(version_text().c_str(), stdout);
        return exit_clean;
    }
    return run_scan(*options);
}
