// prepare(): everything about one message that depends only on earlier
// prepare() calls — CoAP parsing, the retransmission check, matching a
// response to its request, the JWS option and header (checks 1-8 of
// SPEC-NOTES "Order of checks"), and the signing input for verify().
#include <algorithm>

#include "coapjws/jose_header.hpp"
#include "coapjws/jws_crypto.hpp"
#include "coapjws/signed_content.hpp"
#include "copy_into.hpp"
#include "finding_text.hpp"
#include "session_state.hpp"

namespace coapjws {

namespace {

void fail_invalid(MessageReport& report, FindingId id, std::string message) {
    report.signature = SignatureStatus::invalid;
    add_finding(report, id, std::move(message));
}

std::string isi_text(const JoseHeader& header) {
    return "isi \"" + std::string(header.effective_isi()) + "\"";
}

}  // namespace

void SessionState::prepare(const Packet& packet, Work& work, MessageReport& report) {
    report.frame = packet.frame;
    report.time_ns = packet.time_ns;
    report.src = packet.src;
    report.dst = packet.dst;
    report.framing = packet.framing;

    CoapMessage& message = scratch_message_;
    Status parsed = parse_coap(packet.coap, packet.framing, message);
    // The Code (and over UDP the Message ID) are shown even when a later part
    // of the message is malformed.
    if (auto code_at = coap_code_offset(packet.coap, packet.framing)) {
        report.code = packet.coap[*code_at];
        report.kind = kind_of_code(report.code, packet.framing);
        if (packet.framing == CoapFraming::udp)
            report.message_id = static_cast<std::uint16_t>(packet.coap[2] << 8 | packet.coap[3]);
    }
    if (!parsed) {
        add_finding(report, FindingId::malformed,
                    "malformed CoAP message: " + parsed.error().message);
        return;
    }
    report.coap_valid = true;
    work.coap = true;

    // Empty messages (ACK, RST, ping) are neither requests nor responses:
    // no finding at all; nor are the signalling messages of reliable
    // transports (CSM, Ping, Pong, Release, Abort), which manage the
    // connection. Reserved code classes are not CoAP.
    if (report.kind == MessageKind::empty || report.kind == MessageKind::signalling)
        return;
    if (report.kind == MessageKind::unknown) {
        add_finding(report, FindingId::malformed,
                    "code " + code_to_string(report.code) +
                        " is reserved: neither a request nor a response");
        return;
    }
    work.stateful = true;
    const bool is_request = report.kind == MessageKind::request;

    // Reliable transports have no Message ID and retransmit below CoAP: a
    // repeated message there is never a CoAP retransmission.
    if (packet.framing == CoapFraming::udp) {
        work.retransmission_of = retransmissions_.check(packet.src, report.message_id, packet.coap,
                                                        packet.time_ns, packet.frame);
    }

    const std::size_t jws_count = message.count_options(config.jws_option);
    work.has_jws = jws_count > 0;
    work.observe = message.find_option(option::observe) != nullptr;

    const detail::PendingRequest* request = nullptr;
    if (!is_request) {
        request =
            requests_.match(message.token, packet.src, packet.dst, packet.framing, packet.time_ns);
        if (request != nullptr) {
            report.request_frame = request->frame;
            if (request->tid)
                report.request_tid =
                    Tid{std::string(key_ids_.text(request->tid->key_id)), request->tid->seq};
        }
    }

    if (jws_count > 1) {
        add_finding(report, FindingId::malformed,
                    std::to_string(jws_count) + " JWS options (" +
                        std::to_string(config.jws_option) + "): the option is not repeatable");
    } else if (jws_count == 1) {
        analyse_jws(message, request, work, report);
    } else if (request != nullptr && request->has_jws) {
        work.unprotected_request_frame = request->frame;
    }

    // A retransmitted request is the same request: the first copy stays the
    // one responses are matched to.
    if (is_request && !work.retransmission_of) {
        detail::PendingRequest entry;
        entry.frame = packet.frame;
        entry.last_time_ns = packet.time_ns;
        entry.observe = work.observe;
        entry.has_jws = jws_count > 0;
        entry.single_jws = jws_count == 1;
        if (report.tid)
            entry.tid = detail::InternedTid{key_ids_.intern(report.tid->key_id), report.tid->seq};
        if (jws_count == 1) {
            ByteView value = message.find_option(config.jws_option)->value;
            entry.jws_option = requests_.spare_buffer();
            detail::copy_into(entry.jws_option, value);
        }
        requests_.remember(message.token, packet.src, packet.dst, packet.framing, std::move(entry));
        sweep_key_ids_if_due();
    }
}

// Checks 1-8 for a message with exactly one JWS option, then the signing
// input for check 9 (verify()). Each failing check before 6 ends the analysis.
void SessionState::analyse_jws(const CoapMessage& message, const detail::PendingRequest* request,
                               Work& work, MessageReport& report) {
    const bool is_request = report.kind == MessageKind::request;
    const CoapOption& option = *message.find_option(config.jws_option);

    JwsDetails& jws = report.jws.emplace();
    jws.option_offset = option.value_offset;
    jws.option_length = option.value.size();

    // A 4.02 echoing its request's option byte for byte is a server that does
    // not implement the option, not a signature: never verified, status none.
    if (!is_request && report.code == code_bad_option && request != nullptr &&
        request->single_jws && std::ranges::equal(option.value, request->jws_option)) {
        add_finding(report, FindingId::option_rejected,
                    "4.02 (Bad Option) echoes the JWS option of its request: the server does "
                    "not implement the option",
                    request->frame);
        return;
    }

    // 1. The option value.
    JwsOptionParts& parts = scratch_parts_;
    if (Status s = parse_jws_option(option.value, parts); !s) {
        add_finding(report, FindingId::malformed, "JWS option: " + s.error().message);
        return;
    }
    jws.stage = JwsStage::header_decoded;

    // 2. The header.
    JoseHeader& header = scratch_header_;
    if (Status parsed = parse_jose_header(as_text(parts.header_bytes), header); !parsed) {
        add_finding(report, FindingId::malformed, "JOSE header: " + parsed.error().message);
        return;
    }
    jws.stage = JwsStage::header_parsed;
    jws.seq = header.seq;

    // 1 (continued). An empty signature part is the shape of an Unsecured
    // JWS (RFC 7515 §6): with alg "none" it goes on to check 3 (alg-none);
    // with any other alg the option value is malformed, as if the split had
    // failed: no TID.
    if (parts.signature_empty() && !header.alg_is_none()) {
        add_finding(report, FindingId::malformed,
                    "JWS option signature part is empty (only an Unsecured JWS, alg \"none\", "
                    "has one)");
        return;
    }
    const std::string* key_id = header.key_id();
    if (key_id != nullptr) {
        report.key_id = *key_id;
        work.key_source = header.key_id_source().value_or(KeyIdSource::kid);
        // The message's own TID, shown even if a later check fails.
        if (header.seq && (is_request || header.isi_has_own_tid())) {
            report.tid = Tid{*key_id, *header.seq};
        }
    }

    // 3. The algorithm.
    if (header.alg_is_none()) {
        fail_invalid(report, FindingId::alg_none, "alg \"none\" is never accepted");
        return;
    }
    if (!header.algorithm) {
        fail_invalid(report, FindingId::alg_unsupported,
                     "alg " + detail::quoted(header.alg) + " is not supported");
        return;
    }

    // 4. crit.
    if (std::vector<std::string> unknown = header.unknown_crit(); !unknown.empty()) {
        // A few names, then a count: a header may list thousands, and a
        // finding is one short line.
        constexpr std::size_t max_listed = 4;
        std::string names;
        for (std::size_t i = 0; i < unknown.size() && i < max_listed; ++i) {
            if (!names.empty())
                names += ", ";
            names += detail::quoted(unknown[i]);
        }
        if (unknown.size() > max_listed)
            names += " and " + std::to_string(unknown.size() - max_listed) + " more";
        fail_invalid(report, FindingId::crit_unknown,
                     "crit names " + names + ": only \"seq\" and \"isi\" are understood");
        return;
    }

    // 5. What this kind of message needs.
    if (Status s = check_header_for_kind(header, report.kind); !s) {
        report.tid.reset();
        add_finding(report, FindingId::malformed, s.error().message);
        return;
    }

    // 6. isi belongs to responses.
    if (is_request && header.isi) {
        add_finding(report, FindingId::isi_in_request,
                    "isi " + detail::quoted(*header.isi) + " in a request is ignored");
    }

    // 7. Key lookup. A key that does not fit alg is never used (no algorithm confusion).
    // With no key configured at all there is nothing to look up: unverified,
    // without unknown-key (spec §6); the front ends say so once.
    bool unverified = false;
    if (!keys_ || keys_->empty()) {
        report.unverified_without_keys = true;
        unverified = true;
    } else if (key_id == nullptr) {
        std::string text;
        text += "the header names no key (no kid, x5t#S256 or x5t)";
        add_finding(report, FindingId::unknown_key, std::move(text));
        unverified = true;
    } else {
        std::span<const Key* const> found = keys_->find(work.key_source, *key_id);
        if (found.empty()) {
            // Built in a recycled buffer, without temporaries.
            std::string text;
            text += "no key for ";
            detail::append_key_label(text, work.key_source, *key_id);
            add_finding(report, FindingId::unknown_key, std::move(text));
            unverified = true;
        } else {
            std::optional<Error> first_misfit;
            for (const Key* key : found) {
                if (Status fits = key_fits(*key, *header.algorithm); fits) {
                    work.candidates.push_back(key);
                } else if (!first_misfit) {
                    first_misfit = fits.error();
                }
            }
            if (work.candidates.empty()) {
                std::string text = "the key for " + detail::key_label(work.key_source, *key_id) +
                                   " does not fit " + std::string(header.alg) + ": " +
                                   first_misfit->message;
                if (found.size() > 1) {
                    text += " (nor do the " + std::to_string(found.size() - 1) + " other keys)";
                }
                fail_invalid(report, FindingId::key_mismatch, std::move(text));
                return;
            }
        }
    }

    // 8. A response that binds its request's TID needs that request.
    const Tid* request_tid = nullptr;
    if (!is_request && header.isi_binds_request_tid()) {
        if (request == nullptr) {
            std::string text;
            text += "response's request not in view (isi \"";
            text += header.effective_isi();
            text += "\" binds the request TID)";
            add_finding(report, FindingId::unverifiable, std::move(text));
            unverified = true;
        } else if (!report.request_tid) {
            add_finding(report, FindingId::unverifiable,
                        "response's request (frame " + std::to_string(request->frame) +
                            ") carried no TID (" + isi_text(header) + " binds the request TID)",
                        request->frame);
            unverified = true;
        } else {
            request_tid = &*report.request_tid;  // the request's, from prepare() above
        }
        work.binds_request_tid_only = !header.isi_has_own_tid();
    }
    if (unverified) {
        report.signature = SignatureStatus::unverified;
        work.candidates.clear();
    }

    // The signed content is determined unless it needs a request TID we lack.
    const bool binds = !is_request && header.isi_binds_request_tid();
    if (!binds)
        jws.signed_content = SignedContentScope::message;
    else if (request_tid)
        jws.signed_content = SignedContentScope::request_tid;
    if (!unverified) {
        build_signed_content(message, SignedContentConfig{config.signed_options, config.jws_option},
                             request_tid, work.signed_content);
        build_signing_input(parts.header_b64, work.signed_content, work.signing_input);
        work.signature = parts.signature;
        work.alg = *header.algorithm;
        work.verify = true;
    }
}

}  // namespace coapjws
