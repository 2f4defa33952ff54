#include "coapjws/signed_content.hpp"

#include <algorithm>

#include "coapjws/base64url.hpp"

namespace coapjws {

namespace {
// One TLV item header: type (1 byte) || length (4 bytes, big-endian).
void append_item_header(std::uint8_t type, std::size_t length, Bytes& out) {
    const auto n = static_cast<std::uint32_t>(length);
    // Byte by byte: GCC 12 at -O3 takes a 5-byte range insert for an
    // overflow (-Warray-bounds, -Wstringop-overflow false positives).
    out.push_back(type);
    out.push_back(static_cast<std::uint8_t>(n >> 24));
    out.push_back(static_cast<std::uint8_t>(n >> 16));
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n));
}

void append_code(std::uint8_t code, Bytes& out) {
    append_item_header(item::code, 1, out);
    out.push_back(code);
}

void append_option(std::uint16_t number, ByteView value, Bytes& out) {
    append_item_header(item::option, 2 + value.size(), out);
    out.push_back(static_cast<std::uint8_t>(number >> 8));
    out.push_back(static_cast<std::uint8_t>(number));
    out.insert(out.end(), value.begin(), value.end());
}

void append_tail(ByteView payload, const Tid* request_tid, Bytes& out) {
    if (!payload.empty()) {
        append_item_header(item::payload, payload.size(), out);
        out.insert(out.end(), payload.begin(), payload.end());
    }
    if (request_tid) {
        append_item_header(item::request_tid, 4 + request_tid->key_id.size(), out);
        const std::uint32_t s = request_tid->seq;
        const std::uint8_t seq[4] = {
            static_cast<std::uint8_t>(s >> 24), static_cast<std::uint8_t>(s >> 16),
            static_cast<std::uint8_t>(s >> 8), static_cast<std::uint8_t>(s)};
        out.insert(out.end(), std::begin(seq), std::end(seq));
        const ByteView key = as_bytes(request_tid->key_id);
        out.insert(out.end(), key.begin(), key.end());
    }
}

bool is_signed(std::uint16_t number, const SignedContentConfig& config) {
    return number != config.jws_option && config.signed_options.contains(number);
}
}  // namespace

void build_signed_content(const CoapMessage& message, const SignedContentConfig& config,
                          const Tid* request_tid, Bytes& out) {
    out.clear();
    append_code(message.code, out);
    for (const auto& o : message.options) {
        if (is_signed(o.number, config))
            append_option(o.number, o.value, out);
    }
    append_tail(message.payload, request_tid, out);
}

void build_signed_content(std::uint8_t code, std::span<const CoapOptionValue> options,
                          ByteView payload, const SignedContentConfig& config,
                          const Tid* request_tid, Bytes& out) {
    out.clear();
    append_code(code, out);
    // Message order is the order encode_coap() emits: sorted by number, equal
    // numbers in the given order. Sort only if the caller did not.
    const auto by_number = [](const CoapOptionValue& a, const CoapOptionValue& b) {
        return a.number < b.number;
    };
    if (std::is_sorted(options.begin(), options.end(), by_number)) {
        for (const auto& o : options) {
            if (is_signed(o.number, config))
                append_option(o.number, o.value, out);
        }
    } else {
        std::vector<const CoapOptionValue*> sorted;
        sorted.reserve(options.size());
        for (const auto& o : options)
            sorted.push_back(&o);
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const CoapOptionValue* a, const CoapOptionValue* b) {
                             return a->number < b->number;
                         });
        for (const CoapOptionValue* o : sorted) {
            if (is_signed(o->number, config))
                append_option(o->number, o->value, out);
        }
    }
    append_tail(payload, request_tid, out);
}

std::vector<SignedContentItem> signed_content_items(ByteView content) {
    constexpr std::size_t header_size = 5;
    std::vector<SignedContentItem> items;
    std::size_t at = 0;
    while (content.size() - at >= header_size) {
        const std::uint32_t length = std::uint32_t{content[at + 1]} << 24 |
                                     std::uint32_t{content[at + 2]} << 16 |
                                     std::uint32_t{content[at + 3]} << 8 | content[at + 4];
        if (length > content.size() - at - header_size)
            break;
        items.push_back({content[at], static_cast<std::uint32_t>(at),
                         static_cast<std::uint32_t>(header_size + length),
                         static_cast<std::uint32_t>(at + header_size), length});
        at += header_size + length;
    }
    return items;
}

void build_signing_input(std::string_view header_b64, ByteView signed_content, std::string& out) {
    out.clear();
    out.reserve(header_b64.size() + 1 + (signed_content.size() * 4 + 2) / 3);
    out.append(header_b64);
    out.push_back('.');
    base64url_encode_append(signed_content, out);
}

}  // namespace coapjws
