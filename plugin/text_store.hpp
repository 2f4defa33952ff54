// The text kept for every analysed message (key identifiers, finding
// messages, copies of CoAP bytes Wireshark may not show again): packed into
// large chunks rather than one heap string each, with recent repeats (the
// same key identifier, the same "no key for ..." line) stored once.
//
// Pure C++: nothing here calls Wireshark.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace coapjws::plugin {

class TextStore {
  public:
    // A stored text: 8 bytes instead of a std::string's 32. The default is
    // the empty text.
    struct Ref {
        std::uint32_t chunk = no_chunk;
        std::uint32_t offset = 0;

        bool empty() const { return chunk == no_chunk; }
    };

    TextStore();

    // Stores `text` (an empty one costs nothing). The stored copy is
    // followed by a NUL, so c_str() can hand it to C, and does not move
    // until clear().
    Ref add(std::string_view text);
    std::string_view get(Ref ref) const noexcept;
    const char* c_str(Ref ref) const noexcept;

    void clear();
    std::size_t bytes_allocated() const { return allocated_; }

  private:
    static constexpr std::uint32_t no_chunk = 0xffffffffu;
    static constexpr std::size_t chunk_size = 64 * 1024;
    // Larger texts get a chunk of their own, so chunks waste little.
    static constexpr std::size_t own_chunk_above = chunk_size / 8;
    // Texts up to this size are looked up among recent ones.
    static constexpr std::size_t max_shared = 256;
    static constexpr std::size_t recent_slots = 1024;

    Ref append(std::string_view text);

    std::vector<std::unique_ptr<char[]>> chunks_;
    std::uint32_t current_ = no_chunk;  // the chunk small texts go to
    std::size_t used_ = 0;              // bytes used of it
    std::size_t allocated_ = 0;
    // A small direct-mapped cache by hash: a repeat found here is not
    // stored again. Bounded, so a capture of all-different texts costs
    // nothing extra.
    std::array<Ref, recent_slots> recent_{};
};

}  // namespace coapjws::plugin
