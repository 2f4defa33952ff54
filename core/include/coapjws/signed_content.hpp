// The detached JWS payload: TLV items over the CoAP message (spec §3), and
// the JWS Signing Input built from it (spec §4).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "coapjws/bytes.hpp"
#include "coapjws/coap_message.hpp"
#include "coapjws/option_set.hpp"
#include "coapjws/tid.hpp"

namespace coapjws {

namespace item {
inline constexpr std::uint8_t code = 0x01;
inline constexpr std::uint8_t option = 0x02;
inline constexpr std::uint8_t payload = 0x03;
inline constexpr std::uint8_t request_tid = 0x04;
}  // namespace item

struct SignedContentConfig {
    const OptionSet& signed_options;
    std::uint16_t jws_option;  // never signed, even if listed in signed_options
};

// Appends to `out` (cleared first): CODE; one OPTION item per instance of a
// signed option in message order; PAYLOAD if the payload is non-empty;
// REQUEST-TID (seq then key identifier) last when `request_tid` is given.
void build_signed_content(const CoapMessage& message, const SignedContentConfig& config,
                          const Tid* request_tid, Bytes& out);

// Same items from parts, for the generator (which has no parsed message).
// Options are taken in the order encode_coap() puts them on the wire: by
// number, repeated options in the order given.
void build_signed_content(std::uint8_t code, std::span<const CoapOptionValue> options,
                          ByteView payload, const SignedContentConfig& config,
                          const Tid* request_tid, Bytes& out);

// One TLV item of a signed content, as a front end shows what was signed.
// Offsets are into the content.
struct SignedContentItem {
    std::uint8_t type = 0;           // item::code, item::option, ...
    std::uint32_t offset = 0;        // of the type byte
    std::uint32_t length = 0;        // type, length and value
    std::uint32_t value_offset = 0;  // of the value (after the 5-byte item header)
    std::uint32_t value_length = 0;
};

// The items of `content`, in order. Content from build_signed_content() reads
// back whole; anything else stops at the first item that does not fit.
std::vector<SignedContentItem> signed_content_items(ByteView content);

// ASCII(header_b64 "." B64U(signed_content)) into `out` (cleared first).
void build_signing_input(std::string_view header_b64, ByteView signed_content, std::string& out);

}  // namespace coapjws
