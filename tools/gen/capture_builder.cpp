#include "gen/capture_builder.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "gen/attacks.hpp"
#include "gen/coap_uri.hpp"
#include "gen/jws_signer.hpp"
#include "gen/pcap_writer.hpp"
#include "gen/pcapng_writer.hpp"
#include "gen/try.hpp"

namespace coapjws::gen {

namespace {

constexpr double default_gap_seconds = 0.010;
constexpr double default_segment_gap_seconds = 0.001;
// Frames of one message (fragments) are this far apart.
constexpr std::int64_t piece_gap_us = 1;
constexpr std::uint32_t never = UINT32_MAX;  // a byte or message that never arrives

// A message as it went on the wire, for later messages to refer to.
struct BuiltMessage {
    std::optional<std::string> label;
    std::size_t from = 0;
    std::size_t to = 0;
    std::int64_t time_us = 0;
    bool parsed = false;  // the bytes parse as CoAP
    std::uint8_t code = 0;
    CoapType type = CoapType::confirmable;
    std::uint16_t mid = 0;
    Bytes token;
    std::vector<CoapOptionValue> options;  // as sent, JWS option included
    std::optional<Tid> tid;                // what the JWS header states
    Bytes coap;
};

// One frame of the capture, in capture order.
struct OutFrame {
    std::int64_t time_us = 0;
    LinkType link = LinkType::ethernet;
    Bytes bytes;
};

// One direction of a TCP connection: the bytes of its messages, in order.
struct TcpDirection {
    std::size_t from = 0;
    std::size_t to = 0;
    std::uint32_t isn = 0;
    std::uint64_t length = 0;  // bytes of all its messages
    std::uint64_t sent = 0;    // highest stream offset sent so far (+1)
    bool syn_sent = false;
    bool fin_sent = false;
    std::vector<std::uint32_t> arrival;  // per byte: the first captured frame holding it
};

std::string_view link_name(LinkType link) {
    switch (link) {
        case LinkType::ethernet:
            return "ethernet";
        case LinkType::sll:
            return "sll";
        case LinkType::sll2:
            return "sll2";
        case LinkType::raw:
            return "raw";
        case LinkType::null:
            return "null";
    }
    return "ethernet";
}

class Builder {
  public:
    Builder(const CaptureInputs& inputs, OptionSet signed_options)
        : in_(inputs),
          scenario_(inputs.scenario),
          signed_options_(std::move(signed_options)),
          framing_(inputs.scenario.transport == Transport::tcp ? CoapFraming::tcp
                                                               : CoapFraming::udp) {}

    Result<BuiltCapture> run();

  private:
    Result<std::size_t> endpoint(const std::string& name, std::string_view where) const;
    Result<std::size_t> labelled(const std::string& label, std::string_view where) const;
    Result<std::vector<CoapOptionValue>> resolve(const std::vector<OptionSpec>& specs,
                                                 std::string_view where) const;
    std::optional<std::size_t> find_request(std::size_t responder, std::size_t client,
                                            const Bytes& token) const;
    Result<std::int64_t> time_of(const MessageSpec& spec) const;
    Status build_message(const MessageSpec& spec, BuiltMessage& out);
    Status build_copy(const MessageSpec& spec, BuiltMessage& out);
    Status build_raw(const MessageSpec& spec, BuiltMessage& out);
    void fill_from_bytes(BuiltMessage& out) const;
    Result<ManifestFrame> manifest_frame(const MessageSpec& spec, const BuiltMessage& message,
                                         std::uint32_t frame) const;
    Result<std::uint32_t> frame_of(const FrameRef& ref, std::string_view where) const;
    bool on_coap_port(const BuiltMessage& message) const;
    Result<LinkType> link_of(const std::optional<LinkType>& link, std::string_view where) const;
    Status add_udp_frames(const MessageSpec& spec, std::size_t index, const FrameOptions& options);
    Status add_tcp_segments();
    Bytes stream_bytes(std::size_t direction, std::uint64_t begin, std::uint64_t end,
                       const std::vector<std::pair<std::size_t, std::uint64_t>>& position) const;
    Result<Bytes> capture_bytes() const;
    std::uint32_t add_frame(std::int64_t time_us, LinkType link, Bytes bytes);

