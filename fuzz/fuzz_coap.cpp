// CoAP parser: never crashes or reads out of bounds, and every message it
// accepts re-encodes to exactly the bytes it came from. RFC 7252's option
// encoding is canonical (nibble 13 carries 13..268, 14 carries 269..65804,
// and a payload marker needs a payload), so encode(parse(x)) == x is the
// round-trip property, and parse(encode(parse(x))) then holds trivially.
// The same input is also parsed in RFC 8323 framing (TCP and WebSockets):
// there the properties are agreement of the two parse paths and views that
// stay inside the input (encode_coap writes UDP framing only).
#include <cstdint>
#include <cstdlib>

#include "coapjws/coap_message.hpp"

using namespace coapjws;

namespace {
void check(bool condition) {
    if (!condition)
        std::abort();
}
// Every view of `m` lies inside `input`, options in non-decreasing order.
void check_views(const CoapMessage& m, ByteView input) {
    const auto inside = [&](ByteView view) {
        return view.empty() || (view.data() >= input.data() &&
                                view.data() + view.size() <= input.data() + input.size());
    };
    check(inside(m.token));
    std::uint16_t previous = 0;
    for (const CoapOption& o : m.options) {
        check(o.number >= previous && inside(o.value) && o.value_offset <= input.size());
        previous = o.number;
    }
    check(inside(m.payload));
}

void check_reliable(ByteView input, CoapFraming framing) {
    static CoapMessage reused;
    const Status status = parse_coap(input, framing, reused);
    Result<CoapMessage> fresh = parse_coap(input, framing);
    check(static_cast<bool>(status) == fresh.has_value());
    if (!status) {
        check(!status.error().message.empty());
        return;
    }
    check(fresh->framing == framing && reused.options.size() == fresh->options.size());
    check_views(*fresh, input);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView input(data, size);
    check_reliable(input, CoapFraming::tcp);
    check_reliable(input, CoapFraming::websocket);
    static CoapMessage reused;  // the reuse path the Session takes
    const Status status = parse_coap(input, reused);
    Result<CoapMessage> fresh = parse_coap(input);
    check(static_cast<bool>(status) == fresh.has_value());
    if (!status) {
        check(!status.error().message.empty());
        return 0;
    }
    const CoapMessage& m = *fresh;
    check(reused.options.size() == m.options.size());

    // Every view lies inside the input.
    const auto inside = [&](ByteView view, std::size_t offset) {
        return offset <= size && view.size() <= size - offset &&
               (view.empty() || view.data() == data + offset);
    };
    check(inside(m.token, 4));
    std::uint16_t previous = 0;
    for (std::size_t i = 0; i < m.options.size(); ++i) {
        const CoapOption& o = m.options[i];
        check(i == 0 || o.number >= previous);
        check(o.offset < o.value_offset && inside(o.value, o.value_offset));
        // find_option() finds the first of each run of equal numbers (checked
        // once per run: checking every option would be quadratic).
        if (i == 0 || o.number != previous)
            check(m.find_option(o.number) == &o);
        previous = o.number;
    }
    if (!m.payload.empty())
        check(m.payload_offset > 0 && inside(m.payload, m.payload_offset));

    CoapMessageSpec spec;
    spec.type = m.type;
    spec.code = m.code;
    spec.message_id = m.message_id;
    spec.token.assign(m.token.begin(), m.token.end());
    for (const CoapOption& o : m.options)
        spec.options.push_back({o.number, Bytes(o.value.begin(), o.value.end())});
    spec.payload.assign(m.payload.begin(), m.payload.end());
    Result<Bytes> encoded = encode_coap(spec);
    check(encoded.has_value());
    check(encoded->size() == size && std::equal(encoded->begin(), encoded->end(), data));
    return 0;
}
