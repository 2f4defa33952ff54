#include "shard.hpp"

#include <charconv>

namespace coapjws::scan {

std::uint64_t stable_endpoint_hash(const Endpoint& endpoint) {
    constexpr std::uint64_t offset_basis = 14695981039346656037ull;
    constexpr std::uint64_t prime = 1099511628211ull;
    std::uint64_t hash = offset_basis;
    auto add = [&hash](std::uint8_t byte) {
        hash ^= byte;
        hash *= prime;
    };
    const std::size_t length = endpoint.address.family == AddressFamily::ipv6 ? 16 : 4;
    for (std::size_t i = 0; i < length; ++i)
        add(endpoint.address.bytes[i]);
    add(static_cast<std::uint8_t>(endpoint.port >> 8));
    add(static_cast<std::uint8_t>(endpoint.port & 0xff));
    return hash;
}

namespace {

std::optional<std::uint32_t> whole_number(std::string_view text) {
    if (text.empty() || text.front() < '0' || text.front() > '9')
        return std::nullopt;
    std::uint32_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

}  // namespace

Result<Shard> Shard::parse(std::string_view text) {
    constexpr std::uint32_t max_shards = 65536;
    const std::size_t slash = text.find('/');
    const auto k = whole_number(text.substr(0, slash));
    const auto n =
        slash == std::string_view::npos ? std::nullopt : whole_number(text.substr(slash + 1));
    if (!k || !n || *n == 0 || *n > max_shards || *k == 0 || *k > *n) {
        return fail(ErrorCode::invalid_argument,
                    "--shard: \"" + std::string(text) +
                        "\" is not K/N with 1 <= K <= N <= 65536 (for example 1/4)");
    }
    return Shard{*k, *n};
}

std::string Shard::to_string() const {
    return std::to_string(index) + "/" + std::to_string(count);
}

}  // namespace coapjws::scan
