// Errors and warnings on standard error, prefixed with the program name and
// kept from tearing through the progress bar.
#pragma once

#include <string_view>

namespace coapjws::scan {

class ProgressBar;

class Diagnostics {
  public:
    explicit Diagnostics(ProgressBar* progress = nullptr) : progress_(progress) {}
    void error(std::string_view message) const { print("error", message); }
    void warning(std::string_view message) const { print("warning", message); }

  private:
    void print(std::string_view level, std::string_view message) const;
    ProgressBar* progress_;
};

}  // namespace coapjws::scan
