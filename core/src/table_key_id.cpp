// Long key identifiers as SHA-256 digests inside the session's tables (see
// session_tables.hpp): bounded memory per entry, whatever a capture sends.
#include <openssl/evp.h>

#include "openssl_methods.hpp"
#include "openssl_ptr.hpp"
#include "session_tables.hpp"

namespace coapjws::detail {

void table_key_id(std::string_view key_id, std::string& out) {
    if (key_id.size() <= max_stored_key_id) {
        out.assign(key_id);
        return;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(key_id.data(), key_id.size(), digest, &length, ossl::sha2(256), nullptr) != 1) {
        // Without a digest (no default provider): keep the identifier whole,
        // correct if not compact.
        out.assign(key_id);
        return;
    }
    out.assign(1, '\xff');
    out.append(reinterpret_cast<const char*>(digest), length);
}

}  // namespace coapjws::detail