    const CaptureInputs& in_;
    const Scenario& scenario_;
    OptionSet signed_options_;
    CoapFraming framing_;
    std::vector<OutFrame> frames_;
    std::vector<BuiltMessage> built_;
    // The frame that completes each message (never: it does not complete).
    std::vector<std::uint32_t> completes_in_;
    std::map<std::string, std::size_t> labels_;
    bool deterministic_ = true;
};

Result<std::size_t> Builder::endpoint(const std::string& name, std::string_view where) const {
    for (std::size_t i = 0; i < scenario_.endpoints.size(); ++i) {
        if (scenario_.endpoints[i].name == name)
            return i;
    }
    return fail(ErrorCode::invalid_argument,
                std::string(where) + ": unknown endpoint \"" + name + "\"");
}

Result<std::size_t> Builder::labelled(const std::string& label, std::string_view where) const {
    auto it = labels_.find(label);
    if (it == labels_.end()) {
        return fail(ErrorCode::invalid_argument,
                    std::string(where) + ": no earlier message labelled \"" + label + "\"");
    }
    return it->second;
}

Result<std::vector<CoapOptionValue>> Builder::resolve(const std::vector<OptionSpec>& specs,
                                                      std::string_view where) const {
    std::vector<CoapOptionValue> out;
    for (const auto& spec : specs) {
        if (!spec.copy_from) {
            out.push_back({spec.number, spec.value});
            continue;
        }
        GEN_TRY(std::size_t source, labelled(*spec.copy_from, where));
        const auto& options = built_[source].options;
        auto it = std::find_if(options.begin(), options.end(),
                               [&](const CoapOptionValue& o) { return o.number == spec.number; });
        if (it == options.end()) {
            return fail(ErrorCode::invalid_argument, std::string(where) + ": message \"" +
                                                         *spec.copy_from + "\" has no option " +
                                                         std::to_string(spec.number));
        }
        out.push_back(*it);
    }
    // Wire order (encode_coap keeps equal numbers in the given order); the
    // signed content must follow the same order.
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.number < b.number; });
    return out;
}

// The latest request a response from `responder` to `client` with `token`
// answers: sent by the client to the responder, or to a multicast group on
// the responder's port.
std::optional<std::size_t> Builder::find_request(std::size_t responder, std::size_t client,
                                                 const Bytes& token) const {
    const Endpoint& responder_ep = scenario_.endpoints[responder].frame.endpoint;
    for (std::size_t i = built_.size(); i-- > 0;) {
        const auto& m = built_[i];
        if (!m.parsed || kind_of_code(m.code) != MessageKind::request)
            continue;
        if (m.from != client || m.token != token)
            continue;
        const Endpoint& dst = scenario_.endpoints[m.to].frame.endpoint;
        if (m.to == responder || (dst.address.is_multicast() && dst.port == responder_ep.port)) {
            return i;
        }
    }
    return std::nullopt;
}

Result<std::int64_t> Builder::time_of(const MessageSpec& spec) const {
    std::int64_t previous = built_.empty() ? scenario_.start_us : built_.back().time_us;
    std::int64_t time = previous;
    if (spec.at) {
        time = scenario_.start_us + std::llround(*spec.at * 1e6);
    } else if (spec.after) {
        time = previous + std::llround(*spec.after * 1e6);
    } else if (!built_.empty()) {
        time = previous + std::llround(default_gap_seconds * 1e6);
    }
    if (time < previous)
        return fail(ErrorCode::invalid_argument, spec.where + ": goes back in time");
    return time;
}

void Builder::fill_from_bytes(BuiltMessage& out) const {
    auto parsed = parse_coap(out.coap, framing_);
    out.parsed = parsed.has_value();
    if (!parsed)
        return;
    out.code = parsed->code;
    out.type = parsed->type;
    out.mid = parsed->message_id;
    out.token.assign(parsed->token.begin(), parsed->token.end());
    out.options.clear();
    for (const auto& option : parsed->options) {
        out.options.push_back({option.number, Bytes(option.value.begin(), option.value.end())});
    }
}

