#include "engine_check.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "coapjws/coap_tcp_streams.hpp"
#include "coapjws/key_loader.hpp"
#include "coapjws/session.hpp"
#include "pcap_frames.hpp"

namespace coapjws::test {

namespace {
// The engine's report in the manifest's terms; related frames and the request
// frame only where the manifest states them.
ExpectedFrame observed(const MessageReport& report, const ExpectedFrame* expected) {
    ExpectedFrame o;
    o.frame = report.frame;
    o.kind = std::string(to_string(report.kind));
    if (report.tid)
        o.tid = report.tid->to_string();
    o.signature = std::string(to_string(report.signature));
    for (const auto& finding : report.findings) {
        const std::string name(finding_name(finding.id));
        o.findings.push_back(name);
        if (expected && expected->related.count(name)) {
            o.related[name] = finding.related_frame.value_or(0);
        }
    }
    std::sort(o.findings.begin(), o.findings.end());
    if (expected && expected->request)
        o.request = report.request_frame.value_or(0);
    return o;
}

bool same(const ExpectedFrame& a, const ExpectedFrame& b) {
    return a.kind == b.kind && a.tid == b.tid && a.signature == b.signature &&
           a.findings == b.findings && a.related == b.related && a.request == b.request;
}
}  // namespace

std::string describe(const ExpectedFrame& e) {
    std::ostringstream out;
    out << "kind=" << e.kind << " tid=" << e.tid.value_or("null") << " signature=" << e.signature
        << " findings=[";
    for (std::size_t i = 0; i < e.findings.size(); ++i)
        out << (i ? "," : "") << e.findings[i];
    out << "]";
    for (const auto& [finding, frame] : e.related)
        out << " " << finding << "->" << frame;
    if (e.request)
        out << " request=" << *e.request;
    return out.str();
}

std::string where(const ExpectedCapture& manifest, const FrameMismatch& m) {
    std::string out = std::filesystem::path(manifest.capture).filename().string() + " frame " +
                      std::to_string(m.frame);
    if (m.expected && !m.expected->label.empty())
        out += " (" + m.expected->label + ")";
    return out;
}

EngineCheck check_with_engine(const ExpectedCapture& manifest) {
    EngineCheck result;
    Capture capture;
    if (!read_capture(manifest.capture, capture, result.error))
        return result;
    if (capture.frames.size() != manifest.frame_count) {
        result.error = manifest.capture + ": " + std::to_string(capture.frames.size()) +
                       " records, the manifest says " + std::to_string(manifest.frame_count);
        return result;
    }

    SessionConfig config;
    config.jws_option = manifest.option;
    config.window = manifest.window;
    if (manifest.signed_options != "default") {
        auto set = OptionSet::parse(manifest.signed_options);
        if (!set) {
            result.error = set.error().message;
            return result;
        }
        config.signed_options = *set;
    }
    std::shared_ptr<const KeyStore> keys;
    if (!manifest.keys.empty()) {
        auto store = load_jwks_file_strict(manifest.keys);
        if (!store) {
            result.error = store.error().message;
            return result;
        }
        keys = std::make_shared<const KeyStore>(std::move(*store));
    }
    auto session = Session::create(config, keys);
    if (!session) {
        result.error = session.error().message;
        return result;
    }

    // The manifest's messages by frame, in order (a TCP segment may complete several).
    std::map<std::uint32_t, std::vector<const ExpectedFrame*>> expected;
    for (const auto& frame : manifest.frames)
        expected[frame.frame].push_back(&frame);
    std::map<std::uint32_t, std::size_t> seen;  // messages analysed per frame
    auto on_port = [&](std::uint16_t port) {
        return std::find(manifest.ports.begin(), manifest.ports.end(), port) !=
               manifest.ports.end();
    };
    // DTLS and TLS records are encrypted: whatever the engine is handed there
    // is a mismatch. UDP and TCP are checked message by message.
    const bool analysable = manifest.analysed_by_engine();
    auto check_message = [&](std::uint32_t frame, const Packet& packet) {
        MessageReport report = session->analyze(packet);
        const std::size_t index = seen[frame]++;
        auto it = expected.find(frame);
        const ExpectedFrame* e = it != expected.end() && analysable && index < it->second.size()
                                     ? it->second[index]
                                     : nullptr;
        ExpectedFrame actual = observed(report, e);
        ++result.frames_checked;
        if (!e || !same(*e, actual))
            result.mismatches.push_back({e, frame, true, std::move(actual)});
    };
    CoapTcpStreams streams;
    for (const auto& frame : capture.frames) {
        if (!on_port(frame.src.port) && !on_port(frame.dst.port))
            continue;
        if (frame.is_udp) {
            Packet packet{frame.frame, frame.time_ns, frame.src, frame.dst, frame.payload};
            check_message(frame.frame, packet);
        } else if (frame.is_tcp) {
            TcpSegment segment;
            segment.src = frame.src;
            segment.dst = frame.dst;
            segment.seq = frame.seq;
            segment.syn = frame.syn;
            segment.fin = frame.fin;
            segment.rst = frame.rst;
            segment.time_ns = frame.time_ns;
            segment.payload = frame.payload;
            for (const TcpMessage& m : streams.add(segment)) {
                Packet packet{frame.frame, frame.time_ns, frame.src,
                              frame.dst,   m.bytes,       CoapFraming::tcp};
                check_message(frame.frame, packet);
            }
        }
    }
    for (const auto& [frame, entries] : expected) {
        if (!analysable)
            break;
        for (std::size_t i = seen[frame]; i < entries.size(); ++i)
            result.mismatches.push_back({entries[i], frame, false, {}});
    }
    std::sort(result.mismatches.begin(), result.mismatches.end(),
              [](const auto& a, const auto& b) { return a.frame < b.frame; });
    return result;
}

}  // namespace coapjws::test
