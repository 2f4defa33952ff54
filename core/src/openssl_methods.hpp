// OpenSSL algorithm objects fetched once per process (private to the engine).
//
// Fetching by name takes locks and searches the provider store; doing it once
// keeps it off the per-message path. The objects are never freed: they live
// as long as the process, and freeing them at exit could race OpenSSL's own
// cleanup. Function-local statics make the first fetch thread-safe.
#pragma once

#include <openssl/evp.h>

namespace coapjws::ossl {

// SHA-256, SHA-384 or SHA-512 for 256/384/512; nullptr for anything else or
// if the default provider lacks it.
const EVP_MD* sha2(unsigned bits);
// SHA-1, only for x5t certificate thumbprints.
const EVP_MD* sha1();
// OpenSSL's digest name for sha2(bits): "SHA256", "SHA384", "SHA512".
const char* sha2_name(unsigned bits);
// The HMAC EVP_MAC.
EVP_MAC* hmac();

}  // namespace coapjws::ossl
