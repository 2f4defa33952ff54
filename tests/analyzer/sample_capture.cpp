// Writes the analyzer's sample capture (the basic test conversation: signed
// request and response, a replay, a tampered request, fragments, a
// retransmission, a stripped request) and its JWK Set.
#include <cstdio>
#include <exception>
#include <string>

#include "scenarios.hpp"

int main(int argc, char** argv) {
    using namespace coapjws::scan::test;
    if (argc != 2) {
        std::fprintf(stderr, "usage: analyzer_sample DIR\n");
        return 2;
    }
    try {
        const std::string dir = argv[1];
        Scenario s = basic_scenario(Family::v4);
        write_file(dir + "/sample.pcapng",
                   s.traffic.capture(CaptureFormat::pcapng, Link::ethernet));
        write_file(dir + "/sample.jwks", std::string_view(s.keys_json));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "analyzer_sample: %s\n", e.what());
        return 2;
    }
    return 0;
}
