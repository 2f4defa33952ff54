// Writes test captures for the quick start and for measuring speed:
//   analyzer_sample DIR            DIR/sample.pcapng + DIR/sample.jwks: the
//                                  basic test conversation (signed request
//                                  and response, a replay, a tampered request,
//                                  a fragmented request, a retransmission, a
//                                  stripped request)
//   analyzer_sample --bulk N DIR   DIR/bulk.pcap + DIR/bulk.jwks: N signed
//                                  request/response pairs (ES256 and EdDSA)
//   analyzer_sample --bulk-hmac N DIR   the same with HS256 keys
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "scenarios.hpp"

int main(int argc, char** argv) {
    using namespace coapjws::scan::test;
    try {
        if (argc == 2) {
            const std::string dir = argv[1];
            Scenario s = basic_scenario(Family::v4);
            write_file(dir + "/sample.pcapng",
                       s.traffic.capture(CaptureFormat::pcapng, Link::ethernet));
            write_file(dir + "/sample.jwks", std::string_view(s.keys_json));
            return 0;
        }
        if (argc == 4 &&
            (std::string(argv[1]) == "--bulk" || std::string(argv[1]) == "--bulk-hmac")) {
            const bool hmac = std::string(argv[1]) == "--bulk-hmac";
            const auto count = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));
            const std::string dir = argv[3];
            BulkScenario s = bulk_scenario(count, Family::v4, hmac);
            write_file(dir + "/bulk.pcap",
                       s.traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
            write_file(dir + "/bulk.jwks", std::string_view(s.keys_json));
            return 0;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "analyzer_sample: %s\n", e.what());
        return 2;
    }
    std::fprintf(stderr, "usage: analyzer_sample DIR | analyzer_sample --bulk[-hmac] N DIR\n");
    return 2;
}
