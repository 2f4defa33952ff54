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
#include "coapjws/window_verdict.hpp"

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

// How far the engine read a JWS option.
enum class JwsStage : std::uint8_t {
    option,          // the value did not split into its parts, or a part did not decode
    header_decoded,  // the header's base64url decoded; its JSON did not parse
    header_parsed,   // the header parsed
};

// What a message's signature is computed over (spec §3), as far as the
// engine determined it.
enum class SignedContentScope : std::uint8_t {
    unknown,      // not determined: the header failed a check before the key
                  // lookup, or the request TID it binds is not in view
    message,      // the message's own content
    request_tid,  // the message's content, then its request's TID
                  // (MessageReport::request_tid): the response is bound to it
};

// What the JWS option carried, as far as it could be read. The header, the
// signature and the signed content follow from the message's bytes and these
// facts: derive_jws_parts() (jws_parts.hpp) makes them when they are shown.
struct JwsDetails {
    std::size_t option_offset = 0;  // of the option value within the CoAP message
    std::size_t option_length = 0;
    JwsStage stage = JwsStage::option;
    std::optional<std::uint32_t> seq;  // the header's, when it parsed and had one
    SignedContentScope signed_content = SignedContentScope::unknown;
};

// A TID's passage through its receiver's replay window: (destination
// endpoint, key identifier), spec §5.
struct WindowCheck {
    WindowVerdict verdict = WindowVerdict::accepted;
    std::uint32_t highest = 0;  // the highest seq the window has accepted, after this message
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
    // Set when the message's TID went to its receiver's replay window: a
    // valid or unverified message with a TID of its own that is not a
    // retransmission. Every other message leaves the windows alone.
    std::optional<WindowCheck> window;
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
    friend class SessionState;
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
    [[nodiscard]] MessageReport analyze(const Packet& packet);

    // The same analysis in three stages, for front ends that verify
    // signatures on worker threads: prepare() and conclude() run on one
    // thread in capture order; verify() is const, thread-safe and may run on
    // any thread in any order between them. analyze() == conclude(verify(prepare())).
    [[nodiscard]] PreparedMessage prepare(const Packet& packet);
    void verify(PreparedMessage& message) const;
    [[nodiscard]] MessageReport conclude(PreparedMessage&& message);

    const SessionConfig& config() const;
    SessionStats stats() const;
    // The keys MessageReport::verifying_key refers to (empty, never null).
    const KeyStore& keys() const;

  private:
    Session(SessionConfig config, std::shared_ptr<const KeyStore> keys);
    std::unique_ptr<SessionState> state_;
};

}  // namespace coapjws
