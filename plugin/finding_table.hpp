// The plugin's names for the profile's findings (spec §6): one expert-info
// field per finding, `coapjws.expert.<id>` with '-' written as '_' (display
// filter names may not contain '-'). Kept free of Wireshark types so that a
// unit test can hold it against the engine's finding_name().
#pragma once

#include <array>
#include <cstddef>

#include "coapjws/finding.hpp"

namespace coapjws::plugin {

struct FindingLabel {
    FindingId id;
    const char* name;         // "out-of-window", as in spec §6
    const char* expert_name;  // "coapjws.expert.out_of_window"
    const char* summary;      // the expert info's registered summary
};

// In FindingId order, so that finding_labels[static_cast<size_t>(id)].id == id.
inline constexpr std::array<FindingLabel, finding_count> finding_labels{{
    {FindingId::malformed, "malformed", "coapjws.expert.malformed",
     "JWS option, JOSE header or CoAP message malformed"},
    {FindingId::alg_none, "alg-none", "coapjws.expert.alg_none", "JOSE header alg is \"none\""},
    {FindingId::alg_unsupported, "alg-unsupported", "coapjws.expert.alg_unsupported",
     "JOSE header alg is not supported"},
    {FindingId::crit_unknown, "crit-unknown", "coapjws.expert.crit_unknown",
     "crit names a member not understood"},
    {FindingId::key_mismatch, "key-mismatch", "coapjws.expert.key_mismatch",
     "Key does not fit the header's alg"},
    {FindingId::bad_signature, "bad-signature", "coapjws.expert.bad_signature",
     "JWS signature does not verify"},
    {FindingId::replay, "replay", "coapjws.expert.replay",
     "Replayed message (sequence number seen before)"},
    {FindingId::out_of_window, "out-of-window", "coapjws.expert.out_of_window",
     "Sequence number below the replay window"},
    {FindingId::seq_exhausted, "seq-exhausted", "coapjws.expert.seq_exhausted",
     "Sequence numbers of this key are exhausted"},
    {FindingId::response_replay, "response-replay", "coapjws.expert.response_replay",
     "Second response bound to the same request"},
    {FindingId::unknown_key, "unknown-key", "coapjws.expert.unknown_key",
     "No key configured for this identifier"},
    {FindingId::unverifiable, "unverifiable", "coapjws.expert.unverifiable",
     "Response whose request is not in view"},
    {FindingId::unprotected_response, "unprotected-response", "coapjws.expert.unprotected_response",
     "Response without JWS to a request with JWS"},
    {FindingId::option_rejected, "option-rejected", "coapjws.expert.option_rejected",
     "4.02 Bad Option echoing the request's JWS option"},
    {FindingId::stripped, "stripped", "coapjws.expert.stripped",
     "Request without JWS from a client that used JWS"},
    {FindingId::isi_in_request, "isi-in-request", "coapjws.expert.isi_in_request",
     "isi present in a request"},
    {FindingId::retransmission, "retransmission", "coapjws.expert.retransmission",
     "CoAP retransmission"},
}};

constexpr const FindingLabel& label_of(FindingId id) {
    return finding_labels[static_cast<std::size_t>(id)];
}

}  // namespace coapjws::plugin
