#include "scanner.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "capture_analysis.hpp"
#include "capture_reader.hpp"
#include "coapjws/key_store.hpp"
#include "diagnostics.hpp"
#include "frame_source.hpp"
#include "link_layer.hpp"
#include "ordered_output.hpp"
#include "progress_bar.hpp"
#include "report_writer.hpp"
#include "verify_pool.hpp"

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

Result<std::shared_ptr<const KeyStore>> load_keys(const std::vector<std::string>& files) {
    auto store = std::make_shared<KeyStore>();
    for (const std::string& path : files) {
        std::ifstream in(path, std::ios::binary);
        if (!in)
            return fail(path + ": cannot read keys file: " + std::strerror(errno));
        std::ostringstream text;
        text << in.rdbuf();
        if (in.bad())
            return fail(path + ": cannot read keys file");
        if (auto added = add_jwks(*store, text.str(), path); !added) {
            const std::string& why = added.error().message;
            // Say which file, unless the engine's message already does.
            return fail(why.starts_with(path) ? why : path + ": " + why);
        }
    }
    return std::shared_ptr<const KeyStore>(std::move(store));
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

}  // namespace

int run_scan(const Options& options) {
    Diagnostics console;

    SessionConfig config = session_config(options);
    if (auto valid = config.validate(); !valid) {
        console.error(valid.error().message);
        return exit_error;
    }
    auto keys = load_keys(options.key_files);
    if (!keys) {
        console.error(keys.error().message);
        return exit_error;
    }
    // Keys that load but deserve a word (short HMAC secrets, small RSA keys).
    for (const std::string& remark : (*keys)->warnings())
        console.warning(remark);

    std::FILE* out = stdout;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> out_file(nullptr, &std::fclose);
    if (options.output_path) {
        out_file.reset(std::fopen(options.output_path->c_str(), "wb"));
        if (!out_file) {
            console.error(*options.output_path + ": cannot write: " + std::strerror(errno));
            return exit_error;
        }
        out = out_file.get();
    }

    const std::vector<Job> jobs = make_jobs(options);
    const bool reads_stdin =
        std::find(options.inputs.begin(), options.inputs.end(), "-") != options.inputs.end();
    ProgressBar progress(total_input_bytes(options.inputs),
                         !options.quiet && !reads_stdin && ::isatty(STDERR_FILENO) == 1);
    Diagnostics diagnostics(&progress);

    // Report lines on a terminal must not land in the middle of the bar.
    std::function<void()> before_write;
    if (progress.enabled() && ::isatty(::fileno(out)) == 1) {
        before_write = [&progress] {
            std::lock_guard lock(progress.terminal_mutex());
            progress.clear();
        };
    }
    OrderedOutput output(out, jobs.size(), before_write);
    output.write_direct(report_prologue(options.format));

    const PortFilter ports(options.ports);
    const unsigned threads = std::max(1u, options.jobs);
    // The threads reading captures verify too while they wait (VerifyPool),
    // so the pool adds threads - 1 workers; with -j 1 there is no pool.
    std::unique_ptr<VerifyPool> pool;
    if (threads > 1)
        pool = std::make_unique<VerifyPool>(threads - 1);

    AnalysisSettings settings;
    settings.session = config;
    settings.keys = *keys;
    settings.ports = &ports;
    settings.max_streams = options.max_streams;
    settings.pool = pool.get();
    settings.progress = progress.enabled() ? &progress : nullptr;

    WriterSettings writer_settings;
    writer_settings.format = options.format;
    writer_settings.messages = options.messages;
    writer_settings.fail_on = options.fail_on;

    std::atomic<std::size_t> next_job{0};
    std::atomic<bool> input_error{false};
    std::atomic<int> worst{-1};  // highest Severity seen, as int

    auto run_job = [&](const Job& job, OrderedOutput::Channel& channel) {
        auto writer = make_report_writer(writer_settings, job.label, channel);
        std::vector<CaptureReader> readers;
        for (const auto& path : job.paths) {
            auto reader = open_capture(path);
            if (!reader) {
                diagnostics.error(reader.error().message);
                input_error = true;
                // With --merge the other files are still merged; alone, the
                // capture's report is just the error.
                if (job.paths.size() == 1)
                    writer->input_error(reader.error().message);
                continue;
            }
            readers.push_back(std::move(*reader));
        }
        if (readers.empty()) {
            if (job.paths.size() > 1)
                writer->input_error("no readable capture among the merged files");
            return;
        }
        std::unique_ptr<FrameSource> source;
        if (job.paths.size() == 1) {
            source = std::make_unique<SingleSource>(std::move(readers.front()));
        } else {
            source = std::make_unique<MergedSource>(std::move(readers));
        }
        AnalysisResult result = analyze_capture(*source, job.label, settings, *writer, channel);
        for (const ReadIssue& issue : source->issues()) {
            if (issue.truncated) {
                diagnostics.warning(issue.message);
            } else {
                diagnostics.error(issue.message);
            }
        }
        if (result.read_error)
            input_error = true;
        if (result.worst) {
            int w = static_cast<int>(*result.worst);
            int seen = worst.load();
            while (w > seen && !worst.compare_exchange_weak(seen, w)) {
            }
        }
    };
    auto runner = [&] {
        for (std::size_t i = next_job++; i < jobs.size(); i = next_job++) {
            OrderedOutput::Channel& channel = output.channel(i);
            run_job(jobs[i], channel);
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

    output.write_direct(report_epilogue(options.format));
    const bool written = output.finish();
    progress.stop();
    if (!written) {
        console.error(
            (options.output_path ? *options.output_path : std::string("standard output")) +
            ": write failed");
        return exit_error;
    }
    if (input_error)
        return exit_error;
    if (options.fail_on && worst.load() >= static_cast<int>(*options.fail_on))
        return exit_findings;
    return exit_clean;
}

}  // namespace coapjws::scan
