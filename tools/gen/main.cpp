// coapjws-gen: builds sample captures from scenarios, signs single messages
// for real clients, and makes test keys. See pcaps/README.md.
#include <iostream>
#include <string_view>

#include "gen/commands.hpp"

namespace {
constexpr const char* usage =
    "usage: coapjws-gen <command> [options]\n"
    "  build   scenarios -> .pcap and .expected.json (see pcaps/README.md)\n"
    "  sign    print the JWS option value for one message\n"
    "  keygen  print a new private JWK (test keys)\n"
    "Run coapjws-gen <command> --help for the command's options.\n";
}

int main(int argc, char** argv) {
    using namespace coapjws::gen;
    if (argc < 2) {
        std::cerr << usage;
        return exit_usage;
    }
    std::string_view command = argv[1];
    if (command == "build")
        return run_build(argc, argv, 2);
    if (command == "sign")
        return run_sign(argc, argv, 2);
    if (command == "keygen")
        return run_keygen(argc, argv, 2);
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << usage;
        return exit_ok;
    }
    std::cerr << "coapjws-gen: unknown command \"" << command << "\"\n" << usage;
    return exit_usage;
}
