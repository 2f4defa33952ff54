// The plugin's analysis state for one capture: the engine Session, fed on
// Wireshark's first pass in capture order, and the verdicts that every later
// pass (clicks in any order, filters, tshark -2) shows unchanged. Which
// verdicts belong to a frame is kept with the frame itself (the dissector
// attaches a StoredFrame as per-packet data), not looked up by frame number:
// a read filter renumbers frames.
//
// Pure C++: nothing here calls Wireshark, so nothing here can longjmp.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "coapjws/jws_parts.hpp"
#include "coapjws/session.hpp"
#include "coapjws/stream_table.hpp"
#include "settings.hpp"
#include "stored_message.hpp"
#include "text_store.hpp"

namespace coapjws::plugin {

// One CoAP message as found by the dissector.
struct CapturedMessage {
    Packet packet;
    MessageLocation location;
};

// The messages stored for one frame, in the order the dissector found them:
// message(first) .. message(first + count - 1).
struct StoredFrame {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
};

// Frames are known to the engine by their record: the how-many-th frame of
// the capture file this is, counted on the first pass (1, 2, ...). Without a
// read filter the record is the frame number. A read filter (tshark -2 -R,
// the GUI's) drops frames after dissecting them and gives their number to the
// next frame, so frame numbers seen on the first pass repeat; records do not.
// The engine's related frames (replay_of, ...) are records, and so are the
// frame numbers inside its finding texts, as coapjws-scan reports them;
// shown_frame() turns a record into the frame number of this view.

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

    // First pass: a frame is being dissected for the first time, as
    // `frame_number` (which a read filter may give to the next frame too).
    // Call it for every frame of the first pass, in capture order; returns
    // the frame's record.
    std::uint32_t begin_record(std::uint32_t frame_number) noexcept;

    // First pass: analyses the messages of the frame begun last (their
    // packet.frame is its record), in order. Never throws: an internal error
    // becomes a message with has_error; nullopt when even that could not be
    // stored.
    std::optional<StoredFrame> analyze(std::uint32_t record,
                                       std::span<const CapturedMessage> messages) noexcept;

    // Whether `record` is the frame begun last: nothing after it has been
    // analysed, so analysing it now keeps the capture order.
    bool is_latest_record(std::uint32_t record) const noexcept { return record == last_record_; }

    // The frame number that `record` has in this view; 0 when a read filter
    // removed it (or when nothing was analysed in it).
    std::uint32_t shown_frame(std::uint32_t record) const noexcept;

    // What analyze() points at; valid until stop().
    const StoredMessage& message(std::uint32_t index) const { return messages_[index]; }
    // The records of the responses bound to the request stored as
    // message(index), in capture order: Wireshark's "Response in". Known
    // only once those responses were analysed (the first pass), as in
    // Wireshark's own request/response tracking.
    std::span<const std::uint32_t> responses_to(std::uint32_t index) const noexcept;
    const StoredFinding& finding(std::uint32_t index) const { return findings_[index]; }
    std::string_view text(TextStore::Ref ref) const noexcept { return texts_.get(ref); }
    const char* c_str(TextStore::Ref ref) const noexcept { return texts_.c_str(ref); }
    // The copy of a message's bytes kept because they were not in the
    // frame's own bytes (has_copy); empty otherwise.
    ByteView copy_of(const StoredMessage& message) const noexcept;

    // The header, signature and signed content of a stored message, derived
    // from its bytes by the engine (coapjws/jws_parts.hpp) with this
    // capture's settings.
    JwsParts jws_parts(const StoredMessage& message, ByteView coap, WantedParts wanted) const;

    // Display texts made from a stored message when shown: the Info note
    // (info_text.hpp, "" for none; related frames as shown_frame() numbers
    // them), the own TID and the request TID ("KEYID:SEQ", "" when absent).
    std::string info(const StoredMessage& message) const;
    std::string tid(const StoredMessage& message) const;
    std::string request_tid(const StoredMessage& message) const;

    // The key that verified a message (has_verifying_key), from the keys
    // the analysis runs with; nullptr when it is not there.
    const Key* verifying_key(const StoredMessage& message) const noexcept;
    const std::string& key_thumbprint(const StoredMessage& message) const noexcept;

    // What `message` contributes to its stream (stream_table.hpp), with the
    // receiver its frame gave the engine; `frame` is its number in the view.
    // The key identifier is a view into the stored texts.
    StreamFacts stream_facts(const StoredMessage& message, const Endpoint& receiver,
                             std::uint32_t frame) const;

    bool running() const { return session_ != nullptr; }
    // The option number the running analysis reads the JWS from.
    std::uint16_t jws_option() const { return jws_option_; }
    std::size_t key_count() const;
    // Roughly what the stored verdicts take, in bytes.
    std::size_t bytes_stored() const;

  private:
    struct KeySourceStamp;
    static constexpr std::uint32_t not_stored = 0xffffffffu;

    // The number an analysed record had on the first pass; 0 once the next
    // frame got the same number (a read filter dropped this one).
    struct NumberedRecord {
        std::uint32_t record;
        std::uint32_t frame_number;
        std::uint32_t first_message;  // its stored messages: first_message .. + message_count
        std::uint32_t message_count;
    };
    const NumberedRecord* numbered(std::uint32_t record) const noexcept;
    // The stored request of record `request_frame` that `report` answers.
    std::optional<std::uint32_t> request_message(const MessageReport& report) const;

    void store(const MessageReport& report, const CapturedMessage& captured);
    void store_error(const CapturedMessage& captured, std::string_view error);

    std::unique_ptr<Session> session_;
    // Records with messages, in increasing record order.
    std::vector<NumberedRecord> numbered_;
    std::uint32_t last_record_ = 0;        // the record begun last
    std::uint32_t last_frame_number_ = 0;  // its frame number on the first pass
    std::deque<StoredMessage> messages_;
    std::deque<StoredFinding> findings_;
    // Request message index -> the records of the responses bound to it.
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> responses_;
    TextStore texts_;
    std::optional<PluginSettings> last_settings_;
    std::unique_ptr<KeySourceStamp> key_stamp_;
    std::shared_ptr<const KeyStore> keys_;
    bool no_keys_noted_ = false;  // a stored message carries no_keys_note
    std::uint16_t jws_option_ = option::jws_default;
    OptionSet signed_options_ = OptionSet::default_signed();
};

}  // namespace coapjws::plugin
