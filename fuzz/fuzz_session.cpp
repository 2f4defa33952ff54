// The whole engine fed packet sequences. The input is split into packets:
//   byte 0      session flags (window size, tiny table limits, keys, pipeline depth)
//   per packet  flags (source, destination, framing, re-sign), time step, length (2 bytes), bytes
// Properties checked on every input:
//   - no crash, leak, UB or out-of-bounds read (the sanitizers);
//   - every table stays within its SessionLimits bound after every packet;
//   - the pipelined stages (prepare ahead, verify in reverse order, conclude
//     in order, the packet bytes freed before verify) give exactly the reports
//     of analyze(packet), as session.hpp promises;
//   - report invariants: an error finding of checks 3-4 or key-mismatch /
//     bad-signature means status invalid, `valid` has no error finding of
//     checks 1-9, replay_of/retransmission_of name earlier frames, a window
//     verdict is there exactly for the window's findings;
//   - derive_jws_parts() over the packet gives the parts the report's stage
//     promises (session flag 8).
// Re-signing (a packet flag) replaces a JWS option's signature with a correct
// HS256 one when the header names one of the harness's HMAC keys, so the
// `valid` paths and the windows behind them are reached too.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coapjws/base64url.hpp"
#include "coapjws/coap_message.hpp"
#include "coapjws/jose_header.hpp"
#include "coapjws/jws_crypto.hpp"
#include "coapjws/jws_option.hpp"
#include "coapjws/jws_parts.hpp"
#include "coapjws/key.hpp"
#include "coapjws/key_loader.hpp"
#include "coapjws/session.hpp"
#include "coapjws/signed_content.hpp"

using namespace coapjws;

namespace {

void check(bool condition) {
    if (!condition)
        std::abort();
}

// Fixed keys, so runs are reproducible: two HMAC secrets, the RFC 7515 A.3
// P-256 key and the RFC 8037 A.2 Ed25519 key, plus a second key under
// "client-1" of another type (several keys per identifier).
constexpr char jwks[] = R"({"keys":[
 {"kty":"oct","kid":"client-1","k":"Y2xpZW50LTEgc2VjcmV0LCAzMiBieXRlcyBsb25nISE"},
 {"kty":"oct","kid":"server-1","alg":"HS256","k":"c2VydmVyLTEgc2VjcmV0LCAzMiBieXRlcyBsb25nISE"},
 {"kty":"EC","kid":"client-1","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
 {"kty":"EC","kid":"ec-1","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
 {"kty":"OKP","kid":"ed-1","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
]})";

const std::shared_ptr<const KeyStore>& key_store() {
    static const std::shared_ptr<const KeyStore> store = [] {
        Result<KeyStore> parsed = parse_jwks(jwks, "fuzz");
        check(parsed.has_value());
        return std::make_shared<const KeyStore>(std::move(parsed).value());
    }();
    return store;
}

const Endpoint& endpoint(unsigned index) {
    // Pairs (0,1), (2,3), ... talk to each other; 3 and 5 are multicast
    // groups, 6 answers for group 3 (2 ^ 4 == 6).
    static const Endpoint endpoints[] = {
        *Endpoint::parse("10.0.0.1:40000"),      *Endpoint::parse("10.0.0.2:5683"),
        *Endpoint::parse("[2001:db8::2]:40000"), *Endpoint::parse("[ff02::fd]:5683"),
        *Endpoint::parse("10.0.0.1:40001"),      *Endpoint::parse("224.0.1.187:5683"),
        *Endpoint::parse("[2001:db8::1]:5683"),  *Endpoint::parse("10.0.0.3:5683"),
    };
    return endpoints[index % 8];
}

std::int64_t time_step(unsigned code) {
    constexpr std::int64_t s = nanoseconds_per_second;
    static const std::int64_t steps[] = {0,           1'000'000, 2 * s, 247 * s,
                                         247 * s + 1, 300 * s,   -s,    25 * 3600 * s};
    return steps[code % 8];
}

// The request TIDs the harness saw, so a re-signed isi "01"/"11" response
// can bind one (its sender would bind the TID of the request it answers).
struct Resigner {
    std::optional<Tid> last_request_tid;

