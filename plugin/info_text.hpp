// The short note the plugin appends to the Info column and to its protocol
// item. It leads with what is wrong — "JWS REPLAY of #17: kid=client-1
// seq=0", "JWS BAD SIGNATURE: kid=client-1 seq=41" — and says "valid" only
// when nothing is: "JWS kid=client-1 seq=42 valid". A CoAP retransmission is
// a note, not a problem: "JWS kid=client-1 seq=1 valid, retransmission of #3".
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
