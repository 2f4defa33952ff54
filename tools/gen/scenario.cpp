#include "gen/scenario.hpp"

#include <filesystem>

#include "coapjws/finding.hpp"
#include "gen/coap_values.hpp"
#include "gen/json_util.hpp"
#include "gen/try.hpp"

namespace coapjws::gen {

namespace {

constexpr std::int64_t default_start_seconds = 1709287200;  // 2024-03-01T10:00:00Z

std::string at(std::string_view where, std::string_view name) {
    return std::string(where) + "." + std::string(name);
}

Result<Bytes> hex_bytes(const JsonValue& value, std::string_view where) {
    if (!value.IsString())
        return fail(ErrorCode::invalid_argument, std::string(where) + ": expected a hex string");
    Bytes out;
    if (!from_hex(std::string_view(value.GetString(), value.GetStringLength()), out)) {
        return fail(ErrorCode::invalid_argument, std::string(where) + ": not valid hex");
    }
    return out;
}

Result<std::optional<Bytes>> optional_hex(const JsonValue& object, std::string_view name,
                                          std::string_view where) {
    const JsonValue* v = member(object, name);
    if (!v)
        return std::optional<Bytes>{};
    GEN_TRY(Bytes bytes, hex_bytes(*v, at(where, name)));
    return std::optional<Bytes>{std::move(bytes)};
}

Result<std::optional<std::uint16_t>> optional_u16(const JsonValue& object, std::string_view name,
                                                  std::string_view where) {
    GEN_TRY(auto value, optional_int(object, name, where));
    if (!value)
        return std::optional<std::uint16_t>{};
    if (*value < 0 || *value > 65535)
        return fail(ErrorCode::invalid_argument, at(where, name) + ": must be 0..65535");
    return std::optional<std::uint16_t>{static_cast<std::uint16_t>(*value)};
}

Result<std::vector<std::uint16_t>> u16_array(const JsonValue& value, std::string_view where) {
    if (!value.IsArray())
        return fail(ErrorCode::invalid_argument,
                    std::string(where) + ": expected an array of integers");
    std::vector<std::uint16_t> out;
    for (const auto& item : value.GetArray()) {
        if (!item.IsInt() || item.GetInt() < 0 || item.GetInt() > 65535) {
            return fail(ErrorCode::invalid_argument,
                        std::string(where) + ": expected integers 0..65535");
        }
        out.push_back(static_cast<std::uint16_t>(item.GetInt()));
    }
    return out;
}

Result<Mac> parse_mac(std::string_view text, std::string_view where) {
    Bytes bytes;
    if (!from_hex(text, bytes) || bytes.size() != 6) {
        return fail(ErrorCode::invalid_argument,
                    std::string(where) + ": expected a MAC address like 02:00:00:00:00:01");
    }
    Mac mac{};
    std::copy(bytes.begin(), bytes.end(), mac.begin());
    return mac;
}

// A locally administered unicast MAC derived from the address, so endpoints
// on one host share it and different hosts differ.
Mac derived_mac(const Address& address) {
    const std::size_t tail = address.family == AddressFamily::ipv4 ? 0 : 12;
    return {0x02,
            0x00,
            address.bytes[tail],
            address.bytes[tail + 1],
            address.bytes[tail + 2],
            address.bytes[tail + 3]};
}

Result<EndpointSpec> parse_endpoint(const std::string& name, const JsonValue& value,
                                    std::string_view where) {
    GEN_CHECK(check_members(value, {"address", "port", "mac", "capture_host"}, where));
    EndpointSpec spec;
    spec.name = name;
    GEN_TRY(std::string address_text, required_string(value, "address", where));
    auto address = Address::parse(address_text);
    if (!address)
        return fail(ErrorCode::invalid_argument,
                    at(where, "address") + ": not an IPv4 or IPv6 address");
    spec.frame.endpoint.address = *address;
    GEN_TRY(auto port, optional_u16(value, "port", where));
    if (!port)
        return fail(ErrorCode::invalid_argument, at(where, "port") + ": required");
    spec.frame.endpoint.port = *port;
    GEN_TRY(auto mac_text, optional_string(value, "mac", where));
    if (mac_text) {
        GEN_TRY(spec.frame.mac, parse_mac(*mac_text, at(where, "mac")));
    } else {
        spec.frame.mac = derived_mac(*address);
    }
    GEN_TRY(auto capture_host, optional_bool(value, "capture_host", where));
    spec.frame.capture_host = capture_host.value_or(false);
    return spec;
}

Result<LinkType> link_type_named(std::string_view type, std::string_view where) {
    if (type == "ethernet")
        return LinkType::ethernet;
    if (type == "sll")
        return LinkType::sll;
    if (type == "sll2")
        return LinkType::sll2;
    if (type == "raw")
        return LinkType::raw;
    if (type == "null")
        return LinkType::null;
    return fail(ErrorCode::invalid_argument,
                std::string(where) + ": link type must be ethernet, sll, sll2, raw or null");
}

Result<LinkSpec> parse_link(const JsonValue& value, std::string_view where) {
    LinkSpec link;
    std::string type;
    if (value.IsString()) {
        type = value.GetString();
    } else {
        GEN_CHECK(check_members(value, {"type", "vlan"}, where));
        GEN_TRY(type, required_string(value, "type", where));
        if (const JsonValue* vlan = member(value, "vlan")) {
            GEN_TRY(link.vlan, u16_array(*vlan, at(where, "vlan")));
        }
    }
    GEN_TRY(link.type, link_type_named(type, where));
    return link;
}

Result<AnalysisSpec> parse_analysis(const JsonValue& value, std::string_view where) {
    GEN_CHECK(check_members(value, {"option", "window", "signed_options", "ports"}, where));
    AnalysisSpec spec;
    GEN_TRY(auto option_number, optional_u16(value, "option", where));
    if (option_number)
        spec.jws_option = *option_number;
    GEN_TRY(auto window, optional_int(value, "window", where));
    if (window) {
        if (*window < 1 || *window > 65536)
            return fail(ErrorCode::invalid_argument, at(where, "window") + ": must be 1..65536");
        spec.window = static_cast<std::uint32_t>(*window);
    }
    GEN_TRY(auto signed_options, optional_string(value, "signed_options", where));
    if (signed_options)
        spec.signed_options = *signed_options;
    if (const JsonValue* ports = member(value, "ports")) {
        GEN_TRY(spec.ports, u16_array(*ports, at(where, "ports")));
    }
    return spec;
}

Result<OptionSpec> parse_option(const JsonValue& value, const AnalysisSpec& analysis,
                                std::string_view where) {
    GEN_CHECK(check_members(value, {"name", "number", "text", "hex", "uint", "empty", "copy_from"},
                            where));
    OptionSpec spec;
    GEN_TRY(auto name, optional_string(value, "name", where));
    GEN_TRY(auto number, optional_u16(value, "number", where));
    if (name.has_value() == number.has_value()) {
        return fail(ErrorCode::invalid_argument,
                    std::string(where) + ": give exactly one of \"name\" and \"number\"");
    }
    if (name) {
        if (*name == "jws") {
            spec.number = analysis.jws_option;
        } else if (auto known = option_number_from_name(*name)) {
            spec.number = *known;
        } else {
            return fail(ErrorCode::invalid_argument,
                        at(where, "name") + ": unknown option name \"" + *name + "\"");
        }
    } else {
        spec.number = *number;
    }

    int forms = 0;
    GEN_TRY(auto text, optional_string(value, "text", where));
    if (text) {
        ++forms;
        spec.value.assign(text->begin(), text->end());
    }
    GEN_TRY(auto hex, optional_hex(value, "hex", where));
    if (hex) {
        ++forms;
        spec.value = std::move(*hex);
    }
    if (const JsonValue* uint_value = member(value, "uint")) {
        ++forms;
        if (!uint_value->IsUint64())
            return fail(ErrorCode::invalid_argument,
                        at(where, "uint") + ": expected an unsigned integer");
        spec.value = encode_uint_option(uint_value->GetUint64());
    }
    GEN_TRY(auto empty, optional_bool(value, "empty", where));
    if (empty) {
        ++forms;
        if (!*empty)
            return fail(ErrorCode::invalid_argument,
                        at(where, "empty") + ": only true makes sense");
    }
    GEN_TRY(spec.copy_from, optional_string(value, "copy_from", where));
    if (spec.copy_from)
        ++forms;
    if (forms != 1) {
        return fail(
            ErrorCode::invalid_argument,
            std::string(where) + ": give exactly one of text, hex, uint, empty and copy_from");
    }
    return spec;
}

Result<std::vector<OptionSpec>> parse_options(const JsonValue& value, const AnalysisSpec& analysis,
                                              std::string_view where) {
    if (!value.IsArray())
        return fail(ErrorCode::invalid_argument, std::string(where) + ": expected an array");
    std::vector<OptionSpec> out;
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
        GEN_TRY(
            OptionSpec option,
            parse_option(value[i], analysis, std::string(where) + "[" + std::to_string(i) + "]"));
        out.push_back(std::move(option));
    }
    return out;
}

Result<std::optional<Bytes>> parse_payload(const JsonValue& object, std::string_view where) {
    GEN_TRY(auto text, optional_string(object, "payload", where));
    GEN_TRY(auto hex, optional_hex(object, "payload_hex", where));
    if (text && hex)
        return fail(ErrorCode::invalid_argument,
                    std::string(where) + ": give payload or payload_hex, not both");
    if (text)
        return std::optional<Bytes>{Bytes(text->begin(), text->end())};
    return hex;
}

Result<RequestTidSpec> parse_tid(std::string_view text, std::string_view where) {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
        return fail(ErrorCode::invalid_argument, std::string(where) + ": expected KEYID:SEQ");
    }
    std::uint64_t seq = 0;
    for (char c : text.substr(colon + 1)) {
        if (c < '0' || c > '9')
            return fail(ErrorCode::invalid_argument, std::string(where) + ": SEQ must be digits");
        seq = seq * 10 + static_cast<std::uint64_t>(c - '0');
        if (seq > 0xffffffffu)
            return fail(ErrorCode::invalid_argument, std::string(where) + ": SEQ above 4294967295");
    }
    return RequestTidSpec{std::string(text.substr(0, colon)), static_cast<std::uint32_t>(seq)};
}

