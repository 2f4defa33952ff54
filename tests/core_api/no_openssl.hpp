// Included last by the generated tests/public_headers.cpp, after every public
// header of the engine: none of them may have brought in OpenSSL's headers
// (session.hpp and key.hpp see only EVP_PKEY's declaration, pkey_ptr.hpp).
// Every OpenSSL 3 header includes <openssl/macros.h> and <openssl/types.h>
// or <openssl/opensslv.h>, whose guards are these.
#pragma once

#if defined(OPENSSL_MACROS_H) || defined(OPENSSL_TYPES_H) || defined(OPENSSL_OPENSSLV_H) || \
    defined(OPENSSL_EVP_H) || defined(OPENSSL_VERSION_MAJOR)
#error "a public header of coapjws includes OpenSSL's headers"
#endif
