// Parsing hot paths: the CoAP message, the JWS option value, the JOSE header,
// and the signed content (TLV items and the base64url signing input).
#include <benchmark/benchmark.h>

#include "bench_support.hpp"
#include "coapjws/jose_header.hpp"
#include "coapjws/jws_option.hpp"

namespace coapjws::bench {
namespace {

const Key& hmac_key() {
    static const Key key = make_key(KeyType::oct, Curve::none, 256);
    return key;
}

void BM_CoapParse_Unsigned(benchmark::State& state) {
    const Bytes message = unsigned_get(0x1234);
    CoapMessage parsed;
    for (auto _ : state) {
        Status s = parse_coap(message, parsed);
        benchmark::DoNotOptimize(s);
        benchmark::DoNotOptimize(parsed.options.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * message.size()));
}
BENCHMARK(BM_CoapParse_Unsigned);

void BM_CoapParse_Signed(benchmark::State& state) {
    const Bytes message = signed_get(0x1234, 7, hmac_key(), Algorithm::HS256);
    CoapMessage parsed;
    for (auto _ : state) {
        Status s = parse_coap(message, parsed);
        benchmark::DoNotOptimize(s);
        benchmark::DoNotOptimize(parsed.options.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * message.size()));
}
BENCHMARK(BM_CoapParse_Signed);

void BM_JwsOptionParse(benchmark::State& state) {
    const std::string value = jws_value(get_spec(1), request_header("HS256", "client-1", 7),
                                        hmac_key(), Algorithm::HS256);
    JwsOptionParts parts;
    for (auto _ : state) {
        Status s = parse_jws_option(as_bytes(value), parts);
        benchmark::DoNotOptimize(s);
        benchmark::DoNotOptimize(parts.signature.data());
    }
}
BENCHMARK(BM_JwsOptionParse);

void BM_JoseHeaderParse_Request(benchmark::State& state) {
    const std::string header = request_header("ES256", "client-1", 4000000000u);
    for (auto _ : state) {
        Result<JoseHeader> parsed = parse_jose_header(header);
        benchmark::DoNotOptimize(parsed);
    }
}
BENCHMARK(BM_JoseHeaderParse_Request);

void BM_JoseHeaderParse_Crit(benchmark::State& state) {
    const std::string header =
        R"({"alg":"ES256","kid":"server-1","isi":"11","seq":42,"crit":["seq","isi"],"typ":"x"})";
    for (auto _ : state) {
        Result<JoseHeader> parsed = parse_jose_header(header);
        benchmark::DoNotOptimize(parsed);
    }
}
BENCHMARK(BM_JoseHeaderParse_Crit);

// What prepare() does for a signature it will check: TLV items, then the
// ASCII signing input with the signed content base64url-encoded.
void BM_SignedContentAndInput(benchmark::State& state) {
    CoapMessageSpec spec = get_spec(1);
    spec.payload = Bytes(static_cast<std::size_t>(state.range(0)), 0x42);
    const Bytes message = *encode_coap(spec);
    CoapMessage parsed;
    (void)parse_coap(message, parsed);
    const OptionSet signed_options = OptionSet::default_signed();
    const std::string header_b64 = "eyJhbGciOiJIUzI1NiIsImtpZCI6ImNsaWVudC0xIiwic2VxIjo3fQ";
    Bytes content;
    std::string input;
    for (auto _ : state) {
        build_signed_content(parsed, SignedContentConfig{signed_options, option::jws_default},
                             nullptr, content);
        build_signing_input(header_b64, content, input);
        benchmark::DoNotOptimize(input.data());
    }
}
BENCHMARK(BM_SignedContentAndInput)->Arg(0)->Arg(64)->Arg(1024);

}  // namespace
}  // namespace coapjws::bench