Result<JwsSpec> parse_jws(const JsonValue& value, std::string_view where) {
    GEN_CHECK(check_members(value, {"value",         "value_hex",     "echo",
                                    "header",        "key",           "alg",
                                    "sign_alg",      "kid",           "x5t#S256",
                                    "x5t",           "seq",           "isi",
                                    "crit",          "extra",         "request",
                                    "request_tid",   "signature_hex", "corrupt_signature",
                                    "key_confusion", "number"},
                            where));
    JwsSpec spec;
    GEN_TRY(auto value_text, optional_string(value, "value", where));
    if (value_text)
        spec.raw_value = Bytes(value_text->begin(), value_text->end());
    GEN_TRY(auto value_hex, optional_hex(value, "value_hex", where));
    if (value_hex) {
        if (spec.raw_value)
            return fail(ErrorCode::invalid_argument,
                        std::string(where) + ": value and value_hex both given");
        spec.raw_value = std::move(*value_hex);
    }
    GEN_TRY(spec.echo, optional_string(value, "echo", where));
    GEN_TRY(spec.raw_header, optional_string(value, "header", where));
    GEN_TRY(spec.key, optional_string(value, "key", where));
    GEN_TRY(spec.alg, optional_string(value, "alg", where));
    GEN_TRY(spec.sign_alg, optional_string(value, "sign_alg", where));
    if (const JsonValue* kid = member(value, "kid")) {
        if (kid->IsNull()) {
            spec.kid = std::optional<std::string>{};
        } else if (kid->IsString()) {
            spec.kid = std::optional<std::string>{kid->GetString()};
        } else {
            return fail(ErrorCode::invalid_argument,
                        at(where, "kid") + ": expected a string or null");
        }
    }
    GEN_TRY(spec.x5t_s256, optional_string(value, "x5t#S256", where));
    GEN_TRY(spec.x5t, optional_string(value, "x5t", where));
    GEN_TRY(auto seq, optional_int(value, "seq", where));
    if (seq) {
        if (*seq < 0 || *seq > 0xffffffffLL) {
            return fail(ErrorCode::invalid_argument,
                        at(where, "seq") + ": 0..4294967295 (write odd values in \"header\")");
        }
        spec.seq = static_cast<std::uint32_t>(*seq);
    }
    GEN_TRY(spec.isi, optional_string(value, "isi", where));
    if (const JsonValue* crit = member(value, "crit")) {
        if (!crit->IsArray())
            return fail(ErrorCode::invalid_argument,
                        at(where, "crit") + ": expected an array of strings");
        std::vector<std::string> names;
        for (const auto& item : crit->GetArray()) {
            if (!item.IsString())
                return fail(ErrorCode::invalid_argument, at(where, "crit") + ": expected strings");
            names.emplace_back(item.GetString(), item.GetStringLength());
        }
        spec.crit = std::move(names);
    }
    if (const JsonValue* extra = member(value, "extra")) {
        if (!extra->IsObject())
            return fail(ErrorCode::invalid_argument, at(where, "extra") + ": expected an object");
        for (auto it = extra->MemberBegin(); it != extra->MemberEnd(); ++it) {
            spec.extra.push_back({std::string(it->name.GetString(), it->name.GetStringLength()),
                                  to_json_text(it->value), static_cast<int>(it->value.GetType())});
        }
    }
    GEN_TRY(spec.request, optional_string(value, "request", where));
    if (const JsonValue* request_tid = member(value, "request_tid")) {
        if (request_tid->IsNull()) {
            spec.request_tid = std::optional<RequestTidSpec>{};
        } else if (request_tid->IsString()) {
            GEN_TRY(RequestTidSpec tid,
                    parse_tid(request_tid->GetString(), at(where, "request_tid")));
            spec.request_tid = std::optional<RequestTidSpec>{std::move(tid)};
        } else {
            return fail(ErrorCode::invalid_argument,
                        at(where, "request_tid") + ": expected \"KEYID:SEQ\" or null");
        }
    }
    GEN_TRY(spec.signature, optional_hex(value, "signature_hex", where));
    GEN_TRY(auto corrupt, optional_bool(value, "corrupt_signature", where));
    spec.corrupt_signature = corrupt.value_or(false);
    GEN_TRY(auto confusion, optional_bool(value, "key_confusion", where));
    spec.key_confusion = confusion.value_or(false);
    GEN_TRY(spec.number, optional_u16(value, "number", where));

    int sources = (spec.raw_value ? 1 : 0) + (spec.echo ? 1 : 0);
    if (sources > 1)
        return fail(ErrorCode::invalid_argument,
                    std::string(where) + ": value and echo both given");
    if (sources == 0 && !spec.key && !spec.signature) {
        return fail(ErrorCode::invalid_argument,
                    std::string(where) +
                        ": needs a signing \"key\", a \"signature_hex\", "
                        "a verbatim \"value\" or an \"echo\"");
    }
    return spec;
}

