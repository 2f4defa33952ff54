// Signature verification per algorithm over a typical signing input (a signed
// GET's), through verify_signature() as the Session calls it. The EC and EdDSA
// rates compare with `openssl speed ecdsap256 / ed25519` (docs/PERFORMANCE.md);
// BM_OpenSslBaseline_* run the bare OpenSSL calls in this same binary.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <map>

#include "bench_support.hpp"
#include "coapjws/base64url.hpp"

namespace coapjws::bench {
namespace {

struct Case {
    Key key;
    std::string input;
    Bytes signature;
};

Case make_case(Algorithm alg) {
    Case c;
    switch (algorithm_family(alg)) {
        case AlgorithmFamily::hmac:
            c.key = make_key(KeyType::oct, Curve::none, algorithm_hash_bits(alg));
            break;
        case AlgorithmFamily::ecdsa:
            c.key = make_key(KeyType::ec, alg == Algorithm::ES256   ? Curve::p256
                                          : alg == Algorithm::ES384 ? Curve::p384
                                                                    : Curve::p521);
            break;
        case AlgorithmFamily::eddsa:
            c.key = make_key(KeyType::okp, Curve::ed25519);
            break;
        default:
            c.key = make_key(KeyType::rsa, Curve::none, 2048);
            break;
    }
    Bytes content;
    const OptionSet signed_options = OptionSet::default_signed();
    CoapMessageSpec spec = get_spec(1);
    build_signed_content(spec.code, spec.options, spec.payload,
                         SignedContentConfig{signed_options, option::jws_default}, nullptr,
                         content);
    build_signing_input(base64url_encode(as_bytes(request_header(algorithm_name(alg), "c", 1))),
                        content, c.input);
    Result<Bytes> sig = sign_signature(alg, c.key, as_bytes(c.input));
    if (sig)
        c.signature = *sig;
    return c;
}

void verify_bench(benchmark::State& state, Algorithm alg, Curve curve = Curve::none) {
    Case c = make_case(alg);
    if (curve == Curve::ed448) {
        c.key = make_key(KeyType::okp, Curve::ed448);
        c.signature = *sign_signature(alg, c.key, as_bytes(c.input));
    }
    if (!verify_signature(alg, c.key, as_bytes(c.input), c.signature)) {
        state.SkipWithError("setup: signature does not verify");
        return;
    }
    for (auto _ : state) {
        bool ok = verify_signature(alg, c.key, as_bytes(c.input), c.signature);
        benchmark::DoNotOptimize(ok);
    }
}

BENCHMARK_CAPTURE(verify_bench, HS256, Algorithm::HS256);
BENCHMARK_CAPTURE(verify_bench, HS384, Algorithm::HS384);
BENCHMARK_CAPTURE(verify_bench, HS512, Algorithm::HS512);
BENCHMARK_CAPTURE(verify_bench, ES256, Algorithm::ES256);
BENCHMARK_CAPTURE(verify_bench, ES384, Algorithm::ES384);
BENCHMARK_CAPTURE(verify_bench, ES512, Algorithm::ES512);
BENCHMARK_CAPTURE(verify_bench, EdDSA_Ed25519, Algorithm::EdDSA);
BENCHMARK_CAPTURE(verify_bench, EdDSA_Ed448, Algorithm::EdDSA, Curve::ed448);
BENCHMARK_CAPTURE(verify_bench, RS256, Algorithm::RS256);
BENCHMARK_CAPTURE(verify_bench, PS256, Algorithm::PS256);

// What `openssl speed ecdsap256` measures: EVP_PKEY_verify of a 32-byte digest
// with a context set up once (OpenSSL 3.0 apps/speed.c).
void BM_OpenSslBaseline_EcdsaP256Digest(benchmark::State& state) {
    Key key = make_key(KeyType::ec, Curve::p256);
    unsigned char digest[32] = {1, 2, 3};
    EVP_PKEY_CTX* sign = EVP_PKEY_CTX_new(key.pkey(), nullptr);
    unsigned char der[80];
    std::size_t der_length = sizeof der;
    EVP_PKEY_sign_init(sign);
    EVP_PKEY_sign(sign, der, &der_length, digest, sizeof digest);
    EVP_PKEY_CTX_free(sign);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key.pkey(), nullptr);
    EVP_PKEY_verify_init(ctx);
    for (auto _ : state) {
        int ok = EVP_PKEY_verify(ctx, der, der_length, digest, sizeof digest);
        benchmark::DoNotOptimize(ok);
    }
    EVP_PKEY_CTX_free(ctx);
}
BENCHMARK(BM_OpenSslBaseline_EcdsaP256Digest);

// What `openssl speed ed25519` measures: EVP_DigestVerify, context set up per call.
void BM_OpenSslBaseline_Ed25519(benchmark::State& state) {
    Key key = make_key(KeyType::okp, Curve::ed25519);
    const unsigned char message[64] = {1, 2, 3};
    unsigned char sig[64];
    std::size_t sig_length = sizeof sig;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key.pkey());
    EVP_DigestSign(ctx, sig, &sig_length, message, sizeof message);
    EVP_MD_CTX_free(ctx);
    for (auto _ : state) {
        EVP_MD_CTX* v = EVP_MD_CTX_new();
        EVP_DigestVerifyInit(v, nullptr, nullptr, nullptr, key.pkey());
        int ok = EVP_DigestVerify(v, sig, sig_length, message, sizeof message);
        EVP_MD_CTX_free(v);
        benchmark::DoNotOptimize(ok);
    }
}
BENCHMARK(BM_OpenSslBaseline_Ed25519);

}  // namespace
}  // namespace coapjws::bench
