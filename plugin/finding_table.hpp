// The plugin's names for the profile's findings (spec §6): one expert-info
// field per finding, `coapjws.expert.<id>` with '-' written as '_' (display
// filter names may not contain '-'), its Expert Information group and
// constant summary, and the words the Info column uses. Kept free of
// Wireshark types so that a unit test can hold it against the engine's
// finding_name().
#pragma once

#include <array>
#include <cstddef>

#include "coapjws/finding.hpp"

namespace coapjws::plugin {

// Wireshark's expert groups (epan/proto.h) a finding is filed under; why
// each finding is in its group is in README ("Expert information").
enum class ExpertGroup {
    malformed,      // PI_MALFORMED: the bytes cannot be read as the profile says
    security,       // PI_SECURITY: forged, replayed, downgraded or unprotected
    undecoded,      // PI_UNDECODED: the plugin cannot judge it (no key, unsupported)
    protocol,       // PI_PROTOCOL: breaks a rule of the profile, no attack in itself
    response_code,  // PI_RESPONSE_CODE: a response code worth a note
    sequence,       // PI_SEQUENCE: transport sequencing, as CoAP and TCP file it
};

struct FindingLabel {
    FindingId id;
    const char* name;         // "out-of-window", as in spec §6
    const char* expert_name;  // "coapjws.expert.out_of_window"
    // The expert info's summary: constant, so that Expert Information and
    // `tshark -z expert` count all frames with this finding on one line;
    // the details are in coapjws.finding.message.
    const char* summary;
    ExpertGroup group;
    // How the Info column names a problem (warnings and errors): "REPLAY",
    // followed by `relation` and the related frame when there is one
    // ("REPLAY of #3").
    const char* info_label;
    const char* relation;
};

// In FindingId order, so that finding_labels[static_cast<size_t>(id)].id == id.
inline constexpr std::array<FindingLabel, finding_count> finding_labels{{
    {FindingId::malformed, "malformed", "coapjws.expert.malformed",
     "JWS option, JOSE header or CoAP message malformed", ExpertGroup::malformed, "MALFORMED",
     nullptr},
    {FindingId::alg_none, "alg-none", "coapjws.expert.alg_none",
     "Unsecured JWS: JOSE header alg is \"none\"", ExpertGroup::security, "ALG NONE", nullptr},
    {FindingId::alg_unsupported, "alg-unsupported", "coapjws.expert.alg_unsupported",
     "JOSE header alg is not supported: signature not checked", ExpertGroup::undecoded,
     "ALG UNSUPPORTED", nullptr},
    {FindingId::crit_unknown, "crit-unknown", "coapjws.expert.crit_unknown",
     "JOSE header crit names a member not understood: signature not accepted",
     ExpertGroup::undecoded, "CRIT UNKNOWN", nullptr},
    {FindingId::key_mismatch, "key-mismatch", "coapjws.expert.key_mismatch",
     "No key under this identifier fits the header's alg", ExpertGroup::security, "KEY MISMATCH",
     nullptr},
    {FindingId::bad_signature, "bad-signature", "coapjws.expert.bad_signature",
     "JWS signature does not verify (forged or altered)", ExpertGroup::security, "BAD SIGNATURE",
     nullptr},
    {FindingId::replay, "replay", "coapjws.expert.replay",
     "Replayed message (sequence number already accepted)", ExpertGroup::security, "REPLAY", "of"},
    {FindingId::out_of_window, "out-of-window", "coapjws.expert.out_of_window",
     "Sequence number below the replay window", ExpertGroup::security, "OUT OF WINDOW", nullptr},
    {FindingId::seq_exhausted, "seq-exhausted", "coapjws.expert.seq_exhausted",
     "Sequence numbers of this key are exhausted", ExpertGroup::security, "SEQ EXHAUSTED", "after"},
    {FindingId::response_replay, "response-replay", "coapjws.expert.response_replay",
     "Second response bound to the same request", ExpertGroup::security, "RESPONSE REPLAY", "of"},
    {FindingId::unknown_key, "unknown-key", "coapjws.expert.unknown_key",
     "No key configured for this identifier: signature not checked", ExpertGroup::undecoded,
     "UNKNOWN KEY", nullptr},
    {FindingId::unverifiable, "unverifiable", "coapjws.expert.unverifiable",
     "Response whose request is not in the capture: signature not checked", ExpertGroup::undecoded,
     "UNVERIFIABLE", nullptr},
    {FindingId::unprotected_response, "unprotected-response", "coapjws.expert.unprotected_response",
     "Response without JWS to a request with JWS", ExpertGroup::security, "UNPROTECTED RESPONSE",
     "to"},
    {FindingId::option_rejected, "option-rejected", "coapjws.expert.option_rejected",
     "4.02 Bad Option echoing the request's JWS option", ExpertGroup::response_code,
     "OPTION REJECTED", "for"},
    {FindingId::stripped, "stripped", "coapjws.expert.stripped",
     "Request without JWS from a client that used JWS", ExpertGroup::security, "STRIPPED", "after"},
    {FindingId::isi_in_request, "isi-in-request", "coapjws.expert.isi_in_request",
     "isi present in a request", ExpertGroup::protocol, "ISI IN REQUEST", nullptr},
    {FindingId::retransmission, "retransmission", "coapjws.expert.retransmission",
     "CoAP retransmission", ExpertGroup::sequence, "retransmission", "of"},
}};

constexpr const FindingLabel& label_of(FindingId id) {
    return finding_labels[static_cast<std::size_t>(id)];
}

}  // namespace coapjws::plugin