Result<TamperSpec> parse_tamper(const JsonValue& value, const AnalysisSpec& analysis,
                                std::string_view where) {
    GEN_CHECK(check_members(value, {"code", "payload", "payload_hex", "options"}, where));
    TamperSpec spec;
    GEN_TRY(auto code, optional_string(value, "code", where));
    if (code) {
        GEN_TRY(spec.code, parse_code(*code));
    }
    GEN_TRY(spec.payload, parse_payload(value, where));
    if (const JsonValue* options = member(value, "options")) {
        GEN_TRY(spec.options, parse_options(*options, analysis, at(where, "options")));
    }
    return spec;
}

Result<CopySpec> parse_copy(const JsonValue& value, std::string_view where) {
    CopySpec spec;
    if (value.IsString()) {
        spec.label = value.GetString();
        return spec;
    }
    GEN_CHECK(check_members(value, {"label", "mid", "type", "token"}, where));
    GEN_TRY(spec.label, required_string(value, "label", where));
    GEN_TRY(spec.mid, optional_u16(value, "mid", where));
    GEN_TRY(auto type, optional_string(value, "type", where));
    if (type) {
        GEN_TRY(spec.type, parse_type(*type));
    }
    GEN_TRY(spec.token, optional_hex(value, "token", where));
    return spec;
}

