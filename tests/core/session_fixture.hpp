// Scenario helpers for the Session tests: build CoAP messages, sign them as a
// sender following the profile would, and feed them to a Session with frame
// numbers and a clock, so each test reads as a short exchange on the wire.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coapjws/coap_message.hpp"
#include "coapjws/jws_crypto.hpp"
#include "coapjws/jws_parts.hpp"
#include "coapjws/key.hpp"
#include "coapjws/key_store.hpp"
#include "coapjws/session.hpp"
#include "coapjws/signed_content.hpp"

namespace coapjws::test {

inline constexpr std::int64_t seconds = nanoseconds_per_second;

inline Endpoint ep(std::string_view text) {
    std::optional<Endpoint> e = Endpoint::parse(text);
    EXPECT_TRUE(e.has_value()) << text;
    return e.value_or(Endpoint{});
}

inline Bytes bytes_of(std::string_view text) {
    return Bytes(text.begin(), text.end());
}

// {"alg":"HS256","kid":"client-1","seq":17}
inline std::string request_header(std::string_view kid, std::uint32_t seq,
                                  std::string_view alg = "HS256") {
    return "{\"alg\":\"" + std::string(alg) + "\",\"kid\":\"" + std::string(kid) +
           "\",\"seq\":" + std::to_string(seq) + "}";
}
// {"alg":"HS256","kid":"server-1"[,"isi":"10","seq":3]}
inline std::string response_header(std::string_view kid, std::optional<std::string_view> isi = {},
                                   std::optional<std::uint32_t> seq = {},
                                   std::string_view alg = "HS256") {
    std::string json = "{\"alg\":\"" + std::string(alg) + "\",\"kid\":\"" + std::string(kid) + "\"";
    if (isi)
        json += ",\"isi\":\"" + std::string(*isi) + "\"";
    if (seq)
        json += ",\"seq\":" + std::to_string(*seq);
    return json + "}";
}

// CON GET /<path> with a token.
inline CoapMessageSpec get(std::uint16_t mid, Bytes token, std::string_view path = "temp") {
    CoapMessageSpec spec;
    spec.type = CoapType::confirmable;
    spec.code = 0x01;
    spec.message_id = mid;
    spec.token = std::move(token);
    spec.options.push_back({option::uri_path, bytes_of(path)});
    return spec;
}

// A response (piggybacked in an ACK by default) with a text payload.
inline CoapMessageSpec response(std::uint8_t code, std::uint16_t mid, Bytes token,
                                std::string_view payload = "22.5",
                                CoapType type = CoapType::acknowledgement) {
    CoapMessageSpec spec;
    spec.type = type;
    spec.code = code;
    spec.message_id = mid;
    spec.token = std::move(token);
    spec.options.push_back({option::content_format, Bytes{}});  // text/plain (0)
    spec.payload = bytes_of(payload);
    return spec;
}
inline constexpr std::uint8_t code_content = 0x45;  // 2.05

// An empty message (empty ACK, RST or ping) with that type and MID.
inline Bytes empty_message(CoapType type, std::uint16_t mid) {
    return Bytes{static_cast<std::uint8_t>(0x40 | static_cast<unsigned>(type) << 4), 0x00,
                 static_cast<std::uint8_t>(mid >> 8), static_cast<std::uint8_t>(mid)};
}

inline Bytes encode(const CoapMessageSpec& spec) {
    Result<Bytes> bytes = encode_coap(spec);
    EXPECT_TRUE(bytes.has_value()) << (bytes ? "" : bytes.error().message);
    return bytes ? std::move(bytes).value() : Bytes{};
}

// How a sender signs: the option value for `spec` under `header_json`.
struct SignOptions {
    const Tid* request_tid = nullptr;  // the REQUEST-TID item (responses, isi 01/11)
    std::uint16_t jws_option = option::jws_default;
    OptionSet signed_options = OptionSet::default_signed();
};

inline std::string jws_value(const CoapMessageSpec& spec, std::string_view header_json,
                             const Key& key, Algorithm alg, const SignOptions& how = {}) {
    Bytes content;
    build_signed_content(spec.code, spec.options, spec.payload,
                         SignedContentConfig{how.signed_options, how.jws_option}, how.request_tid,
                         content);
    Result<std::string> value = sign_jws_option(header_json, content, alg, key);
    EXPECT_TRUE(value.has_value()) << (value ? "" : value.error().message);
    return value ? std::move(value).value() : std::string{};
}

// `spec` with a JWS option added, encoded.
inline Bytes sign(CoapMessageSpec spec, std::string_view header_json, const Key& key,
                  Algorithm alg = Algorithm::HS256, const SignOptions& how = {}) {
    std::string value = jws_value(spec, header_json, key, alg, how);
    spec.options.push_back({how.jws_option, bytes_of(value)});
    return encode(spec);
}

// `spec` with a JWS option of exactly this text (for malformed values).
inline Bytes with_option_text(CoapMessageSpec spec, std::string_view value,
                              std::uint16_t number = option::jws_default) {
    spec.options.push_back({number, bytes_of(value)});
    return encode(spec);
}

inline Key secret_key(std::string_view kid, std::string_view secret) {
    Result<Key> key = Key::from_secret(bytes_of(secret));
    EXPECT_TRUE(key.has_value());
    Key k = std::move(key).value();
    k.set_kid(std::string(kid));
    return k;
}

inline std::vector<FindingId> ids(const MessageReport& report) {
    std::vector<FindingId> out;
    for (const Finding& f : report.findings)
        out.push_back(f.id);
    return out;
}

// Readable failure messages: "[unknown-key, replay]".
inline std::string names(const MessageReport& report) {
    std::string out = "[";
    for (const Finding& f : report.findings) {
        if (out.size() > 1)
            out += ", ";
        out += std::string(finding_name(f.id)) + ": " + f.message;
    }
    return out + "]";
}

// A capture in progress: a client, a server, keys, a clock and frame numbers.
class SessionScenario : public ::testing::Test {
  protected:
    SessionScenario() {
        keys->add(secret_key("client-1", "client-1 secret, 32 bytes long!!"));
        keys->add(secret_key("client-2", "client-2 secret, 32 bytes long!!"));
        keys->add(secret_key("server-1", "server-1 secret, 32 bytes long!!"));
        keys->add(secret_key("server-2", "server-2 secret, 32 bytes long!!"));
    }

