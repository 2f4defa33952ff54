#include "gen/capture_builder.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "gen/attacks.hpp"
#include "gen/coap_uri.hpp"
#include "gen/jws_signer.hpp"
#include "gen/pcap_writer.hpp"
#include "gen/try.hpp"

namespace coapjws::gen {

namespace {

constexpr double default_gap_seconds = 0.010;

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
          pcap_(linktype_number(inputs.scenario.link.type)) {}

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

    const CaptureInputs& in_;
    const Scenario& scenario_;
    OptionSet signed_options_;
    PcapWriter pcap_;
    std::vector<BuiltMessage> built_;
    std::map<std::string, std::size_t> labels_;
    bool deterministic_ = true;
};

Result<std::size_t> Builder::endpoint(const std::string& name, std::string_view where) const {
    for (std::size_t i = 0; i < scenario_.endpoints.size(); ++i) {
        if (scenario_.endpoints[i].name == name)
            return i;
    }
    return fail(std::string(where) + ": unknown endpoint \"" + name + "\"");
}

Result<std::size_t> Builder::labelled(const std::string& label, std::string_view where) const {
    auto it = labels_.find(label);
    if (it == labels_.end()) {
        return fail(std::string(where) + ": no earlier message labelled \"" + label + "\"");
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
            return fail(std::string(where) + ": message \"" + *spec.copy_from +
                        "\" has no option " + std::to_string(spec.number));
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
        return fail(spec.where + ": goes back in time");
    return time;
}

void Builder::fill_from_bytes(BuiltMessage& out) const {
    auto parsed = parse_coap(out.coap);
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
    GEN_TRY(out.coap,
            patch_coap_header(original.coap, spec.copy->mid, spec.copy->type, spec.copy->token));
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
        return fail(spec.where + ": raw_hex needs from and to");
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
            return fail(spec.where + ": a reply to a multicast request needs \"from\"");
        }
        out.from = built_[*request].to;
    } else {
        return fail(spec.where + ": needs from (or reply_to)");
    }
    if (spec.to) {
        GEN_TRY(out.to, endpoint(*spec.to, spec.where + ".to"));
    } else if (request) {
        out.to = built_[*request].from;
    } else {
        return fail(spec.where + ": needs to (or reply_to)");
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
        return fail(spec.where + ": needs mid");
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
            return fail(spec.where + ".jws.echo: \"" + *spec.jws->echo + "\" has no JWS option");
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
                    return fail(spec.where +
                                ": response binds a request TID but its request is not in the "
                                "capture; give jws.request_tid (or null)");
                }
                if (!built_[*bound].tid) {
                    return fail(spec.where +
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
    GEN_TRY(out.coap, encode_coap(message));
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
        return fail(std::string(where) + ": no message labelled \"" + *ref.label + "\"");
    }
    return static_cast<std::uint32_t>(it->second + 1);
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
        return fail(spec.where + ".expect.kind: required for raw_hex messages");
    } else {
        out.kind = std::string(to_string(kind_of_code(message.code)));
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
            return fail(scenario_.messages[i].where + ": label \"" + *label + "\" used twice");
        }
    }
    // References to messages must point backwards while building.
    auto before = labels_;
    labels_.clear();

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

        FrameOptions frame_options;
        frame_options.vlan = spec.vlan ? *spec.vlan : scenario_.link.vlan;
        if (spec.hop_limit)
            frame_options.hop_limit = *spec.hop_limit;
        frame_options.ipv4_id = ipv4_id++;
        frame_options.ipv6_extensions = spec.ipv6_extensions;
        GEN_TRY(
            Bytes frame,
            build_udp_frame(scenario_.link.type, scenario_.endpoints[message.from].frame,
                            scenario_.endpoints[message.to].frame, frame_options, message.coap));
        pcap_.add(message.time_us, frame);

        if (on_coap_port(message) != spec.expect.has_value()) {
            return fail(spec.where + (spec.expect ? ": not on a CoAP port, so no expect"
                                                  : ": a CoAP message needs \"expect\""));
        }
        if (spec.label)
            labels_.emplace(*spec.label, i);
        built_.push_back(std::move(message));
    }
    labels_ = std::move(before);

    BuiltCapture capture;
    Manifest& manifest = capture.manifest;
    manifest.capture = scenario_.name + ".pcap";
    manifest.description = scenario_.description;
    manifest.source = in_.source_name;
    manifest.source_digest = in_.source_digest;
    manifest.link = std::string(link_name(scenario_.link.type));
    manifest.analysis = scenario_.analysis;
    manifest.keys = in_.keys_name;
    manifest.frame_count = static_cast<std::uint32_t>(built_.size());
    for (std::size_t i = 0; i < built_.size(); ++i) {
        if (!scenario_.messages[i].expect)
            continue;
        GEN_TRY(ManifestFrame frame, manifest_frame(scenario_.messages[i], built_[i],
                                                    static_cast<std::uint32_t>(i + 1)));
        manifest.frames.push_back(std::move(frame));
    }
    manifest.deterministic = deterministic_;
    capture.pcap = pcap_.bytes();
    return capture;
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
