// Building CoAP messages (RFC 7252 §3) for the generator and the tests.
#include <algorithm>

#include "coapjws/coap_message.hpp"

namespace coapjws {

namespace {
// Largest value a delta or length field can carry: 14 → 269 + 0xffff.
constexpr std::size_t max_extended = 269 + 0xffff;

// The nibble for `value` and the extension bytes that follow the first byte.
unsigned nibble_for(std::size_t value) {
    if (value < 13)
        return static_cast<unsigned>(value);
    if (value < 269)
        return 13;
    return 14;
}

void append_extension(std::size_t value, Bytes& out) {
    if (value < 13)
        return;
    if (value < 269) {
        out.push_back(static_cast<std::uint8_t>(value - 13));
        return;
    }
    const std::size_t v = value - 269;
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}
}  // namespace

Result<Bytes> encode_coap(const CoapMessageSpec& spec) {
    if (spec.token.size() > 8) {
        return fail(ErrorCode::too_large,
                    "token of " + std::to_string(spec.token.size()) + " bytes (at most 8)");
    }
    std::size_t total =
        4 + spec.token.size() + (spec.payload.empty() ? 0 : 1 + spec.payload.size());
    for (const auto& o : spec.options) {
        if (o.value.size() > max_extended) {
            return fail(ErrorCode::too_large, "option " + std::to_string(o.number) + ": value of " +
                                                  std::to_string(o.value.size()) +
                                                  " bytes (at most " +
                                                  std::to_string(max_extended) + ")");
        }
        total += 5 + o.value.size();
    }

    // Options go out sorted by number; equal numbers keep their given order,
    // since the order of repeated options carries meaning (Uri-Path segments).
    std::vector<const CoapOptionValue*> sorted;
    sorted.reserve(spec.options.size());
    for (const auto& o : spec.options)
        sorted.push_back(&o);
    std::stable_sort(
        sorted.begin(), sorted.end(),
        [](const CoapOptionValue* a, const CoapOptionValue* b) { return a->number < b->number; });

    Bytes out;
    out.reserve(total);
    out.push_back(static_cast<std::uint8_t>(1u << 6 | static_cast<unsigned>(spec.type) << 4 |
                                            spec.token.size()));
    out.push_back(spec.code);
    out.push_back(static_cast<std::uint8_t>(spec.message_id >> 8));
    out.push_back(static_cast<std::uint8_t>(spec.message_id));
    out.insert(out.end(), spec.token.begin(), spec.token.end());

    std::uint16_t previous = 0;
    for (const CoapOptionValue* o : sorted) {
        const std::size_t delta = o->number - previous;
        const std::size_t length = o->value.size();
        out.push_back(static_cast<std::uint8_t>(nibble_for(delta) << 4 | nibble_for(length)));
        append_extension(delta, out);
        append_extension(length, out);
        out.insert(out.end(), o->value.begin(), o->value.end());
        previous = o->number;
    }
    if (!spec.payload.empty()) {
        out.push_back(0xff);
        out.insert(out.end(), spec.payload.begin(), spec.payload.end());
    }
    return out;
}

Result<Bytes> encode_coap(const CoapMessageSpec& spec, CoapFraming framing) {
    auto udp = encode_coap(spec);
    if (!udp || framing == CoapFraming::udp)
        return udp;
    // Everything after the 4-byte UDP header and the token is what Len counts.
    const std::size_t tkl = spec.token.size();
    const std::size_t body = udp->size() - 4 - tkl;
    Bytes out;
    out.reserve(udp->size() + 2);
    if (framing == CoapFraming::websocket) {
        out.push_back(static_cast<std::uint8_t>(tkl));
    } else if (body < 13) {
        out.push_back(static_cast<std::uint8_t>(body << 4 | tkl));
    } else if (body < 269) {
        out.push_back(static_cast<std::uint8_t>(13u << 4 | tkl));
        out.push_back(static_cast<std::uint8_t>(body - 13));
    } else if (body < 65805) {
        out.push_back(static_cast<std::uint8_t>(14u << 4 | tkl));
        const std::size_t v = body - 269;
        out.push_back(static_cast<std::uint8_t>(v >> 8));
        out.push_back(static_cast<std::uint8_t>(v));
    } else {
        out.push_back(static_cast<std::uint8_t>(15u << 4 | tkl));
        const std::size_t v = body - 65805;
        for (int shift = 24; shift >= 0; shift -= 8)
            out.push_back(static_cast<std::uint8_t>(v >> shift));
    }
    out.push_back(spec.code);
    out.insert(out.end(), udp->begin() + 4, udp->end());
    return out;
}

}  // namespace coapjws
