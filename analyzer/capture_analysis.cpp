#include "capture_analysis.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <optional>
#include <vector>

#include "coapjws/stream_table.hpp"
#include "frame_decoder.hpp"
#include "interrupt.hpp"
#include "progress_bar.hpp"
#include "time_format.hpp"

namespace coapjws::scan {

namespace {

// Messages per verification task: large enough that handing a batch to
// another thread costs little against verifying it, small enough that both
// threads stay busy.
constexpr std::size_t batch_size = 64;
// Batches prepared ahead of the oldest unfinished one (bounds memory).
constexpr std::size_t max_batches_in_flight = 32;
// Records between progress updates (ftell is cheap, but not free).
constexpr std::uint32_t progress_interval = 4096;

class VerifyBatch final : public VerifyPool::Task {
  public:
    explicit VerifyBatch(const Session& session) : session_(session) {
        messages.reserve(batch_size);
    }
    void run() override {
        for (PreparedMessage& m : messages)
            session_.verify(m);
    }
    std::vector<PreparedMessage> messages;

  private:
    const Session& session_;
};

class ProgressTicker {
  public:
    ProgressTicker(const FrameSource& source, ProgressBar* bar) : source_(source), bar_(bar) {}
    void tick() {
        if (bar_ == nullptr || ++records_ < progress_interval)
            return;
        report();
    }
    void report() {
        if (bar_ == nullptr)
            return;
        std::uint64_t bytes = source_.bytes_read();
        bar_->advance(bytes >= bytes_ ? bytes - bytes_ : 0, records_);
        bytes_ = bytes;
        records_ = 0;
    }

  private:
    const FrameSource& source_;
    ProgressBar* bar_;
    std::uint64_t bytes_ = 0;
    std::uint32_t records_ = 0;
};

// Replay windows and response bindings forgotten for want of room: a replay
// in them goes unseen. Said once per capture, on standard error.
class EvictionWarning {
  public:
    EvictionWarning(const std::string& label, const AnalysisSettings& settings)
        : label_(label), settings_(settings) {}
    void check(const SessionStats& stats) {
        if (said_ || settings_.diagnostics == nullptr)
            return;
        const std::uint64_t windows = stats.window_evictions;
        const std::uint64_t bindings = stats.binding_evictions;
        if (windows + bindings == 0)
            return;
        said_ = true;
        settings_.diagnostics->warning(
            label_ + ": more receivers and keys than --max-streams " +
            std::to_string(settings_.max_streams) + ": " + std::to_string(windows) +
            " replay window(s) and " + std::to_string(bindings) +
            " response binding(s) forgotten so far; a replay of what they held goes unseen "
            "(raise --max-streams)");
    }

