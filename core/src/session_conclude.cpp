// conclude(): the stateful checks, run in capture order after verification
// (SPEC-NOTES "Order of checks"): retransmission, replay window,
// response-replay, unprotected-response, stripped; then the counters.
#include "finding_text.hpp"
#include "session_state.hpp"

namespace coapjws {

namespace {

// A receiver keeps what passed or could not be checked; a failure is discarded.
bool enters_state(SignatureStatus status) {
    return status == SignatureStatus::valid || status == SignatureStatus::unverified;
}

}  // namespace

MessageReport SessionState::conclude(PreparedMessage&& message) {
    MessageReport report = std::move(message.report_);
    std::unique_ptr<Work> work = std::move(message.work_);
    if (!work)
        return report;  // a moved-from or default PreparedMessage
    conclude(*work, report);
    recycle(std::move(work));
    return report;
}

void SessionState::conclude(Work& work, MessageReport& report) {
    // A front end that skipped verify() still gets a verdict.
    verify_work(work, report);

    if (work.stateful) {
        if (work.retransmission_of) {
            // A retransmission is the first copy again: it touches no window,
            // no binding, and is not reported as stripped or unprotected twice.
            report.retransmission_of = work.retransmission_of;
            std::string text;
            text += "retransmission of frame ";
            detail::append_number(text, *work.retransmission_of);
            text += " (MID ";
            detail::append_number(text, report.message_id);
            text += " from ";
            text += report.src.to_string();
            text += ")";
            add_finding(report, FindingId::retransmission, std::move(text), work.retransmission_of);
        } else {
            if (report.tid && enters_state(report.signature))
                check_window(report, work);
            if (work.binds_request_tid_only && report.request_tid && !work.observe &&
                enters_state(report.signature)) {
                check_binding(report);
            }
            if (work.unprotected_request_frame) {
                add_finding(report, FindingId::unprotected_response,
                            "response without JWS to a request with JWS (frame " +
                                std::to_string(*work.unprotected_request_frame) + ")",
                            work.unprotected_request_frame);
            }
            if (report.kind == MessageKind::request)
                check_stripped(report, work);
        }
    }

    count(report, work);
}

// Spec §5: one window per (receiver endpoint, key identifier); the receiver
// is the destination (the client, for a response with its own TID).
void SessionState::check_window(MessageReport& report, const Work& work) {
    const Tid& tid = *report.tid;
    detail::table_key_id(tid.key_id, scratch_key_id_);
    const detail::WindowKey key{report.dst, key_ids_.intern(scratch_key_id_)};
    const std::uint32_t key_hash = windows_.hash_key(key);  // once, for lookup and insertion
    ReplayWindow* window = windows_.find(key, key_hash);
    if (window == nullptr) {
        window = &windows_.insert_absent(key, ReplayWindow(config.window), key_hash);
        sweep_key_ids_if_due();  // the new id is in the table now
    }
    const WindowOutcome outcome = window->check_and_update(tid.seq, report.frame);
    report.window = WindowCheck{outcome.verdict, window->highest()};

    if (outcome.verdict == WindowVerdict::accepted)
        return;
    if (outcome.verdict == WindowVerdict::replay) {
        // The finding of every message of a replay flood: one buffer, no temporaries.
        report.replay_of = outcome.related_frame;
        std::string text;
        text += "seq ";
        detail::append_number(text, tid.seq);
        text += " from ";
        detail::append_key_label(text, work.key_source, tid.key_id);
        text += " already accepted at ";
        text += report.dst.to_string();
        text += " in frame ";
        detail::append_number(text, outcome.related_frame);
        add_finding(report, FindingId::replay, std::move(text), outcome.related_frame);
        return;
    }
    const std::string who = detail::key_label(work.key_source, tid.key_id);
    const std::string where = report.dst.to_string();
    switch (outcome.verdict) {
        case WindowVerdict::accepted:
        case WindowVerdict::replay:
            return;
        case WindowVerdict::out_of_window:
            add_finding(report, FindingId::out_of_window,
                        "seq " + std::to_string(tid.seq) + " from " + who +
                            " is below the window at " + where + " (highest " +
                            std::to_string(window->highest()) + ", window " +
                            std::to_string(window->size()) + ")");
            return;
        case WindowVerdict::seq_exhausted:
            add_finding(report, FindingId::seq_exhausted,
                        who + " already used its last seq 4294967295 at " + where + " (frame " +
                            std::to_string(outcome.related_frame) +
                            "): the key should have been replaced",
                        outcome.related_frame);
            return;
    }
}

// An isi "01" response has no TID of its own: a second one bound to the same
// request TID at the same client, under the same responder key, is a replay.
void SessionState::check_binding(MessageReport& report) {
    detail::table_key_id(report.request_tid->key_id, scratch_key_id_);
    const detail::KeyIdPool::Id request_key_id = key_ids_.intern(scratch_key_id_);
    detail::table_key_id(report.key_id ? std::string_view(*report.key_id) : std::string_view(),
                         scratch_key_id_);
    const detail::BindingKey key{report.dst, request_key_id, report.request_tid->seq,
                                 key_ids_.intern(scratch_key_id_)};
    const std::uint32_t key_hash = bindings_.hash_key(key);  // once, for lookup and insertion
    if (const std::uint32_t* first = bindings_.find(key, key_hash)) {
        report.replay_of = *first;
        std::string text = "another response bound to request TID " +
                           detail::quoted(report.request_tid->to_string()) + " at " +
                           report.dst.to_string();
        if (report.key_id)
            text += " under the same key " + detail::quoted(*report.key_id);
        text += " (first in frame " + std::to_string(*first) + ")";
        add_finding(report, FindingId::response_replay, std::move(text), *first);
        return;
    }
    bindings_.insert_absent(key, report.frame, key_hash);
    sweep_key_ids_if_due();  // the new ids are in the table now
}

// A request without JWS where the same client address (any port) earlier
// sent a protected request to the same server endpoint.
void SessionState::check_stripped(MessageReport& report, const Work& work) {
    detail::PairKey key{report.src.address, report.dst};
    if (work.has_jws) {
        if (enters_state(report.signature))
            pairs_.insert_or_assign(key, report.frame);
        return;
    }
    if (const std::uint32_t* protected_frame = pairs_.find(key)) {
        add_finding(report, FindingId::stripped,
                    "request without JWS from " + report.src.address.to_string() + " to " +
                        report.dst.to_string() +
                        ", which got a protected request from it in frame " +
                        std::to_string(*protected_frame),
                    *protected_frame);
    }
}

void SessionState::count(const MessageReport& report, const Work& work) {
    ++counters_.messages;
    if (work.coap)
        ++counters_.coap_messages;
    if (work.has_jws)
        ++counters_.jws_messages;
    if (report.unverified_without_keys)
        ++counters_.unverified_without_keys;
    for (const Finding& finding : report.findings) {
        ++counters_.findings[static_cast<std::size_t>(finding.id)];
    }
}

}  // namespace coapjws
