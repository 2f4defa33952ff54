// JOSE header (SAX parse with the profile's rules): never crashes; whatever
// it accepts satisfies the rules it promises (alg present, seq within 32
// bits, isi one of three values, crit non-empty and naming present members).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "coapjws/jose_header.hpp"

using namespace coapjws;

namespace {
void check(bool condition) {
    if (!condition)
        std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view json(reinterpret_cast<const char*>(data), size);
    Result<JoseHeader> header = parse_jose_header(json);
    if (!header) {
        check(!header.error().message.empty());
        return 0;
    }
    check(json.find("\"alg\"") != std::string_view::npos);
    if (header->algorithm)
        check(!header->alg_is_none());
    if (header->isi)
        check(*header->isi == "01" || *header->isi == "10" || *header->isi == "11");
    if (header->crit)
        check(!header->crit->empty());
    check((header->key_id() != nullptr) == header->key_id_source().has_value());
    (void)header->unknown_crit();
    for (MessageKind kind : {MessageKind::request, MessageKind::response, MessageKind::empty}) {
        Status s = check_header_for_kind(*header, kind);
        if (kind == MessageKind::request && s)
            check(header->key_id() != nullptr && header->seq.has_value());
    }
    return 0;
}
