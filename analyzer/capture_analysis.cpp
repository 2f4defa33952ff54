#include "capture_analysis.hpp"

#include <deque>
#include <vector>

#include "frame_decoder.hpp"
#include "progress_bar.hpp"
#include "stream_table.hpp"

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
    Session& session = *created;

    StreamTable streams(settings.max_streams);
    FrameDecoder decoder(*settings.ports);
    CaptureSummary summary;
    summary.label = label;
    const bool streaming = source.streaming();

    auto handle = [&](const MessageReport& report) {
        ++summary.signatures[static_cast<std::size_t>(report.signature)];
        for (const Finding& f : report.findings) {
            if (!result.worst || f.severity() > *result.worst)
                result.worst = f.severity();
        }
        writer.message(report, streams.record(report));
        if (streaming)
            channel.flush();
    };

    CaptureRecord record;
    ProgressTicker progress(source, settings.progress);

    if (settings.pool == nullptr || streaming) {
        // One thread; on standard input also the lowest latency per finding.
        // One report for every message: the writer is done with it when
        // handle() returns, so the Session reuses its buffers.
        MessageReport report;
        while (source.next(record)) {
            progress.tick();
            for (const Packet& packet : decoder.decode(record)) {
                session.analyze(packet, report);
                handle(report);
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
                session.recycle(std::move(report));  // its buffers serve a later prepare()
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
        while (source.next(record)) {
            progress.tick();
            for (const Packet& packet : decoder.decode(record)) {
                PreparedMessage prepared = session.prepare(packet);
                if (in_flight.empty() && current->messages.empty() &&
                    !prepared.has_costly_verification()) {
                    // Nothing ahead of it and no public-key signature:
                    // concluded here at once (an HMAC is checked inline), in
                    // capture order, without the round trip through a worker
                    // that would cost more than the check itself.
                    MessageReport report = session.conclude(std::move(prepared));
                    handle(report);
                    session.recycle(std::move(report));
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

    decoder.finish();
    summary.decode = decoder.counters();
    summary.session = session.stats();
    summary.issues = source.issues();
    summary.streams = &streams;
    writer.summary(summary);
    channel.flush();
    for (const ReadIssue& issue : summary.issues) {
        if (!issue.truncated)
            result.read_error = true;
    }
    return result;
}

}  // namespace coapjws::scan
