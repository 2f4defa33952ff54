// JOSE header parsing with RapidJSON's SAX reader (see docs/ARCHITECTURE.md,
// "Why RapidJSON"): one validating pass, no DOM, the unescaped member names
// for duplicate detection and the source text of numbers for `seq`.
#include "coapjws/jose_header.hpp"

#include <rapidjson/allocators.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstring>
#include <unordered_set>

#include "finding_text.hpp"

namespace coapjws {

std::string_view to_string(KeyIdSource source) {
    switch (source) {
        case KeyIdSource::kid:
            return "kid";
        case KeyIdSource::x5t_s256:
            return "x5t#S256";
        case KeyIdSource::x5t:
            return "x5t";
    }
    return "?";
}

const std::string* JoseHeader::key_id() const {
    if (kid)
        return &*kid;
    if (x5t_s256)
        return &*x5t_s256;
    if (x5t)
        return &*x5t;
    return nullptr;
}

std::optional<KeyIdSource> JoseHeader::key_id_source() const {
    if (kid)
        return KeyIdSource::kid;
    if (x5t_s256)
        return KeyIdSource::x5t_s256;
    if (x5t)
        return KeyIdSource::x5t;
    return std::nullopt;
}

bool JoseHeader::isi_binds_request_tid() const {
    const std::string_view isi_value = effective_isi();
    return isi_value == "01" || isi_value == "11";
}

bool JoseHeader::isi_has_own_tid() const {
    const std::string_view isi_value = effective_isi();
    return isi_value == "10" || isi_value == "11";
}

void JoseHeader::reset() {
    alg.clear();
    algorithm.reset();
    kid.reset();
    x5t.reset();
    x5t_s256.reset();
    seq.reset();
    isi.reset();
    crit.reset();
    spans.alg = spans.kid = spans.x5t = spans.x5t_s256 = spans.seq = spans.isi = spans.crit = {};
    spans.crit_names.clear();
}

std::vector<std::string> JoseHeader::unknown_crit() const {
    std::vector<std::string> out;
    if (!crit)
        return out;
    for (const auto& name : *crit) {
        if (name != "seq" && name != "isi")
            out.push_back(name);
    }
    return out;
}

namespace {

constexpr unsigned max_depth = 16;

// The members the profile gives rules to; everything else is `other`.
enum class Member : std::uint8_t { alg, kid, x5t, x5t_s256, seq, isi, crit, other };
constexpr std::string_view member_names[] = {"alg", "kid", "x5t", "x5t#S256", "seq", "isi", "crit"};

// Runs for every top-level name: dispatch on length before comparing.
Member identify(std::string_view name) {
    switch (name.size()) {
        case 3:
            if (name == "alg")
                return Member::alg;
            if (name == "kid")
                return Member::kid;
            if (name == "seq")
                return Member::seq;
            if (name == "isi")
                return Member::isi;
            if (name == "x5t")
                return Member::x5t;
            break;
        case 4:
            if (name == "crit")
                return Member::crit;
            break;
        case 8:
            if (name == "x5t#S256")
                return Member::x5t_s256;
            break;
        default:
            break;
    }
    return Member::other;
}

enum class JsonType : std::uint8_t { null, boolean, number, string, object, array };

std::string_view describe(JsonType type) {
    switch (type) {
        case JsonType::null:
            return "null";
        case JsonType::boolean:
            return "a boolean";
        case JsonType::number:
            return "a number";
        case JsonType::string:
            return "a string";
        case JsonType::object:
            return "an object";
        case JsonType::array:
            return "an array";
    }
    return "?";
}

// A header value in an error message, quoted and cut short.
std::string quote(std::string_view text) {
    constexpr std::size_t max_shown = 32;
    return detail::quoted(text, max_shown);
}

// RapidJSON 1.1 decodes a lone low-surrogate escape ("\udc00") into the bytes
// ED B0 80, which are not UTF-8. The raw text was validated, so ED followed by
// A0-BF in a decoded string can only come from such an escape.
bool has_surrogate(std::string_view s) {
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        if (static_cast<unsigned char>(s[i]) == 0xed &&
            (static_cast<unsigned char>(s[i + 1]) & 0xe0) == 0xa0)
            return true;
    }
    return false;
}

class HeaderHandler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, HeaderHandler> {
  public:
    // `escapes`: the text has a backslash, so decoded strings may hold what
    // only an escape can produce (a lone surrogate).
    HeaderHandler(JoseHeader& header, bool escapes, const rapidjson::MemoryStream& stream,
                  std::string_view text)
        : header_(header), escapes_(escapes), stream_(stream), text_(text) {}

