#include "text_store.hpp"

#include <cstring>
#include <functional>
#include <limits>
#include <new>

namespace coapjws::plugin {

namespace {

// Each text is stored as its length (4 bytes, unaligned), the bytes and a NUL.
constexpr std::size_t length_bytes = sizeof(std::uint32_t);

std::size_t stored_size(std::string_view text) {
    return length_bytes + text.size() + 1;
}

}  // namespace

TextStore::TextStore() = default;

TextStore::Ref TextStore::add(std::string_view text) {
    if (text.empty())
        return {};
    if (text.size() > max_shared)
        return append(text);
    const std::size_t slot = std::hash<std::string_view>{}(text) % recent_slots;
    Ref& recent = recent_[slot];
    if (!recent.empty() && get(recent) == text)
        return recent;
    recent = append(text);
    return recent;
}

TextStore::Ref TextStore::append(std::string_view text) {
    if (text.size() > std::numeric_limits<std::uint32_t>::max() - length_bytes - 1 ||
        chunks_.size() >= no_chunk - 1) {
        throw std::bad_alloc();
    }
    const std::size_t size = stored_size(text);
    Ref ref;
    char* at = nullptr;
    if (size > own_chunk_above) {
        chunks_.push_back(std::make_unique_for_overwrite<char[]>(size));
        allocated_ += size;
        ref.chunk = static_cast<std::uint32_t>(chunks_.size() - 1);
        at = chunks_.back().get();
    } else {
        if (current_ == no_chunk || used_ + size > chunk_size) {
            chunks_.push_back(std::make_unique_for_overwrite<char[]>(chunk_size));
            allocated_ += chunk_size;
            current_ = static_cast<std::uint32_t>(chunks_.size() - 1);
            used_ = 0;
        }
        ref.chunk = current_;
        ref.offset = static_cast<std::uint32_t>(used_);
        at = chunks_[current_].get() + used_;
        used_ += size;
    }
    const auto length = static_cast<std::uint32_t>(text.size());
    std::memcpy(at, &length, length_bytes);
    std::memcpy(at + length_bytes, text.data(), text.size());
    at[length_bytes + text.size()] = '\0';
    return ref;
}

std::string_view TextStore::get(Ref ref) const noexcept {
    if (ref.empty() || ref.chunk >= chunks_.size())
        return {};
    const char* at = chunks_[ref.chunk].get() + ref.offset;
    std::uint32_t length = 0;
    std::memcpy(&length, at, length_bytes);
    return {at + length_bytes, length};
}

const char* TextStore::c_str(Ref ref) const noexcept {
    if (ref.empty() || ref.chunk >= chunks_.size())
        return "";
    return chunks_[ref.chunk].get() + ref.offset + length_bytes;
}

void TextStore::clear() {
    chunks_.clear();
    chunks_.shrink_to_fit();
    current_ = no_chunk;
    used_ = 0;
    allocated_ = 0;
    recent_.fill(Ref{});
}

}  // namespace coapjws::plugin
