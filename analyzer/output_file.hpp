// Where the report goes with -o FILE. Never one of the inputs or keys files
// (compared by device and inode, so no other name, hard link or symbolic link
// gets around it). A regular file is written as a temporary file in the same
// folder and renamed over FILE only when the report is complete, so an
// interrupted or failed run leaves FILE as it was (or absent), never half
// written. Anything else (a terminal, /dev/null, a FIFO) is written directly.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "coapjws/result.hpp"

namespace coapjws::scan {

class OutputFile {
  public:
    // `protected_paths`: files the report must not replace ("-" is skipped,
    // files that do not exist cannot collide).
    static Result<OutputFile> open(const std::string& path,
                                   const std::vector<std::string>& protected_paths);

    OutputFile(OutputFile&&) noexcept;
    OutputFile& operator=(OutputFile&&) noexcept;
    ~OutputFile();  // removes the temporary file unless committed

    std::FILE* stream() const { return file_.get(); }
    // Flushes, syncs and renames the temporary file into place.
    Status commit();

  private:
    OutputFile() = default;
    struct Closer {
        void operator()(std::FILE* f) const;
    };
    std::unique_ptr<std::FILE, Closer> file_;
    std::string path_;       // the target
    std::string temporary_;  // empty when writing directly
};

}  // namespace coapjws::scan