Result<FrameRef> parse_frame_ref(const JsonValue& value, std::string_view where) {
    FrameRef ref;
    if (value.IsString()) {
        ref.label = value.GetString();
    } else if (value.IsUint() && value.GetUint() > 0) {
        ref.frame = value.GetUint();
    } else {
        return fail(ErrorCode::invalid_argument,
                    std::string(where) + ": expected a message label or a frame number");
    }
    return ref;
}

Result<ExpectSpec> parse_expect(const JsonValue& value, std::string_view where) {
    GEN_CHECK(check_members(
        value, {"kind", "tid", "signature", "findings", "related", "request", "segment"}, where));
    ExpectSpec spec;
    GEN_TRY(spec.kind, optional_string(value, "kind", where));
    if (spec.kind && *spec.kind != "request" && *spec.kind != "response" && *spec.kind != "empty" &&
        *spec.kind != "unknown" && *spec.kind != "signalling") {
        return fail(ErrorCode::invalid_argument,
                    at(where, "kind") + ": request, response, empty, signalling or unknown");
    }
    if (const JsonValue* tid = member(value, "tid")) {
        if (tid->IsString()) {
            GEN_CHECK(parse_tid(tid->GetString(), at(where, "tid")));
            spec.tid = tid->GetString();
        } else if (!tid->IsNull()) {
            return fail(ErrorCode::invalid_argument,
                        at(where, "tid") + ": expected \"KEYID:SEQ\" or null");
        }
    }
    GEN_TRY(spec.signature, required_string(value, "signature", where));
    if (spec.signature != "none" && spec.signature != "valid" && spec.signature != "invalid" &&
        spec.signature != "unverified") {
        return fail(ErrorCode::invalid_argument,
                    at(where, "signature") + ": none, valid, invalid or unverified");
    }
    const JsonValue* findings = member(value, "findings");
    if (!findings || !findings->IsArray()) {
        return fail(ErrorCode::invalid_argument,
                    at(where, "findings") + ": required, an array of finding names");
    }
    for (const auto& item : findings->GetArray()) {
        if (!item.IsString() || !finding_from_name(item.GetString())) {
            return fail(ErrorCode::invalid_argument,
                        at(where, "findings") + ": \"" +
                            (item.IsString() ? item.GetString() : "?") +
                            "\" is not a finding name");
        }
        spec.findings.emplace_back(item.GetString());
    }
    if (const JsonValue* related = member(value, "related")) {
        if (!related->IsObject())
            return fail(ErrorCode::invalid_argument, at(where, "related") + ": expected an object");
        for (auto it = related->MemberBegin(); it != related->MemberEnd(); ++it) {
            std::string finding(it->name.GetString(), it->name.GetStringLength());
            bool listed = false;
            for (const auto& f : spec.findings)
                listed = listed || f == finding;
            if (!listed) {
                return fail(ErrorCode::invalid_argument,
                            at(where, "related") + ": \"" + finding + "\" is not among findings");
            }
            GEN_TRY(FrameRef ref, parse_frame_ref(it->value, at(where, "related." + finding)));
            spec.related.emplace_back(std::move(finding), std::move(ref));
        }
    }
    if (const JsonValue* request = member(value, "request")) {
        GEN_TRY(spec.request, parse_frame_ref(*request, at(where, "request")));
    }
    GEN_TRY(spec.segment, optional_string(value, "segment", where));
    return spec;
}

