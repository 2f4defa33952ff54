// Bytes currently allocated on the heap by this process, for tests that
// bound what a Session holds. glibc's mallinfo2() in a normal build; the
// sanitizer allocator's own count in an ASan build (which replaces malloc,
// so mallinfo2 would see nothing).
#pragma once

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define COAPJWS_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define COAPJWS_TEST_ASAN 1
#endif
#endif

#ifdef COAPJWS_TEST_ASAN
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#else
#include <malloc.h>
#endif

namespace coapjws::test {

inline std::size_t allocated_bytes() {
#ifdef COAPJWS_TEST_ASAN
    return __sanitizer_get_current_allocated_bytes();
#else
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;  // small chunks in use + mmapped chunks
#endif
}

// In an ASan build everything is slower; loops that only need to fill the
// tables many times over can run shorter there.
inline constexpr bool sanitized =
#ifdef COAPJWS_TEST_ASAN
    true;
#else
    false;
#endif

}  // namespace coapjws::test