    const Error& error() const { return error_; }

    // Rules checked once the whole object is read.
    bool finish() {
        if (!(seen_ & bit(Member::alg)))
            return fail(ErrorCode::malformed, "alg is missing");
        if (header_.crit) {
            for (const auto& name : *header_.crit) {
                if (!present(name))
                    return fail(ErrorCode::malformed,
                                "crit names " + quote(name) + ", which is not in the header");
            }
        }
        return true;
    }

    bool Null() { return token(value(JsonType::null, {})); }
    bool Bool(bool) { return token(value(JsonType::boolean, {})); }
    bool RawNumber(const char* str, rapidjson::SizeType length, bool) {
        return token(value(JsonType::number, {str, length}));
    }
    bool String(const char* str, rapidjson::SizeType length, bool) {
        return token(value(JsonType::string, {str, length}));
    }
    // With kParseNumbersAsStringsFlag numbers arrive as RawNumber; anything
    // else the base class routes to Default() would be a reader change.
    bool Default() { return fail(ErrorCode::malformed, "unexpected JSON event"); }

    bool StartObject() { return token(open(JsonType::object)); }
    bool StartArray() {
        if (depth_ == 1 && current_ == Member::crit)
            crit_start_ = token_start();
        return token(open(JsonType::array));
    }
    bool EndObject(rapidjson::SizeType) { return token(close(0)); }
    bool EndArray(rapidjson::SizeType count) {
        if (depth_ == 2 && in_crit())
            header_.spans.crit = span_from(crit_start_);
        return token(close(count));
    }

    bool Key(const char* str, rapidjson::SizeType length, bool) {
        return token(member_key(std::string_view(str, length)));
    }

  private:
    // Positions: RapidJSON calls each handler right after the token it read,
    // so the stream's position is where the token ends; it starts after the
    // previous token's end and the separators (whitespace, ':' or ',') that
    // the reader has already validated.
    bool token(bool ok) {
        last_end_ = stream_.Tell();
        return ok;
    }
    std::size_t token_start() const {
        std::size_t at = last_end_;
        while (at < text_.size() && is_separator(text_[at]))
            ++at;
        return at;
    }
    TextSpan span_from(std::size_t start) const {
        return {static_cast<std::uint32_t>(start),
                static_cast<std::uint32_t>(stream_.Tell() - start)};
    }
    TextSpan value_span() const { return span_from(token_start()); }

    static bool is_separator(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == ',';
    }

    bool member_key(std::string_view name) {
        if (escapes_ && has_surrogate(name))
            return fail(ErrorCode::malformed,
                        "member name " + quote(name) + " holds a lone surrogate escape");
        if (depth_ != 1)
            return true;  // names inside nested values are not ours to check
        current_ = identify(name);
        if (current_ != Member::other) {
            if (seen_ & bit(current_))
                return fail(ErrorCode::malformed, "duplicate member " + quote(name));
            seen_ |= bit(current_);
            return true;
        }
        if (!remember_other(name))
            return fail(ErrorCode::malformed, "duplicate member " + quote(name));
        return true;
    }

    static unsigned bit(Member m) { return 1u << static_cast<unsigned>(m); }

    bool fail(ErrorCode code, std::string message) {
        error_ = Error{code, std::move(message)};
        return false;
    }

    std::string member_name() const {
        return std::string(member_names[static_cast<std::size_t>(current_)]);
    }

    // Top-level names other than the profile's, kept for duplicate detection
    // and for `crit`. Few in practice: a linear scan, a hash set beyond that.
    bool remember_other(std::string_view name) {
        constexpr std::size_t linear_limit = 16;
        if (other_set_.empty()) {
            for (const auto& seen : other_names_) {
                if (seen == name)
                    return false;
            }
            other_names_.emplace_back(name);
            if (other_names_.size() > linear_limit) {
                other_set_.insert(other_names_.begin(), other_names_.end());
                other_names_.clear();
            }
            return true;
        }
        return other_set_.emplace(name).second;
    }

    bool present(std::string_view name) const {
        const Member m = identify(name);
        if (m != Member::other)
            return (seen_ & bit(m)) != 0;
        for (const auto& seen : other_names_) {
            if (seen == name)
                return true;
        }
        return other_set_.count(std::string(name)) != 0;
    }

