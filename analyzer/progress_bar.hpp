// A progress bar on standard error: bytes read of the total, packets per
// second. Drawn by its own thread a few times a second; anything else that
// writes to the terminal calls clear() first (under the terminal lock).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace coapjws::scan {

class ProgressBar {
  public:
    // Disabled bars do nothing (no thread).
    ProgressBar(std::uint64_t total_bytes, bool enabled);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    bool enabled() const { return enabled_; }
    void advance(std::uint64_t bytes, std::uint64_t packets) {
        bytes_.fetch_add(bytes, std::memory_order_relaxed);
        packets_.fetch_add(packets, std::memory_order_relaxed);
    }
    // Erases the bar so a message can be written; the next tick redraws it.
    // Call with terminal_mutex() held.
    void clear();
    std::mutex& terminal_mutex() { return terminal_; }
    // Stops drawing and erases the bar.
    void stop();

  private:
    void loop();
    void draw();

    const std::uint64_t total_;
    const bool enabled_;
    std::atomic<std::uint64_t> bytes_{0};
    std::atomic<std::uint64_t> packets_{0};
    std::mutex terminal_;
    bool drawn_ = false;  // guarded by terminal_
    std::mutex stop_mutex_;
    std::condition_variable stop_cv_;
    bool stopping_ = false;
    std::thread thread_;
    std::int64_t start_ns_ = 0;
};

}  // namespace coapjws::scan
