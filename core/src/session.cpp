// Session: the three stages and the glue between them. The checks live in
// session_prepare.cpp (per message, checks 1-9 of SPEC-NOTES) and
// session_conclude.cpp (the stateful checks, in capture order).
#include "coapjws/session.hpp"

#include <utility>

#include "coapjws/jws_crypto.hpp"
#include "finding_text.hpp"
#include "session_state.hpp"

namespace coapjws {

namespace {
// Spare Work objects kept for reuse: enough for a pipeline several hundred
// messages deep without holding memory for ever after a burst.
constexpr std::size_t max_spare_work = 256;
}  // namespace

void PreparedMessage::Work::reset() {
    coap = has_jws = stateful = observe = false;
    retransmission_of.reset();
    verify = false;
    alg = Algorithm::HS256;
    key_source = KeyIdSource::kid;
    candidates.clear();
    signature.clear();
    signed_content.clear();
    signing_input.clear();
    binds_request_tid_only = false;
    unprotected_request_frame.reset();
}

PreparedMessage::PreparedMessage() = default;
PreparedMessage::PreparedMessage(PreparedMessage&&) noexcept = default;
PreparedMessage& PreparedMessage::operator=(PreparedMessage&&) noexcept = default;
PreparedMessage::~PreparedMessage() = default;

bool PreparedMessage::has_costly_verification() const {
    return work_ && work_->verify && report_.signature == SignatureStatus::none &&
           algorithm_family(work_->alg) != AlgorithmFamily::hmac;
}

void PreparedMessage::skip_verification() {
    if (work_)
        work_->verify = false;
}

void add_finding(MessageReport& report, FindingId id, std::string message,
                 std::optional<std::uint32_t> related_frame) {
    report.findings.push_back(Finding{id, std::move(message), related_frame});
}

SessionState::SessionState(SessionConfig cfg, std::shared_ptr<const KeyStore> keys)
    : config(std::move(cfg)),
      keys_(std::move(keys)),
      retransmissions_(config.limits.max_retransmission_entries,
                       config.limits.max_retransmission_bytes,
                       config.limits.retransmission_lifetime_ns),
      requests_(config.limits.max_pending_requests, config.limits.max_pending_request_bytes,
                config.limits.request_lifetime_ns, config.limits.observe_lifetime_ns, key_ids_),
      windows_(config.limits.max_windows),
      bindings_(config.limits.max_response_bindings),
      pairs_(config.limits.max_protected_pairs) {}

// Both stages intern (prepare() for requests, conclude() for windows and
// bindings), so the sweep lives with the tables, not with either stage.
void SessionState::sweep_key_ids_if_due() {
    if (!key_ids_.wants_sweep())
        return;
    key_ids_.sweep([this](auto mark) {
        for (const auto& entry : windows_)
            mark(entry.first.key_id);
        for (const auto& entry : bindings_) {
            mark(entry.first.request_key_id);
            mark(entry.first.responder_key_id);
        }
        requests_.mark_key_ids(mark);
    });
}

const KeyStore& SessionState::keys() const {
    static const KeyStore none;
    return keys_ ? *keys_ : none;
}

std::unique_ptr<SessionState::Work> SessionState::take_work() {
    if (spare_work_.empty())
        return std::make_unique<Work>();
    std::unique_ptr<Work> work = std::move(spare_work_.back());
    spare_work_.pop_back();
    return work;
}

void SessionState::recycle(std::unique_ptr<Work> work) {
    if (!work || spare_work_.size() >= max_spare_work)
        return;
    // A spare keeps ordinary capacity only: one message with 65000 signed
    // options must not leave 256 spares of half a megabyte each behind.
    constexpr std::size_t max_kept_capacity = 16u << 10;
    if (work->signed_content.capacity() > max_kept_capacity)
        Bytes().swap(work->signed_content);
    if (work->signature.capacity() > max_kept_capacity)
        Bytes().swap(work->signature);
    if (work->signing_input.capacity() > max_kept_capacity)
        std::string().swap(work->signing_input);
    work->reset();
    spare_work_.push_back(std::move(work));
}

// Check 9 of SPEC-NOTES: the only stage that touches key material. With
// several fitting keys under one identifier, any that verifies makes it valid.
// Runs once: a second call (or conclude() after verify()) finds the status set.
void SessionState::verify_work(const Work& work, MessageReport& report) const {
    if (!work.verify || report.signature != SignatureStatus::none)
        return;
    ByteView input = as_bytes(work.signing_input);
    ByteView signature = work.signature;
    for (const Key* key : work.candidates) {
        if (verify_signature(work.alg, *key, input, signature)) {
            report.signature = SignatureStatus::valid;
            report.verifying_key = static_cast<std::uint32_t>(keys_->index_of(key));
            return;
        }
    }
    report.signature = SignatureStatus::invalid;
    std::string who = detail::key_label(work.key_source, report.key_id.value_or(""));
    std::string text = work.candidates.size() == 1
                           ? "signature does not verify with the key for " + who
                           : "signature verifies with none of the " +
                                 std::to_string(work.candidates.size()) + " keys for " + who;
    add_finding(report, FindingId::bad_signature, std::move(text));
}

void SessionState::verify(PreparedMessage& message) const {
    if (message.work_)
        verify_work(*message.work_, message.report_);
}

SessionStats SessionState::stats() const {
    SessionStats s = counters_;
    s.window_evictions = windows_.evictions();
    s.request_evictions = requests_.evictions();
    s.retransmission_evictions = retransmissions_.evictions();
    s.binding_evictions = bindings_.evictions();
    s.protected_pair_evictions = pairs_.evictions();
    s.windows = windows_.size();
    s.pending_requests = requests_.size();
    s.retransmission_entries = retransmissions_.size();
    s.retransmission_bytes = retransmissions_.bytes_held();
    s.response_bindings = bindings_.size();
    s.protected_pairs = pairs_.size();
    s.pending_request_bytes = requests_.bytes_held();
    return s;
}

// --- Session -----------------------------------------------------------------

Result<Session> Session::create(SessionConfig config, std::shared_ptr<const KeyStore> keys) {
    if (Status valid = config.validate(); !valid)
        return valid;
    return Session(std::move(config), std::move(keys));
}

Session::Session(SessionConfig config, std::shared_ptr<const KeyStore> keys)
    : state_(std::make_unique<SessionState>(std::move(config), std::move(keys))) {}

Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

MessageReport Session::analyze(const Packet& packet) {
    PreparedMessage message = prepare(packet);
    verify(message);
    return conclude(std::move(message));
}

PreparedMessage Session::prepare(const Packet& packet) {
    PreparedMessage message;
    message.work_ = state_->take_work();
    state_->prepare(packet, *message.work_, message.report_);
    return message;
}

void Session::verify(PreparedMessage& message) const {
    state_->verify(message);
}

MessageReport Session::conclude(PreparedMessage&& message) {
    return state_->conclude(std::move(message));
}

const SessionConfig& Session::config() const {
    return state_->config;
}

SessionStats Session::stats() const {
    return state_->stats();
}

const KeyStore& Session::keys() const {
    return state_->keys();
}

}  // namespace coapjws
