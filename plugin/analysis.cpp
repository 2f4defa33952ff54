#include "analysis.hpp"

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
        LoadedKeys loaded = load_keys(settings.keys_file, settings.uat_keys);
        keys_ = std::move(loaded.keys);
        problems.insert(problems.end(), loaded.problems.begin(), loaded.problems.end());
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
    last_settings_ = settings;
    return problems;
}

void Analysis::stop() {
    session_.reset();
    frames_.clear();
}

const StoredFrame* Analysis::lookup(std::uint32_t frame) const noexcept {
    const auto it = frames_.find(frame);
    return it == frames_.end() ? nullptr : &it->second;
}

const StoredFrame* Analysis::analyze(std::uint32_t frame,
                                     std::span<const CapturedMessage> messages) noexcept {
    try {
        if (const StoredFrame* stored = lookup(frame))
            return stored;
        StoredFrame result;
        result.messages.reserve(messages.size());
        for (const CapturedMessage& message : messages) {
            if (!session_) {
                StoredMessage failed;
                failed.location = message.location;
                failed.error = "analysis not started";
                result.messages.push_back(std::move(failed));
                continue;
            }
            try {
                result.messages.push_back(
                    render(session_->analyze(message.packet), message.location));
            } catch (const std::exception& e) {
                StoredMessage failed;
                failed.location = message.location;
                failed.error = std::string("internal error: ") + e.what();
                result.messages.push_back(std::move(failed));
            }
        }
        return &(frames_[frame] = std::move(result));
    } catch (...) {
        // Out of memory while storing: nothing to show for this frame.
        return nullptr;
    }
}

StoredMessage render(MessageReport report, const MessageLocation& location) {
    StoredMessage out;
    out.location = location;
    out.info = info_text(report);
    if (report.key_id)
        out.key_id = display_text(*report.key_id);
    if (report.tid)
        out.tid = display_text(report.tid->to_string());
    if (report.request_tid)
        out.request_tid = display_text(report.request_tid->to_string());
    if (report.jws) {
        const JwsDetails& jws = *report.jws;
        if (jws.header_decoded)
            out.header_json = display_text(jws.header_json);
        if (jws.header) {
            const JoseHeader& h = *jws.header;
            out.alg = display_text(h.alg);
            if (h.kid)
                out.kid = display_text(*h.kid);
            if (h.x5t)
                out.x5t = display_text(*h.x5t);
            if (h.x5t_s256)
                out.x5t_s256 = display_text(*h.x5t_s256);
            if (h.isi)
                out.isi = display_text(*h.isi);
            if (h.crit) {
                for (const std::string& name : *h.crit)
                    out.crit.push_back(display_text(name));
            }
        }
    }
    for (const Finding& finding : report.findings) {
        out.finding_messages.push_back(display_text(finding.message));
    }
    out.report = std::move(report);
    return out;
}

}  // namespace coapjws::plugin
