// Reading a key file: a regular file only, never blocking, never more than
// max_key_file_size bytes, and nothing of the text left behind in memory.
#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

#include "coapjws/key_loader.hpp"

namespace coapjws {

namespace {

struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
};

std::string errno_text(int error) {
    return std::generic_category().message(error);
}

std::string_view kind_of_file(mode_t mode) {
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a plain file";
}

KeyIssue refusal(KeyIssueCode code, const std::string& path, std::string problem) {
    return KeyIssue{code, std::nullopt, path + ": " + std::move(problem)};
}

// Grows `text` to `capacity` through a fresh buffer, wiping the old one, so
// no copy of key material is left in freed memory.
void grow(std::string& text, std::size_t capacity) {
    std::string bigger;
    bigger.reserve(capacity);
    bigger.assign(text);
    OPENSSL_cleanse(text.data(), text.size());
    text.swap(bigger);
}

}  // namespace

KeyFileText::KeyFileText(KeyFileText&& other) noexcept
    : text_(std::move(other.text_)), readable_by_others_(other.readable_by_others_) {}

KeyFileText& KeyFileText::operator=(KeyFileText&& other) noexcept {
    if (this != &other) {
        OPENSSL_cleanse(text_.data(), text_.size());
        text_ = std::move(other.text_);
        readable_by_others_ = other.readable_by_others_;
    }
    return *this;
}

KeyFileText::~KeyFileText() {
    OPENSSL_cleanse(text_.data(), text_.size());
}

std::optional<KeyIssue> read_key_file(const std::string& path, KeyFileText& out) {
    OPENSSL_cleanse(out.text_.data(), out.text_.size());
    out.text_.clear();
    out.readable_by_others_ = false;

    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
    // writer. The type is checked on the open descriptor (fstat), so the file
    // cannot be swapped between the check and the read.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return refusal(KeyIssueCode::cannot_open, path, "cannot open: " + errno_text(errno));
    FdCloser closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return refusal(KeyIssueCode::cannot_read, path, "cannot read: " + errno_text(errno));
    if (!S_ISREG(st.st_mode)) {
        return refusal(KeyIssueCode::not_a_regular_file, path,
                       "not a regular file (" + std::string(kind_of_file(st.st_mode)) +
                           "): a key file must be a JWK Set or PEM file");
    }
    constexpr std::size_t limit = max_key_file_size;
    const auto too_large = [&path](const std::string& size) {
        return refusal(
            KeyIssueCode::too_large, path,
            size + ", larger than the " + std::to_string(limit >> 20) + " MiB a key file may have");
    };
    if (st.st_size < 0 || static_cast<std::uintmax_t>(st.st_size) > limit)
        return too_large(std::to_string(st.st_size) + " bytes");
    out.readable_by_others_ = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;

    // Reserved once for the size fstat gave (plus the byte that tells a file
    // that grew past the limit); a file that grew meanwhile is read up to
    // the limit and refused beyond it.
    std::string& text = out.text_;
    text.reserve(static_cast<std::size_t>(st.st_size) + 1);
    char chunk[4096];
    for (;;) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int error = errno;
            OPENSSL_cleanse(chunk, sizeof chunk);
            OPENSSL_cleanse(text.data(), text.size());
            text.clear();
            return refusal(KeyIssueCode::cannot_read, path, "cannot read: " + errno_text(error));
        }
        if (n == 0)
            break;
        const auto got = static_cast<std::size_t>(n);
        if (text.size() + got > limit) {
            OPENSSL_cleanse(chunk, sizeof chunk);
            OPENSSL_cleanse(text.data(), text.size());
            text.clear();
            return too_large("more than " + std::to_string(limit) + " bytes");
        }
        if (text.size() + got > text.capacity())
            grow(text, std::min(limit + 1, std::max(text.capacity() * 2, text.size() + got)));
        text.append(chunk, got);
    }
    OPENSSL_cleanse(chunk, sizeof chunk);
    return std::nullopt;
}

}  // namespace coapjws
