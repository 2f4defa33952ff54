#include "analysis.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <new>
#include <system_error>
#include <utility>

#include "display_text.hpp"
#include "info_text.hpp"
#include "key_sources.hpp"

namespace coapjws::plugin {

// What the loaded keys were read from: a changed file (by time or size), a
// new path or new table rows make start() reload them.
struct Analysis::KeySourceStamp {
    std::string keys_file;
    bool file_exists = false;
    std::filesystem::file_time_type file_time{};
    std::uintmax_t file_size = 0;
    std::vector<UatKeyEntry> uat_keys;

    static KeySourceStamp of(const PluginSettings& settings) {
        KeySourceStamp stamp;
        stamp.keys_file = settings.keys_file;
        stamp.uat_keys = settings.uat_keys;
        if (!settings.keys_file.empty()) {
            std::error_code ec;
            const auto time = std::filesystem::last_write_time(settings.keys_file, ec);
            if (!ec) {
                const auto size = std::filesystem::file_size(settings.keys_file, ec);
                stamp.file_exists = !ec;
                stamp.file_time = time;
                stamp.file_size = ec ? 0 : size;
            }
        }
        return stamp;
    }

    bool operator==(const KeySourceStamp& other) const {
        return keys_file == other.keys_file && file_exists == other.file_exists &&
               file_time == other.file_time && file_size == other.file_size &&
               uat_keys == other.uat_keys;
    }
};

Analysis::Analysis() = default;
Analysis::~Analysis() = default;

std::size_t Analysis::key_count() const {
    return keys_ ? keys_->size() : 0;
}

void Analysis::invalidate_keys() {
    key_stamp_.reset();
    last_settings_.reset();
}

std::vector<std::string> Analysis::start(const PluginSettings& settings) {
    stop();
    std::vector<std::string> problems;
    const bool settings_changed = !last_settings_ || !(*last_settings_ == settings);

    ResolvedConfig config = resolve_session_config(settings);
    if (settings_changed)
        problems = std::move(config.problems);

    KeySourceStamp stamp = KeySourceStamp::of(settings);
    if (!key_stamp_ || !(*key_stamp_ == stamp) || !keys_) {
        // Whatever happens to the keys, the analysis starts: replays,
        // retransmissions and bindings need none.
        try {
            LoadedKeys loaded = load_keys(settings.keys_file, settings.uat_keys);
            keys_ = std::move(loaded.keys);
            problems.insert(problems.end(), loaded.problems.begin(), loaded.problems.end());
        } catch (const std::exception& e) {
            keys_ = std::make_shared<const KeyStore>();
            problems.push_back(std::string("cannot load the keys: ") + e.what());
        }
        key_stamp_ = std::make_unique<KeySourceStamp>(std::move(stamp));
    }

    auto session = Session::create(config.session, keys_);
    if (!session) {
        // resolve_session_config() only hands out valid configs; this would be
        // an engine/plugin mismatch, so say so rather than analyse nothing.
        problems.push_back("cannot start the analysis: " + session.error().message);
    } else {
        session_ = std::make_unique<Session>(std::move(*session));
    }
    jws_option_ = config.session.jws_option;
    signed_options_ = config.session.signed_options;
    last_settings_ = settings;
    return problems;
}

void Analysis::stop() {
    session_.reset();
    no_keys_noted_ = false;
    // Give the memory back: a capture of a million frames may have used
    // a hundred megabytes here.
    std::vector<NumberedRecord>().swap(numbered_);
    last_record_ = 0;
    last_frame_number_ = 0;
    std::deque<StoredMessage>().swap(messages_);
    std::deque<StoredFinding>().swap(findings_);
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>>().swap(responses_);
    texts_.clear();
}

std::uint32_t Analysis::begin_record(std::uint32_t frame_number) noexcept {
    // Frame numbers of the first pass only repeat when the frame before was
    // dropped by a read filter: its number went to this one.
    if (last_record_ != 0 && frame_number == last_frame_number_ && !numbered_.empty() &&
        numbered_.back().record == last_record_) {
        numbered_.back().frame_number = 0;
    }
    ++last_record_;
    last_frame_number_ = frame_number;
    return last_record_;
}

const Analysis::NumberedRecord* Analysis::numbered(std::uint32_t record) const noexcept {
    const auto at = std::lower_bound(
        numbered_.begin(), numbered_.end(), record,
        [](const NumberedRecord& r, std::uint32_t wanted) { return r.record < wanted; });
    return at != numbered_.end() && at->record == record ? &*at : nullptr;
}

std::uint32_t Analysis::shown_frame(std::uint32_t record) const noexcept {
    const NumberedRecord* r = numbered(record);
    return r ? r->frame_number : 0;
}

std::span<const std::uint32_t> Analysis::responses_to(std::uint32_t index) const noexcept {
    const auto it = responses_.find(index);
    return it != responses_.end() ? std::span<const std::uint32_t>(it->second)
                                  : std::span<const std::uint32_t>();
}

// The request is a message of the record the engine names; when that record
// holds several requests (CoAP over TCP), the one whose TID the response binds.
std::optional<std::uint32_t> Analysis::request_message(const MessageReport& report) const {
    const NumberedRecord* r = report.request_frame ? numbered(*report.request_frame) : nullptr;
    if (!r)
        return std::nullopt;
    std::optional<std::uint32_t> only;
    unsigned requests = 0;
    for (std::uint32_t i = r->first_message; i < r->first_message + r->message_count; ++i) {
        const StoredMessage& m = messages_[i];
        if (m.kind != MessageKind::request)
            continue;
        ++requests;
        only = i;
        if (report.request_tid && m.has_tid && m.seq == report.request_tid->seq &&
            text(m.key_id) == report.request_tid->key_id) {
            return i;
        }
    }
    return requests == 1 ? only : std::nullopt;
}

const Key* Analysis::verifying_key(const StoredMessage& message) const noexcept {
    if (!message.has_verifying_key || !keys_ || message.verifying_key >= keys_->size())
        return nullptr;
    return &keys_->at(message.verifying_key);
}

const std::string& Analysis::key_thumbprint(const StoredMessage& message) const noexcept {
    static const std::string none;
    return verifying_key(message) ? keys_->thumbprint(message.verifying_key) : none;
}

StreamFacts Analysis::stream_facts(const StoredMessage& message, const Endpoint& receiver,
                                   std::uint32_t frame) const {
    StreamFacts facts;
    facts.frame = frame;
    facts.receiver = receiver;
    if (message.has_key_id)
        facts.key_id = text(message.key_id);
    facts.signature = message.signature;
    for (std::uint32_t i = 0; i < message.finding_count; ++i)
        ++facts.findings[static_cast<std::size_t>(finding(message.first_finding + i).id)];
    if (message.window_accepted)
        facts.accepted_seq = message.seq;
    return facts;
}

ByteView Analysis::copy_of(const StoredMessage& message) const noexcept {
    return message.has_copy ? as_bytes(texts_.get(message.extra)) : ByteView{};
}

std::size_t Analysis::bytes_stored() const {
    std::size_t links = 0;
    for (const auto& [request, responses] : responses_)
        links += sizeof request + responses.capacity() * sizeof(std::uint32_t) + 32;
    return links + numbered_.capacity() * sizeof(NumberedRecord) +
           messages_.size() * sizeof(StoredMessage) + findings_.size() * sizeof(StoredFinding) +
           texts_.bytes_allocated();
}

JwsParts Analysis::jws_parts(const StoredMessage& message, ByteView coap,
                             WantedParts wanted) const {
    if (!message.has_jws)
        return {};
    Tid request_tid;
    if (message.has_request_tid)
        request_tid = Tid{std::string(texts_.get(message.request_key_id)), message.request_seq};
    return derive_jws_parts(coap, message.framing, message.jws_details(),
                            message.has_request_tid ? &request_tid : nullptr,
                            SignedContentConfig{signed_options_, jws_option_}, wanted);
}

std::string Analysis::info(const StoredMessage& message) const {
    std::vector<FindingNote> notes;
    notes.reserve(message.finding_count);
    for (std::uint32_t i = 0; i < message.finding_count; ++i) {
        const StoredFinding& f = finding(message.first_finding + i);
        const std::uint32_t shown = shown_frame(f.related_frame);
        notes.push_back({f.id, shown != 0 ? std::optional<std::uint32_t>(shown) : std::nullopt});
    }
    InfoFacts facts;
    facts.has_jws = message.has_jws;
    std::string key_id;
    if (message.has_key_id) {
        key_id = display_text(text(message.key_id));
        facts.key_id = key_id;
    }
    if (message.has_seq)
        facts.seq = message.seq;
    facts.signature = message.signature;
    facts.findings = notes;
    return info_text(facts);
}

namespace {

// Tid::to_string() as display text: the key identifier's display text
// followed by ":SEQ" (display_text() leaves ASCII as it is).
std::string tid_text(std::string_view key_id_display, std::uint32_t seq) {
    std::string text(key_id_display);
    text += ':';
    text += std::to_string(seq);
    return text;
}

}  // namespace

std::string Analysis::tid(const StoredMessage& message) const {
    // The engine's TID: the key identifier and the TID's seq.
    return message.has_tid ? tid_text(display_text(text(message.key_id)), message.tid_seq)
                           : std::string();
}

std::string Analysis::request_tid(const StoredMessage& message) const {
    return message.has_request_tid
               ? tid_text(display_text(text(message.request_key_id)), message.request_seq)
               : std::string();
}

std::optional<StoredFrame> Analysis::analyze(std::uint32_t record,
                                             std::span<const CapturedMessage> messages) noexcept {
    const std::size_t message_mark = messages_.size();
    const std::size_t finding_mark = findings_.size();
    try {
        if (messages_.size() + messages.size() >= not_stored)
            return std::nullopt;
        if (numbered_.empty() || numbered_.back().record < record) {
            numbered_.push_back({record, record == last_record_ ? last_frame_number_ : record,
                                 static_cast<std::uint32_t>(messages_.size()), 0});
        }
        for (const CapturedMessage& captured : messages) {
            if (!session_) {
                store_error(captured, "analysis not started");
                continue;
            }
            try {
                store(session_->analyze(captured.packet), captured);
            } catch (const std::exception& e) {
                store_error(captured, std::string("internal error: ") + e.what());
            }
            NumberedRecord& current = numbered_.back();
            current.message_count =
                static_cast<std::uint32_t>(messages_.size()) - current.first_message;
        }
        return StoredFrame{static_cast<std::uint32_t>(message_mark),
                           static_cast<std::uint32_t>(messages_.size() - message_mark)};
    } catch (...) {
        // Out of memory while storing: nothing to show for this frame.
        messages_.resize(message_mark);
        findings_.resize(finding_mark);
        return std::nullopt;
    }
}

void Analysis::store_error(const CapturedMessage& captured, std::string_view error) {
    StoredMessage& m = messages_.emplace_back();
    m.location = captured.location;
    m.has_error = true;
    m.extra = texts_.add(display_text(error));
}

void Analysis::store(const MessageReport& report, const CapturedMessage& captured) {
    StoredMessage m;
    m.location = captured.location;
    m.framing = report.framing;
    m.kind = report.kind;
    m.signature = report.signature;
    if (report.verifying_key) {
        m.has_verifying_key = true;
        m.verifying_key = *report.verifying_key;
    }
    m.window_accepted = window_accepted_seq(report).has_value();
    if (report.jws) {
        const JwsDetails& jws = *report.jws;
        m.has_jws = true;
        m.option_offset = static_cast<std::uint32_t>(jws.option_offset);
        m.option_length = static_cast<std::uint32_t>(jws.option_length);
        m.jws_stage = jws.stage;
        m.signed_content = jws.signed_content;
        if (jws.seq) {
            m.has_seq = true;
            m.seq = *jws.seq;
        }
    }
    if (report.key_id) {
        m.has_key_id = true;
        m.key_id = texts_.add(*report.key_id);
    }
    if (report.tid) {
        m.has_tid = true;
        m.tid_seq = report.tid->seq;
    }
    if (report.request_tid) {
        m.has_request_tid = true;
        m.request_key_id = texts_.add(report.request_tid->key_id);
        m.request_seq = report.request_tid->seq;
    }
    m.request_frame = report.request_frame.value_or(0);
    // Wireshark's "Response in": the request learns of its responses as they
    // are analysed.
    if (const auto request = request_message(report))
        responses_[*request].push_back(report.frame);
    m.replay_of = report.replay_of.value_or(0);
    m.retransmission_of = report.retransmission_of.value_or(0);
    // Said once per capture, on the first message that needed a key.
    if (report.unverified_without_keys && !no_keys_noted_) {
        m.no_keys_note = true;
        no_keys_noted_ = true;
    }
    if (!captured.location.in_frame_bytes && m.jws_reached(JwsStage::header_decoded)) {
        m.has_copy = true;
        m.extra = texts_.add(as_text(captured.packet.coap));
    }
    m.first_finding = static_cast<std::uint32_t>(findings_.size());
    for (const Finding& finding : report.findings) {
        if (m.finding_count == 0xffff)
            break;
        findings_.push_back({texts_.add(display_text(finding.message)),
                             finding.related_frame.value_or(0), finding.id});
        ++m.finding_count;
    }
    messages_.push_back(m);
}

}  // namespace coapjws::plugin
