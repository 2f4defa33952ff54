#include "coapjws/coap_message.hpp"

namespace coapjws {

MessageKind kind_of_code(std::uint8_t code, CoapFraming framing) {
    if (code >> 5 == 7 && is_reliable(framing))
        return MessageKind::signalling;
    return kind_of_code(code);
}

MessageKind kind_of_code(std::uint8_t code) {
    switch (code >> 5) {
        case 0:
            return code == 0 ? MessageKind::empty : MessageKind::request;
        // IANA's Response Code range is 2.00-5.31 (RFC 7252 §12.1.2), so a
        // 3.xx code, though none is assigned, is a response; 1.xx, 6.xx and
        // 7.xx are reserved (7.xx is signalling, used by CoAP over TCP only).
        case 2:
        case 3:
        case 4:
        case 5:
            return MessageKind::response;
        default:
            return MessageKind::unknown;
    }
}

std::string_view to_string(MessageKind kind) {
    switch (kind) {
        case MessageKind::empty:
            return "empty";
        case MessageKind::request:
            return "request";
        case MessageKind::response:
            return "response";
        case MessageKind::signalling:
            return "signalling";
        case MessageKind::unknown:
            break;
    }
    return "unknown";
}

std::string_view to_string(CoapFraming framing) {
    switch (framing) {
        case CoapFraming::udp:
            return "udp";
        case CoapFraming::tcp:
            return "tcp";
        case CoapFraming::websocket:
            return "websocket";
    }
    return "?";
}

std::string_view to_string(CoapType type) {
    switch (type) {
        case CoapType::confirmable:
            return "CON";
        case CoapType::non_confirmable:
            return "NON";
        case CoapType::acknowledgement:
            return "ACK";
        case CoapType::reset:
            return "RST";
    }
    return "?";
}

std::string code_to_string(std::uint8_t code) {
    const unsigned detail = code & 0x1fu;
    std::string out(4, '0');
    out[0] = static_cast<char>('0' + (code >> 5));
    out[1] = '.';
    out[2] = static_cast<char>('0' + detail / 10);
    out[3] = static_cast<char>('0' + detail % 10);
    return out;
}

const CoapOption* CoapMessage::find_option(std::uint16_t number) const {
    for (const auto& o : options) {
        if (o.number == number)
            return &o;
        if (o.number > number)
            break;  // options are in non-decreasing order
    }
    return nullptr;
}

std::size_t CoapMessage::count_options(std::uint16_t number) const {
    std::size_t n = 0;
    for (const auto& o : options) {
        if (o.number == number)
            ++n;
        if (o.number > number)
            break;
    }
    return n;
}

namespace {
std::string at(std::size_t offset) {
    return " at offset " + std::to_string(offset);
}

// "option #2 at offset 9" — options are counted from 1 in message order.
std::string option_where(std::size_t index, std::size_t offset) {
    return "option #" + std::to_string(index + 1) + at(offset);
}

// Reads the extended form of a delta or length nibble (RFC 7252 §3.1):
// 13 → one more byte, value + 13; 14 → two more bytes (big-endian), value + 269.
// Returns false when the extension bytes are missing.
bool read_extended(ByteView bytes, std::size_t& pos, unsigned nibble, std::uint32_t& value) {
    if (nibble < 13) {
        value = nibble;
        return true;
    }
    if (nibble == 13) {
        if (bytes.size() - pos < 1)
            return false;
        value = 13u + bytes[pos];
        pos += 1;
        return true;
    }
    if (bytes.size() - pos < 2)
        return false;
    value = 269u + (static_cast<std::uint32_t>(bytes[pos]) << 8 | bytes[pos + 1]);
    pos += 2;
    return true;
}

void reset_message(ByteView bytes, CoapFraming framing, CoapMessage& out) {
    out.bytes = bytes;
    out.framing = framing;
    out.version = 0;
    out.type = CoapType::confirmable;
    out.code = 0;
    out.message_id = 0;
    out.token = {};
    out.options.clear();  // keeps capacity: no allocation for a reused message
    out.payload = {};
    out.payload_offset = 0;
}

// The part every framing shares once the Code is read: the empty-message
// rule, the token, the options and the payload (RFC 7252 §3, §4.1; RFC 8323
// §3.2 keeps them). `pos` is the offset of the token.
Status parse_body(ByteView bytes, std::size_t pos, std::size_t tkl, CoapMessage& out) {
    const std::size_t size = bytes.size();
    if (tkl > 8)
        return fail(ErrorCode::malformed,
                    "token length " + std::to_string(tkl) + " is reserved (9-15)" + at(0));
    if (out.code == 0 && size > pos) {
        return fail(ErrorCode::malformed, "empty message (0.00) has " + std::to_string(size - pos) +
                                              " bytes after the header" + at(pos));
    }
    if (out.code == 0 && tkl != 0) {
        return fail(ErrorCode::malformed,
                    "empty message (0.00) has token length " + std::to_string(tkl) + at(0));
    }
    if (size - pos < tkl) {
        return fail(ErrorCode::malformed, "token of " + std::to_string(tkl) +
                                              " bytes truncated: " + std::to_string(size - pos) +
                                              " bytes after the header" + at(pos));
    }
    out.token = bytes.subspan(pos, tkl);

    pos += tkl;
    std::uint32_t number = 0;
    for (std::size_t index = 0; pos < size; ++index) {
        const std::size_t start = pos;
        const std::uint8_t first = bytes[pos++];
        if (first == 0xff) {
            if (pos == size)
                return fail(ErrorCode::malformed, "payload marker with no payload" + at(start));
            out.payload_offset = pos;
            out.payload = bytes.subspan(pos);
            return {};
        }
        const unsigned delta_nibble = first >> 4;
        const unsigned length_nibble = first & 0x0fu;
        if (delta_nibble == 15) {
            return fail(ErrorCode::malformed,
                        option_where(index, start) +
                            ": delta nibble 15 is reserved outside the payload marker");
        }
        if (length_nibble == 15)
            return fail(ErrorCode::malformed,
                        option_where(index, start) + ": length nibble 15 is reserved");

        std::uint32_t delta = 0;
        if (!read_extended(bytes, pos, delta_nibble, delta)) {
            return fail(ErrorCode::malformed, option_where(index, start) +
                                                  ": extended delta (nibble " +
                                                  std::to_string(delta_nibble) + ") truncated");
        }
        std::uint32_t length = 0;
        if (!read_extended(bytes, pos, length_nibble, length)) {
            return fail(ErrorCode::malformed, option_where(index, start) +
                                                  ": extended length (nibble " +
                                                  std::to_string(length_nibble) + ") truncated");
        }
        number += delta;
        if (number > 65535) {
            return fail(ErrorCode::too_large, option_where(index, start) + ": option number " +
                                                  std::to_string(number) + " exceeds 65535");
        }
        if (size - pos < length) {
            return fail(ErrorCode::malformed, option_where(index, start) + " (number " +
                                                  std::to_string(number) + "): value of " +
                                                  std::to_string(length) + " bytes truncated, " +
                                                  std::to_string(size - pos) + " left");
        }
        CoapOption& option = out.options.emplace_back();
        option.number = static_cast<std::uint16_t>(number);
        option.value = bytes.subspan(pos, length);
        option.offset = start;
        option.value_offset = pos;
        pos += length;
    }
    return {};
}

// RFC 8323 §3.2: the Len nibble and the extended length it announces. Len
// counts the bytes from the first option on (options, marker and payload):
// 0-12 as is; 13, 14, 15 → 1, 2, 4 more bytes holding Len - 13, - 269, - 65805.
struct ReliableHeader {
    std::size_t code_offset = 0;    // 1 + extended-length bytes
    std::uint64_t body_length = 0;  // options and payload, as announced
};

std::size_t extended_length_bytes(unsigned len_nibble) {
    switch (len_nibble) {
        case 13:
            return 1;
        case 14:
            return 2;
        case 15:
            return 4;
        default:
            return 0;
    }
}

// The Len nibble and its extended length, when all of it is there.
std::optional<std::uint64_t> announced_body_length(ByteView bytes) {
    if (bytes.empty())
        return std::nullopt;
    const unsigned len_nibble = bytes[0] >> 4;
    const std::size_t extra = extended_length_bytes(len_nibble);
    if (bytes.size() < 1 + extra)
        return std::nullopt;
    std::uint64_t extended = 0;
    for (std::size_t i = 0; i < extra; ++i)
        extended = extended << 8 | bytes[1 + i];
    static constexpr std::uint64_t bias[] = {0, 13, 269, 0, 65805};
    return extra == 0 ? len_nibble : extended + bias[extra];
}

// False when the bytes end before the Code.
bool read_reliable_header(ByteView bytes, ReliableHeader& out) {
    const auto body = announced_body_length(bytes);
    if (!body)
        return false;
    const std::size_t code_offset = 1 + extended_length_bytes(bytes[0] >> 4);
    if (bytes.size() < code_offset + 1)
        return false;
    out.body_length = *body;
    out.code_offset = code_offset;
    return true;
}

Status parse_reliable(ByteView bytes, CoapFraming framing, CoapMessage& out) {
    const std::size_t size = bytes.size();
    const std::size_t tkl = bytes.empty() ? 0 : bytes[0] & 0x0fu;
    if (framing == CoapFraming::websocket) {
        // RFC 8323 §4.4: Len is 0 and there is no extended length; the
        // WebSocket frame carries the length.
        if (size < 2) {
            return fail(ErrorCode::malformed, "CoAP-over-WebSockets message of " +
                                                  std::to_string(size) +
                                                  " bytes is shorter than its 2-byte header");
        }
        if (bytes[0] >> 4 != 0) {
            return fail(ErrorCode::malformed, "Len " + std::to_string(bytes[0] >> 4) +
                                                  " in a CoAP-over-WebSockets message (must be 0)" +
                                                  at(0));
        }
        out.code = bytes[1];
        return parse_body(bytes, 2, tkl, out);
    }

    ReliableHeader header;
    if (!read_reliable_header(bytes, header)) {
        return fail(ErrorCode::malformed, "CoAP-over-TCP message of " + std::to_string(size) +
                                              " bytes ends before its Code (Len nibble " +
                                              std::to_string(size == 0 ? 0 : bytes[0] >> 4) + ")");
    }
    out.code = bytes[header.code_offset];
    // Compare in 64 bits: a 32-bit extended length plus the header cannot wrap.
    const std::uint64_t announced = header.code_offset + 1 + tkl + header.body_length;
    if (announced != size) {
        return fail(ErrorCode::malformed,
                    "Len announces a " + std::to_string(announced) + "-byte message (" +
                        std::to_string(header.body_length) + " bytes of options and payload), " +
                        std::to_string(size) + " bytes are there" + at(0));
    }
    return parse_body(bytes, header.code_offset + 1, tkl, out);
}
}  // namespace

Status parse_coap(ByteView bytes, CoapMessage& out) {
    reset_message(bytes, CoapFraming::udp, out);
    const std::size_t size = bytes.size();
    if (size < 4) {
        return fail(ErrorCode::malformed, "CoAP message of " + std::to_string(size) +
                                              " bytes is shorter than the 4-byte header");
    }
    out.version = static_cast<std::uint8_t>(bytes[0] >> 6);
    if (out.version != 1) {
        return fail(ErrorCode::malformed,
                    "CoAP version " + std::to_string(out.version) + " (only 1 is defined)" + at(0));
    }
    out.type = static_cast<CoapType>(bytes[0] >> 4 & 0x03);
    out.code = bytes[1];
    out.message_id = static_cast<std::uint16_t>(bytes[2] << 8 | bytes[3]);
    return parse_body(bytes, 4, bytes[0] & 0x0fu, out);
}

Status parse_coap(ByteView bytes, CoapFraming framing, CoapMessage& out) {
    if (framing == CoapFraming::udp)
        return parse_coap(bytes, out);
    reset_message(bytes, framing, out);
    return parse_reliable(bytes, framing, out);
}

Result<CoapMessage> parse_coap(ByteView bytes, CoapFraming framing) {
    CoapMessage message;
    if (auto status = parse_coap(bytes, framing, message); !status)
        return status.error();
    return message;
}

std::optional<std::size_t> coap_code_offset(ByteView bytes, CoapFraming framing) {
    switch (framing) {
        case CoapFraming::udp:
            if (bytes.size() >= 4 && bytes[0] >> 6 == 1)
                return 1;
            return std::nullopt;
        case CoapFraming::websocket:
            if (bytes.size() >= 2 && bytes[0] >> 4 == 0)
                return 1;
            return std::nullopt;
        case CoapFraming::tcp:
            break;
    }
    ReliableHeader header;
    if (!read_reliable_header(bytes, header))
        return std::nullopt;
    return header.code_offset;
}

std::size_t coap_tcp_length_field_size(std::uint8_t first_byte) {
    return 1 + extended_length_bytes(first_byte >> 4);
}

std::optional<std::uint64_t> coap_tcp_message_size(ByteView stream) {
    const auto body = announced_body_length(stream);
    if (!body)
        return std::nullopt;
    // Length fields, Code, token (TKL is the low nibble), then the body.
    return coap_tcp_length_field_size(stream[0]) + 1 + (stream[0] & 0x0fu) + *body;
}

Result<CoapMessage> parse_coap(ByteView bytes) {
    CoapMessage message;
    if (auto status = parse_coap(bytes, message); !status)
        return status.error();
    return message;
}

}  // namespace coapjws
