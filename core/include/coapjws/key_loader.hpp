// Loading keys from files: the one way keys enter both front ends.
//
// A key file is read under fixed rules (a regular file only, opened without
// blocking and checked with fstat before anything is read, at most
// max_key_file_size bytes, the text wiped once parsed), and every problem
// comes back as a KeyIssue with a stable code and, for one key, its index in
// "keys" counted from 0. The policy is the same everywhere: a key that cannot
// be used is left out with an issue and the others load; a file that cannot
// be read, is not a JWK Set, or has no usable key at all is refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coapjws/key.hpp"
#include "coapjws/key_store.hpp"
#include "coapjws/result.hpp"

namespace coapjws {

// A key file larger than this is refused without being read.
inline constexpr std::size_t max_key_file_size = 16u << 20;

// Stable codes; to_string() gives their names ("not-a-regular-file").
enum class KeyIssueCode : std::uint8_t {
    // The file is refused: nothing is loaded from it.
    cannot_open,         // open(2) failed: missing, no permission
    not_a_regular_file,  // a directory, FIFO, device or socket
    too_large,           // over max_key_file_size
    cannot_read,         // read(2) or fstat(2) failed
    not_json,
    not_a_jwk_set,     // not an object, no "keys" array
    duplicate_member,  // a member of the set, such as "keys", given twice
    no_usable_key,     // "keys" is empty, or every key was left out
    // One key is left out; the others load.
    key_refused,               // a JWK that cannot be a key (Key::from_jwk's errors)
    key_without_identifier,    // no kid, x5t#S256 or x5t: it could never be found
    key_not_for_verification,  // "use" other than "sig", or "key_ops" without "verify"
    // Warnings: the key (or file) is used.
    hmac_key_short,           // shorter than an HS algorithm's hash (RFC 7518 §3.2)
    rsa_key_too_small,        // under 2048 bits: loads, never fits
    file_readable_by_others,  // holds private or secret keys, mode lets group/others read it
};

enum class KeyIssueLevel : std::uint8_t {
    file_refused,  // nothing loaded from the file
    key_left_out,  // that key is not used
    warning,       // used, but worth a word
};

KeyIssueLevel level_of(KeyIssueCode code);
std::string_view to_string(KeyIssueCode code);

struct KeyIssue {
    KeyIssueCode code = KeyIssueCode::cannot_open;
    std::optional<std::size_t> key_index;  // in "keys", from 0; unset for the file
    // One line naming the file, the key and the problem, never a secret:
    // `keys.jwks: key #2 (kid "srv"): crv "P-999" is not supported (P-256,
    // P-384, P-521); key left out`.
    std::string message;

    KeyIssueLevel level() const { return level_of(code); }
};

// What loading one file did.
struct KeyFileLoad {
    std::vector<KeyIssue> issues;  // in the order found; the refusal, if any, last
    std::size_t keys_added = 0;

    // The refusal of the whole file, or nullptr when its keys were loaded.
    const KeyIssue* refusal() const;
    bool refused() const { return refusal() != nullptr; }
};

// The text of a key file, wiped (OPENSSL_cleanse) when released.
class KeyFileText {
  public:
    KeyFileText() = default;
    KeyFileText(KeyFileText&& other) noexcept;
    KeyFileText& operator=(KeyFileText&& other) noexcept;
    KeyFileText(const KeyFileText&) = delete;
    KeyFileText& operator=(const KeyFileText&) = delete;
    ~KeyFileText();

    std::string_view text() const { return text_; }
    // The file's mode lets its group or others read it.
    bool readable_by_others() const { return readable_by_others_; }

  private:
    friend std::optional<KeyIssue> read_key_file(const std::string& path, KeyFileText& out);
    std::string text_;
    bool readable_by_others_ = false;
};

// Reads `path` under the rules above into `out`. Returns the refusal
// (cannot_open, not_a_regular_file, too_large, cannot_read) or nothing.
// Never blocks on a FIFO and never reads more than max_key_file_size + 1 bytes.
std::optional<KeyIssue> read_key_file(const std::string& path, KeyFileText& out);

// Adds the usable keys of the JWK Set file `path` (RFC 7517 §5) to `store`.
// A refused file adds nothing. Warns when the file holds private or secret
// keys and its mode lets group or others read it.
KeyFileLoad load_jwks_file(const std::string& path, KeyStore& store);
// The same rules for a JWK Set given as text; `source_name` names it in messages.
KeyFileLoad add_jwks(KeyStore& store, std::string_view json, std::string_view source_name);

// A PEM key or certificate file (Key::from_pem), read under the same rules.
struct PemFileLoad {
    std::optional<Key> key;        // when the file gave a key
    std::vector<KeyIssue> issues;  // a refusal (no key), or warnings
};
PemFileLoad load_pem_file(const std::string& path);

// Warnings about a key that loads but is weak (hmac_key_short,
// rsa_key_too_small), each message starting with `who` ("keys.jwks: key #0
// (kid \"h\")"). An HMAC key is compared with the hash of its alg, or with
// every HS algorithm it could serve when it has none.
std::vector<KeyIssue> weak_key_warnings(const Key& key, std::string_view who);

// All or nothing, for tools that need every key of a set they wrote
// themselves (the capture generator): any key left out or refusal is an
// error; warnings are dropped. Front ends use the functions above.
Result<KeyStore> load_jwks_file_strict(const std::string& path);
Result<KeyStore> parse_jwks(std::string_view json, std::string_view source_name);

}  // namespace coapjws
