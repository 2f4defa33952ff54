// Copies into a buffer the tables reuse (a forgotten entry's), allocating
// only when it is too small, and then with the rest of malloc's chunk.
#pragma once

#include <cstddef>

#include "coapjws/bytes.hpp"

namespace coapjws::detail {

// malloc hands out chunks in 16-byte steps (glibc: 8 bytes of header, at
// least 24 usable), so the whole step costs no memory; with it a copy a few
// bytes longer than the one it replaces, such as a request whose seq gained
// a digit, still fits the reused buffer. Elsewhere it is at most 15 bytes.
inline std::size_t capacity_in_malloc_steps(std::size_t size) {
    const std::size_t usable = ((size + 8 + 15) & ~std::size_t{15}) - 8;
    return usable < 24 ? 24 : usable;
}

inline void copy_into(Bytes& buffer, ByteView data) {
    if (buffer.capacity() < data.size()) {
        Bytes fresh;
        fresh.reserve(capacity_in_malloc_steps(data.size()));
        buffer.swap(fresh);
    }
    buffer.assign(data.begin(), data.end());
}

}  // namespace coapjws::detail