Result<std::uint32_t> u32_value(const JsonValue& value, std::string_view where) {
    if (!value.IsUint())
        return fail(ErrorCode::invalid_argument,
                    std::string(where) + ": expected an unsigned integer");
    return value.GetUint();
}

Result<FragmentsSpec> parse_fragments(const JsonValue& value, std::string_view where) {
    GEN_CHECK(check_members(value, {"size", "pieces", "send"}, where));
    FragmentsSpec spec;
    if (const JsonValue* size = member(value, "size")) {
        GEN_TRY(std::uint32_t n, u32_value(*size, at(where, "size")));
        if (n == 0 || n % 8 != 0)
            return fail(ErrorCode::invalid_argument,
                        at(where, "size") + ": a positive multiple of 8");
        spec.size = n;
    }
    if (const JsonValue* pieces = member(value, "pieces")) {
        if (!pieces->IsArray())
            return fail(ErrorCode::invalid_argument,
                        at(where, "pieces") +
                            ": expected an array of [begin, end] pairs (end: a number or \"end\")");
        for (const auto& piece : pieces->GetArray()) {
            if (!piece.IsArray() || piece.Size() != 2)
                return fail(ErrorCode::invalid_argument,
                            at(where, "pieces") + ": expected [begin, end] pairs");
            GEN_TRY(std::uint32_t begin, u32_value(piece[0], at(where, "pieces")));
            // "end": up to the datagram's end, whatever its size.
            std::uint32_t end = FragmentRange::to_the_end;
            if (!(piece[1].IsString() && std::string_view(piece[1].GetString()) == "end")) {
                GEN_TRY(end, u32_value(piece[1], at(where, "pieces")));
            }
            spec.pieces.push_back({begin, end});
        }
    }
    if (spec.size.has_value() == !spec.pieces.empty())
        return fail(ErrorCode::invalid_argument, std::string(where) + ": give size or pieces");
    if (const JsonValue* send = member(value, "send")) {
        if (!send->IsArray())
            return fail(ErrorCode::invalid_argument,
                        at(where, "send") + ": expected an array of piece indexes");
        std::vector<std::size_t> order;
        for (const auto& index : send->GetArray()) {
            GEN_TRY(std::uint32_t i, u32_value(index, at(where, "send")));
            order.push_back(i);
        }
        spec.send = std::move(order);
    }
    return spec;
}

