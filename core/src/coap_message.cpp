#include "coapjws/coap_message.hpp"

namespace coapjws {

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
        case MessageKind::unknown:
            break;
    }
    return "unknown";
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
}  // namespace

Status parse_coap(ByteView bytes, CoapMessage& out) {
    out.bytes = bytes;
    out.version = 0;
    out.type = CoapType::confirmable;
    out.code = 0;
    out.message_id = 0;
    out.token = {};
    out.options.clear();  // keeps capacity: no allocation for a reused message
    out.payload = {};
    out.payload_offset = 0;

    const std::size_t size = bytes.size();
    if (size < 4) {
        return fail("CoAP message of " + std::to_string(size) +
                    " bytes is shorter than the 4-byte header");
    }
    out.version = static_cast<std::uint8_t>(bytes[0] >> 6);
    if (out.version != 1) {
        return fail("CoAP version " + std::to_string(out.version) + " (only 1 is defined)" + at(0));
    }
    out.type = static_cast<CoapType>(bytes[0] >> 4 & 0x03);
    out.code = bytes[1];
    out.message_id = static_cast<std::uint16_t>(bytes[2] << 8 | bytes[3]);
    const std::size_t tkl = bytes[0] & 0x0fu;
    if (tkl > 8)
        return fail("token length " + std::to_string(tkl) + " is reserved (9-15)" + at(0));

    if (out.code == 0 && size > 4) {
        return fail("empty message (0.00) has " + std::to_string(size - 4) +
                    " bytes after the header" + at(4));
    }
    if (out.code == 0 && tkl != 0) {
        return fail("empty message (0.00) has token length " + std::to_string(tkl) + at(0));
    }
    if (size - 4 < tkl) {
        return fail("token of " + std::to_string(tkl) + " bytes truncated: " +
                    std::to_string(size - 4) + " bytes after the header" + at(4));
    }
    out.token = bytes.subspan(4, tkl);

    std::size_t pos = 4 + tkl;
    std::uint32_t number = 0;
    for (std::size_t index = 0; pos < size; ++index) {
        const std::size_t start = pos;
        const std::uint8_t first = bytes[pos++];
        if (first == 0xff) {
            if (pos == size)
                return fail("payload marker with no payload" + at(start));
            out.payload_offset = pos;
            out.payload = bytes.subspan(pos);
            return {};
        }
        const unsigned delta_nibble = first >> 4;
        const unsigned length_nibble = first & 0x0fu;
        if (delta_nibble == 15) {
            return fail(option_where(index, start) +
                        ": delta nibble 15 is reserved outside the payload marker");
        }
        if (length_nibble == 15)
            return fail(option_where(index, start) + ": length nibble 15 is reserved");

        std::uint32_t delta = 0;
        if (!read_extended(bytes, pos, delta_nibble, delta)) {
            return fail(option_where(index, start) + ": extended delta (nibble " +
                        std::to_string(delta_nibble) + ") truncated");
        }
        std::uint32_t length = 0;
        if (!read_extended(bytes, pos, length_nibble, length)) {
            return fail(option_where(index, start) + ": extended length (nibble " +
                        std::to_string(length_nibble) + ") truncated");
        }
        number += delta;
        if (number > 65535) {
            return fail(option_where(index, start) + ": option number " + std::to_string(number) +
                        " exceeds 65535");
        }
        if (size - pos < length) {
            return fail(option_where(index, start) + " (number " + std::to_string(number) +
                        "): value of " + std::to_string(length) + " bytes truncated, " +
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

Result<CoapMessage> parse_coap(ByteView bytes) {
    CoapMessage message;
    if (auto status = parse_coap(bytes, message); !status)
        return Unexpected{status.error()};
    return message;
}

}  // namespace coapjws
