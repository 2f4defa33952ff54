#include "openssl_methods.hpp"

#include "openssl_ptr.hpp"

namespace coapjws::ossl {

const EVP_MD* sha2(unsigned bits) {
    static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    static EVP_MD* const sha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
    static EVP_MD* const sha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
    switch (bits) {
        case 256:
            return sha256;
        case 384:
            return sha384;
        case 512:
            return sha512;
        default:
            return nullptr;
    }
}

const EVP_MD* sha1() {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    return md;
}

const char* sha2_name(unsigned bits) {
    switch (bits) {
        case 256:
            return "SHA256";
        case 384:
            return "SHA384";
        case 512:
            return "SHA512";
        default:
            return nullptr;
    }
}

EVP_MAC* hmac() {
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return mac;
}

}  // namespace coapjws::ossl
