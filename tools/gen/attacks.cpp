#include "gen/attacks.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>

#include <memory>

namespace coapjws::gen {

Result<Bytes> patch_coap_header(ByteView message, std::optional<std::uint16_t> mid,
                                std::optional<CoapType> type, const std::optional<Bytes>& token) {
    if (message.size() < 4)
        return fail(ErrorCode::invalid_argument, "cannot patch a message shorter than 4 bytes");
    const std::size_t old_token_length = message[0] & 0x0f;
    if (old_token_length > 8 || message.size() < 4 + old_token_length) {
        return fail(ErrorCode::invalid_argument, "cannot patch a message whose token is malformed");
    }
    Bytes out(message.begin(), message.begin() + 4);
    if (type) {
        out[0] = static_cast<std::uint8_t>((out[0] & 0xcf) | static_cast<std::uint8_t>(*type) << 4);
    }
    if (mid) {
        out[2] = static_cast<std::uint8_t>(*mid >> 8);
        out[3] = static_cast<std::uint8_t>(*mid);
    }
    if (token) {
        if (token->size() > 8)
            return fail(ErrorCode::too_large, "a token has at most 8 bytes");
        out[0] = static_cast<std::uint8_t>((out[0] & 0xf0) | token->size());
        out.insert(out.end(), token->begin(), token->end());
    } else {
        out.insert(out.end(), message.begin() + 4, message.begin() + 4 + old_token_length);
    }
    out.insert(out.end(), message.begin() + 4 + old_token_length, message.end());
    return out;
}

void corrupt_signature(Bytes& signature) {
    if (!signature.empty())
        signature.back() ^= 0x01;
}

Result<Key> confusion_key(const Key& public_key) {
    if (!public_key.pkey())
        return fail(ErrorCode::invalid_argument, "key confusion needs an asymmetric key");
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), public_key.pkey()) != 1) {
        return fail(ErrorCode::io, "cannot write the public key as PEM");
    }
    char* data = nullptr;
    long length = BIO_get_mem_data(bio.get(), &data);
    if (length <= 0 || !data)
        return fail(ErrorCode::io, "cannot write the public key as PEM");
    Bytes pem(reinterpret_cast<const std::uint8_t*>(data),
              reinterpret_cast<const std::uint8_t*>(data) + length);
    return Key::from_secret(pem);
}

}  // namespace coapjws::gen