Result<std::uint8_t> parse_tcp_flags(std::string_view text, std::string_view where) {
    std::uint8_t flags = 0;
    for (char c : text) {
        switch (c) {
            case 'S':
                flags |= tcp_flag::syn;
                break;
            case 'A':
                flags |= tcp_flag::ack;
                break;
            case 'F':
                flags |= tcp_flag::fin;
                break;
            case 'R':
                flags |= tcp_flag::rst;
                break;
            case 'P':
                flags |= tcp_flag::psh;
                break;
            default:
                return fail(ErrorCode::invalid_argument,
                            std::string(where) + ": flags are letters of S A F R P");
        }
    }
    return flags;
}

Result<SegmentSpec> parse_segment(const JsonValue& value, std::string where) {
    GEN_CHECK(check_members(
        value, {"label", "at", "after", "from", "to", "flags", "data", "captured", "link", "note"},
        where));
    SegmentSpec spec;
    spec.where = where;
    GEN_TRY(spec.label, optional_string(value, "label", where));
    GEN_TRY(spec.at, optional_number(value, "at", where));
    GEN_TRY(spec.after, optional_number(value, "after", where));
    if (spec.at && spec.after)
        return fail(ErrorCode::invalid_argument, where + ": give at or after, not both");
    if ((spec.at && *spec.at < 0) || (spec.after && *spec.after < 0))
        return fail(ErrorCode::invalid_argument, where + ": times must not be negative");
    GEN_TRY(spec.from, optional_string(value, "from", where));
    GEN_TRY(spec.to, optional_string(value, "to", where));
    GEN_TRY(auto flags, optional_string(value, "flags", where));
    if (flags) {
        GEN_TRY(spec.flags, parse_tcp_flags(*flags, at(where, "flags")));
    }
    if (const JsonValue* data = member(value, "data")) {
        if (!data->IsArray())
            return fail(ErrorCode::invalid_argument, at(where, "data") + ": expected an array");
        for (const auto& item : data->GetArray()) {
            SegmentDataSpec d;
            if (item.IsString()) {
                d.label = item.GetString();
            } else if (item.IsObject()) {
                GEN_CHECK(check_members(item, {"message", "begin", "end"}, at(where, "data")));
                GEN_TRY(d.label, required_string(item, "message", at(where, "data")));
                if (const JsonValue* begin = member(item, "begin")) {
                    GEN_TRY(d.begin, u32_value(*begin, at(where, "data.begin")));
                }
                if (const JsonValue* end = member(item, "end")) {
                    GEN_TRY(d.end, u32_value(*end, at(where, "data.end")));
                }
            } else {
                return fail(
                    ErrorCode::invalid_argument,
                    at(where, "data") + ": items are message labels or {message, begin, end}");
            }
            spec.data.push_back(std::move(d));
        }
    }
    GEN_TRY(auto captured, optional_bool(value, "captured", where));
    spec.captured = captured.value_or(true);
    GEN_TRY(auto link, optional_string(value, "link", where));
    if (link) {
        GEN_TRY(spec.link, link_type_named(*link, at(where, "link")));
    }
    GEN_TRY(spec.note, optional_string(value, "note", where));
    if (spec.data.empty() && !spec.flags)
        return fail(ErrorCode::invalid_argument, where + ": a segment without data needs flags");
    return spec;
}

