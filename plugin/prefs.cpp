#include "prefs.hpp"

#include <cstring>
#include <exception>
#include <string>

#include "key_sources.hpp"
#include "ws.hpp"

namespace coapjws::plugin {

namespace {

// Preference storage: Wireshark owns the strings and writes these variables.
const char* pref_keys_file = "";
guint pref_option_number = option::jws_default;
const char* pref_signed_options = default_signed_options;
guint pref_window = default_window;
wscompat::PrefBool pref_header_json = default_header_json;

void (*change_callback)() = nullptr;

// ---- the `coapjws_keys` table -------------------------------------------

// One UAT record; the UAT machinery copies it with memcpy-like semantics
// through the callbacks below, so it stays a C struct of owned C strings.
struct KeyRecord {
    char* key_id;
    char* alg;
    char* key;
};

KeyRecord* key_records = nullptr;
guint key_record_count = 0;

std::string text_of(const char* s) {
    return s ? std::string(s) : std::string();
}

UatKeyEntry entry_of(const KeyRecord& record) {
    return {text_of(record.key_id), text_of(record.alg), text_of(record.key)};
}

void* key_record_copy(void* dest, const void* source, size_t) {
    auto* to = static_cast<KeyRecord*>(dest);
    const auto* from = static_cast<const KeyRecord*>(source);
    to->key_id = g_strdup(from->key_id);
    to->alg = g_strdup(from->alg);
    to->key = g_strdup(from->key);
    return to;
}

void key_record_free(void* record) {
    auto* r = static_cast<KeyRecord*>(record);
    g_free(r->key_id);
    g_free(r->alg);
    if (r->key) {
        // The secret should not linger in freed memory.
        volatile char* p = r->key;
        while (*p)
            *p++ = 0;
    }
    g_free(r->key);
}

// Checks a row when it is entered or loaded: the key must be usable. The
// error names the row's key id and the problem, never the secret.
wscompat::UatCheckResult key_record_update(void* record, char** error) {
    try {
        const auto result = key_from_uat_entry(entry_of(*static_cast<KeyRecord*>(record)));
        if (result)
            return wscompat::uat_valid;
        *error = g_strdup(result.error().message.c_str());
    } catch (const std::exception& e) {
        *error = g_strdup(e.what());
    } catch (...) {
        *error = g_strdup("unexpected error");
    }
    return wscompat::uat_invalid;
}

void key_records_changed() {
    if (change_callback)
        change_callback();
}

// Field callbacks: each field is a C string owned by the record. (Wireshark's
// macros, so the callback signatures follow the Wireshark version.)
UAT_CSTRING_CB_DEF(coapjws_keys, key_id, KeyRecord)
UAT_CSTRING_CB_DEF(coapjws_keys, alg, KeyRecord)
UAT_CSTRING_CB_DEF(coapjws_keys, key, KeyRecord)

uat_t* register_key_table() {
    static uat_field_t key_fields[] = {
        UAT_FLD_CSTRING(coapjws_keys, key_id, "Key ID",
                        "Matched against the JOSE header's kid, x5t#S256 or x5t"),
        UAT_FLD_CSTRING(
            coapjws_keys, alg, "Algorithm",
            "Optional: the only algorithm this key verifies (HS256, ES256, EdDSA, ...)"),
        UAT_FLD_CSTRING(coapjws_keys, key, "Key",
                        "A shared secret in hex, or the path of a PEM public key (a path contains "
                        "'/' or ends in .pem)"),
        UAT_END_FIELDS};

    return uat_new("CoAP-JWS Keys", sizeof(KeyRecord), "coapjws_keys", TRUE, &key_records,
                   &key_record_count, UAT_AFFECTS_DISSECTION,
                   nullptr,  // no help page
                   key_record_copy, key_record_update, key_record_free, key_records_changed,
                   nullptr,  // no reset callback
                   key_fields);
}

void prefs_applied() {
    if (change_callback)
        change_callback();
}

}  // namespace

void register_prefs(int proto, void (*on_change)()) {
    change_callback = on_change;
    module_t* module = prefs_register_protocol(proto, prefs_applied);

    prefs_register_filename_preference(
        module, "keys_file", "Keys file (JWK Set)",
        "A JSON Web Key Set ({\"keys\":[...]}, RFC 7517) with the keys that verify JWS "
        "options, found by kid, x5t#S256 or x5t. Secret members are never shown.",
        &pref_keys_file, FALSE);
    prefs_register_uint_preference(module, "option_number", "JWS option number",
                                   "The CoAP option number that carries the JWS (65021 by "
                                   "default)",
                                   10, &pref_option_number);
    prefs_register_string_preference(
        module, "signed_options", "Signed options",
        "Comma-separated CoAP option numbers (or names) whose values are signed. Default: "
        "1,4,5,8,11,12,15,17,20",
        &pref_signed_options);
    prefs_register_uint_preference(module, "window", "Replay window size",
                                   "How many sequence numbers below the highest one seen are "
                                   "still accepted once (32 by default)",
                                   10, &pref_window);
    prefs_register_bool_preference(
        module, "header_json", "Show the header as JSON",
        "Also hand the decoded JOSE header to Wireshark's JSON dissector, which shows its whole "
        "structure (json.* fields, members the profile does not know included). The header's "
        "own fields (coapjws.alg, coapjws.kid, ...) are shown either way; switching this off "
        "makes tshark -V and -T fields faster.",
        &pref_header_json);
    prefs_register_uat_preference(module, "keys_table", "Keys",
                                  "Keys kept in Wireshark: key ID, optional algorithm, and a hex "
                                  "secret or the path of a PEM public key",
                                  register_key_table());
}

PluginSettings current_settings() {
    PluginSettings settings;
    settings.keys_file = text_of(pref_keys_file);
    settings.option_number = pref_option_number;
    settings.signed_options = text_of(pref_signed_options);
    settings.window = pref_window;
    settings.header_json = pref_header_json != 0;
    settings.uat_keys.reserve(key_record_count);
    for (guint i = 0; i < key_record_count; ++i)
        settings.uat_keys.push_back(entry_of(key_records[i]));
    return settings;
}

}  // namespace coapjws::plugin