    Bytes resign(ByteView coap) {
        Bytes unchanged(coap.begin(), coap.end());
        Result<CoapMessage> parsed = parse_coap(coap);
        if (!parsed || parsed->count_options(option::jws_default) != 1)
            return unchanged;
        const CoapOption& jws = *parsed->find_option(option::jws_default);
        Result<JwsOptionParts> parts = parse_jws_option(jws.value);
        if (!parts)
            return unchanged;
        Result<JoseHeader> header = parse_jose_header(as_text(parts->header_bytes));
        if (!header || header->algorithm != Algorithm::HS256 || !header->kid)
            return unchanged;
        std::span<const Key* const> keys = key_store()->find(KeyIdSource::kid, *header->kid);
        const Key* key = nullptr;
        for (const Key* k : keys) {
            if (key_fits(*k, Algorithm::HS256))
                key = k;
        }
        if (key == nullptr)
            return unchanged;
        const bool request = parsed->kind() == MessageKind::request;
        if (request && header->seq)
            last_request_tid = Tid{*header->kid, *header->seq};
        const Tid* bound = nullptr;
        if (!request && header->isi_binds_request_tid() && last_request_tid)
            bound = &*last_request_tid;
        const OptionSet signed_options = OptionSet::default_signed();
        Bytes content;
        build_signed_content(*parsed, SignedContentConfig{signed_options, option::jws_default},
                             bound, content);
        Result<std::string> value =
            sign_jws_option(as_text(parts->header_bytes), content, Algorithm::HS256, *key);
        check(value.has_value());
        CoapMessageSpec spec;
        spec.type = parsed->type;
        spec.code = parsed->code;
        spec.message_id = parsed->message_id;
        spec.token.assign(parsed->token.begin(), parsed->token.end());
        for (const CoapOption& o : parsed->options) {
            if (o.number == option::jws_default)
                spec.options.push_back({o.number, Bytes(value->begin(), value->end())});
            else
                spec.options.push_back({o.number, Bytes(o.value.begin(), o.value.end())});
        }
        spec.payload.assign(parsed->payload.begin(), parsed->payload.end());
        Result<Bytes> encoded = encode_coap(spec);
        return encoded ? std::move(encoded).value() : unchanged;
    }
};

bool same_details(const std::optional<JwsDetails>& a, const std::optional<JwsDetails>& b) {
    if (a.has_value() != b.has_value())
        return false;
    return !a ||
           (a->option_offset == b->option_offset && a->option_length == b->option_length &&
            a->stage == b->stage && a->seq == b->seq && a->signed_content == b->signed_content);
}

bool same_window(const std::optional<WindowCheck>& a, const std::optional<WindowCheck>& b) {
    if (a.has_value() != b.has_value())
        return false;
    return !a || (a->verdict == b->verdict && a->highest == b->highest);
}

bool same(const MessageReport& a, const MessageReport& b) {
    if (a.findings.size() != b.findings.size())
        return false;
    for (std::size_t i = 0; i < a.findings.size(); ++i) {
        if (a.findings[i].id != b.findings[i].id ||
            a.findings[i].message != b.findings[i].message ||
            a.findings[i].related_frame != b.findings[i].related_frame)
            return false;
    }
    return a.frame == b.frame && a.time_ns == b.time_ns && a.src == b.src && a.dst == b.dst &&
           a.kind == b.kind && a.code == b.code && a.message_id == b.message_id &&
           a.coap_valid == b.coap_valid && a.signature == b.signature &&
           same_details(a.jws, b.jws) && same_window(a.window, b.window) && a.key_id == b.key_id &&
           a.tid == b.tid && a.request_tid == b.request_tid && a.request_frame == b.request_frame &&
           a.replay_of == b.replay_of && a.retransmission_of == b.retransmission_of &&
           a.unverified_without_keys == b.unverified_without_keys;
}

void check_report(const MessageReport& r, bool have_keys) {
    for (const Finding& f : r.findings) {
        check(static_cast<std::size_t>(f.id) < finding_count);
        check(!f.message.empty() && f.message.find('\n') == std::string::npos);
        if (f.related_frame)
            check(*f.related_frame < r.frame);
        switch (f.id) {
            case FindingId::alg_none:
            case FindingId::alg_unsupported:
            case FindingId::crit_unknown:
            case FindingId::key_mismatch:
            case FindingId::bad_signature:
                check(r.signature == SignatureStatus::invalid);
                break;
            case FindingId::replay:
            case FindingId::out_of_window:
            case FindingId::seq_exhausted:
            case FindingId::response_replay:
                check(r.signature == SignatureStatus::valid ||
                      r.signature == SignatureStatus::unverified);
                break;
            default:
                break;
        }
    }
    if (r.kind == MessageKind::empty && r.coap_valid)
        check(r.findings.empty());
    if (r.replay_of)
        check(*r.replay_of < r.frame);
    if (r.retransmission_of)
        check(*r.retransmission_of < r.frame && r.has(FindingId::retransmission));
    if (r.signature == SignatureStatus::valid)
        check(!r.has(FindingId::malformed) && !r.has(FindingId::unknown_key) &&
              !r.has(FindingId::unverifiable));
    // Without keys, unverified and no unknown-key (spec §6); with keys, never.
    if (r.unverified_without_keys)
        check(!have_keys && r.signature == SignatureStatus::unverified &&
              !r.has(FindingId::unknown_key));
    if (!have_keys)
        check(!r.has(FindingId::unknown_key));
    // The window's verdict comes with its finding, and only TIDs reach it.
    if (r.window) {
        check(r.tid.has_value() && (r.signature == SignatureStatus::valid ||
                                    r.signature == SignatureStatus::unverified));
        check((r.window->verdict == WindowVerdict::replay) == r.has(FindingId::replay));
        check((r.window->verdict == WindowVerdict::out_of_window) ==
              r.has(FindingId::out_of_window));
        check((r.window->verdict == WindowVerdict::seq_exhausted) ==
              r.has(FindingId::seq_exhausted));
        if (r.window->verdict == WindowVerdict::accepted)
            check(r.window->highest >= r.tid->seq);
    } else {
        check(!r.has(FindingId::out_of_window) && !r.has(FindingId::seq_exhausted));
    }
}

// What a front end derives when it shows the message agrees with the stage.
void check_parts(const MessageReport& r, ByteView coap, const SessionConfig& config) {
    if (!r.jws)
        return;
    const JwsParts parts =
        derive_jws_parts(coap, r.framing, *r.jws, r.request_tid ? &*r.request_tid : nullptr,
                         SignedContentConfig{config.signed_options, config.jws_option},
                         WantedParts{true, true, true});
    check(parts.header_json.has_value() == (r.jws->stage >= JwsStage::header_decoded));
    check(parts.header.has_value() == (r.jws->stage == JwsStage::header_parsed));
    if (parts.header)
        check(parts.header->seq == r.jws->seq);
    check(parts.signed_content.empty() == (r.jws->signed_content == SignedContentScope::unknown));
}

void check_bounds(const SessionStats& s, const SessionLimits& l) {
    check(s.windows <= l.max_windows);
    check(s.pending_requests <= l.max_pending_requests);
    check(s.retransmission_entries <= l.max_retransmission_entries);
    check(s.retransmission_bytes <= l.max_retransmission_bytes);
    check(s.response_bindings <= l.max_response_bindings);
    check(s.protected_pairs <= l.max_protected_pairs);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1)
        return 0;
    const std::uint8_t flags = data[0];
    SessionConfig config;
    static const std::uint32_t windows[] = {32, 1, 2, 64};
    config.window = windows[flags & 3];
    if (flags & 4) {  // tiny tables: every eviction path runs
        SessionLimits& l = config.limits;
        l.max_windows = l.max_pending_requests = l.max_retransmission_entries = 3;
        l.max_response_bindings = l.max_protected_pairs = 3;
        l.max_retransmission_bytes = 100;
    }
    const bool derive_parts = (flags & 8) != 0;
    std::shared_ptr<const KeyStore> keys = (flags & 16) ? nullptr : key_store();
    const std::size_t depth = 1 + (flags >> 5);  // pipeline depth 1..8

