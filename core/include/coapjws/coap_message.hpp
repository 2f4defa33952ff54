// CoAP message parsing: RFC 7252 §3 (UDP framing), and RFC 8323 §3.2 and
// §4.4 (the framing of CoAP over TCP/TLS and over WebSockets).
//
// Parsing never throws and never reads past the input; every structural
// problem is an Error whose message says what and where ("option 3: length
// nibble 15 is reserved").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coapjws/bytes.hpp"
#include "coapjws/result.hpp"

namespace coapjws {

enum class CoapType : std::uint8_t {
    confirmable = 0,
    non_confirmable = 1,
    acknowledgement = 2,
    reset = 3
};

// How a CoAP message is framed on its transport. The Code, Token, Options and
// Payload are the same in all three; what precedes them differs.
enum class CoapFraming : std::uint8_t {
    udp,        // RFC 7252 §3: Ver, Type, TKL, Code, Message ID (also DTLS)
    tcp,        // RFC 8323 §3.2: Len/TKL, extended length, Code (TCP and TLS)
    websocket,  // RFC 8323 §4.4: as tcp with Len 0; the frame gives the length
};
std::string_view to_string(CoapFraming framing);  // "udp", "tcp", "websocket"
// TCP, TLS and WebSockets: no Type, no Message ID, no retransmission at the CoAP layer.
inline bool is_reliable(CoapFraming framing) {
    return framing != CoapFraming::udp;
}

// What a message is, from its Code: 0.00 empty, 0.01-0.31 request,
// 2.00-5.31 response (RFC 7252 §12.1, so 3.xx too). Classes 1, 6 and 7 are
// reserved (unknown) — except that over reliable transports 7.xx is the
// signalling class (RFC 8323 §5: CSM, Ping, Pong, Release, Abort).
enum class MessageKind : std::uint8_t { unknown, empty, request, response, signalling };

MessageKind kind_of_code(std::uint8_t code);  // as over UDP
MessageKind kind_of_code(std::uint8_t code, CoapFraming framing);
// "request", "response", "empty", "signalling", "unknown"
std::string_view to_string(MessageKind kind);
std::string_view to_string(CoapType type);      // "CON", "NON", "ACK", "RST"
std::string code_to_string(std::uint8_t code);  // "2.05"

struct CoapOption {
    std::uint16_t number = 0;
    ByteView value;                // points into the parsed message
    std::size_t offset = 0;        // of the option's first (delta/length) byte
    std::size_t value_offset = 0;  // of the option value
};

struct CoapMessage {
    ByteView bytes;  // the whole message, as parsed
    CoapFraming framing = CoapFraming::udp;
    // Version, Type and Message ID exist in UDP framing only; in reliable
    // framing they stay 0, CON and 0.
    std::uint8_t version = 0;
    CoapType type = CoapType::confirmable;
    std::uint8_t code = 0;
    std::uint16_t message_id = 0;
    ByteView token;
    std::vector<CoapOption> options;  // in message order (non-decreasing number)
    ByteView payload;                 // bytes after the 0xFF marker; empty if none
    std::size_t payload_offset = 0;   // of the first payload byte (0 if no payload)

    MessageKind kind() const { return kind_of_code(code, framing); }
    // First option with that number, or nullptr.
    const CoapOption* find_option(std::uint16_t number) const;
    std::size_t count_options(std::uint16_t number) const;
};

// Parses `bytes` into `out`, reusing its option vector's capacity. Views in
// `out` point into `bytes`, which must outlive them. On error `out` holds
// what was parsed before the problem (header fields are valid when at least
// 4 bytes were present and the version was 1).
Status parse_coap(ByteView bytes, CoapMessage& out);
Result<CoapMessage> parse_coap(ByteView bytes);

// The same for any framing. `bytes` is exactly one message: for tcp the
// length its Len (and extended length) field states must be what is there —
// more or fewer bytes make it malformed; for websocket, Len must be 0 and
// the message runs to the end of `bytes` (the WebSocket frame's payload).
Status parse_coap(ByteView bytes, CoapFraming framing, CoapMessage& out);
Result<CoapMessage> parse_coap(ByteView bytes, CoapFraming framing);

// RFC 8323 §3.2 framing in a byte stream: the size in bytes of the CoAP-over-
// TCP message that starts at `stream[0]` (Len/TKL byte, extended length, Code,
// token, options and payload), as its length fields announce it. Needs only
// the Len/TKL byte and the 0, 1, 2 or 4 extended-length bytes it calls for;
// nullopt while fewer bytes are there. The size fits 64 bits for any input.
// This is the one framing reader of the project: the stream reassembly of
// coapjws-scan and the plugin's message locator both cut streams with it.
std::optional<std::uint64_t> coap_tcp_message_size(ByteView stream);
// How many bytes coap_tcp_message_size() needs to see, given the first byte.
std::size_t coap_tcp_length_field_size(std::uint8_t first_byte);

// Where the Code byte of a message in that framing is, when the part before
// it is complete and well formed (UDP: 4 bytes and version 1; tcp: the
// extended length present; websocket: Len 0). The Code, and so the kind, of
// a message that fails to parse later on is still known.
std::optional<std::size_t> coap_code_offset(ByteView bytes, CoapFraming framing);

// Building messages (generator, tests). Options are emitted sorted by number,
// keeping the given order among equal numbers; extended delta/length encodings
// are used as needed.
struct CoapOptionValue {
    std::uint16_t number = 0;
    Bytes value;
};
struct CoapMessageSpec {
    CoapType type = CoapType::confirmable;
    std::uint8_t code = 0;
    std::uint16_t message_id = 0;
    Bytes token;  // 0..8 bytes
    std::vector<CoapOptionValue> options;
    Bytes payload;
};
Result<Bytes> encode_coap(const CoapMessageSpec& spec);
// The same message in another framing: over TCP (RFC 8323 §3.2) the Len/TKL
// byte and the shortest extended length replace Version, Type and Message ID
// (`type` and `message_id` are ignored); over WebSockets Len is 0.
Result<Bytes> encode_coap(const CoapMessageSpec& spec, CoapFraming framing);

// Well-known option numbers used by the engine and the tools.
namespace option {
inline constexpr std::uint16_t if_match = 1;
inline constexpr std::uint16_t uri_host = 3;
inline constexpr std::uint16_t etag = 4;
inline constexpr std::uint16_t if_none_match = 5;
inline constexpr std::uint16_t observe = 6;
inline constexpr std::uint16_t uri_port = 7;
inline constexpr std::uint16_t location_path = 8;
inline constexpr std::uint16_t uri_path = 11;
inline constexpr std::uint16_t content_format = 12;
inline constexpr std::uint16_t max_age = 14;
inline constexpr std::uint16_t uri_query = 15;
inline constexpr std::uint16_t accept = 17;
inline constexpr std::uint16_t location_query = 20;
inline constexpr std::uint16_t block2 = 23;
inline constexpr std::uint16_t block1 = 27;
inline constexpr std::uint16_t size2 = 28;
inline constexpr std::uint16_t proxy_uri = 35;
inline constexpr std::uint16_t proxy_scheme = 39;
inline constexpr std::uint16_t size1 = 60;
inline constexpr std::uint16_t no_response = 258;
inline constexpr std::uint16_t jws_default = 65021;
}  // namespace option

inline constexpr std::uint8_t code_bad_option = 0x82;  // 4.02

}  // namespace coapjws
