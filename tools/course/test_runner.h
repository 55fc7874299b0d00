// Listing and running a lab's graded GoogleTest cases, each in its own
// process, and classifying every result.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tools/course/subprocess.h"

namespace tessel::course {

/// How one graded test ended.
enum class TestStatus {
  kPassed,
  kFailed,          // an assertion failed, or the test threw something else
  kNotImplemented,  // failed with the skeleton's "not implemented: labNN.tK" error
  kCrashed,         // killed by a signal
  kTimedOut,        // ran past the per-test time limit
  kSkipped,         // GTEST_SKIP(): e.g. no GPU on this machine
};

/// "passed", "failed", "not implemented", "crashed", "timed out", "skipped".
const char* StatusName(TestStatus status);

/// The result of one test case.
struct TestResult {
  std::string name;  // "Suite.Name"
  TestStatus status = TestStatus::kFailed;
  std::string output;         // everything the test printed
  std::string unimplemented;  // for kNotImplemented: the task named, "lab01.t1"
  int signal = 0;             // for kCrashed
  double seconds = 0;
  bool not_run = false;       // for kTimedOut: stopped before it started (deadline, timeouts)
};

/// Options for running tests.
struct RunOptions {
  int jobs = 2;         // tests run at the same time
  double timeout = 30;  // seconds per test
  /// Seconds the whole run may take (0: no limit). Tests not started by then are reported as
  /// timed out without running, with a message that says so; a running test gets at most the
  /// time left.
  double deadline = 0;
  /// After this many timeouts among the tests of one group (a task), the group's remaining
  /// tests are reported as timed out without running (0: run them all).
  int max_timeouts = 0;
  /// The group of a test, for max_timeouts (unset: one group).
  std::function<std::string(const std::string& test)> group;
  /// Tests for which this is true run after all the others have finished, and
  /// between_phases is called in between: hidden tests run last, after every process the
  /// visible ones left behind is gone, so nothing they see can reach a visible test's output.
  std::function<bool(const std::string& test)> second_phase;
  std::function<void()> between_phases;
  /// Called after each test with the number done so far and the total (one call at a time).
  std::function<void(const TestResult&, size_t done, size_t total)> on_done;
};

/// Parses `--gtest_list_tests` output into "Suite.Name" entries (disabled tests left out).
std::vector<std::string> ParseTestList(const std::string& listing);

/// Lists the tests of `binary`; false with *error when it cannot be run.
/// `trusted`: a binary of the trusted build, run outside the sandbox (see RunProcess).
bool ListTests(const std::string& binary, std::vector<std::string>* tests, std::string* error,
               bool trusted = false);

/// Classifies a finished test process of lab `lab` ("lab01").
TestResult ClassifyTest(const std::string& name, const std::string& lab,
                        const ProcessResult& process);

/// Runs each test of `binary` in its own process (--gtest_filter=Suite.Name), `jobs` at a time.
/// Results come back in the order of `tests`.
std::vector<TestResult> RunTests(const std::string& binary, const std::vector<std::string>& tests,
                                 const std::string& lab, const RunOptions& options);

/// The lines of the gtest "Failure" blocks in `output` (what was checked, expected, actual),
/// at most `max_lines` of them; for a crash or timeout, the last lines printed.
std::vector<std::string> KeyLines(const TestResult& result, size_t max_lines = 12);

}  // namespace tessel::course