Status Builder::build_copy(const MessageSpec& spec, BuiltMessage& out) {
    GEN_TRY(std::size_t source, labelled(spec.copy->label, spec.where + ".copy"));
    const BuiltMessage& original = built_[source];
    if (framing_ == CoapFraming::udp) {
        GEN_TRY(out.coap, patch_coap_header(original.coap, spec.copy->mid, spec.copy->type,
                                            spec.copy->token));
    } else if (spec.copy->mid || spec.copy->type || spec.copy->token) {
        return fail(ErrorCode::invalid_argument,
                    spec.where + ".copy: over TCP a copy is the message's bytes as they were");
    } else {
        out.coap = original.coap;
    }
    out.from = original.from;
    out.to = original.to;
    if (spec.from) {
        GEN_TRY(out.from, endpoint(*spec.from, spec.where + ".from"));
    }
    if (spec.to) {
        GEN_TRY(out.to, endpoint(*spec.to, spec.where + ".to"));
    }
    fill_from_bytes(out);
    out.tid = original.tid;
    return {};
}

Status Builder::build_raw(const MessageSpec& spec, BuiltMessage& out) {
    if (!spec.from || !spec.to)
        return fail(ErrorCode::invalid_argument, spec.where + ": raw_hex needs from and to");
    GEN_TRY(out.from, endpoint(*spec.from, spec.where + ".from"));
    GEN_TRY(out.to, endpoint(*spec.to, spec.where + ".to"));
    out.coap = *spec.raw;
    fill_from_bytes(out);
    return {};
}

Status Builder::build_message(const MessageSpec& spec, BuiltMessage& out) {
    const std::uint16_t jws_number =
        spec.jws && spec.jws->number ? *spec.jws->number : scenario_.analysis.jws_option;

    // Addressing: a reply defaults to the reverse of its request.
    std::optional<std::size_t> request;
    if (spec.reply_to) {
        GEN_TRY(request, labelled(*spec.reply_to, spec.where + ".reply_to"));
    }
    if (spec.from) {
        GEN_TRY(out.from, endpoint(*spec.from, spec.where + ".from"));
    } else if (request) {
        const auto& group = scenario_.endpoints[built_[*request].to].frame.endpoint;
        if (group.address.is_multicast()) {
            return fail(ErrorCode::invalid_argument,
                        spec.where + ": a reply to a multicast request needs \"from\"");
        }
        out.from = built_[*request].to;
    } else {
        return fail(ErrorCode::invalid_argument, spec.where + ": needs from (or reply_to)");
    }
    if (spec.to) {
        GEN_TRY(out.to, endpoint(*spec.to, spec.where + ".to"));
    } else if (request) {
        out.to = built_[*request].from;
    } else {
        return fail(ErrorCode::invalid_argument, spec.where + ": needs to (or reply_to)");
    }

    out.type = *spec.type;
    out.code = *spec.code;
    if (spec.token) {
        out.token = *spec.token;
    } else if (request) {
        out.token = built_[*request].token;
    }
    if (spec.mid) {
        out.mid = *spec.mid;
    } else if (request && (out.type == CoapType::acknowledgement || out.type == CoapType::reset)) {
        out.mid = built_[*request].mid;  // piggybacked
    } else {
        return fail(ErrorCode::invalid_argument, spec.where + ": needs mid");
    }

    std::vector<OptionSpec> option_specs;
    if (spec.uri) {
        GEN_TRY(auto uri_options, options_from_uri(*spec.uri));
        for (auto& option : uri_options)
            option_specs.push_back({option.number, option.value, {}});
    }
    option_specs.insert(option_specs.end(), spec.options.begin(), spec.options.end());
    GEN_TRY(std::vector<CoapOptionValue> options, resolve(option_specs, spec.where + ".options"));
    Bytes payload = spec.payload;
    std::uint8_t code = out.code;
    const MessageKind kind = kind_of_code(code);

    std::optional<Bytes> jws_value;
    if (spec.jws && spec.jws->echo) {
        GEN_TRY(std::size_t source, labelled(*spec.jws->echo, spec.where + ".jws.echo"));
        const auto& source_options = built_[source].options;
        auto it = std::find_if(source_options.begin(), source_options.end(),
                               [&](const auto& o) { return o.number == jws_number; });
        if (it == source_options.end()) {
            return fail(ErrorCode::invalid_argument,
                        spec.where + ".jws.echo: \"" + *spec.jws->echo + "\" has no JWS option");
        }
        jws_value = it->value;
        out.tid = built_[source].tid;
    } else if (spec.jws) {
        const JwsSpec& jws = *spec.jws;
        std::optional<Tid> request_tid;
        if (binds_request_tid(jws, kind)) {
            if (jws.request_tid) {
                if (*jws.request_tid)
                    request_tid = Tid{(*jws.request_tid)->key_id, (*jws.request_tid)->seq};
            } else {
                std::optional<std::size_t> bound;
                if (jws.request) {
                    GEN_TRY(bound, labelled(*jws.request, spec.where + ".jws.request"));
                } else if (request) {
                    bound = request;
                } else {
                    bound = find_request(out.from, out.to, out.token);
                }
                if (!bound) {
                    return fail(ErrorCode::invalid_argument,
                                spec.where +
                                    ": response binds a request TID but its request is not in the "
                                    "capture; give jws.request_tid (or null)");
                }
                if (!built_[*bound].tid) {
                    return fail(ErrorCode::invalid_argument,
                                spec.where +
                                    ": the request it answers has no TID; give "
                                    "jws.request_tid (or null for none)");
                }
                request_tid = built_[*bound].tid;
            }
        }
        SigningContext context{in_.keys, signed_options_, jws_number};
        SignedMessageParts parts{kind, code, options, payload};
        GEN_TRY(SignedJws signed_jws,
                sign_message(jws, parts, context, request_tid ? &*request_tid : nullptr));
        if (!signed_jws.deterministic)
            deterministic_ = false;
        jws_value = std::move(signed_jws.value);
        out.tid = signed_jws.header_tid;
    }

    if (spec.tamper) {
        if (spec.tamper->code)
            code = *spec.tamper->code;
        if (spec.tamper->payload)
            payload = *spec.tamper->payload;
        if (spec.tamper->options) {
            GEN_TRY(options, resolve(*spec.tamper->options, spec.where + ".tamper.options"));
        }
    }
    if (jws_value)
        options.push_back({jws_number, std::move(*jws_value)});

    CoapMessageSpec message;
    message.type = out.type;
    message.code = code;
    message.message_id = out.mid;
    message.token = out.token;
    message.options = options;
    message.payload = payload;
    GEN_TRY(out.coap, encode_coap(message, framing_));
    fill_from_bytes(out);
    return {};
}