Result<MessageSpec> parse_message(const JsonValue& value, const AnalysisSpec& analysis,
                                  Transport transport, std::string where) {
    GEN_CHECK(check_members(
        value,
        {"label", "at",        "after",  "reply_to", "from",    "to",        "type",
         "code",  "mid",       "token",  "uri",      "options", "payload",   "payload_hex",
         "jws",   "tamper",    "copy",   "raw_hex",  "vlan",    "hop_limit", "ipv6_extensions",
         "link",  "fragments", "expect", "note"},
        where));
    MessageSpec spec;
    spec.where = where;
    GEN_TRY(spec.label, optional_string(value, "label", where));
    GEN_TRY(spec.at, optional_number(value, "at", where));
    GEN_TRY(spec.after, optional_number(value, "after", where));
    if (spec.at && spec.after)
        return fail(ErrorCode::invalid_argument, where + ": give at or after, not both");
    if ((spec.at && *spec.at < 0) || (spec.after && *spec.after < 0)) {
        return fail(ErrorCode::invalid_argument, where + ": times must not be negative");
    }
    GEN_TRY(spec.reply_to, optional_string(value, "reply_to", where));
    GEN_TRY(spec.from, optional_string(value, "from", where));
    GEN_TRY(spec.to, optional_string(value, "to", where));
    GEN_TRY(auto type, optional_string(value, "type", where));
    if (type) {
        GEN_TRY(spec.type, parse_type(*type));
    }
    GEN_TRY(auto code, optional_string(value, "code", where));
    if (code) {
        GEN_TRY(spec.code, parse_code(*code));
    }
    GEN_TRY(spec.mid, optional_u16(value, "mid", where));
    GEN_TRY(spec.token, optional_hex(value, "token", where));
    if (spec.token && spec.token->size() > 8) {
        return fail(ErrorCode::too_large,
                    where + ".token: at most 8 bytes (use raw_hex for malformed messages)");
    }
    GEN_TRY(spec.uri, optional_string(value, "uri", where));
    if (const JsonValue* options = member(value, "options")) {
        GEN_TRY(spec.options, parse_options(*options, analysis, where + ".options"));
    }
    GEN_TRY(auto payload, parse_payload(value, where));
    if (payload)
        spec.payload = std::move(*payload);
    if (const JsonValue* jws = member(value, "jws")) {
        GEN_TRY(spec.jws, parse_jws(*jws, where + ".jws"));
    }
    if (const JsonValue* tamper = member(value, "tamper")) {
        GEN_TRY(spec.tamper, parse_tamper(*tamper, analysis, where + ".tamper"));
    }
    if (const JsonValue* copy = member(value, "copy")) {
        GEN_TRY(spec.copy, parse_copy(*copy, where + ".copy"));
    }
    GEN_TRY(spec.raw, optional_hex(value, "raw_hex", where));
    if (const JsonValue* vlan = member(value, "vlan")) {
        GEN_TRY(spec.vlan, u16_array(*vlan, where + ".vlan"));
    }
    GEN_TRY(auto hop_limit, optional_int(value, "hop_limit", where));
    if (hop_limit) {
        if (*hop_limit < 1 || *hop_limit > 255)
            return fail(ErrorCode::invalid_argument, where + ".hop_limit: 1..255");
        spec.hop_limit = static_cast<std::uint8_t>(*hop_limit);
    }
    if (const JsonValue* extensions = member(value, "ipv6_extensions")) {
        if (!extensions->IsArray())
            return fail(ErrorCode::invalid_argument, where + ".ipv6_extensions: expected an array");
        for (const auto& item : extensions->GetArray()) {
            std::string_view name = item.IsString() ? item.GetString() : "";
            if (name == "hop-by-hop") {
                spec.ipv6_extensions.push_back(Ipv6Extension::hop_by_hop);
            } else if (name == "destination") {
                spec.ipv6_extensions.push_back(Ipv6Extension::destination);
            } else {
                return fail(ErrorCode::invalid_argument,
                            where + ".ipv6_extensions: \"hop-by-hop\" or \"destination\"");
            }
        }
    }
    GEN_TRY(auto link, optional_string(value, "link", where));
    if (link) {
        GEN_TRY(spec.link, link_type_named(*link, where + ".link"));
    }
    if (const JsonValue* fragments = member(value, "fragments")) {
        if (transport == Transport::tcp)
            return fail(ErrorCode::invalid_argument,
                        where + ".fragments: only for UDP (TCP is cut by \"segments\")");
        GEN_TRY(spec.fragments, parse_fragments(*fragments, where + ".fragments"));
    }
    if (const JsonValue* expect = member(value, "expect")) {
        GEN_TRY(spec.expect, parse_expect(*expect, where + ".expect"));
    }
    GEN_TRY(spec.note, optional_string(value, "note", where));
    if (transport == Transport::tcp && (spec.at || spec.after))
        return fail(ErrorCode::invalid_argument, where + ": over TCP the segments have the times");
    if (transport == Transport::udp && spec.expect && spec.expect->segment)
        return fail(ErrorCode::invalid_argument, where + ".expect.segment: only over TCP");

    // A message is built one way only.
    int ways = (spec.copy ? 1 : 0) + (spec.raw ? 1 : 0);
    if (ways > 1)
        return fail(ErrorCode::invalid_argument, where + ": copy and raw_hex exclude each other");
    bool built_fields = spec.type || spec.code || spec.uri || !spec.options.empty() ||
                        !spec.payload.empty() || spec.jws || spec.tamper || spec.reply_to;
    if (ways == 1 && built_fields) {
        return fail(ErrorCode::invalid_argument,
                    where + ": copy/raw_hex messages take no CoAP fields (use copy's own)");
    }
    // Over TCP there is no Type (RFC 8323 §3.2).
    if (ways == 0 && (!spec.code || (!spec.type && transport == Transport::udp))) {
        return fail(ErrorCode::invalid_argument,
                    where + ": needs type and code (or copy / raw_hex)");
    }
    if (transport == Transport::tcp) {
        if (spec.type || spec.mid)
            return fail(ErrorCode::invalid_argument,
                        where + ": over TCP a message has no type and no mid");
        spec.type = CoapType::confirmable;
        spec.mid = 0;
    }
    return spec;
}

}  // namespace

