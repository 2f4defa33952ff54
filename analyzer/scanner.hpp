// The whole run: keys, captures (in parallel, or merged), reports in
// argument order, exit status.
#pragma once

#include "cli_options.hpp"
#include "exit_status.hpp"

namespace coapjws::scan {

// Runs the analysis `options` describe (help and version already handled).
// Returns the exit status; messages about bad input go to standard error.
int run_scan(const Options& options);

}  // namespace coapjws::scan
