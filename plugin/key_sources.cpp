#include "key_sources.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

#include "coapjws/algorithm.hpp"
#include "coapjws/bytes.hpp"

namespace coapjws::plugin {

namespace {

bool names_a_file(std::string_view key) {
    return key.find('/') != std::string_view::npos ||
           (key.size() >= 4 && key.substr(key.size() - 4) == ".pem");
}

Result<std::string> read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(path + ": cannot open");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        return fail(path + ": read error");
    return text;
}

bool has_identifier(const Key& key) {
    return !key.kid().empty() || !key.x5t_s256().empty() || !key.x5t().empty();
}

// The keys of a JWK Set the engine refused as a whole, one by one, so that a
// single bad key does not disable the others.
void salvage_jwks(const std::string& path, KeyStore& store, std::vector<std::string>& problems) {
    auto text = read_text_file(path);
    if (!text)
        return;  // already reported by the engine's loader
    rapidjson::Document doc;
    doc.Parse(text->data(), text->size());
    if (doc.HasParseError() || !doc.IsObject())
        return;
    // (HasMember rather than FindMember: comparing RapidJSON's member
    // iterators is ambiguous in C++20.)
    if (!doc.HasMember("keys") || !doc["keys"].IsArray())
        return;

    std::size_t index = 0;
    for (const auto& jwk : doc["keys"].GetArray()) {
        ++index;
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        jwk.Accept(writer);
        auto key = Key::from_jwk(std::string_view(buffer.GetString(), buffer.GetSize()));
        if (!key) {
            problems.push_back(path + ": key #" + std::to_string(index) + ": " +
                               key.error().message + " (key left out)");
            continue;
        }
        if (!has_identifier(*key)) {
            problems.push_back(path + ": key #" + std::to_string(index) +
                               ": no kid, x5t#S256 or x5t (key left out)");
            continue;
        }
        store.add(std::move(*key));
    }
}

}  // namespace

Result<Key> key_from_uat_entry(const UatKeyEntry& entry) {
    if (entry.key_id.empty())
        return fail("key id is empty");

    std::optional<Algorithm> alg;
    if (!entry.alg.empty()) {
        alg = algorithm_from_name(entry.alg);
        if (!alg)
            return fail("key \"" + entry.key_id + "\": unsupported alg \"" + entry.alg + "\"");
    }

    Result<Key> key = fail("no key");
    if (names_a_file(entry.key)) {
        auto pem = read_text_file(entry.key);
        if (!pem)
            return fail("key \"" + entry.key_id + "\": " + pem.error().message);
        key = Key::from_pem(*pem);
        if (!key) {
            return fail("key \"" + entry.key_id + "\": " + entry.key + ": " + key.error().message);
        }
    } else {
        Bytes secret;
        if (entry.key.empty() || !from_hex(entry.key, secret)) {
            // Never echo the text: it may be a mistyped secret.
            return fail("key \"" + entry.key_id +
                        "\": neither a hex secret nor a PEM file path (a path contains '/' or "
                        "ends in .pem)");
        }
        key = Key::from_secret(secret);
        if (!key)
            return fail("key \"" + entry.key_id + "\": " + key.error().message);
    }
    key->set_kid(entry.key_id);
    key->set_alg(alg);
    return key;
}

LoadedKeys load_keys(const std::string& keys_file, std::span<const UatKeyEntry> uat_keys) {
    auto store = std::make_shared<KeyStore>();
    LoadedKeys out;

    if (!keys_file.empty()) {
        auto loaded = load_jwks_file(keys_file);
        if (loaded) {
            *store = std::move(*loaded);
        } else {
            // Name each bad key when the file can be read key by key; else
            // the engine's reason for refusing the file is the whole story.
            std::vector<std::string> per_key;
            salvage_jwks(keys_file, *store, per_key);
            if (per_key.empty())
                per_key.push_back(loaded.error().message);
            out.problems.insert(out.problems.end(), per_key.begin(), per_key.end());
        }
    }

    std::size_t row = 0;
    for (const UatKeyEntry& entry : uat_keys) {
        ++row;
        auto key = key_from_uat_entry(entry);
        if (!key) {
            out.problems.push_back("coapjws_keys row " + std::to_string(row) + ": " +
                                   key.error().message + " (key left out)");
            continue;
        }
        store->add(std::move(*key));
    }

    out.keys = std::move(store);
    return out;
}

}  // namespace coapjws::plugin
