// The inside of a Session: its configuration, its bounded tables and the
// scratch buffers reused from one message to the next, plus the work a
// prepared message carries between the pipeline stages.
//
// Ownership of state by stage (what keeps the pipeline correct):
//   prepare():  retransmission cache, request table, scratch buffers
//   verify():   nothing (const; reads the key store and the message only)
//   conclude(): replay windows, response bindings, protected pairs, counters
// prepare() never reads what conclude() writes, so a front end may prepare
// message n+k before concluding message n. Both intern key identifiers in
// one KeyIdPool, so they run on one thread (verify() may run on others);
// nothing in flight between them holds a pool id (reports and Work carry
// text), which is what lets either stage sweep the pool.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coapjws/coap_message.hpp"
#include "coapjws/jws_option.hpp"
#include "coapjws/key.hpp"
#include "coapjws/key_store.hpp"
#include "coapjws/session.hpp"
#include "request_table.hpp"
#include "retransmission_cache.hpp"
#include "session_tables.hpp"

namespace coapjws {

struct PreparedMessage::Work {
    bool coap = false;      // parsed as CoAP (for the counters)
    bool has_jws = false;   // carried a JWS option, however many or malformed
    bool stateful = false;  // a request or response: goes through conclude()'s checks
    bool observe = false;   // carries an Observe option
    std::optional<std::uint32_t> retransmission_of;

    // What verify() needs; owning copies, the packet is gone by then.
    bool verify = false;
    Algorithm alg = Algorithm::HS256;
    KeyIdSource key_source = KeyIdSource::kid;
    std::vector<const Key*> candidates;  // keys under the identifier that fit alg
    Bytes signature;
    Bytes signed_content;
    std::string signing_input;

    // Inputs of conclude()'s checks decided in prepare().
    bool binds_request_tid_only = false;  // an isi "01" response: response-replay applies
    std::optional<std::uint32_t> unprotected_request_frame;

    // Back to a blank message, keeping the buffers' capacity.
    void reset();
};

class SessionState {
  public:
    using Work = PreparedMessage::Work;

    SessionState(SessionConfig config, std::shared_ptr<const KeyStore> keys);

    // The stages on a Work and its report.
    void prepare(const Packet& packet, Work& work, MessageReport& report);
    void verify(PreparedMessage& message) const;
    MessageReport conclude(PreparedMessage&& message);
    void conclude(Work& work, MessageReport& report);  // also verifies, if not yet done
    SessionStats stats() const;
    const KeyStore& keys() const;

    std::unique_ptr<Work> take_work();
    void recycle(std::unique_ptr<Work> work);

    SessionConfig config;

  private:
    // Check 9: the signature over the candidates; thread-safe.
    void verify_work(const Work& work, MessageReport& report) const;
    void analyse_jws(const CoapMessage& message, const detail::PendingRequest* request, Work& work,
                     MessageReport& report);
    void check_window(MessageReport& report, const Work& work);
    void check_binding(MessageReport& report);
    void check_stripped(MessageReport& report, const Work& work);
    void count(const MessageReport& report, const Work& work);
    // Frees the pool's ids no table holds, when it has grown enough.
    void sweep_key_ids_if_due();

    std::shared_ptr<const KeyStore> keys_;
    detail::KeyIdPool key_ids_;  // before the tables that hold its ids
    std::string scratch_key_id_;
    CoapMessage scratch_message_;
    JwsOptionParts scratch_parts_;
    JoseHeader scratch_header_;

    RetransmissionCache retransmissions_;
    detail::RequestTable requests_;
    detail::WindowTable windows_;
    detail::BindingTable bindings_;
    detail::PairTable pairs_;

    SessionStats counters_;  // message and finding counts; sizes are read from the tables
    std::vector<std::unique_ptr<Work>> spare_work_;
};

// Appends a finding to a report.
void add_finding(MessageReport& report, FindingId id, std::string message,
                 std::optional<std::uint32_t> related_frame = std::nullopt);

}  // namespace coapjws
