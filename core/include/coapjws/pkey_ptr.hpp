// The owner of an OpenSSL key, declared without OpenSSL's headers so that a
// front end including key.hpp or session.hpp does not see OpenSSL.
#pragma once

#include <memory>

// As <openssl/types.h> declares it (a typedef may be repeated).
typedef struct evp_pkey_st EVP_PKEY;

namespace coapjws::ossl {

struct PkeyFree {
    void operator()(EVP_PKEY* key) const noexcept;  // EVP_PKEY_free
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

}  // namespace coapjws::ossl
