// SIGINT and SIGTERM end a run gracefully: reading stops, the messages in
// flight are concluded, every started capture gets its summary and the report
// is finished (and renamed into place with -o), then coapjws-scan exits with
// 128 + the signal number. A second signal kills at once.
#pragma once

namespace coapjws::scan {

// Installs the handlers (once, before any thread starts).
void install_interrupt_handlers();
// A signal asked the run to stop.
bool interrupt_requested();
// The signal that did (0 when none).
int interrupt_signal();
// The calling thread reads standard input: after a signal it is woken from
// its blocking read (SIGUSR1, whose handler does nothing and does not restart
// the read) until it unregisters.
void register_blocking_reader();
void unregister_blocking_reader();
// For tests: forget a previous request.
void reset_interrupt_for_tests();

}  // namespace coapjws::scan
