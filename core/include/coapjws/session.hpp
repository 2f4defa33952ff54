// The analysis engine: one Session per capture, fed CoAP messages in capture
// order, returning a verdict per message (spec §3-§6). Both the Wireshark
// plugin and coapjws-scan are thin front ends over this class, so they give
// identical verdicts on the same capture.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coapjws/bytes.hpp"
#include "coapjws/coap_message.hpp"
#include "coapjws/endpoint.hpp"
#include "coapjws/finding.hpp"
#include "coapjws/jose_header.hpp"
#include "coapjws/key_store.hpp"
#include "coapjws/option_set.hpp"
#include "coapjws/tid.hpp"

namespace coapjws {

inline constexpr std::int64_t nanoseconds_per_second = 1'000'000'000;
// RFC 7252 EXCHANGE_LIFETIME with default transmission parameters.
inline constexpr std::int64_t exchange_lifetime_ns = 247 * nanoseconds_per_second;

// Upper bounds on what a Session remembers. Each table forgets its least
// recently used entry when full (counted in SessionStats); none grows with
// the number of packets.
struct SessionLimits {
    std::size_t max_windows = 65536;           // (receiver, key id) replay windows
    std::size_t max_pending_requests = 65536;  // requests awaiting responses
    std::size_t max_retransmission_entries = 65536;
    std::size_t max_retransmission_bytes = 16u << 20;
    std::size_t max_response_bindings = 65536;  // isi "01" responses seen per request TID
    std::size_t max_protected_pairs = 65536;    // (client address, server) pairs for `stripped`
    std::int64_t retransmission_lifetime_ns = exchange_lifetime_ns;
    // A request is forgotten this long after its last response (or after it
    // was sent, if none came) — unless it registered an Observe relation.
    std::int64_t request_lifetime_ns = exchange_lifetime_ns;
    std::int64_t observe_lifetime_ns = 24 * 3600 * nanoseconds_per_second;
    // Bytes held by pending requests in their key identifiers and JWS option
    // copies (each up to ~64 KiB, chosen by the capture): a second bound
    // beside max_pending_requests. Ordinary requests (~200 bytes) fill the
    // entry count first.
    std::size_t max_pending_request_bytes = 32u << 20;
};

struct SessionConfig {
    std::uint16_t jws_option = option::jws_default;
    OptionSet signed_options = OptionSet::default_signed();
    std::uint32_t window = 32;  // W, 1 .. max_window
    SessionLimits limits;
    // Fill MessageReport::jws->signed_content (the plugin shows it). The
    // content is always built when a signature is actually checked.
    bool keep_signed_content = false;

    static constexpr std::uint32_t max_window = 65536;
    // Errors for out-of-range values ("window must be 1..65536").
    Status validate() const;
};

// One CoAP message as captured.
struct Packet {
    std::uint32_t frame = 0;   // numbered from 1, as Wireshark does
    std::int64_t time_ns = 0;  // capture timestamp, ns since the epoch
    Endpoint src;
    Endpoint dst;
    ByteView coap;  // one CoAP message (the UDP payload); only read during the call
    // How `coap` is framed. Over TCP, TLS and WebSockets (RFC 8323) there is
    // no Message ID, so no retransmission check, and 7.xx codes are
    // signalling; everything else is analysed as over UDP (SPEC-NOTES).
    CoapFraming framing = CoapFraming::udp;
};

enum class SignatureStatus : std::uint8_t { none, valid, invalid, unverified };
std::string_view to_string(SignatureStatus status);  // "none", "valid", "invalid", "unverified"

// What the JWS option carried, as far as it could be read.
struct JwsDetails {
    std::size_t option_offset = 0;  // of the option value within the CoAP message
    std::size_t option_length = 0;
    bool header_decoded = false;       // base64url of the header was valid
    std::string header_json;           // the decoded header text, when header_decoded
    std::optional<JoseHeader> header;  // when the header parsed
    Bytes signature;                   // when the signature part decoded
    // The header passed checks 1-5 and any request TID it binds is known, so
    // the signed content is determined by the message (and that request
    // TID): a front end can rebuild it without keep_signed_content.
    bool signed_content_known = false;
    Bytes signed_content;  // when keep_signed_content and it was built
};

struct MessageReport {
    std::uint32_t frame = 0;
    std::int64_t time_ns = 0;
    Endpoint src;
    Endpoint dst;

    CoapFraming framing = CoapFraming::udp;  // the packet's
    MessageKind kind = MessageKind::unknown;
    std::uint8_t code = 0;
    std::uint16_t message_id = 0;  // UDP framing only; 0 otherwise
    bool coap_valid = false;       // the CoAP message parsed

