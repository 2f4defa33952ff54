// A scenario: what one capture contains, and what the scenario's author
// expects coapjws to say about each message. Parsed from JSON (RapidJSON DOM)
// with every member checked; names are resolved later, when the capture is
// built, because messages refer to each other by label.
//
// The format is documented in pcaps/README.md ("Writing a scenario").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "coapjws/bytes.hpp"
#include "coapjws/coap_message.hpp"
#include "coapjws/result.hpp"
#include "gen/compression.hpp"
#include "gen/frame_builder.hpp"

namespace coapjws::gen {

struct EndpointSpec {
    std::string name;
    FrameEndpoint frame;
};

struct LinkSpec {
    LinkType type = LinkType::ethernet;
    std::vector<std::uint16_t> vlan;  // default tags for every frame
};

// What the analysis of this capture is configured with; written into the
// manifest so every checker runs with the same settings.
struct AnalysisSpec {
    std::uint16_t jws_option = option::jws_default;
    std::uint32_t window = 32;
    std::string signed_options;  // empty: the default set
    std::vector<std::uint16_t> ports{5683};
};

// An option as written: a literal value, or the value of the option with the
// same number in an earlier message (`copy_from`).
struct OptionSpec {
    std::uint16_t number = 0;
    Bytes value;
    std::optional<std::string> copy_from;
};

struct RequestTidSpec {
    std::string key_id;
    std::uint32_t seq = 0;
};

// Extra JOSE header members, copied as JSON text.
struct ExtraMember {
    std::string name;
    std::string json;
    int type = 0;  // rapidjson::Type of the value
};

struct JwsSpec {
    // Option value given verbatim, or echoed from an earlier message: no signing.
    std::optional<Bytes> raw_value;
    std::optional<std::string> echo;
    // Header text given verbatim (duplicate members, odd numbers...).
    std::optional<std::string> raw_header;

    std::optional<std::string> key;       // signing key, by identifier in the key file
    std::optional<std::string> alg;       // header alg; default: the signing key's JWK alg
    std::optional<std::string> sign_alg;  // algorithm actually used; default: header alg
    std::optional<std::optional<std::string>> kid;  // absent: the signing key's kid; null: no kid
    std::optional<std::string> x5t_s256;
    std::optional<std::string> x5t;
    std::optional<std::uint32_t> seq;
    std::optional<std::string> isi;
    std::optional<std::vector<std::string>> crit;
    std::vector<ExtraMember> extra;

    // The request whose TID a response binds (isi 01/11): a label, an explicit
    // TID, or (explicit null) none. Default: the request the response answers.
    std::optional<std::string> request;
    std::optional<std::optional<RequestTidSpec>> request_tid;

    std::optional<Bytes> signature;       // use these bytes instead of signing
    bool corrupt_signature = false;       // flip the last signature bit after signing
    bool key_confusion = false;           // HMAC keyed with the signing key's public PEM
    std::optional<std::uint16_t> number;  // put the option under another number
};

// Changes applied after the JWS option was computed (what an attacker on the
// path does).
struct TamperSpec {
    std::optional<std::uint8_t> code;
    std::optional<Bytes> payload;
    std::optional<std::vector<OptionSpec>> options;  // replaces all but the JWS option
};

// Take an earlier message's CoAP bytes verbatim (replay), optionally with
// new header fields (what a replaying attacker may change freely).
struct CopySpec {
    std::string label;
    std::optional<std::uint16_t> mid;
    std::optional<CoapType> type;
    std::optional<Bytes> token;
};

// How a UDP datagram is cut into IP fragments and which pieces the capture
// holds, in order: `pieces` are byte ranges of the UDP datagram (header
// included), or `size` cuts it into pieces of that many bytes; `send` lists
// piece indexes in capture order (repeats and omissions allowed; default:
// every piece once, in order).
struct FragmentsSpec {
    std::vector<FragmentRange> pieces;
    std::optional<std::uint32_t> size;
    std::optional<std::vector<std::size_t>> send;
};

struct FrameRef {
    std::optional<std::string> label;
    std::uint32_t frame = 0;  // when given as a number
};

struct ExpectSpec {
    // TCP: the label of the segment that completes the message, when the
    // author says so (needed where the bytes before it never arrive).
    std::optional<std::string> segment;
    std::optional<std::string> kind;  // default: from the Code
    std::optional<std::string> tid;   // null/absent: no TID of its own
    std::string signature;
    std::vector<std::string> findings;
    std::vector<std::pair<std::string, FrameRef>> related;  // finding -> frame
    std::optional<FrameRef> request;                        // responses: the request they answer
};

struct MessageSpec {
    std::string where;  // "messages[3]", for errors
    std::optional<std::string> label;
    std::optional<double> at;     // seconds since the capture's start
    std::optional<double> after;  // seconds after the previous message
    std::optional<std::string> reply_to;
    std::optional<std::string> from;
    std::optional<std::string> to;

    std::optional<CoapType> type;
    std::optional<std::uint8_t> code;
    std::optional<std::uint16_t> mid;
    std::optional<Bytes> token;
    std::optional<std::string> uri;
    std::vector<OptionSpec> options;
    Bytes payload;
    std::optional<JwsSpec> jws;
    std::optional<TamperSpec> tamper;
    std::optional<CopySpec> copy;
    std::optional<Bytes> raw;  // the UDP payload verbatim

    std::optional<std::vector<std::uint16_t>> vlan;
    std::optional<std::uint8_t> hop_limit;
    std::vector<Ipv6Extension> ipv6_extensions;
    std::optional<LinkType> link;  // pcapng: this frame's interface
    std::optional<FragmentsSpec> fragments;
    std::optional<ExpectSpec> expect;
    std::optional<std::string> note;
};

// A TCP segment of a "transport": "tcp" scenario. Its data are byte ranges
// of the messages of one direction, contiguous in that direction's stream.
struct SegmentDataSpec {
    std::string label;                   // the message
    std::optional<std::uint32_t> begin;  // first byte of the message taken (default 0)
    std::optional<std::uint32_t> end;    // one past the last (default: the message's end)
};

struct SegmentSpec {
    std::string where;
    std::optional<std::string> label;
    std::optional<double> at;
    std::optional<double> after;
    std::optional<std::string> from;
    std::optional<std::string> to;
    std::optional<std::uint8_t> flags;  // default: PSH|ACK with data, ACK without
    std::vector<SegmentDataSpec> data;
    bool captured = true;  // false: sent, but not in the capture
    std::optional<LinkType> link;
    std::optional<std::string> note;
};

enum class CaptureFormat : std::uint8_t { pcap, pcapng };
enum class Transport : std::uint8_t { udp, tcp };

struct Scenario {
    std::string name;  // the file's stem; names the outputs
    std::string description;
    LinkSpec link;
    CaptureFormat format = CaptureFormat::pcap;
    Transport transport = Transport::udp;
    std::int64_t start_us = 0;
    AnalysisSpec analysis;
    std::vector<EndpointSpec> endpoints;
    std::vector<MessageSpec> messages;
    std::vector<SegmentSpec> segments;  // TCP: the frames, in capture order
    std::vector<Codec> copies;          // compressed copies written beside the capture
};

Result<Scenario> parse_scenario(std::string_view json, std::string name);
Result<Scenario> load_scenario(const std::string& path);

}  // namespace coapjws::gen
