// The judge's side of a call into the learner's code. A judge is a lab's graded
// tests linked with stand-ins for the learner's functions (labNN_remote.cpp);
// each stand-in sends its input to the lab's runner, a separate program that is
// linked with the learner's code, and reads the result back as data. So the
// learner's code never runs inside the judge, and cannot touch a test's
// expected values or its verdict.
//
// The runner is the program named by $TESSEL_RUNNER. When $TESSEL_RUNNER_USER
// names a user (the judge then runs as root, in an autograder), the runner runs
// as that user in the sandbox of tools/course/sandbox.h: limits on CPU time
// ($TESSEL_RUNNER_TIMEOUT seconds, 20 by default), memory ($TESSEL_RUNNER_MEMORY_MB,
// 4096), file size and processes, and no network.
#pragma once

#include <string>

namespace tessel::judge {

/// Sends `request` to the runner and returns what it wrote on its result channel after "ok".
/// The learner's code may fail in three ways, each reported the way an in-process test would
/// report it, so the grader classifies a judged test exactly like an ordinary one:
///  - it throws: a "not implemented: labNN.tK ..." error is thrown again as std::logic_error
///    (the task reads NOT STARTED); any other exception becomes std::runtime_error;
///  - it crashes: the judge prints "tessel-judge: your code crashed" and the signal, and
///    exits with code 128 + the signal;
///  - it runs too long: the judge prints "tessel-judge: timed out" and exits with code 124.
/// A result the judge cannot read throws WireError, whose message names the problem.
std::string CallRunner(const std::string& request);

}  // namespace tessel::judge
