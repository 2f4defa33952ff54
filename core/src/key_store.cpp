#include "coapjws/key_store.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <optional>
#include <system_error>

#include "jwk.hpp"
#include "key_internal.hpp"

namespace coapjws {

void KeyStore::add(Key key) {
    // Owned first, indexed second: an index never points at a key the store lost.
    keys_.push_back(std::make_unique<Key>(std::move(key)));
    const Key* stored = keys_.back().get();
    if (!stored->kid().empty())
        by_kid_[stored->kid()].push_back(stored);
    if (!stored->x5t_s256().empty())
        by_x5t_s256_[stored->x5t_s256()].push_back(stored);
    if (!stored->x5t().empty())
        by_x5t_[stored->x5t()].push_back(stored);
}

std::span<const Key* const> KeyStore::find(KeyIdSource source, std::string_view id) const {
    const Index* index = &by_kid_;
    switch (source) {
        case KeyIdSource::kid:
            index = &by_kid_;
            break;
        case KeyIdSource::x5t_s256:
            index = &by_x5t_s256_;
            break;
        case KeyIdSource::x5t:
            index = &by_x5t_;
            break;
    }
    auto it = index->find(id);
    if (it == index->end())
        return {};
    return it->second;
}

namespace {

constexpr std::size_t max_jwks_file_size = 16 * 1024 * 1024;

// A JSON string for a message, escaped and shortened (identifiers are public,
// but a file is not always what it should be).
std::string quoted(const rapidjson::Value& value) {
    std::string_view text(value.GetString(), value.GetStringLength());
    std::string out = "\"";
    std::size_t shown = 0;
    for (char c : text) {
        if (++shown > 40) {
            out += "...";
            break;
        }
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\')
            out += '\\';
        out += (u < 0x20 || u == 0x7f) ? '?' : c;
    }
    return out + '"';
}

// "key #2 (kid \"srv\")": the index in the "keys" array, from 0, and the
// first identifier the JWK carries, even when the JWK is otherwise broken.
std::string key_label(const rapidjson::Value& jwk, std::size_t index) {
    std::string label = "key #" + std::to_string(index);
    if (!jwk.IsObject())
        return label;
    for (const char* name : {"kid", "x5t#S256", "x5t"}) {
        auto it = jwk.FindMember(name);
        if (it != jwk.MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0) {
            return label + " (" + name + ' ' + quoted(it->value) + ')';
        }
    }
    return label;
}

// RFC 7518 §3.2: an HMAC key shorter than the hash output is weaker than the
// algorithm. Without an alg, HS256 (the shortest hash) is the bar.
std::optional<std::string> weakness(const Key& key) {
    if (key.type() == KeyType::oct) {
        unsigned hash_bits = key.alg() ? algorithm_hash_bits(*key.alg()) : 256;
        if (key.bits() < hash_bits) {
            return "HMAC key has " + std::to_string(key.bits()) + " bits, shorter than the " +
                   std::to_string(hash_bits) + "-bit hash of " +
                   std::string(key.alg() ? algorithm_name(*key.alg()) : "HS256") +
                   " (RFC 7518 section 3.2)";
        }
    }
    if (key.type() == KeyType::rsa && key.bits() < detail::min_rsa_bits) {
        return "RSA modulus has " + std::to_string(key.bits()) +
               " bits: it will never verify (at least " + std::to_string(detail::min_rsa_bits) +
               " needed)";
    }
    return std::nullopt;
}

// Wipes a buffer that held key material when it goes out of scope.
struct WipeOnExit {
    std::string& text;
    ~WipeOnExit() { OPENSSL_cleanse(text.data(), text.size()); }
};

}  // namespace

Status add_jwks(KeyStore& store, std::string_view json, std::string_view source_name) {
    const std::string source = source_name.empty() ? "JWK Set" : std::string(source_name);
    // Parsed in place in a copy that is wiped afterwards: the secrets' text is
    // not left behind in freed memory.
    std::string buffer(json);
    WipeOnExit wipe{buffer};
    rapidjson::Document doc;
    doc.ParseInsitu(buffer.data());
    if (doc.HasParseError())
        return fail(source + ": not valid JSON: " + detail::json_error(doc));
    if (!doc.IsObject())
        return fail(source + ": not a JWK Set: not a JSON object");
    const rapidjson::Value& root = doc;  // const iterators: unambiguous == in C++20
    auto keys = root.FindMember("keys");
    if (keys == root.MemberEnd())
        return fail(source + ": not a JWK Set: no \"keys\" member");
    if (!keys->value.IsArray())
        return fail(source + ": not a JWK Set: \"keys\" is not an array");

    // All or nothing: the store is only touched once every key has loaded.
    std::vector<Key> loaded;
    std::vector<std::string> warnings;
    loaded.reserve(keys->value.Size());
    std::size_t index = 0;
    for (const auto& jwk : keys->value.GetArray()) {
        auto key = detail::key_from_jwk_value(jwk);
        if (!key)
            return fail(source + ": " + key_label(jwk, index) + ": " + key.error().message);
        if (key->kid().empty() && key->x5t_s256().empty() && key->x5t().empty()) {
            return fail(source + ": " + key_label(jwk, index) +
                        ": no identifier (kid, x5t#S256 or x5t): it could never be found");
        }
        if (auto weak = weakness(*key)) {
            warnings.push_back(source + ": " + key_label(jwk, index) + ": " + *weak);
        }
        loaded.push_back(std::move(*key));
        ++index;
    }
    for (auto& key : loaded)
        store.add(std::move(key));
    for (auto& warning : warnings)
        store.add_warning(std::move(warning));
    return {};
}

Result<KeyStore> parse_jwks(std::string_view json, std::string_view source_name) {
    KeyStore store;
    if (auto status = add_jwks(store, json, source_name); !status)
        return Unexpected{status.error()};
    return store;
}

Result<KeyStore> load_jwks_file(const std::string& path) {
    struct Closer {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };
    errno = 0;
    std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "rb"));
    if (!file)
        return fail(path + ": cannot open: " + std::generic_category().message(errno));

    std::string text;
    WipeOnExit wipe{text};
    // Read in chunks into a buffer reserved once, so growing it never leaves
    // a copy of the keys in freed memory.
    text.reserve(64 * 1024);
    char chunk[4096];
    for (;;) {
        std::size_t n = std::fread(chunk, 1, sizeof chunk, file.get());
        if (n == 0)
            break;
        if (text.size() + n > max_jwks_file_size) {
            OPENSSL_cleanse(chunk, sizeof chunk);
            return fail(path + ": larger than " + std::to_string(max_jwks_file_size >> 20) +
                        " MiB: not a JWK Set");
        }
        if (text.size() + n > text.capacity()) {
            std::string bigger;
            bigger.reserve(std::max(text.capacity() * 2, text.size() + n));
            bigger = text;
            OPENSSL_cleanse(text.data(), text.size());
            text.swap(bigger);
        }
        text.append(chunk, n);
    }
    OPENSSL_cleanse(chunk, sizeof chunk);
    if (std::ferror(file.get())) {
        return fail(path + ": cannot read: " + std::generic_category().message(errno));
    }
    return parse_jwks(text, path);
}

}  // namespace coapjws