    // The configured key the sender signs with (the store's own copy).
    const Key& key(std::string_view kid) const {
        std::span<const Key* const> found = keys->find(KeyIdSource::kid, kid);
        EXPECT_FALSE(found.empty()) << kid;
        return *found.front();
    }

    Session& session() {
        if (!session_) {
            Result<Session> created = Session::create(config, without_keys ? nullptr : keys);
            EXPECT_TRUE(created.has_value()) << (created ? "" : created.error().message);
            session_.emplace(std::move(created).value());
        }
        return *session_;
    }

    MessageReport send(const Bytes& coap, const Endpoint& from, const Endpoint& to) {
        Packet packet{++frame, now, from, to, coap};
        return session().analyze(packet);
    }
    MessageReport to_server(const Bytes& coap) { return send(coap, client, server); }
    // The header, signature and signed content of a reported message, as a
    // front end derives them when it shows them.
    JwsParts parts_of(const Bytes& coap, const MessageReport& r) const {
        if (!r.jws)
            return {};
        return derive_jws_parts(coap, r.framing, *r.jws, r.request_tid ? &*r.request_tid : nullptr,
                                SignedContentConfig{config.signed_options, config.jws_option},
                                WantedParts{true, true, true});
    }
    MessageReport to_client(const Bytes& coap) { return send(coap, server, client); }

    void wait(std::int64_t ns) { now += ns; }

    // A signed GET from the client with that seq.
    Bytes signed_get(std::uint16_t mid, Bytes token, std::uint32_t seq,
                     std::string_view kid = "client-1", std::string_view path = "temp") {
        return sign(get(mid, std::move(token), path), request_header(kid, seq), key(kid));
    }
    // A signed 2.05 binding the request TID (isi "01" by default).
    Bytes signed_content(std::uint16_t mid, Bytes token, const Tid& request_tid,
                         std::string_view kid = "server-1", std::string_view payload = "22.5") {
        SignOptions how;
        how.request_tid = &request_tid;
        return sign(response(code_content, mid, std::move(token), payload), response_header(kid),
                    key(kid), Algorithm::HS256, how);
    }

    SessionConfig config;
    bool without_keys = false;
    std::shared_ptr<KeyStore> keys = std::make_shared<KeyStore>();
    Endpoint client = ep("10.0.0.1:40000");
    Endpoint server = ep("10.0.0.2:5683");
    std::int64_t now = 1'700'000'000 * seconds;
    std::uint32_t frame = 0;

  private:
    std::optional<Session> session_;
};

}  // namespace coapjws::test