bool Builder::on_coap_port(const BuiltMessage& message) const {
    const auto& ports = scenario_.analysis.ports;
    auto listed = [&](std::uint16_t port) {
        return std::find(ports.begin(), ports.end(), port) != ports.end();
    };
    return listed(scenario_.endpoints[message.from].frame.endpoint.port) ||
           listed(scenario_.endpoints[message.to].frame.endpoint.port);
}

Result<std::uint32_t> Builder::frame_of(const FrameRef& ref, std::string_view where) const {
    if (!ref.label)
        return ref.frame;
    auto it = labels_.find(*ref.label);
    if (it == labels_.end()) {
        return fail(ErrorCode::invalid_argument,
                    std::string(where) + ": no message labelled \"" + *ref.label + "\"");
    }
    const std::uint32_t frame = completes_in_[it->second];
    if (frame == never)
        return fail(ErrorCode::invalid_argument,
                    std::string(where) + ": message \"" + *ref.label + "\" never completes");
    return frame;
}

Result<LinkType> Builder::link_of(const std::optional<LinkType>& link,
                                  std::string_view where) const {
    if (!link)
        return scenario_.link.type;
    if (*link != scenario_.link.type && scenario_.format == CaptureFormat::pcap)
        return fail(ErrorCode::invalid_argument,
                    std::string(where) + ": another link type needs \"format\": \"pcapng\"");
    return *link;
}

std::uint32_t Builder::add_frame(std::int64_t time_us, LinkType link, Bytes bytes) {
    frames_.push_back({time_us, link, std::move(bytes)});
    return static_cast<std::uint32_t>(frames_.size());
}

