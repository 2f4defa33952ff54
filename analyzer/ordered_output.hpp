// Output of several captures analysed in parallel, written in argument
// order. Each capture writes to its own channel; the channel of the earliest
// unfinished capture goes straight to the output, later ones are held back
// (in memory, then in an anonymous temporary file beyond a threshold, so a
// large report does not grow memory) until their turn comes.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace coapjws::scan {

class OrderedOutput {
  public:
    // A writer that joins array elements across channels (SARIF results)
    // puts this byte before each element; the output writes a comma for
    // every one but the first it emits. JSON text never carries it raw
    // (control characters in strings are escaped).
    static constexpr char element_separator = '\x1e';

    // Output shared with a progress bar on the same terminal: every write
    // holds `lock`, calls `clear` (erase the bar) and is flushed before the
    // lock is released, so the bar is never drawn inside a report line.
    struct Terminal {
        std::mutex* lock = nullptr;
        std::function<void()> clear;
    };

    class Channel {
      public:
        void write(std::string_view text) {
            buffer_.append(text);
            unflushed_ = true;
            if (buffer_.size() >= flush_threshold)
                push();
        }
        // Makes everything written so far visible now if this channel is
        // live (streaming mode); otherwise it is held as usual.
        void flush();
        // The capture is done; later channels may go ahead.
        void close();

      private:
        friend class OrderedOutput;
        static constexpr std::size_t flush_threshold = 1u << 16;
        void push();

        OrderedOutput* owner_ = nullptr;
        std::size_t index_ = 0;
        std::string buffer_;  // not yet handed to the owner (no lock needed)
        // Held back while not live; guarded by the owner's mutex.
        std::string held_;
        std::FILE* spill_ = nullptr;
        bool closed_ = false;
        bool unflushed_ = false;  // written to since the last flush()
    };

    OrderedOutput(std::FILE* out, std::size_t channels)
        : OrderedOutput(out, channels, Terminal()) {}
    OrderedOutput(std::FILE* out, std::size_t channels, Terminal terminal);
    ~OrderedOutput();
    OrderedOutput(const OrderedOutput&) = delete;
    OrderedOutput& operator=(const OrderedOutput&) = delete;

    Channel& channel(std::size_t index) { return channels_[index]; }
    // Before the first or after the last channel (document header/footer).
    void write_direct(std::string_view text);
    // Flushes `out`; false if any write failed.
    bool finish();

  private:
    static constexpr std::size_t memory_limit = 8u << 20;  // per held channel
    void emit(std::string_view text);                      // lock held
    void write_joined(std::string_view text);              // lock held
    void drain(Channel& channel);                          // lock held
    void accept(Channel& channel, std::string& text);

    std::FILE* out_;
    Terminal terminal_;
    bool element_emitted_ = false;
    std::mutex mutex_;
    std::vector<Channel> channels_;
    std::size_t live_ = 0;
    bool failed_ = false;
};

}  // namespace coapjws::scan
