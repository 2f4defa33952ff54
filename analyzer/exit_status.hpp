// Exit statuses of coapjws-scan (documented in --help and README.md). When
// several apply, the highest of 2, 3, 1 wins in that order (an unreadable
// input beats unanalysed traffic, which beats findings); an interrupted run
// exits with 128 + the signal number whatever it found.
#pragma once

namespace coapjws::scan {

enum ExitStatus : int {
    exit_clean = 0,          // no finding at or above --fail-on, nothing unanalysed that fails
    exit_findings = 1,       // findings at or above --fail-on
    exit_error = 2,          // usage error, unreadable capture or key file, output not writable
    exit_unanalysed = 3,     // traffic not analysed that fails the run (see UnanalysedPolicy)
    exit_signal_base = 128,  // + SIGINT (130) or SIGTERM (143): stopped, report finished
};

}  // namespace coapjws::scan