    SignatureStatus signature = SignatureStatus::none;
    std::optional<JwsDetails> jws;      // set when the message carries a JWS option that was read
    std::optional<std::string> key_id;  // the signer's key identifier, when the header has one
    std::optional<Tid> tid;          // the message's own TID (requests; responses with isi 10/11)
    std::optional<Tid> request_tid;  // responses: the TID of the request they answer
    std::optional<std::uint32_t> request_frame;  // responses: the frame of that request
    std::optional<std::uint32_t> replay_of;
    std::optional<std::uint32_t> retransmission_of;
    // A valid message: the key that verified it, by its position in the
    // Session's KeyStore (KeyStore::at(), thumbprint(); Key::origin() says
    // where it was configured). Of several keys under one identifier, the
    // first that verifies.
    std::optional<std::uint32_t> verifying_key;
    // Signed, but left unverified because no key is configured at all: then
    // there is no `unknown-key` finding (spec §6), and a front end says once
    // that nothing could be verified.
    bool unverified_without_keys = false;
    std::vector<Finding> findings;  // in the order they were found

    bool has(FindingId id) const;
    const Finding* find(FindingId id) const;
    std::optional<Severity> worst_severity() const;
};

// Counters for the summary lines of the front ends.
struct SessionStats {
    std::uint64_t messages = 0;       // everything handed to analyze/prepare
    std::uint64_t coap_messages = 0;  // that parsed as CoAP
    std::uint64_t jws_messages = 0;   // that carried a JWS option
    std::array<std::uint64_t, finding_count> findings{};
    // Signed messages left unverified because no key is configured
    // (MessageReport::unverified_without_keys).
    std::uint64_t unverified_without_keys = 0;
    // Entries forgotten because a table was full.
    std::uint64_t window_evictions = 0;
    std::uint64_t request_evictions = 0;
    std::uint64_t retransmission_evictions = 0;
    std::uint64_t binding_evictions = 0;
    std::uint64_t protected_pair_evictions = 0;
    // Entries held now; each stays within its SessionLimits bound.
    std::size_t windows = 0;
    std::size_t pending_requests = 0;
    std::size_t retransmission_entries = 0;
    std::size_t retransmission_bytes = 0;
    std::size_t response_bindings = 0;
    std::size_t protected_pairs = 0;
    std::size_t pending_request_bytes = 0;  // within max_pending_request_bytes
};

class SessionState;  // the tables; defined in the implementation

// A message between the stages of a pipelined analysis (see Session).
class PreparedMessage {
  public:
    PreparedMessage();
    PreparedMessage(PreparedMessage&&) noexcept;
    PreparedMessage& operator=(PreparedMessage&&) noexcept;
    ~PreparedMessage();

    const MessageReport& report() const { return report_; }
    // Whether verify() has a public-key signature to check (ECDSA, EdDSA,
    // RSA). An HMAC check costs less than handing the message to another
    // thread, so a front end may leave it to conclude(), which verifies
    // whatever verify() did not.
    bool has_costly_verification() const;
    // Leaves check 9 out for a message the front end will not report
    // (coapjws-scan --shard): its signature is not checked and its status
    // stays `none`, so it enters no receiver's state (window, binding,
    // protected pair). Those tables are read only by later messages to the
    // same receiver, so the verdicts of other receivers' messages do not
    // change. Call between prepare() and conclude().
    void skip_verification();

  private:
    friend class Session;
    friend class SessionState;  // recycles Work buffers between messages
    MessageReport report_;
    struct Work;  // what verification and the ordered stage need
    std::unique_ptr<Work> work_;
};

class Session {
  public:
    // Fails only on an invalid config. `keys` may be empty (or null): then
    // every signed message is `unverified`, without `unknown-key` (spec §6),
    // and says so in MessageReport::unverified_without_keys.
    static Result<Session> create(SessionConfig config, std::shared_ptr<const KeyStore> keys = {});

    Session(Session&&) noexcept;
    Session& operator=(Session&&) noexcept;
    ~Session();

    // The whole analysis of one message. Messages must come in capture order.
    MessageReport analyze(const Packet& packet);
    // The same, into `out`, whose previous contents are replaced and whose
    // buffers are reused: a front end that handles one report at a time
    // saves most of the per-message allocations.
    void analyze(const Packet& packet, MessageReport& out);
    // Hands back a report the caller is done with; the next prepare() reuses
    // its buffers. Optional; only from the thread that runs prepare() and
    // conclude(). (analyze(packet, out) does this with `out`.)
    void recycle(MessageReport&& report);

    // The same analysis in three stages, for front ends that verify
    // signatures on worker threads: prepare() and conclude() run on one
    // thread in capture order; verify() is const, thread-safe and may run on
    // any thread in any order between them. analyze() == conclude(verify(prepare())).
    PreparedMessage prepare(const Packet& packet);
    void verify(PreparedMessage& message) const;
    MessageReport conclude(PreparedMessage&& message);

    const SessionConfig& config() const;
    SessionStats stats() const;
    // The keys MessageReport::verifying_key refers to (empty, never null).
    const KeyStore& keys() const;

  private:
    Session(SessionConfig config, std::shared_ptr<const KeyStore> keys);
    std::unique_ptr<SessionState> state_;
};

}  // namespace coapjws
