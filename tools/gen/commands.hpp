// The subcommands of coapjws-gen. Each takes the arguments after its name and
// returns the process exit code: 0 success, 1 a check found a difference,
// 2 bad usage or input.
#pragma once

namespace coapjws::gen {

inline constexpr int exit_ok = 0;
inline constexpr int exit_different = 1;
inline constexpr int exit_usage = 2;

int run_build(int argc, char** argv, int first);
int run_sign(int argc, char** argv, int first);
int run_keygen(int argc, char** argv, int first);

}  // namespace coapjws::gen
