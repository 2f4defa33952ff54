// Messages and keys for the benchmarks: a realistic signed GET and 2.05, built
// and signed the way a sender following the profile would.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coapjws/coap_message.hpp"
#include "coapjws/jws_crypto.hpp"
#include "coapjws/key.hpp"
#include "coapjws/key_store.hpp"
#include "coapjws/session.hpp"
#include "coapjws/signed_content.hpp"

namespace coapjws::bench {

inline Bytes bytes_of(std::string_view text) {
    return Bytes(text.begin(), text.end());
}

// CON GET coap://sensor.example/sensors/temp?unit=C with a 4-byte token.
inline CoapMessageSpec get_spec(std::uint16_t mid) {
    CoapMessageSpec spec;
    spec.code = 0x01;
    spec.message_id = mid;
    spec.token = {0x5a, 0x17, static_cast<std::uint8_t>(mid >> 8), static_cast<std::uint8_t>(mid)};
    spec.options.push_back({option::uri_host, bytes_of("sensor.example")});
    spec.options.push_back({option::uri_path, bytes_of("sensors")});
    spec.options.push_back({option::uri_path, bytes_of("temp")});
    spec.options.push_back({option::uri_query, bytes_of("unit=C")});
    return spec;
}

inline std::string request_header(std::string_view alg, std::string_view kid, std::uint32_t seq) {
    return "{\"alg\":\"" + std::string(alg) + "\",\"kid\":\"" + std::string(kid) +
           "\",\"seq\":" + std::to_string(seq) + "}";
}

// The JWS option value for `spec` under `header`, signed with `key`.
inline std::string jws_value(const CoapMessageSpec& spec, const std::string& header, const Key& key,
                             Algorithm alg) {
    const OptionSet signed_options = OptionSet::default_signed();
    Bytes content;
    build_signed_content(spec.code, spec.options, spec.payload,
                         SignedContentConfig{signed_options, option::jws_default}, nullptr,
                         content);
    Result<std::string> value = sign_jws_option(header, content, alg, key);
    return value ? *value : std::string{};
}

// A signed GET (request) with that seq.
inline Bytes signed_get(std::uint16_t mid, std::uint32_t seq, const Key& key, Algorithm alg,
                        std::string_view kid = "client-1") {
    CoapMessageSpec spec = get_spec(mid);
    std::string value = jws_value(spec, request_header(algorithm_name(alg), kid, seq), key, alg);
    spec.options.push_back({option::jws_default, bytes_of(value)});
    Result<Bytes> encoded = encode_coap(spec);
    return encoded ? *encoded : Bytes{};
}

// `longer`: with one more Uri-Query option (12 bytes more).
inline Bytes unsigned_get(std::uint16_t mid, bool longer = false) {
    CoapMessageSpec spec = get_spec(mid);
    if (longer)
        spec.options.push_back({option::uri_query, bytes_of("precision=2")});
    Result<Bytes> encoded = encode_coap(spec);
    return encoded ? *encoded : Bytes{};
}

inline Key make_key(KeyType type, Curve curve, unsigned bits = 0,
                    std::string_view kid = "client-1") {
    Result<Key> key = Key::generate(type, curve, bits);
    Key k = key ? std::move(key).value() : Key{};
    k.set_kid(std::string(kid));
    return k;
}

// One client's requests to one server, 1 ms apart, for the per-message
// benchmarks (instructions.cpp, allocations.cpp). Each pass over the 4096
// messages uses new ports, so nothing is a retransmission or a replay, except
// in `replays`. Kinds: unsigned, unsigned_sizes (every other one longer, as
// requests and responses differ), signed_no_keys, hs256_keys (signed with
// `key`), replays (signed, every seq 0).
struct SessionTraffic {
    std::vector<Bytes> messages;
    std::uint32_t frame = 0;
    std::int64_t now = 1'700'000'000LL * nanoseconds_per_second;
    std::size_t i = 0;
    Endpoint from = *Endpoint::parse("192.0.2.1:40000");
    Endpoint to = *Endpoint::parse("192.0.2.2:5683");

    static SessionTraffic of_kind(std::string_view kind, const Key& key) {
        SessionTraffic traffic;
        for (std::size_t i = 0; i < 4096; ++i) {
            const auto mid = static_cast<std::uint16_t>(i);
            const std::uint32_t seq = kind == "replays" ? 0 : static_cast<std::uint32_t>(i);
            if (kind == "unsigned" || kind == "unsigned_sizes")
                traffic.messages.push_back(
                    unsigned_get(mid, kind == "unsigned_sizes" && i % 2 == 1));
            else
                traffic.messages.push_back(signed_get(mid, seq, key, Algorithm::HS256));
        }
        return traffic;
    }
    Packet packet() { return Packet{++frame, now, from, to, messages[i]}; }
    void next() {
        now += 1'000'000;
        if (++i == messages.size()) {
            i = 0;
            from.port = static_cast<std::uint16_t>(from.port + 1);
            to.port = static_cast<std::uint16_t>(to.port + 1);
        }
    }
};

// A session with default settings for traffic of `kind`: with `key` in its
// key store for hs256_keys, without keys otherwise; nothing if it cannot be
// made.
inline std::optional<Session> session_for_kind(std::string_view kind, Key key) {
    std::shared_ptr<KeyStore> keys;
    if (kind == "hs256_keys") {
        keys = std::make_shared<KeyStore>();
        keys->add(std::move(key));
    }
    Result<Session> created = Session::create(SessionConfig{}, keys);
    if (!created)
        return std::nullopt;
    return std::move(created).value();
}

}  // namespace coapjws::bench
