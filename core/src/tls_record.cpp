#include "tls_record.hpp"

namespace coapjws {

namespace {
// ChangeCipherSpec, Alert, Handshake, ApplicationData, Heartbeat.
constexpr std::uint8_t first_content_type = 20;
constexpr std::uint8_t last_content_type = 24;
// RFC 5246 §6.2.3: a record carries at most 2^14 + 2048 bytes.
constexpr std::size_t max_record_length = (1u << 14) + 2048;
}  // namespace

std::optional<bool> starts_with_tls_record(ByteView stream) {
    if (stream.empty())
        return std::nullopt;
    // The content type alone rules most streams out, however few bytes came.
    if (stream[0] < first_content_type || stream[0] > last_content_type)
        return false;
    if (stream.size() < 5)
        return std::nullopt;
    const std::size_t length = static_cast<std::size_t>(stream[3] << 8 | stream[4]);
    return stream[0] >= first_content_type && stream[0] <= last_content_type && stream[1] == 3 &&
           stream[2] <= 4 && length > 0 && length <= max_record_length;
}

}  // namespace coapjws