Result<Scenario> parse_scenario(std::string_view json, std::string name) {
    GEN_TRY(rapidjson::Document doc, parse_json(json, name));
    const std::string where = name;
    GEN_CHECK(check_members(doc,
                            {"description", "link", "format", "transport", "start", "analysis",
                             "endpoints", "messages", "segments", "copies"},
                            where));
    Scenario scenario;
    scenario.name = std::move(name);
    GEN_TRY(scenario.description, required_string(doc, "description", where));
    if (const JsonValue* link = member(doc, "link")) {
        GEN_TRY(scenario.link, parse_link(*link, where + ".link"));
    }
    GEN_TRY(auto format, optional_string(doc, "format", where));
    if (format && *format == "pcapng") {
        scenario.format = CaptureFormat::pcapng;
    } else if (format && *format != "pcap") {
        return fail(ErrorCode::invalid_argument, where + ".format: pcap or pcapng");
    }
    GEN_TRY(auto transport, optional_string(doc, "transport", where));
    if (transport && *transport == "tcp") {
        scenario.transport = Transport::tcp;
    } else if (transport && *transport != "udp") {
        return fail(ErrorCode::invalid_argument, where + ".transport: udp or tcp");
    }
    if (const JsonValue* copies = member(doc, "copies")) {
        if (!copies->IsArray())
            return fail(ErrorCode::invalid_argument,
                        where + ".copies: expected an array of gzip, zstd, lz4");
        for (const auto& item : copies->GetArray()) {
            auto codec = item.IsString() ? codec_named(item.GetString()) : std::nullopt;
            if (!codec)
                return fail(ErrorCode::invalid_argument,
                            where + ".copies: expected gzip, zstd or lz4");
            scenario.copies.push_back(*codec);
        }
    }
    GEN_TRY(auto start, optional_int(doc, "start", where));
    scenario.start_us = start.value_or(default_start_seconds) * 1'000'000;
    if (const JsonValue* analysis = member(doc, "analysis")) {
        GEN_TRY(scenario.analysis, parse_analysis(*analysis, where + ".analysis"));
    }

    const JsonValue* endpoints = member(doc, "endpoints");
    if (!endpoints || !endpoints->IsObject() || endpoints->MemberCount() == 0) {
        return fail(ErrorCode::invalid_argument,
                    where + ".endpoints: required, an object of named endpoints");
    }
    for (auto it = endpoints->MemberBegin(); it != endpoints->MemberEnd(); ++it) {
        std::string endpoint_name(it->name.GetString(), it->name.GetStringLength());
        GEN_TRY(EndpointSpec endpoint,
                parse_endpoint(endpoint_name, it->value, where + ".endpoints." + endpoint_name));
        scenario.endpoints.push_back(std::move(endpoint));
    }

    const JsonValue* messages = member(doc, "messages");
    if (!messages || !messages->IsArray() || messages->Empty()) {
        return fail(ErrorCode::invalid_argument, where + ".messages: required, a non-empty array");
    }
    for (rapidjson::SizeType i = 0; i < messages->Size(); ++i) {
        GEN_TRY(MessageSpec message,
                parse_message((*messages)[i], scenario.analysis, scenario.transport,
                              where + ".messages[" + std::to_string(i) + "]"));
        scenario.messages.push_back(std::move(message));
    }
    const JsonValue* segments = member(doc, "segments");
    if (scenario.transport == Transport::tcp) {
        if (!segments || !segments->IsArray() || segments->Empty())
            return fail(ErrorCode::invalid_argument,
                        where + ".segments: required over TCP, a non-empty array");
        for (rapidjson::SizeType i = 0; i < segments->Size(); ++i) {
            GEN_TRY(SegmentSpec segment,
                    parse_segment((*segments)[i], where + ".segments[" + std::to_string(i) + "]"));
            scenario.segments.push_back(std::move(segment));
        }
    } else if (segments) {
        return fail(ErrorCode::invalid_argument,
                    where + ".segments: only with \"transport\": \"tcp\"");
    }
    return scenario;
}

Result<Scenario> load_scenario(const std::string& path) {
    GEN_TRY(std::string text, read_file(path));
    return parse_scenario(text, std::filesystem::path(path).stem().string());
}

}  // namespace coapjws::gen
