// Exit statuses of coapjws-scan (documented in --help and README.md).
#pragma once

namespace coapjws::scan {

enum ExitStatus : int {
    exit_clean = 0,     // no finding at or above --fail-on
    exit_findings = 1,  // findings at or above --fail-on
    exit_error = 2,     // usage error, unreadable capture or key file, output not writable
};

}  // namespace coapjws::scan
