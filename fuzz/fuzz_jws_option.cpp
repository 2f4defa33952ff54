// JWS option value (B64U(header) ".." B64U(signature)): never crashes, and an
// accepted value is exactly the two parts re-encoded (base64url is strict and
// canonical, SPEC-NOTES), so the signing input taken from the wire is the
// one the sender signed.
#include <cstdint>
#include <cstdlib>

#include "coapjws/base64url.hpp"
#include "coapjws/jws_option.hpp"

using namespace coapjws;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView input(data, size);
    static JwsOptionParts reused;
    const Status status = parse_jws_option(input, reused);
    Result<JwsOptionParts> fresh = parse_jws_option(input);
    if (static_cast<bool>(status) != fresh.has_value())
        std::abort();
    if (!status)
        return 0;
    // An empty signature part is handed on (an Unsecured JWS, judged by
    // its header's alg); the header never is empty.
    if (fresh->header_bytes.empty() || fresh->signature.empty() != fresh->signature_empty())
        std::abort();
    std::string again =
        base64url_encode(fresh->header_bytes) + ".." + base64url_encode(fresh->signature);
    if (again != as_text(input))
        std::abort();
    if (reused.header_bytes != fresh->header_bytes || reused.signature != fresh->signature)
        std::abort();
    return 0;
}
