// The short note the plugin appends to the Info column and to its protocol
// item, e.g. "JWS kid=client-1 seq=42 valid" or "JWS kid=client-1 seq=0 valid
// REPLAY of #17".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "coapjws/session.hpp"

namespace coapjws::plugin {

struct FindingNote {
    FindingId id;
    std::optional<std::uint32_t> related_frame;
};

// What the note is made of.
struct InfoFacts {
    bool has_jws = false;                    // the message carried a JWS option that was read
    std::optional<std::string_view> key_id;  // display text (display_text.hpp)
    std::optional<std::uint32_t> seq;        // the header's
    SignatureStatus signature = SignatureStatus::none;
    std::span<const FindingNote> findings;
};

// Empty when there is nothing about JWS (no option, no finding).
std::string info_text(const InfoFacts& facts);
std::string info_text(const MessageReport& report);

}  // namespace coapjws::plugin