  private:
    const std::string& label_;
    const AnalysisSettings& settings_;
    bool said_ = false;
};

}  // namespace

AnalysisResult analyze_capture(FrameSource& source, const std::string& label,
                               const AnalysisSettings& settings, ReportWriter& writer,
                               OrderedOutput::Channel& channel) {
    AnalysisResult result;
    auto created = Session::create(settings.session, settings.keys);
    if (!created) {
        writer.input_error(label + ": " + created.error().message);
        result.read_error = true;
        return result;
    }
    // Held in an optional so that its tables can go before the summary.
    std::optional<Session> owned_session(std::move(*created));
    Session& session = *owned_session;

    StreamTable streams(settings.max_streams);
    FrameDecoder decoder(*settings.ports);
    CaptureSummary& summary = result.summary;
    summary.label = label;
    summary.no_keys_configured = settings.no_keys_configured;
    summary.unanalysed_reported_elsewhere = settings.shard && settings.shard->index != 1;
    summary.started_ns = wall_clock_ns();
    const auto started = std::chrono::steady_clock::now();
    const bool streaming = source.streaming();
    EvictionWarning evictions(label, settings);
    std::uint32_t since_eviction_check = 0;

    auto owned = [&settings](const Endpoint& receiver) {
        return !settings.shard || settings.shard->owns(receiver);
    };
    // SIGINT/SIGTERM: stop reading; what was read is concluded and reported.
    auto stopped = [&summary] {
        if (interrupt_requested())
            summary.interrupted = true;
        return summary.interrupted;
    };
    // Every message reaches the engine; only this shard's are reported.
    auto handle = [&](MessageReport& report) {
        if (!owned(report.dst))
            return;
        if (settings.ignore.any()) {
            std::erase_if(report.findings, [&settings](const Finding& f) {
                return settings.ignore.test(static_cast<std::size_t>(f.id));
            });
        }
        ++summary.signatures[static_cast<std::size_t>(report.signature)];
        for (const Finding& f : report.findings) {
            ++summary.findings[static_cast<std::size_t>(f.id)];
            if (!summary.worst || f.severity() > *summary.worst)
                summary.worst = f.severity();
        }
        writer.message(report, streams.record(report));
        if (streaming) {
            channel.flush();
            if (++since_eviction_check == 1024) {
                since_eviction_check = 0;
                evictions.check(session.stats());
            }
        }
    };

    CaptureRecord record;
    ProgressTicker progress(source, settings.progress);

    if (settings.pool == nullptr || streaming) {
        // One thread; on standard input also the lowest latency per finding.
        while (!stopped() && source.next(record)) {
            progress.tick();
            for (const Packet& packet : decoder.decode(record)) {
                if (owned(packet.dst)) {
                    MessageReport report = session.analyze(packet);
                    handle(report);
                } else {
                    PreparedMessage prepared = session.prepare(packet);
                    prepared.skip_verification();
                    (void)session.conclude(std::move(prepared));
                }
            }
        }
    } else {
        VerifyPool& pool = *settings.pool;
        std::deque<std::unique_ptr<VerifyBatch>> in_flight;
        std::vector<std::unique_ptr<VerifyBatch>> spare;
        auto take_batch = [&] {
            if (spare.empty())
                return std::make_unique<VerifyBatch>(session);
            auto batch = std::move(spare.back());
            spare.pop_back();
            return batch;
        };
        auto conclude_oldest = [&] {
            std::unique_ptr<VerifyBatch> batch = std::move(in_flight.front());
            in_flight.pop_front();
            pool.wait(*batch);
            for (PreparedMessage& m : batch->messages) {
                MessageReport report = session.conclude(std::move(m));
                handle(report);
            }
            batch->messages.clear();
            spare.push_back(std::move(batch));
        };
        auto dispatch = [&](std::unique_ptr<VerifyBatch> batch) {
            pool.submit(*batch);
            in_flight.push_back(std::move(batch));
            while (in_flight.size() > max_batches_in_flight)
                conclude_oldest();
        };

        std::unique_ptr<VerifyBatch> current = take_batch();
        while (!stopped() && source.next(record)) {
            progress.tick();
            for (const Packet& packet : decoder.decode(record)) {
                PreparedMessage prepared = session.prepare(packet);
                if (!owned(packet.dst))
                    prepared.skip_verification();
                if (in_flight.empty() && current->messages.empty() &&
                    !prepared.has_costly_verification()) {
                    // Nothing ahead of it and no public-key signature:
                    // concluded here at once (an HMAC is checked inline), in
                    // capture order, without the round trip through a worker
                    // that would cost more than the check itself.
                    MessageReport report = session.conclude(std::move(prepared));
                    handle(report);
                    continue;
                }
                current->messages.push_back(std::move(prepared));
                if (current->messages.size() == batch_size) {
                    dispatch(std::move(current));
                    current = take_batch();
                }
            }
        }
        if (!current->messages.empty())
            dispatch(std::move(current));
        while (!in_flight.empty())
            conclude_oldest();
    }
    progress.report();

    stopped();  // a signal that ended a blocking read (standard input)
    decoder.finish();
    summary.decode = decoder.counters();
    summary.session = session.stats();
    summary.unverified_without_keys = summary.session.unverified_without_keys;
    summary.issues = source.issues();
    summary.streams = &streams;
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    evictions.check(summary.session);
    // The session's tables (tens of MiB when full) are done with: freed
    // before the summary builds its stream table text, so the two never add
    // up in the process's peak memory.
    owned_session.reset();
    writer.summary(summary);
    channel.flush();
    summary.streams = nullptr;  // the table ends with this call
    for (const ReadIssue& issue : summary.issues) {
        if (!issue.truncated)
            result.read_error = true;
    }
    return result;
}

}  // namespace coapjws::scan
