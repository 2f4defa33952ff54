// The JOSE header of a JWS option (spec §2), parsed with RapidJSON's SAX
// reader: one pass, full validation, duplicate member names detected on the
// unescaped names, and numbers seen as their exact source text so `seq` rules
// (no sign, fraction or exponent) are checked on what was sent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coapjws/algorithm.hpp"
#include "coapjws/coap_message.hpp"
#include "coapjws/result.hpp"

namespace coapjws {

enum class KeyIdSource : std::uint8_t { kid, x5t_s256, x5t };
std::string_view to_string(KeyIdSource source);  // "kid", "x5t#S256", "x5t"

// Where a value sits in the header text: its JSON token as sent (a string
// with its quotes and escapes), so a front end can point at its bytes.
struct TextSpan {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
};

// The value tokens of the profile's members, as the reader met them.
struct JoseHeaderSpans {
    TextSpan alg, kid, x5t, x5t_s256, seq, isi;
    TextSpan crit;                     // the whole array
    std::vector<TextSpan> crit_names;  // each element, in order
};

struct JoseHeader {
    std::string alg;                     // as sent; REQUIRED
    std::optional<Algorithm> algorithm;  // set when `alg` names a supported algorithm
    std::optional<std::string> kid;
    std::optional<std::string> x5t;
    std::optional<std::string> x5t_s256;
    std::optional<std::uint32_t> seq;
    std::optional<std::string> isi;  // "01", "10" or "11" when present
    std::optional<std::vector<std::string>> crit;
    JoseHeaderSpans spans;  // of the members above that are present

    bool alg_is_none() const { return alg == "none"; }
    // kid, else x5t#S256, else x5t; nullptr when none is present.
    const std::string* key_id() const;
    std::optional<KeyIdSource> key_id_source() const;
    // The isi a response is treated with: absent means "01".
    std::string_view effective_isi() const { return isi ? std::string_view(*isi) : "01"; }
    bool isi_binds_request_tid() const;  // "01" or "11"
    bool isi_has_own_tid() const;        // "10" or "11"
    // Names in `crit` other than "seq" and "isi" (empty when crit is absent).
    std::vector<std::string> unknown_crit() const;
    // Back to an empty header, keeping the buffers' capacity.
    void reset();
};

// Structural rules that hold for any message: a JSON object in valid UTF-8,
// no duplicate member names, `alg` a string, `kid`/`x5t`/`x5t#S256` strings,
// `seq` an integer 0..4294967295 written as plain digits, `isi` one of
// "01"/"10"/"11", `crit` a non-empty array of strings each naming a member
// present in the header. Nesting deeper than 16 levels is rejected. Any
// violation is an Error (a `malformed` finding) naming the member.
Result<JoseHeader> parse_jose_header(std::string_view json);
// The same into `out`, which is reset first: a caller parsing a header per
// message reuses one JoseHeader instead of making and moving a new one.
// After an error `out` holds whatever was read before it.
Status parse_jose_header(std::string_view json, JoseHeader& out);

// Rules that depend on the message kind: a request needs a key identifier and
// `seq`; a response with isi "10"/"11" needs both too. (A request's `isi` is
// not an error here: the session reports it as `isi-in-request`.)
Status check_header_for_kind(const JoseHeader& header, MessageKind kind);

}  // namespace coapjws