// The bytes [begin, end) of one direction's stream, from its messages.
Bytes Builder::stream_bytes(
    std::size_t direction, std::uint64_t begin, std::uint64_t end,
    const std::vector<std::pair<std::size_t, std::uint64_t>>& position) const {
    Bytes out;
    for (std::size_t i = 0; i < built_.size(); ++i) {
        if (position[i].first != direction)
            continue;
        const std::uint64_t start = position[i].second;
        const std::uint64_t finish = start + built_[i].coap.size();
        const std::uint64_t from = std::max(begin, start);
        const std::uint64_t to = std::min(end, finish);
        if (from < to)
            out.insert(out.end(),
                       built_[i].coap.begin() + static_cast<std::ptrdiff_t>(from - start),
                       built_[i].coap.begin() + static_cast<std::ptrdiff_t>(to - start));
    }
    return out;
}

// A UDP message's frames: one datagram, or its IP fragments in the order the
// scenario sends them. The message completes on the frame after which every
// byte of the datagram has arrived (RFC 791 reassembly, as Wireshark does it).
Status Builder::add_udp_frames(const MessageSpec& spec, std::size_t index,
                               const FrameOptions& options) {
    const BuiltMessage& message = built_[index];
    GEN_TRY(LinkType link, link_of(spec.link, spec.where + ".link"));
    const FrameEndpoint& src = scenario_.endpoints[message.from].frame;
    const FrameEndpoint& dst = scenario_.endpoints[message.to].frame;
    if (!spec.fragments) {
        GEN_TRY(Bytes frame, build_udp_frame(link, src, dst, options, message.coap));
        completes_in_[index] = add_frame(message.time_us, link, std::move(frame));
        return {};
    }
    const FragmentsSpec& f = *spec.fragments;
    const auto total = static_cast<std::uint32_t>(udp_datagram_size(message.coap.size()));
    std::vector<FragmentRange> pieces = f.pieces;
    for (FragmentRange& piece : pieces)
        piece.end = std::min(piece.end, total);
    if (f.size) {
        for (std::uint32_t begin = 0; begin < total; begin += *f.size)
            pieces.push_back({begin, std::min(total, begin + *f.size)});
    }
    std::vector<std::size_t> order;
    if (f.send) {
        order = *f.send;
    } else {
        for (std::size_t i = 0; i < pieces.size(); ++i)
            order.push_back(i);
    }
    std::vector<FragmentRange> sent;
    for (std::size_t i : order) {
        if (i >= pieces.size())
            return fail(ErrorCode::invalid_argument,
                        spec.where + ".fragments.send: no piece " + std::to_string(i));
        sent.push_back(pieces[i]);
    }
    GEN_TRY(std::vector<Bytes> frames,
            build_udp_fragments(link, src, dst, options, message.coap, sent));
    std::vector<std::uint32_t> arrival(total, never);
    for (std::size_t k = 0; k < frames.size(); ++k) {
        const std::uint32_t frame =
            add_frame(message.time_us + static_cast<std::int64_t>(k) * piece_gap_us, link,
                      std::move(frames[k]));
        for (std::uint32_t b = sent[k].begin; b < sent[k].end; ++b)
            arrival[b] = std::min(arrival[b], frame);
    }
    completes_in_[index] = *std::max_element(arrival.begin(), arrival.end());
    return {};
}

