// The plugin's analysis state for one capture: the engine Session, fed on
// Wireshark's first pass in frame order, and the per-frame results that every
// later pass (clicks in any order, filters, tshark -2) shows unchanged.
//
// Pure C++: nothing here calls Wireshark, so nothing here can longjmp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "coapjws/session.hpp"
#include "settings.hpp"

namespace coapjws::plugin {

// Where a CoAP message sat in the frame on the first pass, so that a later
// pass that cannot see CoAP's tree items still highlights the right bytes.
struct MessageLocation {
    bool in_frame_bytes = false;  // inside the frame's own bytes (not decrypted/reassembled data)
    std::uint32_t offset = 0;     // of the CoAP message in those bytes
    std::uint32_t length = 0;
};

// One CoAP message as found by the dissector.
struct CapturedMessage {
    Packet packet;
    MessageLocation location;
};

// A report with everything the tree needs already rendered as text, so that
// building the tree creates no C++ objects.
struct StoredMessage {
    MessageReport report;
    MessageLocation location;
    std::string info;    // Info column note ("" for nothing to say)
    std::string key_id;  // display forms ("" when absent)
    std::string tid;
    std::string request_tid;
    std::string header_json;
    std::string alg, kid, x5t, x5t_s256, isi;
    std::vector<std::string> crit;
    std::vector<std::string> finding_messages;  // parallel to report.findings
    std::string error;                          // an internal error instead of a report
};

struct StoredFrame {
    std::vector<StoredMessage> messages;  // in the order the dissector found them
};

class Analysis {
  public:
    Analysis();
    ~Analysis();
    Analysis(const Analysis&) = delete;
    Analysis& operator=(const Analysis&) = delete;

    // Starts a new capture (Wireshark's init routine): forgets every frame and
    // creates a fresh Session for `settings`. Keys are reloaded when their
    // sources changed (or after invalidate_keys()). Returns the problems to
    // show the user: bad preferences or keys — only when something changed,
    // so a redissection does not repeat them.
    std::vector<std::string> start(const PluginSettings& settings);

    // Forgets every frame and the Session (the cleanup routine).
    void stop();

    // Forces start() to reload the keys (the user pressed Apply).
    void invalidate_keys();

    // First pass: analyses the frame's messages, in order, once. A frame
    // handed in again returns its stored result and is not analysed twice.
    // Never throws: an internal error becomes StoredMessage::error.
    const StoredFrame* analyze(std::uint32_t frame,
                               std::span<const CapturedMessage> messages) noexcept;

    // Later passes. nullptr for a frame the first pass stored nothing for.
    const StoredFrame* lookup(std::uint32_t frame) const noexcept;

    bool running() const { return session_ != nullptr; }
    // The option number the running analysis reads the JWS from.
    std::uint16_t jws_option() const { return jws_option_; }
    std::size_t key_count() const;

  private:
    struct KeySourceStamp;
    std::unique_ptr<Session> session_;
    std::unordered_map<std::uint32_t, StoredFrame> frames_;
    std::optional<PluginSettings> last_settings_;
    std::unique_ptr<KeySourceStamp> key_stamp_;
    std::shared_ptr<const KeyStore> keys_;
    std::uint16_t jws_option_ = option::jws_default;
};

// Renders a report for the tree (also used by tests).
StoredMessage render(MessageReport report, const MessageLocation& location);

}  // namespace coapjws::plugin
