// coapjws_bulk_capture: writes a large capture of signed CoAP exchanges for
// the whole-process benchmark (bench/whole_process.sh), and the JWK Set
// (public keys only) that verifies it.
//
//   coapjws_bulk_capture --alg ES256 --messages 1000000 --streams 10000
//                        --out es256.pcap --keys es256.jwks [--threads 2]
//
// `--alg unsigned` writes the same exchanges without JWS options (plain CoAP;
// the keys file then holds HS256 keys nothing uses).
//
// Traffic: `streams` clients (one address, one port and one key each, kid
// "c<n>") take turns sending a signed CON GET to one server, which answers
// each with a piggybacked 2.05 signed under its own key (isi absent, so the
// response binds the request's TID). Messages are 2 ms apart; every client
// counts its seq from 0 and its Message IDs from a per-client start, so
// nothing is a replay or a retransmission: with keys every message is
// valid, without keys every message is unverified (no finding, spec §6
// v1.1). The scenario files of
// coapjws-gen describe captures message by message; a million messages is
// easier made here, from the same engine functions (build_signed_content,
// sign_jws_option) and the generator's frame builder.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "coapjws/base64url.hpp"
#include "coapjws/coap_message.hpp"
#include "coapjws/jws_crypto.hpp"
#include "coapjws/key.hpp"
#include "coapjws/signed_content.hpp"
#include "gen/frame_builder.hpp"
#include "openssl_ptr.hpp"

namespace {

using namespace coapjws;

constexpr const char* usage =
    "usage: coapjws_bulk_capture --alg HS256|ES256|EdDSA|unsigned --messages N --streams S\n"
    "                            --out FILE.pcap --keys FILE.jwks [--threads T]\n";

constexpr std::int64_t start_time_us = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr std::int64_t message_gap_us = 2000;
// Exchanges signed per block; blocks are signed in parallel and written in order.
constexpr std::size_t block_exchanges = 4096;

struct Args {
    Algorithm alg = Algorithm::HS256;
    bool unsigned_messages = false;  // --alg unsigned: no JWS option (keys are HS256 ones)
    std::uint64_t messages = 0;
    std::uint32_t streams = 0;
    std::string out;
    std::string keys;
    unsigned threads = 1;
};

std::optional<Args> parse_args(int argc, char** argv) {
    Args a;
    a.threads = std::max(1u, std::thread::hardware_concurrency());
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string_view name = argv[i];
        std::string value = argv[i + 1];
        if (name == "--alg" && value == "unsigned") {
            a.unsigned_messages = true;
        } else if (name == "--alg") {
            auto alg = algorithm_from_name(value);
            if (!alg ||
                (*alg != Algorithm::HS256 && *alg != Algorithm::ES256 && *alg != Algorithm::EdDSA))
                return std::nullopt;
            a.alg = *alg;
        } else if (name == "--messages") {
            a.messages = std::strtoull(value.c_str(), nullptr, 10);
        } else if (name == "--streams") {
            a.streams = static_cast<std::uint32_t>(std::strtoul(value.c_str(), nullptr, 10));
        } else if (name == "--out") {
            a.out = value;
        } else if (name == "--keys") {
            a.keys = value;
        } else if (name == "--threads") {
            a.threads = static_cast<unsigned>(std::strtoul(value.c_str(), nullptr, 10));
        } else {
            return std::nullopt;
        }
    }
    if (argc % 2 != 1 || a.messages == 0 || a.streams == 0 || a.streams > (1u << 24) ||
        a.out.empty() || a.keys.empty() || a.threads == 0)
        return std::nullopt;
    return a;
}

Result<std::string> bn_member(EVP_PKEY* key, const char* name) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1)
        return fail(ErrorCode::invalid_argument, std::string("cannot read ") + name);
    ossl::BignumPtr bn(raw);
    Bytes bytes(32);  // P-256 coordinates are 32 bytes (RFC 7518 §6.2.1.2)
    BN_bn2binpad(bn.get(), bytes.data(), static_cast<int>(bytes.size()));
    return base64url_encode(bytes);
}