// The TCP segments of the scenario, in capture order. Each direction's stream
// is its messages' bytes in message order; a message completes on the
// captured frame after which its bytes, and those between it and the previous
// message expected in that direction, have all arrived (or on the segment its
// expect names).
Status Builder::add_tcp_segments() {
    std::vector<TcpDirection> directions;
    std::vector<std::pair<std::size_t, std::uint64_t>> position(built_.size());  // direction, start
    auto direction_of = [&](std::size_t from, std::size_t to) {
        for (std::size_t d = 0; d < directions.size(); ++d) {
            if (directions[d].from == from && directions[d].to == to)
                return d;
        }
        TcpDirection d;
        d.from = from;
        d.to = to;
        // Fixed initial sequence numbers: the capture is deterministic.
        d.isn = 0x10000000u * static_cast<std::uint32_t>(directions.size() + 1) + 0x1000u;
        directions.push_back(d);
        return directions.size() - 1;
    };
    for (std::size_t i = 0; i < built_.size(); ++i) {
        const std::size_t d = direction_of(built_[i].from, built_[i].to);
        position[i] = {d, directions[d].length};
        directions[d].length += built_[i].coap.size();
    }
    for (auto& d : directions)
        d.arrival.assign(d.length, never);

    std::map<std::string, std::uint32_t> segment_frames;
    std::int64_t time = scenario_.start_us;
    bool first = true;
    for (const SegmentSpec& seg : scenario_.segments) {
        if (seg.at) {
            time = scenario_.start_us + std::llround(*seg.at * 1e6);
        } else if (!first) {
            time += std::llround(seg.after.value_or(default_segment_gap_seconds) * 1e6);
        }
        first = false;
        // The bytes it carries: one contiguous range of one direction.
        std::optional<std::size_t> dir;
        std::uint64_t begin = 0, end = 0;
        for (const SegmentDataSpec& item : seg.data) {
            GEN_TRY(std::size_t m, labelled(item.label, seg.where + ".data"));
            const auto size = static_cast<std::uint32_t>(built_[m].coap.size());
            const std::uint32_t from = item.begin.value_or(0);
            const std::uint32_t to = item.end.value_or(size);
            if (from >= to || to > size)
                return fail(ErrorCode::invalid_argument,
                            seg.where + ".data: bytes [" + std::to_string(from) + ", " +
                                std::to_string(to) + ") of the " + std::to_string(size) +
                                "-byte message \"" + item.label + "\"");
            const std::uint64_t item_begin = position[m].second + from;
            if (!dir) {
                dir = position[m].first;
                begin = item_begin;
            } else if (*dir != position[m].first || item_begin != end) {
                return fail(
                    ErrorCode::invalid_argument,
                    seg.where + ".data: the pieces must follow each other in one direction");
            }
            end = position[m].second + to;
        }
        std::size_t from_endpoint = 0, to_endpoint = 0;
        if (dir) {
            from_endpoint = directions[*dir].from;
            to_endpoint = directions[*dir].to;
        }
        if (seg.from) {
            GEN_TRY(from_endpoint, endpoint(*seg.from, seg.where + ".from"));
        }
        if (seg.to) {
            GEN_TRY(to_endpoint, endpoint(*seg.to, seg.where + ".to"));
        }
        if (!dir && !(seg.from && seg.to))
            return fail(ErrorCode::invalid_argument,
                        seg.where + ": a segment without data needs from and to");
        const std::size_t d = direction_of(from_endpoint, to_endpoint);
        if (dir && d != *dir)
            return fail(ErrorCode::invalid_argument,
                        seg.where + ": from/to do not match its data's direction");
        TcpDirection& out = directions[d];
        if (out.arrival.size() < out.length)
            out.arrival.resize(out.length, never);

        TcpFields tcp;
        tcp.flags = seg.flags.value_or(dir ? tcp_flag::psh | tcp_flag::ack : tcp_flag::ack);
        if (tcp.flags & tcp_flag::syn) {
            if (dir)
                return fail(ErrorCode::invalid_argument, seg.where + ": no data with SYN");
            tcp.seq = out.isn;
            out.syn_sent = true;
        } else {
            // A FIN takes a sequence number too (RFC 9293 §3.4).
            tcp.seq = out.isn + 1 +
                      static_cast<std::uint32_t>(dir ? begin : out.sent + (out.fin_sent ? 1 : 0));
        }
        // What it acknowledges: all the peer has sent so far.
        for (const TcpDirection& peer : directions) {
            if (peer.from == out.to && peer.to == out.from && (peer.syn_sent || peer.sent > 0))
                tcp.ack =
                    peer.isn + 1 + static_cast<std::uint32_t>(peer.sent) + (peer.fin_sent ? 1 : 0);
        }
        if (dir)
            out.sent = std::max(out.sent, end);
        if (tcp.flags & tcp_flag::fin)
            out.fin_sent = true;
        if (!seg.captured)
            continue;

        GEN_TRY(LinkType link, link_of(seg.link, seg.where + ".link"));
        FrameOptions options;
        options.vlan = scenario_.link.vlan;
        GEN_TRY(Bytes frame, build_tcp_frame(link, scenario_.endpoints[from_endpoint].frame,
                                             scenario_.endpoints[to_endpoint].frame, options, tcp,
                                             dir ? ByteView(stream_bytes(d, begin, end, position))
                                                 : ByteView()));
        const std::uint32_t number = add_frame(time, link, std::move(frame));
        if (seg.label)
            segment_frames[*seg.label] = number;
        for (std::uint64_t b = begin; dir && b < end; ++b)
            out.arrival[b] = std::min(out.arrival[b], number);
    }

    // When each message completes.
    std::vector<std::optional<std::uint64_t>> expected_end(directions.size());
    std::vector<std::uint32_t> last_completion(directions.size(), 0);
    for (std::size_t i = 0; i < built_.size(); ++i) {
        const MessageSpec& spec = scenario_.messages[i];
        const auto [d, start] = position[i];
        const std::uint64_t finish = start + built_[i].coap.size();
        if (!spec.expect)
            continue;
        std::uint32_t frame = never;
        if (spec.expect->segment) {
            auto it = segment_frames.find(*spec.expect->segment);
            if (it == segment_frames.end())
                return fail(ErrorCode::invalid_argument,
                            spec.where + ".expect.segment: no captured segment labelled \"" +
                                *spec.expect->segment + "\"");
            frame = it->second;
        } else {
            const std::uint64_t from = expected_end[d].value_or(start);
            frame = 0;
            for (std::uint64_t b = from; b < finish; ++b)
                frame = std::max(frame, directions[d].arrival[b]);
            if (frame == never)
                return fail(ErrorCode::invalid_argument,
                            spec.where +
                                ": its bytes (or those before it) never all arrive; name the "
                                "segment that completes it in expect.segment, or leave expect out");
            frame = std::max(frame, last_completion[d]);
        }
        completes_in_[i] = frame;
        last_completion[d] = frame;
        expected_end[d] = finish;
    }
    return {};
}

