// The JWK Set and PEM loaders: one policy for both front ends (key_loader.hpp).
#include "coapjws/key_loader.hpp"

#include <openssl/crypto.h>

#include <string>
#include <unordered_set>
#include <utility>

#include "finding_text.hpp"
#include "jwk.hpp"
#include "key_internal.hpp"

namespace coapjws {

KeyIssueLevel level_of(KeyIssueCode code) {
    switch (code) {
        case KeyIssueCode::cannot_open:
        case KeyIssueCode::not_a_regular_file:
        case KeyIssueCode::too_large:
        case KeyIssueCode::cannot_read:
        case KeyIssueCode::not_json:
        case KeyIssueCode::not_a_jwk_set:
        case KeyIssueCode::duplicate_member:
        case KeyIssueCode::no_usable_key:
            return KeyIssueLevel::file_refused;
        case KeyIssueCode::key_refused:
        case KeyIssueCode::key_without_identifier:
        case KeyIssueCode::key_not_for_verification:
            return KeyIssueLevel::key_left_out;
        case KeyIssueCode::hmac_key_short:
        case KeyIssueCode::rsa_key_too_small:
        case KeyIssueCode::file_readable_by_others:
            return KeyIssueLevel::warning;
    }
    return KeyIssueLevel::file_refused;
}

std::string_view to_string(KeyIssueCode code) {
    switch (code) {
        case KeyIssueCode::cannot_open:
            return "cannot-open";
        case KeyIssueCode::not_a_regular_file:
            return "not-a-regular-file";
        case KeyIssueCode::too_large:
            return "too-large";
        case KeyIssueCode::cannot_read:
            return "cannot-read";
        case KeyIssueCode::not_json:
            return "not-json";
        case KeyIssueCode::not_a_jwk_set:
            return "not-a-jwk-set";
        case KeyIssueCode::duplicate_member:
            return "duplicate-member";
        case KeyIssueCode::no_usable_key:
            return "no-usable-key";
        case KeyIssueCode::key_refused:
            return "key-refused";
        case KeyIssueCode::key_without_identifier:
            return "key-without-identifier";
        case KeyIssueCode::key_not_for_verification:
            return "key-not-for-verification";
        case KeyIssueCode::hmac_key_short:
            return "hmac-key-short";
        case KeyIssueCode::rsa_key_too_small:
            return "rsa-key-too-small";
        case KeyIssueCode::file_readable_by_others:
            return "file-readable-by-others";
    }
    return "?";
}

const KeyIssue* KeyFileLoad::refusal() const {
    for (const KeyIssue& issue : issues) {
        if (issue.level() == KeyIssueLevel::file_refused)
            return &issue;
    }
    return nullptr;
}

namespace {

// Identifiers and names from the file in a message: quoted and cut short
// (identifiers are public, but a file is not always what it should be).
std::string quote(std::string_view text) {
    constexpr std::size_t max_shown = 40;
    return detail::quoted(text, max_shown);
}

std::string_view text_of(const rapidjson::Value& value) {
    return {value.GetString(), value.GetStringLength()};
}

// "key #2 (kid \"srv\")": the index in the "keys" array, from 0, and the
// first identifier the JWK carries, even when the JWK is otherwise broken.
std::string key_label(const rapidjson::Value& jwk, std::size_t index) {
    std::string label = "key #" + std::to_string(index);
    if (!jwk.IsObject())
        return label;
    for (const char* name : {"kid", "x5t#S256", "x5t"}) {
        auto it = jwk.FindMember(name);
        if (it != jwk.MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0)
            return label + " (" + name + ' ' + quote(text_of(it->value)) + ')';
    }
    return label;
}

// RFC 7517 §4.2/§4.3: a key whose "use" is not "sig", or whose "key_ops"
// do not include "verify", is not meant to verify signatures. (Their types
// were checked when the JWK was read.)
std::optional<std::string> not_for_verification(const rapidjson::Value& jwk) {
    if (auto use = jwk.FindMember("use"); use != jwk.MemberEnd() && use->value.IsString()) {
        if (text_of(use->value) != "sig")
            return "use " + quote(text_of(use->value)) + " is not for signatures";
    }
    if (auto ops = jwk.FindMember("key_ops"); ops != jwk.MemberEnd() && ops->value.IsArray()) {
        for (const auto& op : ops->value.GetArray()) {
            if (op.IsString() && text_of(op) == "verify")
                return std::nullopt;
        }
        return "key_ops does not include \"verify\"";
    }
    return std::nullopt;
}

// A member of the set's object given twice: parsers disagree on which copy
// counts (RapidJSON finds the first, others keep the last).
std::optional<std::string> repeated_member(const rapidjson::Value& object) {
    std::unordered_set<std::string_view> seen;
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
        if (!seen.insert(text_of(it->name)).second)
            return text_of(it->name).empty() ? std::string("\"\"") : quote(text_of(it->name));
    }
    return std::nullopt;
}

// Wipes a buffer that held key material when it goes out of scope.
struct WipeOnExit {
    std::string& text;
    ~WipeOnExit() { OPENSSL_cleanse(text.data(), text.size()); }
};

enum class Policy { leave_out_bad_keys, all_or_nothing };

struct SetLoad {
    KeyFileLoad load;
    bool holds_private = false;  // a key with private or secret material was added
};

KeyIssue issue(KeyIssueCode code, std::optional<std::size_t> index, std::string message) {
    return KeyIssue{code, index, std::move(message)};
}

// The JWK Set in `json` into `store`. With all_or_nothing the first problem
// refuses the set and nothing is added.
SetLoad load_set(KeyStore& store, std::string_view json, const std::string& source, Policy policy) {
    SetLoad out;
    std::vector<KeyIssue>& issues = out.load.issues;
    auto refuse = [&](KeyIssueCode code, std::string problem) {
        issues.push_back(issue(code, std::nullopt, source + ": " + std::move(problem)));
        return std::move(out);
    };
    if (json.find('\0') != std::string_view::npos)
        return refuse(KeyIssueCode::not_json, "not valid JSON: holds a NUL byte");

    // Parsed in place in a copy that is wiped afterwards: the secrets' text
    // is not left behind in freed memory.
    std::string buffer(json);
    WipeOnExit wipe{buffer};
    rapidjson::Document doc;
    doc.ParseInsitu(buffer.data());
    if (doc.HasParseError())
        return refuse(KeyIssueCode::not_json, "not valid JSON: " + detail::json_error(doc));
    if (!doc.IsObject())
        return refuse(KeyIssueCode::not_a_jwk_set, "not a JWK Set: not a JSON object");
    if (auto name = repeated_member(doc))
        return refuse(KeyIssueCode::duplicate_member, "member " + *name + " appears twice");
    const rapidjson::Value& root = doc;  // const iterators: unambiguous == in C++20
    auto keys = root.FindMember("keys");
    if (keys == root.MemberEnd())
        return refuse(KeyIssueCode::not_a_jwk_set, "not a JWK Set: no \"keys\" member");
    if (!keys->value.IsArray())
        return refuse(KeyIssueCode::not_a_jwk_set, "not a JWK Set: \"keys\" is not an array");

    const bool strict = policy == Policy::all_or_nothing;
    const std::string left_out = strict ? "" : "; key left out";
    std::vector<Key> loaded;
    loaded.reserve(keys->value.Size());
    std::size_t index = 0;
    for (const auto& jwk : keys->value.GetArray()) {
        const std::size_t i = index++;
        const std::string who = source + ": " + key_label(jwk, i);
        auto leave_out = [&](KeyIssueCode code, const std::string& problem) {
            issues.push_back(issue(code, i, who + ": " + problem + left_out));
        };
        auto key = detail::key_from_jwk_value(jwk);
        if (!key) {
            leave_out(KeyIssueCode::key_refused, key.error().message);
        } else if (key->kid().empty() && key->x5t_s256().empty() && key->x5t().empty()) {
            leave_out(KeyIssueCode::key_without_identifier,
                      "no identifier (kid, x5t#S256 or x5t): it could never be found");
        } else if (auto why = not_for_verification(jwk)) {
            leave_out(KeyIssueCode::key_not_for_verification, *why);
        } else {
            for (KeyIssue& warning : weak_key_warnings(*key, who)) {
                warning.key_index = i;
                issues.push_back(std::move(warning));
            }
            out.holds_private = out.holds_private || key->has_private();
            key->set_origin(KeyOrigin{source, i});
            loaded.push_back(std::move(*key));
            continue;
        }
        if (strict) {
            // The first problem is the whole story.
            KeyIssue first = std::move(issues.back());
            issues.assign(1, std::move(first));
            return out;
        }
    }
    if (loaded.empty()) {
        return refuse(KeyIssueCode::no_usable_key,
                      index == 0
                          ? "no usable key: \"keys\" is empty"
                          : "no usable key: " +
                                (index == 1 ? std::string("its only key was")
                                            : "all " + std::to_string(index) + " keys were") +
                                " left out");
    }
    // Only a set that is not refused adds its keys.
    out.load.keys_added = loaded.size();
    for (auto& key : loaded)
        store.add(std::move(key));
    return out;
}

// The kind of failure a refusing issue is, for the all-or-nothing loaders.
ErrorCode error_code_of(KeyIssueCode code) {
    switch (code) {
        case KeyIssueCode::cannot_open:
            return ErrorCode::not_found;
        case KeyIssueCode::cannot_read:
            return ErrorCode::io;
        case KeyIssueCode::too_large:
            return ErrorCode::too_large;
        case KeyIssueCode::not_a_regular_file:
            return ErrorCode::invalid_argument;
        case KeyIssueCode::key_refused:
        case KeyIssueCode::key_not_for_verification:
        case KeyIssueCode::rsa_key_too_small:
            return ErrorCode::refused;
        case KeyIssueCode::not_json:
        case KeyIssueCode::not_a_jwk_set:
        case KeyIssueCode::duplicate_member:
        case KeyIssueCode::no_usable_key:
        case KeyIssueCode::key_without_identifier:
        case KeyIssueCode::hmac_key_short:
        case KeyIssueCode::file_readable_by_others:
            break;
    }
    return ErrorCode::malformed;
}

Result<KeyStore> strict_result(KeyStore store, const KeyFileLoad& load) {
    for (const KeyIssue& issue : load.issues) {
        if (issue.level() != KeyIssueLevel::warning)
            return fail(error_code_of(issue.code), issue.message);
    }
    return store;
}

std::string readable_by_others_text(const std::string& path) {
    return path +
           ": holds private or secret keys but its group or others may read it (chmod 600 it)";
}

}  // namespace

