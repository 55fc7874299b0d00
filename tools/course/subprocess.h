// Running another program with a time limit and capturing what it prints.
//
// The grader runs every graded test in its own process, so a crash or a hang
// costs that test only; `tessel labs` runs the driver on the examples the
// same way.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tessel::course {

/// What a finished (or killed) child process did.
struct ProcessResult {
  int exit_code = -1;      // valid when signal == 0 and !timed_out
  int signal = 0;          // the signal that ended it, 0 if it exited
  bool timed_out = false;  // killed by us at the time limit
  std::string output;      // stdout and stderr interleaved, truncated to the output limit
  double seconds = 0;
};

/// Runs argv[0] (a path, or a name looked up in PATH) with stdin from /dev/null, merging stdout
/// and stderr. After `timeout_seconds` the child's process group is killed. Output beyond
/// `max_output` bytes keeps its first and last halves (a verdict is printed last). A program
/// that cannot be started exits with code 127.
/// When $TESSEL_GRADE_AS_USER names a user (an autograder that grades as root), the child runs
/// as that user with limits on CPU time, memory ($TESSEL_GRADE_MEMORY_MB, 4096 by default),
/// file size and processes, so a submission can neither signal the grader nor exhaust the
/// machine.
/// `env` adds NAME=VALUE entries to the child's environment (which other users cannot read,
/// unlike its command line).
/// `trusted` runs a program of the grader itself (a trusted binary listing tests) outside the
/// sandbox even when $TESSEL_GRADE_AS_USER is set.
ProcessResult RunProcess(const std::vector<std::string>& argv, double timeout_seconds,
                         size_t max_output = 1 << 20, const std::vector<std::string>& env = {},
                         bool trusted = false);

/// Kills every process of the user `name` (a sandbox user; never root), from a child that
/// takes that user's identity. Does nothing when `name` is empty or not a user.
void KillProcessesOf(const std::string& name);

/// "signal 11 (Segmentation fault)".
std::string DescribeSignal(int signal);

}  // namespace tessel::course