// The public JWK of a generated key; an oct key's secret is its only member.
Result<std::string> public_jwk(const Key& key) {
    std::string jwk = "{\"kid\":\"" + key.kid() + "\",";
    switch (key.type()) {
        case KeyType::oct:
            return jwk + "\"kty\":\"oct\",\"k\":\"" + base64url_encode(key.secret()) + "\"}";
        case KeyType::ec: {
            auto x = bn_member(key.pkey(), OSSL_PKEY_PARAM_EC_PUB_X);
            auto y = bn_member(key.pkey(), OSSL_PKEY_PARAM_EC_PUB_Y);
            if (!x || !y)
                return fail(ErrorCode::invalid_argument, "cannot read the EC public key");
            return jwk + "\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + *x + "\",\"y\":\"" + *y +
                   "\"}";
        }
        case KeyType::okp: {
            Bytes pub(32);
            std::size_t length = 0;
            if (EVP_PKEY_get_octet_string_param(key.pkey(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(),
                                                pub.size(), &length) != 1)
                return fail(ErrorCode::invalid_argument, "cannot read the Ed25519 public key");
            pub.resize(length);
            return jwk + "\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + base64url_encode(pub) +
                   "\"}";
        }
        case KeyType::rsa:
            break;
    }
    return fail(ErrorCode::unsupported, "unsupported key type");
}

Result<Key> new_key(Algorithm alg, std::string kid) {
    Result<Key> key = alg == Algorithm::HS256   ? Key::generate(KeyType::oct, Curve::none, 256)
                      : alg == Algorithm::ES256 ? Key::generate(KeyType::ec, Curve::p256)
                                                : Key::generate(KeyType::okp, Curve::ed25519);
    if (key)
        key->set_kid(std::move(kid));
    return key;
}

Bytes text_bytes(std::string_view text) {
    return Bytes(text.begin(), text.end());
}

struct Stream {
    Key key;
    gen::FrameEndpoint endpoint;
    std::uint16_t first_mid = 0;
};

class Generator {
  public:
    Generator(const Args& args, std::vector<Stream> streams, Key server_key)
        : args_(args), streams_(std::move(streams)), server_key_(std::move(server_key)) {
        server_.endpoint.address = Address::ipv4(0xC0000201u);  // 192.0.2.1
        server_.endpoint.port = 5683;
        server_.mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    }

    // Frames (already pcap records: header + bytes) of exchanges [first, last).
    Result<Bytes> block(std::uint64_t first, std::uint64_t last) const {
        Bytes records;
        records.reserve((last - first) * 2 * 300);
        Bytes content;
        for (std::uint64_t exchange = first; exchange < last; ++exchange) {
            const std::uint32_t s = static_cast<std::uint32_t>(exchange % streams_.size());
            const Stream& stream = streams_[s];
            const auto seq = static_cast<std::uint32_t>(exchange / streams_.size());
            const auto mid = static_cast<std::uint16_t>(stream.first_mid + seq);
            Bytes token = {static_cast<std::uint8_t>(exchange >> 24),
                           static_cast<std::uint8_t>(exchange >> 16),
                           static_cast<std::uint8_t>(exchange >> 8),
                           static_cast<std::uint8_t>(exchange)};
            const std::string alg(algorithm_name(args_.alg));

            CoapMessageSpec request;
            request.type = CoapType::confirmable;
            request.code = 0x01;  // GET
            request.message_id = mid;
            request.token = token;
            request.options = {{option::uri_path, text_bytes("sensors")},
                               {option::uri_path, text_bytes("temperature")}};
            std::string header = "{\"alg\":\"" + alg + "\",\"kid\":\"" + stream.key.kid() +
                                 "\",\"seq\":" + std::to_string(seq) + "}";
            if (!args_.unsigned_messages) {
                build_signed_content(request.code, request.options, {}, config_, nullptr, content);
                auto value = sign_jws_option(header, content, args_.alg, stream.key);
                if (!value)
                    return value.error();
                request.options.push_back({option::jws_default, text_bytes(*value)});
            }

            CoapMessageSpec response;
            response.type = CoapType::acknowledgement;
            response.code = 0x45;  // 2.05 Content
            response.message_id = mid;
            response.token = token;
            response.options = {{option::content_format, {}}};  // text/plain (0)
            response.payload = text_bytes("21." + std::to_string(exchange % 10) + " C");
            const Tid request_tid{stream.key.kid(), seq};
            std::string response_header = "{\"alg\":\"" + alg + "\",\"kid\":\"server\"}";
            if (!args_.unsigned_messages) {
                build_signed_content(response.code, response.options, response.payload, config_,
                                     &request_tid, content);
                auto value = sign_jws_option(response_header, content, args_.alg, server_key_);
                if (!value)
                    return value.error();
                response.options.push_back({option::jws_default, text_bytes(*value)});
            }

            const std::int64_t time =
                start_time_us + static_cast<std::int64_t>(exchange) * 2 * message_gap_us;
            if (auto added = add(records, time, stream.endpoint, server_, request); !added)
                return added.error();
            if (auto added =
                    add(records, time + message_gap_us, server_, stream.endpoint, response);
                !added)
                return added.error();
        }
        return records;
    }

  private:
    static Status add(Bytes& records, std::int64_t time_us, const gen::FrameEndpoint& src,
                      const gen::FrameEndpoint& dst, const CoapMessageSpec& spec) {
        auto coap = encode_coap(spec);
        if (!coap)
            return coap.error();
        auto frame = gen::build_udp_frame(gen::LinkType::ethernet, src, dst, {}, *coap);
        if (!frame)
            return frame.error();
        const std::uint32_t fields[4] = {static_cast<std::uint32_t>(time_us / 1'000'000),
                                         static_cast<std::uint32_t>(time_us % 1'000'000),
                                         static_cast<std::uint32_t>(frame->size()),
                                         static_cast<std::uint32_t>(frame->size())};
        const auto* raw = reinterpret_cast<const std::uint8_t*>(fields);  // little-endian host
        records.insert(records.end(), raw, raw + sizeof fields);
        records.insert(records.end(), frame->begin(), frame->end());
        return {};
    }

    const Args& args_;
    std::vector<Stream> streams_;
    Key server_key_;
    gen::FrameEndpoint server_;
    OptionSet signed_options_ = OptionSet::default_signed();
    SignedContentConfig config_{signed_options_, option::jws_default};
};

int run(const Args& args) {
    std::vector<Stream> streams;
    streams.reserve(args.streams);
    std::string jwks = "{\"keys\":[\n";
    for (std::uint32_t s = 0; s < args.streams; ++s) {
        auto key = new_key(args.alg, "c" + std::to_string(s));
        if (!key) {
            std::cerr << "coapjws_bulk_capture: " << key.error().message << "\n";
            return 1;
        }
        auto jwk = public_jwk(*key);
        if (!jwk) {
            std::cerr << "coapjws_bulk_capture: " << jwk.error().message << "\n";
            return 1;
        }
        jwks += *jwk + ",\n";
        Stream stream{std::move(*key), {}, static_cast<std::uint16_t>(s * 7919u)};
        // 10.0.0.0/8, one address per client
        stream.endpoint.endpoint.address = Address::ipv4(0x0A000001u + s);
        stream.endpoint.endpoint.port = static_cast<std::uint16_t>(40000 + s % 20000);
        stream.endpoint.mac = {0x02,
                               0x10,
                               static_cast<std::uint8_t>(s >> 24),
                               static_cast<std::uint8_t>(s >> 16),
                               static_cast<std::uint8_t>(s >> 8),
                               static_cast<std::uint8_t>(s)};
        streams.push_back(std::move(stream));
    }
    auto server_key = new_key(args.alg, "server");
    if (!server_key) {
        std::cerr << "coapjws_bulk_capture: " << server_key.error().message << "\n";
        return 1;
    }
    auto server_jwk = public_jwk(*server_key);
    if (!server_jwk) {
        std::cerr << "coapjws_bulk_capture: " << server_jwk.error().message << "\n";
        return 1;
    }
    jwks += *server_jwk + "\n]}\n";

    std::unique_ptr<std::FILE, int (*)(std::FILE*)> keys(std::fopen(args.keys.c_str(), "wb"),
                                                         &std::fclose);
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(args.out.c_str(), "wb"),
                                                        &std::fclose);
    if (!keys || !out) {
        std::cerr << "coapjws_bulk_capture: cannot write " << (keys ? args.out : args.keys) << "\n";
        return 1;
    }
    std::fwrite(jwks.data(), 1, jwks.size(), keys.get());

    // Classic pcap header: microsecond timestamps, Ethernet, snaplen 65535.
    const std::uint32_t magic = 0xa1b2c3d4;
    const std::uint16_t version[2] = {2, 4};
    const std::uint32_t rest[4] = {0, 0, 65535, gen::linktype_number(gen::LinkType::ethernet)};
    std::fwrite(&magic, sizeof magic, 1, out.get());
    std::fwrite(version, sizeof version, 1, out.get());
    std::fwrite(rest, sizeof rest, 1, out.get());

    const Generator generator(args, std::move(streams), std::move(*server_key));
    const std::uint64_t exchanges = (args.messages + 1) / 2;
    // Each round: `threads` blocks in parallel, written in order.
    for (std::uint64_t round = 0; round < exchanges; round += block_exchanges * args.threads) {
        std::vector<Result<Bytes>> blocks(args.threads,
                                          fail(ErrorCode::invalid_argument, "not run"));
        std::vector<std::thread> workers;
        for (unsigned t = 0; t < args.threads; ++t) {
            std::uint64_t first = std::min(exchanges, round + t * block_exchanges);
            std::uint64_t last = std::min(exchanges, first + block_exchanges);
            workers.emplace_back([&, t, first, last] { blocks[t] = generator.block(first, last); });
        }
        for (auto& w : workers)
            w.join();
        for (auto& b : blocks) {
            if (!b) {
                std::cerr << "coapjws_bulk_capture: " << b.error().message << "\n";
                return 1;
            }
            std::fwrite(b->data(), 1, b->size(), out.get());
        }
    }
    if (std::fflush(out.get()) != 0 || std::ferror(out.get()) || std::fflush(keys.get()) != 0) {
        std::cerr << "coapjws_bulk_capture: write failed\n";
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    auto args = parse_args(argc, argv);
    if (!args) {
        std::cerr << usage;
        return 2;
    }
    return run(*args);
}