    bool open(JsonType type) {
        if (depth_ == 0) {
            if (type != JsonType::array) {
                ++depth_;
                return true;
            }
            return fail(ErrorCode::malformed, "header is an array, not a JSON object");
        }
        if (depth_ == 1) {
            if (current_ == Member::crit && type == JsonType::array) {
                header_.crit.emplace();
            } else if (current_ != Member::other) {
                return fail(ErrorCode::malformed,
                            member_name() + " is " + std::string(describe(type)) + type_wanted());
            }
        } else if (depth_ == 2 && in_crit()) {
            return fail(ErrorCode::malformed,
                        "crit element #" + std::to_string(header_.crit->size() + 1) + " is " +
                            std::string(describe(type)) + ", not a string");
        }
        if (++depth_ > max_depth) {
            return fail(ErrorCode::malformed,
                        "header nests deeper than " + std::to_string(max_depth) + " levels");
        }
        return true;
    }

    bool close(rapidjson::SizeType count) {
        if (depth_ == 2 && in_crit() && count == 0)
            return fail(ErrorCode::malformed, "crit is an empty array");
        --depth_;
        return true;
    }

    bool in_crit() const { return current_ == Member::crit; }

    std::string type_wanted() const {
        switch (current_) {
            case Member::seq:
                return ", not an integer";
            case Member::crit:
                return ", not an array of strings";
            default:
                return ", not a string";
        }
    }

    bool value(JsonType type, std::string_view text) {
        if (escapes_ && type == JsonType::string && has_surrogate(text)) {
            return fail(ErrorCode::malformed,
                        "string " + quote(text) + " holds a lone surrogate escape");
        }
        if (depth_ == 0)
            return fail(ErrorCode::malformed,
                        "header is " + std::string(describe(type)) + ", not a JSON object");
        if (depth_ == 2 && in_crit()) {
            if (type != JsonType::string) {
                return fail(ErrorCode::malformed,
                            "crit element #" + std::to_string(header_.crit->size() + 1) + " is " +
                                std::string(describe(type)) + ", not a string");
            }
            header_.crit->emplace_back(text);
            header_.spans.crit_names.push_back(value_span());
            return true;
        }
        if (depth_ != 1)
            return true;
        return member_value(type, text);
    }

    bool member_value(JsonType type, std::string_view text) {
        switch (current_) {
            case Member::other:
                return true;
            case Member::seq:
                return seq_value(type, text);
            case Member::crit:
                return fail(ErrorCode::malformed,
                            "crit is " + std::string(describe(type)) + type_wanted());
            default:
                break;
        }
        if (type != JsonType::string) {
            return fail(ErrorCode::malformed,
                        member_name() + " is " + std::string(describe(type)) + type_wanted());
        }
        switch (current_) {
            case Member::alg:
                header_.alg.assign(text);
                header_.spans.alg = value_span();
                break;
            case Member::kid:
                header_.kid.emplace(text);
                header_.spans.kid = value_span();
                break;
            case Member::x5t:
                header_.x5t.emplace(text);
                header_.spans.x5t = value_span();
                break;
            case Member::x5t_s256:
                header_.x5t_s256.emplace(text);
                header_.spans.x5t_s256 = value_span();
                break;
            case Member::isi:
                if (text != "01" && text != "10" && text != "11") {
                    return fail(ErrorCode::malformed,
                                "isi " + quote(text) + " is not \"01\", \"10\" or \"11\"");
                }
                header_.isi.emplace(text);
                header_.spans.isi = value_span();
                break;
            default:
                break;
        }
        return true;
    }

    // `seq` is judged on the digits as written: JSON allows -0, 1.0 and 1e2
    // for values a JSON library would happily call integers; the profile does not.
    bool seq_value(JsonType type, std::string_view text) {
        if (type != JsonType::number)
            return fail(ErrorCode::malformed,
                        "seq is " + std::string(describe(type)) + ", not an integer");
        if (text.front() == '-')
            return fail(ErrorCode::malformed, "seq " + quote(text) + " has a sign");
        if (text.find('.') != std::string_view::npos)
            return fail(ErrorCode::malformed, "seq " + quote(text) + " has a fraction");
        if (text.find_first_of("eE") != std::string_view::npos) {
            return fail(ErrorCode::malformed, "seq " + quote(text) + " has an exponent");
        }
        // JSON forbids leading zeros, so more than 10 digits is always too big.
        std::uint64_t v = 0;
        if (text.size() <= 10) {
            for (char c : text)
                v = v * 10 + static_cast<unsigned>(c - '0');
        }
        if (text.size() > 10 || v > 0xffffffffULL)
            return fail(ErrorCode::too_large, "seq " + quote(text) + " exceeds 4294967295");
        header_.seq = static_cast<std::uint32_t>(v);
        header_.spans.seq = value_span();
        return true;
    }

