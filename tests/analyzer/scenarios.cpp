#include "scenarios.hpp"

namespace coapjws::scan::test {

namespace {
const Host client = host(1);
const Host server = host(2);
constexpr std::uint16_t client_port = 40000;
constexpr std::uint16_t coap_port = 5683;
}  // namespace

Scenario basic_scenario(Family family) {
    const TestKey client_key = hmac_key("client-1");
    const TestKey server_key = es256_key("server-1");
    Scenario s{Traffic(family), jwk_set({&client_key, &server_key}), {}, {}};
    Traffic& t = s.traffic;
    auto at = [](int frame) { return t0 + frame * 10 * ms; };
    auto to_server = [&](int frame, const Bytes& coap) {
        t.udp(at(frame), client, client_port, server, coap_port, coap);
    };

    // 1: request A, client-1 seq 0.
    CoapMessageSpec a = get_request(0x1001, {0x01});
    const std::string a_value = jws_value(a, client_key, request_header(client_key, 0));
    to_server(1, with_jws(a, a_value));
    // 2: TCP (not CoAP over UDP).
    t.tcp(at(2), client, server);
    // 3: the response to A, server-1, isi absent: binds request TID client-1:0.
    const Tid a_tid{"client-1", 0};
    SignOptions bind;
    bind.request_tid = &a_tid;
    t.udp(at(3), server, coap_port, client, client_port,
          signed_coap(content_response(0x1001, {0x01}, "21.5"), server_key,
                      response_header(server_key), bind));
    // 4: UDP between ports that are not CoAP ports.
    t.udp(at(4), client, 40001, server, 9999, as_bytes("hello"));
    // 5: request B, seq 1.
    const Bytes b =
        signed_coap(get_request(0x1002, {0x02}), client_key, request_header(client_key, 1));
    to_server(5, b);
    // 6: A's signature again under a new Message ID: not byte-identical, so
    // not a retransmission; seq 0 was accepted at frame 1 -> replay (§5).
    CoapMessageSpec a_again = a;
    a_again.message_id = 0x1003;
    to_server(6, with_jws(a_again, a_value));
    // 7: seq 2 signed over /sensor/temp but sent for /sensor/door -> bad-signature.
    CoapMessageSpec c = get_request(0x1004, {0x05});
    const std::string c_value = jws_value(c, client_key, request_header(client_key, 2));
    c.options[1].value = Bytes{'d', 'o', 'o', 'r'};
    to_server(7, with_jws(c, c_value));
    // 8, 9: request D, seq 3, in two IP fragments: reassembled, analysed on
    // frame 9, the fragment that completes it (as Wireshark shows it).
    const Bytes d =
        signed_coap(get_request(0x1005, {0x04}), client_key, request_header(client_key, 3));
    t.fragmented_udp(at(8), client, client_port, server, coap_port, d);
    // 10: B byte for byte from the same endpoint within 247 s -> retransmission of 5.
    to_server(10, b);
    // 11: a request without JWS from the client's address to the server it
    // sent signed requests to -> stripped.
    to_server(11, plain_coap(get_request(0x1006, {0x07})));

    Expected& k = s.with_keys;
    k.packets = 11;
    k.coap_messages = 8;  // frames 1 3 5 6 7 9 10 11
    k.jws_messages = 7;
    k.fragments = 2;
    k.findings = {
        {6, {"replay"}}, {7, {"bad-signature"}}, {10, {"retransmission"}}, {11, {"stripped"}}};
    // stripped names the latest earlier request from that address to that
    // server whose JWS was valid or unverified: 9 (10 is a retransmission).
    k.related = {{6, 1}, {10, 5}, {11, 9}};
    k.signatures = {{1, "valid"},   {3, "valid"}, {5, "valid"},  {6, "valid"},
                    {7, "invalid"}, {9, "valid"}, {10, "valid"}, {11, "none"}};

    // Without keys every signed message is unverified, without unknown-key
    // (§6: that finding needs at least one configured key); the window
    // still works (§5: it needs no keys), so 6 is a replay; 7 cannot be
    // found out; a retransmission keeps the verdicts of its bytes.
    Expected& n = s.without_keys;
    n.packets = 11;
    n.coap_messages = 8;
    n.jws_messages = 7;
    n.fragments = 2;
    n.findings = {{6, {"replay"}}, {10, {"retransmission"}}, {11, {"stripped"}}};
    n.related = {{6, 1}, {10, 5}, {11, 9}};
    n.signatures = {{1, "unverified"}, {3, "unverified"}, {5, "unverified"},  {6, "unverified"},
                    {7, "unverified"}, {9, "unverified"}, {10, "unverified"}, {11, "none"}};
    return s;
}

BulkScenario bulk_scenario(std::uint32_t count, Family family, bool hmac) {
    const TestKey ec = hmac ? hmac_key("ec-client") : es256_key("ec-client");
    const TestKey ed = hmac ? hmac_key("ed-client") : ed25519_key("ed-client");
    const TestKey srv = hmac ? hmac_key("server") : es256_key("server");
    BulkScenario s{Traffic(family), jwk_set({&ec, &ed, &srv}), 0, 0};
    const Host server_host = host(2);
    std::int64_t now = t0;
    std::uint32_t seq[2] = {0, 0};
    for (std::uint32_t i = 0; i < count; ++i) {
        const int who = static_cast<int>(i % 2);
        const TestKey& key = who == 0 ? ec : ed;
        const Host client_host = host(static_cast<std::uint8_t>(10 + who));
        const std::uint16_t mid = static_cast<std::uint16_t>(i);
        Bytes token = {static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
        CoapMessageSpec request = get_request(mid, token);
        const std::uint32_t my_seq = seq[who]++;
        const std::string value = jws_value(request, key, request_header(key, my_seq));
        s.traffic.udp(now += ms, client_host, 40000, server_host, coap_port,
                      with_jws(request, value));
        const Tid tid{key.kid, my_seq};
        SignOptions bind;
        bind.request_tid = &tid;
        s.traffic.udp(now += ms, server_host, coap_port, client_host, 40000,
                      signed_coap(content_response(mid, token, "v" + std::to_string(i)), srv,
                                  response_header(srv), bind));
        s.messages += 2;
        if (i % 50 == 49) {
            // Same signature, new Message ID: a replay, not a retransmission.
            request.message_id = static_cast<std::uint16_t>(mid + 30000);
            s.traffic.udp(now += ms, client_host, 40000, server_host, coap_port,
                          with_jws(request, value));
            ++s.replays;
            ++s.messages;
        }
    }
    return s;
}

}  // namespace coapjws::scan::test
