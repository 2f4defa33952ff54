#include "gen/json_util.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <sstream>

namespace coapjws::gen {

Result<rapidjson::Document> parse_json(std::string_view text, std::string_view source) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError()) {
        return fail(ErrorCode::invalid_argument,
                    std::string(source) + ": JSON error at byte " +
                        std::to_string(doc.GetErrorOffset()) + ": " +
                        rapidjson::GetParseError_En(doc.GetParseError()));
    }
    return doc;
}

Result<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(ErrorCode::io, path + ": cannot open");
    std::ostringstream contents;
    contents << in.rdbuf();
    if (in.bad())
        return fail(ErrorCode::invalid_argument, path + ": read error");
    return contents.str();
}

Status write_file(const std::string& path, std::string_view contents) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        return fail(ErrorCode::io, path + ": cannot create");
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.close();
    if (!out)
        return fail(ErrorCode::invalid_argument, path + ": write error");
    return {};
}

Status check_members(const JsonValue& object, std::initializer_list<std::string_view> allowed,
                     std::string_view where) {
    if (!object.IsObject())
        return fail(ErrorCode::invalid_argument, std::string(where) + ": expected a JSON object");
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
        std::string_view name(it->name.GetString(), it->name.GetStringLength());
        bool known = false;
        for (auto candidate : allowed)
            known = known || candidate == name;
        if (!known)
            return fail(ErrorCode::invalid_argument,
                        std::string(where) + ": unknown member \"" + std::string(name) + "\"");
    }
    return {};
}

const JsonValue* member(const JsonValue& object, std::string_view name) {
    if (!object.IsObject())
        return nullptr;
    auto it = object.FindMember(rapidjson::Value(rapidjson::StringRef(name.data(), name.size())));
    return it == object.MemberEnd() ? nullptr : &it->value;
}

namespace {
std::string where_of(std::string_view where, std::string_view name) {
    return std::string(where) + "." + std::string(name);
}
}  // namespace

Result<std::optional<std::string>> optional_string(const JsonValue& object, std::string_view name,
                                                   std::string_view where) {
    const JsonValue* v = member(object, name);
    if (!v)
        return std::optional<std::string>{};
    if (!v->IsString())
        return fail(ErrorCode::invalid_argument, where_of(where, name) + ": expected a string");
    return std::optional<std::string>{std::string(v->GetString(), v->GetStringLength())};
}

Result<std::optional<std::int64_t>> optional_int(const JsonValue& object, std::string_view name,
                                                 std::string_view where) {
    const JsonValue* v = member(object, name);
    if (!v)
        return std::optional<std::int64_t>{};
    if (!v->IsInt64())
        return fail(ErrorCode::invalid_argument, where_of(where, name) + ": expected an integer");
    return std::optional<std::int64_t>{v->GetInt64()};
}

Result<std::optional<double>> optional_number(const JsonValue& object, std::string_view name,
                                              std::string_view where) {
    const JsonValue* v = member(object, name);
    if (!v)
        return std::optional<double>{};
    if (!v->IsNumber())
        return fail(ErrorCode::invalid_argument, where_of(where, name) + ": expected a number");
    return std::optional<double>{v->GetDouble()};
}

Result<std::optional<bool>> optional_bool(const JsonValue& object, std::string_view name,
                                          std::string_view where) {
    const JsonValue* v = member(object, name);
    if (!v)
        return std::optional<bool>{};
    if (!v->IsBool())
        return fail(ErrorCode::invalid_argument,
                    where_of(where, name) + ": expected true or false");
    return std::optional<bool>{v->GetBool()};
}

Result<std::string> required_string(const JsonValue& object, std::string_view name,
                                    std::string_view where) {
    auto value = optional_string(object, name, where);
    if (!value)
        return value.error();
    if (!value->has_value())
        return fail(ErrorCode::invalid_argument, where_of(where, name) + ": required");
    return std::move(**value);
}

std::string to_json_text(const JsonValue& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return {buffer.GetString(), buffer.GetSize()};
}

std::string json_quote(std::string_view text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace coapjws::gen