    Result<Session> a = Session::create(config, keys);
    Result<Session> b = Session::create(config, keys);
    check(a.has_value() && b.has_value());

    Resigner resigner;
    std::deque<PreparedMessage> pipeline;
    std::vector<MessageReport> expected;
    std::size_t concluded = 0;
    std::uint32_t frame = 0;
    std::int64_t now = 1'700'000'000 * nanoseconds_per_second;

    auto conclude_front = [&] {
        MessageReport r = b->conclude(std::move(pipeline.front()));
        pipeline.pop_front();
        check(concluded < expected.size() && same(r, expected[concluded]));
        ++concluded;
        check_bounds(b->stats(), config.limits);
    };

    std::size_t pos = 1;
    while (pos + 4 <= size && frame < 64) {
        const std::uint8_t pf = data[pos];
        const std::uint8_t step = data[pos + 1];
        std::size_t length = static_cast<std::size_t>(data[pos + 2]) << 8 | data[pos + 3];
        pos += 4;
        length = std::min(length, size - pos);
        Bytes coap(data + pos, data + pos + length);
        pos += length;
        if (pf & 0x80)
            coap = resigner.resign(coap);

        now += time_step(step);
        const unsigned from = pf & 7;
        const unsigned to = from ^ (1 + (pf >> 3 & 3));
        Packet packet{++frame, now, endpoint(from), endpoint(to), coap};
        // Bits 5-6: the framing (UDP twice as often: it has the most rules).
        static constexpr CoapFraming framings[] = {CoapFraming::udp, CoapFraming::tcp,
                                                   CoapFraming::websocket, CoapFraming::udp};
        packet.framing = framings[pf >> 5 & 3];

        // Session A analyses each packet at once; B takes the same packets
        // through the pipeline: they must agree.
        MessageReport report = a->analyze(packet);
        check_report(report, keys != nullptr);
        check_bounds(a->stats(), config.limits);
        if (derive_parts)
            check_parts(report, coap, config);
        expected.push_back(std::move(report));

        // The same packet through the pipeline, from a copy freed right after prepare().
        {
            Bytes copy = coap;
            Packet p = packet;
            p.coap = copy;
            pipeline.push_back(b->prepare(p));
            std::fill(copy.begin(), copy.end(), 0xa5);
        }
        if (pipeline.size() >= depth) {
            for (auto it = pipeline.rbegin(); it != pipeline.rend(); ++it)
                b->verify(*it);
            while (!pipeline.empty())
                conclude_front();
        }
    }
    for (auto it = pipeline.rbegin(); it != pipeline.rend(); ++it)
        b->verify(*it);
    while (!pipeline.empty())
        conclude_front();

    const SessionStats sa = a->stats();
    const SessionStats sb = b->stats();
    check(sa.messages == frame && sb.messages == frame && sa.findings == sb.findings);
    return 0;
}
