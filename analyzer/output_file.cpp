#include "output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace coapjws::scan {

void OutputFile::Closer::operator()(std::FILE* f) const {
    std::fclose(f);
}

OutputFile::OutputFile(OutputFile&&) noexcept = default;
OutputFile& OutputFile::operator=(OutputFile&&) noexcept = default;

OutputFile::~OutputFile() {
    if (!temporary_.empty()) {
        file_.reset();
        ::unlink(temporary_.c_str());
    }
}

namespace {

std::string folder_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

Result<OutputFile> OutputFile::open(const std::string& path,
                                    const std::vector<std::string>& protected_paths) {
    OutputFile out;
    out.path_ = path;
    struct stat target {};
    const bool exists = ::stat(path.c_str(), &target) == 0;
    if (exists) {
        for (const std::string& other : protected_paths) {
            struct stat st {};
            if (other == "-" || ::stat(other.c_str(), &st) != 0)
                continue;
            if (st.st_dev == target.st_dev && st.st_ino == target.st_ino) {
                return fail(ErrorCode::invalid_argument,
                            path + ": is " + (other == path ? "" : "the same file as ") + other +
                                ", which this run reads: refusing to overwrite it");
            }
        }
        if (S_ISDIR(target.st_mode))
            return fail(ErrorCode::invalid_argument, path + ": is a directory");
        if (!S_ISREG(target.st_mode)) {
            // A device or FIFO: nothing to replace, write to it as it is.
            out.file_.reset(std::fopen(path.c_str(), "wb"));
            if (!out.file_)
                return fail(ErrorCode::io, path + ": cannot write: " + std::strerror(errno));
            return out;
        }
        // Through a symbolic link: replace the file it names, keep the link.
        if (char* real = ::realpath(path.c_str(), nullptr)) {
            out.path_ = real;
            std::free(real);
        }
    }

    std::string pattern = folder_of(out.path_) + "/." + name_of(out.path_) + ".XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0)
        return fail(ErrorCode::io, path + ": cannot write: " + std::strerror(errno));
    out.temporary_ = pattern;
    // mkstemp makes 0600; a report gets the mode the file had, or the usual one.
    mode_t mode = 0;
    if (exists) {
        mode = target.st_mode & 07777;
    } else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        mode = 0666 & ~mask;
    }
    ::fchmod(fd, mode);
    out.file_.reset(::fdopen(fd, "wb"));
    if (!out.file_) {
        ::close(fd);
        return fail(ErrorCode::io, path + ": cannot write: " + std::strerror(errno));
    }
    return out;
}

Status OutputFile::commit() {
    if (!file_)
        return fail(ErrorCode::io, path_ + ": write failed");
    bool ok = std::fflush(file_.get()) == 0 && !std::ferror(file_.get());
    if (ok && !temporary_.empty())
        ok = ::fsync(::fileno(file_.get())) == 0 || errno == EINVAL;
    const int saved = errno;
    ok = std::fclose(file_.release()) == 0 && ok;
    if (!ok)
        return fail(ErrorCode::io,
                    path_ + ": write failed: " + std::strerror(saved != 0 ? saved : errno));
    if (temporary_.empty())
        return {};
    if (::rename(temporary_.c_str(), path_.c_str()) != 0)
        return fail(ErrorCode::io, path_ + ": cannot rename the finished report into place: " +
                                       std::strerror(errno));
    temporary_.clear();
    return {};
}

}  // namespace coapjws::scan
