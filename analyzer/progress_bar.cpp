#include "progress_bar.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

namespace coapjws::scan {

namespace {
std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string megabytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", static_cast<double>(bytes) / 1e6);
    return text;
}
}  // namespace

ProgressBar::ProgressBar(std::uint64_t total_bytes, bool enabled)
    : total_(total_bytes), enabled_(enabled && total_bytes > 0) {
    if (!enabled_)
        return;
    start_ns_ = now_ns();
    thread_ = std::thread([this] { loop(); });
}

ProgressBar::~ProgressBar() {
    stop();
}

void ProgressBar::stop() {
    if (!thread_.joinable())
        return;
    {
        std::lock_guard lock(stop_mutex_);
        stopping_ = true;
    }
    stop_cv_.notify_all();
    thread_.join();
    std::lock_guard lock(terminal_);
    clear();
}

void ProgressBar::clear() {
    if (!drawn_)
        return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
}

void ProgressBar::loop() {
    // Drawn at once, so even a short run shows where it is.
    draw();
    std::unique_lock lock(stop_mutex_);
    while (!stop_cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping_; })) {
        draw();
    }
}

void ProgressBar::draw() {
    constexpr int width = 30;
    const std::uint64_t done = std::min(bytes_.load(std::memory_order_relaxed), total_);
    const std::uint64_t packets = packets_.load(std::memory_order_relaxed);
    const double fraction = static_cast<double>(done) / static_cast<double>(total_);
    const int filled = static_cast<int>(fraction * width);
    const double seconds = static_cast<double>(now_ns() - start_ns_) / 1e9;
    const double rate = seconds > 0 ? static_cast<double>(packets) / seconds : 0.0;

    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(width - filled), '.');
    char line[160];
    std::snprintf(line, sizeof line, "\r[%s] %3d%%  %s/%s MB  %.0f packets/s\033[K", bar.c_str(),
                  static_cast<int>(fraction * 100), megabytes(done).c_str(),
                  megabytes(total_).c_str(), rate);
    std::lock_guard lock(terminal_);
    std::fputs(line, stderr);
    std::fflush(stderr);
    drawn_ = true;
}

}  // namespace coapjws::scan
