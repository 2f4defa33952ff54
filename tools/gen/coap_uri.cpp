#include "gen/coap_uri.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <charconv>
#include <string>

#include "gen/coap_values.hpp"

namespace coapjws::gen {

namespace {
int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

Result<Bytes> percent_decode(std::string_view text) {
    Bytes out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(static_cast<std::uint8_t>(text[i]));
            continue;
        }
        if (i + 2 >= text.size()) {
            return fail(ErrorCode::invalid_argument,
                        "URI: truncated percent-encoding in \"" + std::string(text) + "\"");
        }
        int hi = hex_digit(text[i + 1]), lo = hex_digit(text[i + 2]);
        if (hi < 0 || lo < 0) {
            return fail(ErrorCode::invalid_argument,
                        "URI: bad percent-encoding in \"" + std::string(text) + "\"");
        }
        out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
        i += 2;
    }
    return out;
}

bool is_ip_literal(std::string_view host) {
    if (!host.empty() && host.front() == '[')
        return true;
    std::string copy(host);
    in_addr v4{};
    return inet_pton(AF_INET, copy.c_str(), &v4) == 1;
}
}  // namespace

Result<std::vector<CoapOptionValue>> options_from_uri(std::string_view uri) {
    std::uint16_t default_port = 0;
    std::string_view rest;
    if (uri.starts_with("coap://")) {
        default_port = 5683;
        rest = uri.substr(7);
    } else if (uri.starts_with("coaps://")) {
        default_port = 5684;
        rest = uri.substr(8);
    } else {
        return fail(ErrorCode::invalid_argument,
                    "URI \"" + std::string(uri) + "\": expected coap:// or coaps://");
    }
    if (rest.find('#') != std::string_view::npos) {
        return fail(ErrorCode::invalid_argument,
                    "URI \"" + std::string(uri) + "\": a fragment is not allowed");
    }

    auto authority_end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, authority_end);
    std::string_view path_and_query =
        authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);

    std::string_view host = authority;
    std::uint16_t port = default_port;
    std::size_t port_colon = std::string_view::npos;
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos)
            return fail(ErrorCode::invalid_argument, "URI: unterminated IPv6 literal");
        host = authority.substr(0, close + 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':')
                return fail(ErrorCode::invalid_argument, "URI: junk after IPv6 literal");
            port_colon = close + 1;
        }
    } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port_colon = colon;
    }
    if (host.empty())
        return fail(ErrorCode::invalid_argument, "URI \"" + std::string(uri) + "\": empty host");
    if (port_colon != std::string_view::npos) {
        std::string_view digits = authority.substr(port_colon + 1);
        unsigned value = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
            value > 65535) {
            return fail(ErrorCode::invalid_argument, "URI \"" + std::string(uri) + "\": bad port");
        }
        port = static_cast<std::uint16_t>(value);
    }

    std::vector<CoapOptionValue> options;
    if (!is_ip_literal(host)) {
        auto decoded = percent_decode(host);
        if (!decoded)
            return decoded.error();
        for (auto& byte : *decoded)
            byte = static_cast<std::uint8_t>(std::tolower(byte));
        options.push_back({option::uri_host, std::move(*decoded)});
    }
    if (port != default_port)
        options.push_back({option::uri_port, encode_uint_option(port)});

    std::string_view path = path_and_query;
    std::string_view query;
    if (auto q = path_and_query.find('?'); q != std::string_view::npos) {
        path = path_and_query.substr(0, q);
        query = path_and_query.substr(q + 1);
    }
    // "/" alone (or nothing) means no Uri-Path; otherwise every segment counts,
    // including empty ones ("/a/" has segments "a" and "").
    if (path.size() > 1) {
        std::string_view segments = path.substr(1);
        while (true) {
            auto slash = segments.find('/');
            auto decoded = percent_decode(segments.substr(0, slash));
            if (!decoded)
                return decoded.error();
            options.push_back({option::uri_path, std::move(*decoded)});
            if (slash == std::string_view::npos)
                break;
            segments = segments.substr(slash + 1);
        }
    }
    if (!query.empty()) {
        while (true) {
            auto amp = query.find('&');
            auto decoded = percent_decode(query.substr(0, amp));
            if (!decoded)
                return decoded.error();
            options.push_back({option::uri_query, std::move(*decoded)});
            if (amp == std::string_view::npos)
                break;
            query = query.substr(amp + 1);
        }
    }
    return options;
}

}  // namespace coapjws::gen