std::vector<KeyIssue> weak_key_warnings(const Key& key, std::string_view who) {
    std::vector<KeyIssue> out;
    const std::string prefix = std::string(who) + ": ";
    if (key.type() == KeyType::oct) {
        // RFC 7518 §3.2: the key must be at least as long as the hash. With
        // an alg that is the one hash; without, every HS algorithm it may serve.
        std::string short_for;
        for (Algorithm alg : {Algorithm::HS256, Algorithm::HS384, Algorithm::HS512}) {
            if (key.alg() && *key.alg() != alg)
                continue;
            const unsigned hash_bits = algorithm_hash_bits(alg);
            if (key.bits() >= hash_bits)
                continue;
            if (!short_for.empty())
                short_for += ", ";
            short_for +=
                std::string(algorithm_name(alg)) + " (" + std::to_string(hash_bits) + " bits)";
        }
        if (!short_for.empty()) {
            out.push_back(issue(KeyIssueCode::hmac_key_short, std::nullopt,
                                prefix + "HMAC key has " + std::to_string(key.bits()) +
                                    " bits, shorter than the hash of " + short_for +
                                    " (RFC 7518 section 3.2)"));
        }
    }
    if (key.type() == KeyType::rsa && key.bits() < detail::min_rsa_bits) {
        out.push_back(issue(KeyIssueCode::rsa_key_too_small, std::nullopt,
                            prefix + "RSA modulus has " + std::to_string(key.bits()) +
                                " bits: it will never verify (at least " +
                                std::to_string(detail::min_rsa_bits) + " needed)"));
    }
    return out;
}

