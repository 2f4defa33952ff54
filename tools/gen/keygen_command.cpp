// `coapjws-gen keygen`: a fresh private JWK (RFC 7517/7518/8037) on stdout, to
// build test key sets such as pcaps/keys.jwks. Generated with OpenSSL
// directly, since the engine only reads JWKs.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <iostream>

#include "coapjws/base64url.hpp"
#include "gen/cli_args.hpp"
#include "gen/commands.hpp"
#include "gen/try.hpp"
#include "openssl_ptr.hpp"

namespace coapjws::gen {

namespace {
constexpr const char* keygen_usage =
    "usage: coapjws-gen keygen --kty oct|EC|RSA|OKP --kid ID [--crv CURVE] [--size N] [--alg ALG]\n"
    "  oct: --size bytes (default 32); EC: --crv P-256|P-384|P-521;\n"
    "  RSA: --size bits (default 2048); OKP: --crv Ed25519|Ed448\n";

using Members = std::vector<std::pair<std::string, std::string>>;

// A BIGNUM parameter as unsigned big-endian, left-padded to `width` bytes
// when width > 0 (EC coordinates and d are fixed-length, RFC 7518 §6.2).
Result<std::string> bn_param(EVP_PKEY* key, const char* name, std::size_t width) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
        return fail(ErrorCode::invalid_argument, std::string("cannot read key parameter ") + name);
    }
    ossl::SecretBignumPtr bn(raw);
    std::size_t length = width ? width : static_cast<std::size_t>(BN_num_bytes(bn.get()));
    Bytes bytes(length);
    if (BN_bn2binpad(bn.get(), bytes.data(), static_cast<int>(length)) < 0) {
        return fail(ErrorCode::too_large, std::string("key parameter ") + name + " too long");
    }
    return base64url_encode(bytes);
}

Result<std::string> octet_param(EVP_PKEY* key, const char* name) {
    std::size_t length = 0;
    if (EVP_PKEY_get_octet_string_param(key, name, nullptr, 0, &length) != 1) {
        return fail(ErrorCode::invalid_argument, std::string("cannot read key parameter ") + name);
    }
    Bytes bytes(length);
    if (EVP_PKEY_get_octet_string_param(key, name, bytes.data(), bytes.size(), &length) != 1) {
        return fail(ErrorCode::invalid_argument, std::string("cannot read key parameter ") + name);
    }
    bytes.resize(length);
    return base64url_encode(bytes);
}

Result<Members> generate(const std::string& kty, const std::optional<std::string>& crv,
                         const std::optional<std::string>& size) {
    Members m;
    if (kty == "oct") {
        std::size_t bytes = size ? std::stoul(*size) : 32;
        if (bytes < 1 || bytes > 1024)
            return fail(ErrorCode::invalid_argument, "--size for oct is 1..1024 bytes");
        Bytes secret(bytes);
        if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1) {
            return fail(ErrorCode::crypto, "RAND_bytes failed");
        }
        m.emplace_back("k", base64url_encode(secret));
        return m;
    }
    ossl::PkeyPtr key;
    if (kty == "EC") {
        std::string curve = crv.value_or("P-256");
        const char* group = curve == "P-256"   ? "P-256"
                            : curve == "P-384" ? "P-384"
                            : curve == "P-521" ? "P-521"
                                               : nullptr;
        if (!group)
            return fail(ErrorCode::invalid_argument, "--crv for EC is P-256, P-384 or P-521");
        std::size_t width = curve == "P-256" ? 32 : curve == "P-384" ? 48 : 66;
        key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", group));
        if (!key)
            return fail(ErrorCode::crypto, "EC key generation failed");
        m.emplace_back("crv", curve);
        GEN_TRY(std::string x, bn_param(key.get(), OSSL_PKEY_PARAM_EC_PUB_X, width));
        GEN_TRY(std::string y, bn_param(key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, width));
        GEN_TRY(std::string d, bn_param(key.get(), OSSL_PKEY_PARAM_PRIV_KEY, width));
        m.emplace_back("x", x);
        m.emplace_back("y", y);
        m.emplace_back("d", d);
        return m;
    }
    if (kty == "RSA") {
        std::size_t bits = size ? std::stoul(*size) : 2048;
        if (bits < 512 || bits > 8192)
            return fail(ErrorCode::crypto, "--size for RSA is 512..8192 bits");
        key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits));
        if (!key)
            return fail(ErrorCode::crypto, "RSA key generation failed");
        const std::pair<const char*, const char*> params[] = {
            {"n", OSSL_PKEY_PARAM_RSA_N},          {"e", OSSL_PKEY_PARAM_RSA_E},
            {"d", OSSL_PKEY_PARAM_RSA_D},          {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
            {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},    {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
            {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2}, {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
        };
        for (const auto& [member, param] : params) {
            GEN_TRY(std::string value, bn_param(key.get(), param, 0));
            m.emplace_back(member, value);
        }
        return m;
    }
    if (kty == "OKP") {
        std::string curve = crv.value_or("Ed25519");
        if (curve != "Ed25519" && curve != "Ed448")
            return fail(ErrorCode::crypto, "--crv for OKP is Ed25519 or Ed448");
        key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, curve == "Ed25519" ? "ED25519" : "ED448"));
        if (!key)
            return fail(ErrorCode::crypto, "EdDSA key generation failed");
        m.emplace_back("crv", curve);
        GEN_TRY(std::string x, octet_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY));
        GEN_TRY(std::string d, octet_param(key.get(), OSSL_PKEY_PARAM_PRIV_KEY));
        m.emplace_back("x", x);
        m.emplace_back("d", d);
        return m;
    }
    return fail(ErrorCode::invalid_argument, "--kty must be oct, EC, RSA or OKP");
}
}  // namespace

int run_keygen(int argc, char** argv, int first) {
    auto args = CliArgs::parse(argc, argv, first, {"kty", "kid", "crv", "size", "alg"}, {"help"});
    if (!args) {
        std::cerr << "coapjws-gen keygen: " << args.error().message << "\n" << keygen_usage;
        return exit_usage;
    }
    if (args->flag("help")) {
        std::cout << keygen_usage;
        return exit_ok;
    }
    auto kty = args->get("kty");
    auto kid = args->get("kid");
    if (!kty || !kid) {
        std::cerr << keygen_usage;
        return exit_usage;
    }
    auto members = generate(*kty, args->get("crv"), args->get("size"));
    if (!members) {
        std::cerr << "coapjws-gen keygen: " << members.error().message << "\n";
        return exit_usage;
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("kty");
    writer.String(kty->c_str());
    writer.Key("kid");
    writer.String(kid->c_str());
    if (auto alg = args->get("alg")) {
        writer.Key("alg");
        writer.String(alg->c_str());
    }
    for (const auto& [name, value] : *members) {
        writer.Key(name.c_str());
        writer.String(value.c_str());
    }
    writer.EndObject();
    std::cout << buffer.GetString() << "\n";
    return exit_ok;
}

}  // namespace coapjws::gen
