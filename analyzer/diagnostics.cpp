#include "diagnostics.hpp"

#include <cstdio>
#include <mutex>
#include <string>

#include "progress_bar.hpp"
#include "text_sanitize.hpp"

namespace coapjws::scan {

void Diagnostics::print(std::string_view level, std::string_view message) const {
    std::string line = "coapjws-scan: " + std::string(level) + ": " + sanitized(message) + "\n";
    if (progress_ != nullptr && progress_->enabled()) {
        std::lock_guard lock(progress_->terminal_mutex());
        progress_->clear();
        std::fputs(line.c_str(), stderr);
        return;
    }
    static std::mutex stderr_mutex;  // whole lines from concurrent captures
    std::lock_guard lock(stderr_mutex);
    std::fputs(line.c_str(), stderr);
}

}  // namespace coapjws::scan