    JoseHeader& header_;
    bool escapes_;
    const rapidjson::MemoryStream& stream_;
    std::string_view text_;
    std::size_t last_end_ = 0;    // where the previous token ended
    std::size_t crit_start_ = 0;  // where crit's array began
    Error error_;
    unsigned depth_ = 0;
    Member current_ = Member::other;
    unsigned seen_ = 0;
    std::vector<std::string> other_names_;
    std::unordered_set<std::string> other_set_;
};

}  // namespace

namespace {

// Whether the text is all ASCII, and whether it has a backslash. Eight bytes
// at a time: this runs over every header.
struct TextShape {
    bool ascii = true;
    bool backslash = false;
};
TextShape shape_of(std::string_view text) {
    constexpr std::uint64_t high_bits = 0x8080808080808080ULL;
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t backslashes = ones * static_cast<std::uint8_t>('\\');
    std::uint64_t high = 0;
    bool backslash = false;
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        high |= word;
        // A zero byte in word ^ backslashes is a backslash (the classic
        // has-zero-byte test; exact for bytes below 0x80, and a non-ASCII
        // text is validated in full anyway).
        const std::uint64_t x = word ^ backslashes;
        backslash = backslash || ((x - ones) & ~x & high_bits) != 0;
    }
    for (; i < text.size(); ++i) {
        high |= static_cast<unsigned char>(text[i]);
        backslash = backslash || text[i] == '\\';
    }
    return {(high & high_bits) == 0, backslash};
}

// kParseNumbersAsStringsFlag: numbers as their source text (`seq` rules).
// No kParseIterativeFlag: the handler refuses a 17th level of nesting in
// StartObject/StartArray, before the reader descends, so the recursive
// reader never goes deeper than that, and it is the faster of the two.
constexpr unsigned base_flags = rapidjson::kParseNumbersAsStringsFlag;

template <unsigned flags>
Status parse_with(std::string_view json, bool escapes, JoseHeader& header) {
    // The reader's work stack (decoded strings, nesting state) lives in a
    // buffer on our stack; only an unusually large header spills to the heap.
    alignas(std::max_align_t) char pool_buffer[1024];
    rapidjson::MemoryPoolAllocator<> pool(pool_buffer, sizeof pool_buffer);
    rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>>
        reader(&pool, 256);

    rapidjson::MemoryStream stream(json.data(), json.size());
    HeaderHandler handler(header, escapes, stream, json);
    const rapidjson::ParseResult result = reader.Parse<flags>(stream, handler);
    if (result.IsError()) {
        if (result.Code() == rapidjson::kParseErrorTermination)
            return handler.error();
        return fail(ErrorCode::malformed, std::string("header is not valid JSON: ") +
                                              rapidjson::GetParseError_En(result.Code()) +
                                              " (offset " + std::to_string(result.Offset()) + ")");
    }
    // The stream reports a NUL byte as its end, so the reader stops there:
    // anything left means a NUL and trailing bytes after the object.
    if (stream.Tell() != json.size()) {
        return fail(ErrorCode::malformed,
                    "header has trailing data after the JSON object (offset " +
                        std::to_string(stream.Tell()) + ")");
    }
    if (!handler.finish())
        return handler.error();
    header.algorithm = algorithm_from_name(header.alg);
    return {};
}

}  // namespace

Status parse_jose_header(std::string_view json, JoseHeader& out) {
    out.reset();
    // ASCII is valid UTF-8, so the reader's UTF-8 validation (a fifth of the
    // parse) only runs for text that has other bytes; the verdict is the same.
    const TextShape shape = shape_of(json);
    if (shape.ascii)
        return parse_with<base_flags>(json, shape.backslash, out);
    return parse_with<base_flags | rapidjson::kParseValidateEncodingFlag>(json, true, out);
}

Result<JoseHeader> parse_jose_header(std::string_view json) {
    JoseHeader header;
    if (Status parsed = parse_jose_header(json, header); !parsed)
        return parsed.error();
    return header;
}

Status check_header_for_kind(const JoseHeader& header, MessageKind kind) {
    const bool needs_tid =
        kind == MessageKind::request || (kind == MessageKind::response && header.isi_has_own_tid());
    if (!needs_tid)
        return {};
    const char* what = kind == MessageKind::request ? "request" : "response with isi \"10\"/\"11\"";
    if (!header.key_id()) {
        return fail(ErrorCode::malformed,
                    std::string(what) + " header has no key identifier (kid, x5t#S256 or x5t)");
    }
    if (!header.seq)
        return fail(ErrorCode::malformed, std::string(what) + " header has no seq");
    return {};
}

}  // namespace coapjws
