// Test conversations and what the wire profile says the analyzer must find
// in them. Each expectation follows from how the traffic is built (the
// comments give the rule of spec §5/§6 that applies), never from running
// the analyzer.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "coap_traffic.hpp"
#include "scan_json.hpp"
#include "test_traffic.hpp"

namespace coapjws::scan::test {

inline constexpr std::int64_t t0 = 1'700'000'000'000'000'000;  // 2023-11-14T22:13:20Z
inline constexpr std::int64_t ms = 1'000'000;

struct Expected {
    std::map<std::uint32_t, FindingSet> findings;
    std::map<std::uint32_t, std::uint32_t> related;
    std::map<std::uint32_t, std::string> signatures;  // CoAP frames only
    std::uint64_t packets = 0, coap_messages = 0, jws_messages = 0, fragments = 0;
};

struct Scenario {
    Traffic traffic;
    std::string keys_json;  // JWK Set with every key used
    Expected with_keys;
    Expected without_keys;
};

// Client 192.0.2.1 / 2001:db8::1 port 40000 talks to server .2 port 5683:
// signed request, signed response, TCP and other-port noise, a replay, a
// tampered request, two IP fragments, a retransmission and a stripped
// request (11 packets).
Scenario basic_scenario(Family family);

// `count` signed requests from each of `clients` clients (ES256 and EdDSA
// keys alternate), each answered by a signed response binding the request
// TID; every 50th request is replayed. For the parallel tests.
struct BulkScenario {
    Traffic traffic;
    std::string keys_json;
    std::uint64_t replays = 0;
    std::uint64_t messages = 0;
};
// With `hmac`, all three keys are HS256 instead (cheap verification).
BulkScenario bulk_scenario(std::uint32_t count, Family family = Family::v4, bool hmac = false);

}  // namespace coapjws::scan::test