KeyFileLoad add_jwks(KeyStore& store, std::string_view json, std::string_view source_name) {
    const std::string source = source_name.empty() ? "JWK Set" : std::string(source_name);
    return load_set(store, json, source, Policy::leave_out_bad_keys).load;
}

KeyFileLoad load_jwks_file(const std::string& path, KeyStore& store) {
    KeyFileText file;
    if (auto refused = read_key_file(path, file))
        return KeyFileLoad{{std::move(*refused)}, 0};
    SetLoad set = load_set(store, file.text(), path, Policy::leave_out_bad_keys);
    if (!set.load.refused() && set.holds_private && file.readable_by_others()) {
        set.load.issues.push_back(issue(KeyIssueCode::file_readable_by_others, std::nullopt,
                                        readable_by_others_text(path)));
    }
    return std::move(set.load);
}

PemFileLoad load_pem_file(const std::string& path) {
    PemFileLoad out;
    KeyFileText file;
    if (auto refused = read_key_file(path, file)) {
        out.issues.push_back(std::move(*refused));
        return out;
    }
    Result<Key> key = Key::from_pem(file.text());
    if (!key) {
        out.issues.push_back(
            issue(KeyIssueCode::key_refused, std::nullopt, path + ": " + key.error().message));
        return out;
    }
    for (KeyIssue& warning : weak_key_warnings(*key, path))
        out.issues.push_back(std::move(warning));
    if (key->has_private() && file.readable_by_others()) {
        out.issues.push_back(issue(KeyIssueCode::file_readable_by_others, std::nullopt,
                                   readable_by_others_text(path)));
    }
    out.key.emplace(std::move(*key));
    return out;
}

Result<KeyStore> load_jwks_file_strict(const std::string& path) {
    KeyFileText file;
    if (auto refused = read_key_file(path, file))
        return fail(error_code_of(refused->code), refused->message);
    KeyStore store;
    SetLoad set = load_set(store, file.text(), path, Policy::all_or_nothing);
    return strict_result(std::move(store), set.load);
}

Result<KeyStore> parse_jwks(std::string_view json, std::string_view source_name) {
    const std::string source = source_name.empty() ? "JWK Set" : std::string(source_name);
    KeyStore store;
    SetLoad set = load_set(store, json, source, Policy::all_or_nothing);
    return strict_result(std::move(store), set.load);
}

}  // namespace coapjws
