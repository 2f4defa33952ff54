#include "gen/jose_header_writer.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace coapjws::gen {

namespace {
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& writer, const std::string& text) {
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}
void write_member(Writer& writer, const char* name, const std::optional<std::string>& value) {
    if (!value)
        return;
    writer.Key(name);
    write_string(writer, *value);
}
}  // namespace

std::string write_jose_header(const HeaderFields& fields) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("alg");
    write_string(writer, fields.alg);
    write_member(writer, "kid", fields.kid);
    write_member(writer, "x5t#S256", fields.x5t_s256);
    write_member(writer, "x5t", fields.x5t);
    if (fields.seq) {
        writer.Key("seq");
        writer.Uint(*fields.seq);
    }
    write_member(writer, "isi", fields.isi);
    if (fields.crit) {
        writer.Key("crit");
        writer.StartArray();
        for (const auto& name : *fields.crit)
            write_string(writer, name);
        writer.EndArray();
    }
    for (const auto& extra : fields.extra) {
        writer.Key(extra.name.data(), static_cast<rapidjson::SizeType>(extra.name.size()));
        writer.RawValue(extra.json.data(), extra.json.size(),
                        static_cast<rapidjson::Type>(extra.type));
    }
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace coapjws::gen
