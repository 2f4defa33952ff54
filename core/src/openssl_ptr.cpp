#include "openssl_ptr.hpp"

#include <openssl/err.h>

namespace coapjws::ossl {

void PkeyFree::operator()(EVP_PKEY* key) const noexcept {
    EVP_PKEY_free(key);
}

std::string last_error() {
    // ERR_get_error takes the oldest entry: the root cause, not the last
    // wrapper ("point is not on curve" rather than "EVP_PKEY_fromdata failed").
    unsigned long code = ERR_get_error();
    if (code == 0)
        return "unknown OpenSSL error";
    std::string text;
    if (const char* reason = ERR_reason_error_string(code)) {
        text = reason;
    } else {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        text = buffer;
    }
    ERR_clear_error();
    return text;
}

}  // namespace coapjws::ossl
