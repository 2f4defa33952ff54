#include "scanner.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "capture_analysis.hpp"
#include "capture_reader.hpp"
#include "coapjws/key_loader.hpp"
#include "diagnostics.hpp"
#include "frame_source.hpp"
#include "interrupt.hpp"
#include "link_layer.hpp"
#include "ordered_output.hpp"
#include "outcome.hpp"
#include "output_file.hpp"
#include "progress_bar.hpp"
#include "report_writer.hpp"
#include "unanalysed.hpp"
#include "verify_pool.hpp"

#ifndef COAPJWS_VERSION
#define COAPJWS_VERSION "unknown"
#endif

namespace coapjws::scan {

namespace {

struct Job {
    std::string label;
    std::vector<std::string> paths;
};

std::string label_of(const std::string& path) {
    return path == "-" ? "<stdin>" : path;
}

std::vector<Job> make_jobs(const Options& options) {
    std::vector<Job> jobs;
    if (options.merge) {
        Job merged;
        for (const auto& path : options.inputs) {
            if (!merged.label.empty())
                merged.label += '+';
            merged.label += label_of(path);
            merged.paths.push_back(path);
        }
        jobs.push_back(std::move(merged));
    } else {
        for (const auto& path : options.inputs)
            jobs.push_back({label_of(path), {path}});
    }
    return jobs;
}

// Every -k file through the engine's loader. A key that cannot be used is
// left out with a warning, as in the plugin; a file that is refused (or has
// no usable key) is an error: nothing is analysed with a key set the user
// did not get.
std::shared_ptr<const KeyStore> load_keys(const std::vector<std::string>& files,
                                          const Diagnostics& console) {
    auto store = std::make_shared<KeyStore>();
    for (const std::string& path : files) {
        const KeyFileLoad load = load_jwks_file(path, *store);
        for (const KeyIssue& issue : load.issues) {
            if (issue.level() == KeyIssueLevel::file_refused)
                console.error(issue.message);
            else
                console.warning(issue.message);
        }
        if (load.refused())
            return nullptr;
    }
    return store;
}

Result<CaptureReader> open_capture(const std::string& path) {
    auto reader = CaptureReader::open(path);
    if (!reader)
        return reader;
    // A file of one link type that cannot be read is refused; with several
    // (pcapng interfaces) the records of unreadable ones are counted.
    const int link = reader->link_type();
    if (link != per_record_link_type && !is_supported_link_type(link)) {
        return fail(
            ErrorCode::unsupported,
            label_of(path) + ": link-layer type " + std::to_string(link) + " (" +
                link_type_name(link) +
                ") is not supported (Ethernet, Linux SLL/SLL2, raw IPv4/IPv6, BSD loopback are)");
    }
    return reader;
}

std::uint64_t total_input_bytes(const std::vector<std::string>& paths) {
    std::uint64_t total = 0;
    for (const auto& path : paths) {
        struct stat st {};
        if (path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
            total += static_cast<std::uint64_t>(st.st_size);
        }
    }
    return total;
}

SessionConfig session_config(const Options& o) {
    SessionConfig config;
    config.jws_option = o.jws_option;
    config.signed_options = o.signed_options;
    config.window = o.window;
    // Per-stream tables follow --max-streams; the per-exchange tables keep
    // the engine's defaults.
    config.limits.max_windows = o.max_streams;
    config.limits.max_response_bindings = o.max_streams;
    config.limits.max_protected_pairs = o.max_streams;
    return config;
}

// The warning on standard error for a capture's unanalysed traffic.
void warn_unanalysed(const Diagnostics& diagnostics, const CaptureSummary& summary,
                     const RunPolicy& policy) {
    const std::string what = describe_unanalysed(summary);
    if (what.empty())
        return;
    std::string text = summary.label + ": not analysed: " + what;
    if (nothing_analysed(summary))
        text += "; not one message of the capture was analysed";
    if (unanalysed_fails(summary, policy.unanalysed))
        text += " (exit status 3; --allow-unanalysed lets it pass)";
    diagnostics.warning(text);
}

}  // namespace

int run_scan(const Options& options) {
    Diagnostics console;
    install_interrupt_handlers();

    SessionConfig config = session_config(options);
    if (auto valid = config.validate(); !valid) {
        console.error(valid.error().message);
        return exit_error;
    }
    std::shared_ptr<const KeyStore> keys = load_keys(options.key_files, console);
    if (!keys)
        return exit_error;

    std::FILE* out = stdout;
    std::optional<OutputFile> out_file;
    if (options.output_path) {
        std::vector<std::string> protected_paths = options.inputs;
        protected_paths.insert(protected_paths.end(), options.key_files.begin(),
                               options.key_files.end());
        auto opened = OutputFile::open(*options.output_path, protected_paths);
        if (!opened) {
            console.error(opened.error().message);
            return exit_error;
        }
        out_file.emplace(std::move(*opened));
        out = out_file->stream();
    }

    const std::vector<Job> jobs = make_jobs(options);
    const bool reads_stdin =
        std::find(options.inputs.begin(), options.inputs.end(), "-") != options.inputs.end();
    ProgressBar progress(total_input_bytes(options.inputs),
                         !options.quiet && !reads_stdin && ::isatty(STDERR_FILENO) == 1);
    Diagnostics diagnostics(&progress);

    // Report lines on the bar's terminal are written whole, the bar erased
    // first and redrawn only after them.
    OrderedOutput::Terminal terminal;
    if (progress.enabled() && ::isatty(::fileno(out)) == 1) {
        terminal.lock = &progress.terminal_mutex();
        terminal.clear = [&progress] { progress.clear(); };
    }
    OrderedOutput output(out, jobs.size(), terminal);

    WriterSettings writer_settings;
    writer_settings.format = options.format;
    writer_settings.messages = options.messages;
    writer_settings.policy = options.policy();
    writer_settings.ports = options.ports;
    writer_settings.ignore = options.ignore;
    writer_settings.shard = options.shard;
    writer_settings.version = COAPJWS_VERSION;
    output.write_direct(report_prologue(writer_settings));

    const PortFilter ports(options.ports);
    const unsigned threads = std::max(1u, options.jobs);
    // The threads reading captures verify too while they wait (VerifyPool),
    // so the pool adds threads - 1 workers; with -j 1 there is no pool.
    std::unique_ptr<VerifyPool> pool;
    if (threads > 1)
        pool = std::make_unique<VerifyPool>(threads - 1);

    AnalysisSettings settings;
    settings.session = config;
    settings.keys = keys;
    settings.ports = &ports;
    settings.max_streams = options.max_streams;
    settings.pool = pool.get();
    settings.progress = progress.enabled() ? &progress : nullptr;
    for (FindingId id : options.ignore)
        settings.ignore.set(static_cast<std::size_t>(id));
    settings.shard = options.shard;
    settings.no_keys_configured = options.key_files.empty();
    settings.diagnostics = &diagnostics;

    const RunPolicy policy = options.policy();
    std::mutex run_mutex;  // guards `run`
    RunSummary run;
    run.captures = jobs.size();
    run.totals.label = "overall";
    run.totals.unanalysed_reported_elsewhere = options.shard && options.shard->index != 1;
    std::atomic<std::size_t> next_job{0};

    auto input_failed = [&](const std::string& message) {
        std::lock_guard lock(run_mutex);
        run.input_errors.push_back(message);
        run.outcome = worse(run.outcome, Outcome::error);
    };

    auto run_job = [&](const Job& job, OrderedOutput::Channel& channel) {
        auto writer = make_report_writer(writer_settings, job.label, channel);
        const bool stdin_job =
            std::find(job.paths.begin(), job.paths.end(), "-") != job.paths.end();
        if (stdin_job)
            register_blocking_reader();
        std::vector<CaptureReader> readers;
        for (const auto& path : job.paths) {
            auto reader = open_capture(path);
            if (!reader) {
                diagnostics.error(reader.error().message);
                input_failed(reader.error().message);
                // With --merge the other files are still merged; alone, the
                // capture's report is just the error.
                if (job.paths.size() == 1)
                    writer->input_error(reader.error().message);
                continue;
            }
            readers.push_back(std::move(*reader));
        }
        if (readers.empty()) {
            if (job.paths.size() > 1) {
                writer->input_error("no readable capture among the merged files");
            }
            std::lock_guard lock(run_mutex);
            ++run.unreadable;
            if (stdin_job)
                unregister_blocking_reader();
            return;
        }
        std::unique_ptr<FrameSource> source;
        if (job.paths.size() == 1) {
            source = std::make_unique<SingleSource>(std::move(readers.front()));
        } else {
            source = std::make_unique<MergedSource>(std::move(readers));
        }
        AnalysisResult result = analyze_capture(*source, job.label, settings, *writer, channel);
        if (stdin_job)
            unregister_blocking_reader();
        for (const ReadIssue& issue : result.summary.issues) {
            if (issue.truncated) {
                diagnostics.warning(issue.message);
            } else {
                diagnostics.error(issue.message);
            }
        }
        warn_unanalysed(diagnostics, result.summary, policy);
        std::lock_guard lock(run_mutex);
        run.totals += result.summary;
        run.outcome = worse(run.outcome, outcome_of(result.summary, policy));
    };
    auto runner = [&] {
        for (std::size_t i = next_job++; i < jobs.size(); i = next_job++) {
            OrderedOutput::Channel& channel = output.channel(i);
            if (interrupt_requested()) {
                std::lock_guard lock(run_mutex);
                ++run.not_started;
            } else {
                run_job(jobs[i], channel);
            }
            channel.close();
        }
    };

    const std::size_t runners = std::min<std::size_t>(jobs.size(), threads);
    std::vector<std::thread> extra;
    for (std::size_t i = 1; i < runners; ++i)
        extra.emplace_back(runner);
    runner();
    for (auto& t : extra)
        t.join();

    if (const int signal = interrupt_signal(); signal != 0)
        run.signal = signal;
    run.exit_status = run.signal ? exit_signal_base + *run.signal : exit_status_of(run.outcome);
    output.write_direct(report_epilogue(writer_settings, run));
    const bool written = output.finish();
    progress.stop();
    // Said once for the run (each capture's summary has its count): without
    // keys nothing was verified, so a clean report would mean little.
    if (const std::uint64_t n = run.totals.unverified_without_keys; n > 0) {
        console.warning("no keys given (-k): " + std::to_string(n) + " signed message" +
                        (n == 1 ? "" : "s") + " could not be verified");
    }
    if (!written) {
        console.error(
            (options.output_path ? *options.output_path : std::string("standard output")) +
            ": write failed");
        return exit_error;
    }
    if (out_file) {
        if (auto committed = out_file->commit(); !committed) {
            console.error(committed.error().message);
            return exit_error;
        }
    }
    if (run.signal) {
        console.warning("stopped by signal " + std::to_string(*run.signal) +
                        ": the report covers what was read before it");
    }
    return run.exit_status;
}

}  // namespace coapjws::scan
