#include "key_sources.hpp"

#include <utility>

#include "coapjws/algorithm.hpp"
#include "coapjws/bytes.hpp"

namespace coapjws::plugin {

namespace {

bool names_a_file(std::string_view key) {
    return key.find('/') != std::string_view::npos ||
           (key.size() >= 4 && key.substr(key.size() - 4) == ".pem");
}

KeyIssue refused_row(KeyIssueCode code, const std::string& who, const std::string& problem) {
    return KeyIssue{code, std::nullopt, who + ": " + problem};
}

std::string problem_text(const KeyIssue& issue) {
    switch (issue.level()) {
        case KeyIssueLevel::file_refused:
            return issue.message + " (no key loaded from it)";
        case KeyIssueLevel::key_left_out:
            return issue.message;
        case KeyIssueLevel::warning:
            return "warning: " + issue.message;
    }
    return issue.message;
}

}  // namespace

UatKeyLoad load_uat_entry(const UatKeyEntry& entry) {
    UatKeyLoad out;
    if (entry.key_id.empty()) {
        out.issues.push_back(
            refused_row(KeyIssueCode::key_without_identifier, "key", "key id is empty"));
        return out;
    }
    const std::string who = "key \"" + entry.key_id + "\"";
    std::optional<Algorithm> alg;
    if (!entry.alg.empty()) {
        alg = algorithm_from_name(entry.alg);
        if (!alg) {
            out.issues.push_back(refused_row(KeyIssueCode::key_refused, who,
                                             "unsupported alg \"" + entry.alg + "\""));
            return out;
        }
    }

    std::optional<Key> key;
    if (names_a_file(entry.key)) {
        PemFileLoad pem = load_pem_file(entry.key);
        for (KeyIssue& issue : pem.issues) {
            issue.message = who + ": " + issue.message;
            out.issues.push_back(std::move(issue));
        }
        if (!pem.key)
            return out;
        key = std::move(pem.key);
    } else {
        Bytes secret;
        if (entry.key.empty() || !from_hex(entry.key, secret)) {
            // Never echo the text: it may be a mistyped secret.
            out.issues.push_back(refused_row(
                KeyIssueCode::key_refused, who,
                "neither a hex secret nor a PEM file path (a path contains '/' or ends in .pem)"));
            return out;
        }
        auto made = Key::from_secret(secret);
        if (!made) {
            out.issues.push_back(refused_row(KeyIssueCode::key_refused, who, made.error().message));
            return out;
        }
        key.emplace(std::move(*made));
    }
    key->set_kid(entry.key_id);
    key->set_alg(alg);
    // With its alg set, an HMAC secret is held to that algorithm's hash.
    if (key->type() == KeyType::oct) {
        for (KeyIssue& warning : weak_key_warnings(*key, who))
            out.issues.push_back(std::move(warning));
    }
    out.key = std::move(key);
    return out;
}

Result<Key> key_from_uat_entry(const UatKeyEntry& entry) {
    UatKeyLoad load = load_uat_entry(entry);
    if (!load.key) {
        for (const KeyIssue& issue : load.issues) {
            if (issue.level() != KeyIssueLevel::warning)
                return fail(ErrorCode::invalid_argument, issue.message);
        }
        return fail(ErrorCode::invalid_argument, "key \"" + entry.key_id + "\": no key");
    }
    return std::move(*load.key);
}

LoadedKeys load_keys(const std::string& keys_file, std::span<const UatKeyEntry> uat_keys) {
    auto store = std::make_shared<KeyStore>();
    LoadedKeys out;

    if (!keys_file.empty()) {
        const KeyFileLoad load = load_jwks_file(keys_file, *store);
        for (const KeyIssue& issue : load.issues)
            out.problems.push_back(problem_text(issue));
    }

    std::size_t row = 0;
    for (const UatKeyEntry& entry : uat_keys) {
        ++row;
        UatKeyLoad load = load_uat_entry(entry);
        const std::string where = "coapjws_keys row " + std::to_string(row) + ": ";
        for (const KeyIssue& issue : load.issues) {
            std::string text = where + issue.message;
            if (issue.level() == KeyIssueLevel::warning)
                text = "warning: " + text;
            else
                text += " (key left out)";
            out.problems.push_back(std::move(text));
        }
        if (load.key) {
            load.key->set_origin(KeyOrigin{"Keys table row " + std::to_string(row), std::nullopt});
            store->add(std::move(*load.key));
        }
    }

    out.keys = std::move(store);
    return out;
}

}  // namespace coapjws::plugin
