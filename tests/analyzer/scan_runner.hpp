// Runs the coapjws-scan binary as a user would, capturing its output and
// exit status, and a scratch directory for the files a test writes.
#pragma once

#include <string>
#include <vector>

namespace coapjws::scan::test {

struct ScanRun {
    int status = -1;  // exit status; -1 if it did not exit normally
    std::string out;
    std::string err;
};

// `stdin_path`: file fed to standard input ("" for /dev/null).
ScanRun run_scan_binary(const std::vector<std::string>& args, const std::string& stdin_path = "");

// A fresh directory under the build tree's temp area, removed at exit.
class ScratchDir {
  public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    std::string path(const std::string& name) const { return dir_ + "/" + name; }

  private:
    std::string dir_;
};

std::string read_text_file(const std::string& path);
std::vector<std::string> split_lines(const std::string& text);

}  // namespace coapjws::scan::test