Result<ManifestFrame> Builder::manifest_frame(const MessageSpec& spec, const BuiltMessage& message,
                                              std::uint32_t frame) const {
    const ExpectSpec& expect = *spec.expect;
    ManifestFrame out;
    out.frame = frame;
    out.label = spec.label;
    out.from = scenario_.endpoints[message.from].name;
    out.to = scenario_.endpoints[message.to].name;
    if (expect.kind) {
        out.kind = *expect.kind;
    } else if (spec.raw) {
        return fail(ErrorCode::invalid_argument,
                    spec.where + ".expect.kind: required for raw_hex messages");
    } else {
        out.kind = std::string(to_string(kind_of_code(message.code, framing_)));
    }
    out.tid = expect.tid;
    out.signature = expect.signature;
    out.findings = expect.findings;
    for (const auto& [finding, ref] : expect.related) {
        GEN_TRY(std::uint32_t related, frame_of(ref, spec.where + ".expect.related"));
        out.related.emplace_back(finding, related);
    }
    if (expect.request) {
        GEN_TRY(out.request, frame_of(*expect.request, spec.where + ".expect.request"));
    }
    out.note = spec.note;
    return out;
}

Result<BuiltCapture> Builder::run() {
    // Labels first, so expectations may name later frames too.
    for (std::size_t i = 0; i < scenario_.messages.size(); ++i) {
        const auto& label = scenario_.messages[i].label;
        if (!label)
            continue;
        if (!labels_.emplace(*label, i).second) {
            return fail(ErrorCode::invalid_argument,
                        scenario_.messages[i].where + ": label \"" + *label + "\" used twice");
        }
    }
    // References to messages must point backwards while building.
    auto before = labels_;
    labels_.clear();
    completes_in_.assign(scenario_.messages.size(), never);

    std::uint16_t ipv4_id = 1;
    for (std::size_t i = 0; i < scenario_.messages.size(); ++i) {
        const MessageSpec& spec = scenario_.messages[i];
        BuiltMessage message;
        message.label = spec.label;
        GEN_TRY(message.time_us, time_of(spec));
        if (spec.copy) {
            GEN_CHECK(build_copy(spec, message));
        } else if (spec.raw) {
            GEN_CHECK(build_raw(spec, message));
        } else {
            GEN_CHECK(build_message(spec, message));
        }
        built_.push_back(std::move(message));

        if (framing_ == CoapFraming::udp) {
            FrameOptions frame_options;
            frame_options.vlan = spec.vlan ? *spec.vlan : scenario_.link.vlan;
            if (spec.hop_limit)
                frame_options.hop_limit = *spec.hop_limit;
            frame_options.ipv4_id = ipv4_id++;
            frame_options.ipv6_extensions = spec.ipv6_extensions;
            GEN_CHECK(add_udp_frames(spec, i, frame_options));
            // A CoAP datagram that completes needs an expectation; one whose
            // fragments never all arrive cannot have one.
            const bool analysed = on_coap_port(built_[i]) && completes_in_[i] != never;
            if (analysed != spec.expect.has_value()) {
                return fail(
                    ErrorCode::invalid_argument,
                    spec.where + (spec.expect
                                      ? (on_coap_port(built_[i])
                                             ? ": its fragments never all arrive, so no expect"
                                             : ": not on a CoAP port, so no expect")
                                      : ": a CoAP message needs \"expect\""));
            }
        } else if (spec.expect && !on_coap_port(built_[i])) {
            return fail(ErrorCode::invalid_argument,
                        spec.where + ": not on a CoAP port, so no expect");
        }
        if (spec.label)
            labels_.emplace(*spec.label, i);
    }
    labels_ = std::move(before);
    if (framing_ == CoapFraming::tcp)
        GEN_CHECK(add_tcp_segments());

    BuiltCapture capture;
    Manifest& manifest = capture.manifest;
    const bool pcapng = scenario_.format == CaptureFormat::pcapng;
    manifest.capture = scenario_.name + (pcapng ? ".pcapng" : ".pcap");
    manifest.description = scenario_.description;
    manifest.source = in_.source_name;
    manifest.source_digest = in_.source_digest;
    std::vector<LinkType> links;
    for (const OutFrame& f : frames_) {
        if (std::find(links.begin(), links.end(), f.link) == links.end())
            links.push_back(f.link);
    }
    if (links.empty())
        links.push_back(scenario_.link.type);
    for (std::size_t i = 0; i < links.size(); ++i)
        manifest.link += (i ? "+" : "") + std::string(link_name(links[i]));
    if (framing_ == CoapFraming::tcp)
        manifest.transport = "tcp";
    for (Codec codec : scenario_.copies)
        manifest.copies.push_back(manifest.capture + std::string(file_extension(codec)));
    manifest.analysis = scenario_.analysis;
    manifest.keys = in_.keys_name;
    manifest.frame_count = static_cast<std::uint32_t>(frames_.size());
    // In the order of the frames that complete them.
    std::vector<std::size_t> expected;
    for (std::size_t i = 0; i < built_.size(); ++i) {
        if (scenario_.messages[i].expect)
            expected.push_back(i);
    }
    std::stable_sort(expected.begin(), expected.end(), [&](std::size_t a, std::size_t b) {
        return completes_in_[a] < completes_in_[b];
    });
    for (std::size_t i : expected) {
        GEN_TRY(ManifestFrame frame,
                manifest_frame(scenario_.messages[i], built_[i], completes_in_[i]));
        manifest.frames.push_back(std::move(frame));
    }
    manifest.deterministic = deterministic_;
    GEN_TRY(capture.capture, capture_bytes());
    capture.copies = scenario_.copies;
    return capture;
}

Result<Bytes> Builder::capture_bytes() const {
    if (scenario_.format == CaptureFormat::pcapng) {
        PcapngWriter writer;
        for (const OutFrame& f : frames_)
            writer.add(f.time_us, linktype_number(f.link), f.bytes);
        return writer.bytes();
    }
    PcapWriter writer(linktype_number(scenario_.link.type));
    for (const OutFrame& f : frames_)
        writer.add(f.time_us, f.bytes);
    return writer.bytes();
}

}  // namespace

Result<BuiltCapture> build_capture(const CaptureInputs& inputs) {
    OptionSet signed_options = OptionSet::default_signed();
    if (!inputs.scenario.analysis.signed_options.empty()) {
        GEN_TRY(signed_options, OptionSet::parse(inputs.scenario.analysis.signed_options));
    }
    Builder builder(inputs, std::move(signed_options));
    return builder.run();
}

}  // namespace coapjws::gen
