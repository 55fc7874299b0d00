// `tessel grade LAB`: runs the lab's graded tests, each in its own process,
// scores them against the manifest and reports (terminal table, --json,
// --gradescope); also the course checks (--check) and the lint (--lint).
//
// Exit status: 0 at full marks (or when the check or lint passes), 1 otherwise,
// 2 when the lab cannot be graded at all (no build, bad manifest).
#pragma once

#include <string>
#include <vector>

#include "tools/course/manifest.h"
#include "tools/course/registry.h"
#include "tools/course/test_runner.h"

namespace tessel::course {

/// The flags of `tessel grade`.
struct GradeOptions {
  std::string lab;              // "lab01"
  std::string task;             // --task: grade only this task
  bool strict = false;          // --strict: exit 0 only if every selected test passed
  std::string json_file;        // --json
  std::string gradescope_file;  // --gradescope
  std::string classroom_file;   // --classroom: a GitHub Classroom step's result
  std::string build_log;        // --build-log: quoted in results.json when the build failed
  std::string check;            // --check full|skeleton|prefix:TASK
  bool lint = false;            // --lint: lint the manifest instead of grading
  bool verbose = false;         // -v: every failure in full
  int jobs = 2;                 // -j
  double timeout = 30;          // --timeout, seconds per test
  double deadline = 0;          // --deadline, seconds for the whole run (0: none)
  int max_timeouts = 3;         // --max-timeouts per task before its other tests are stopped
  std::string test_binary;      // --test-binary: run this instead of the build's (a judge)
  std::string notes_file;       // --notes: lines shown first in results.json (submission checks)
  std::string built;            // --built: what the learner's build must have made (a runner)
  std::string graded_sources;   // --graded-sources: the course copy the learner's files are in
  std::string list_tests_from;  // --list-tests-from: a trusted binary that lists the tests
};

/// Runs `tessel grade` and returns its exit status.
int GradeCommand(const GradeOptions& options);

/// Lists the tests of `lab`'s binary (or of `binary`, a judge) that belong to `task` (all when empty) and runs them.
bool RunLabTests(const Registry& registry, const LabEntry& lab, const Manifest& manifest,
                 const std::string& task, const RunOptions& options,
                 std::vector<TestResult>* results, std::string* error,
                 const std::string& binary = "", const std::string& list_from = "");

/// Reads the registry next to the running program and finds `lab` and its manifest.
bool LoadLab(const std::string& lab, Registry* registry, const LabEntry** entry, Manifest* manifest,
             std::string* error);

}  // namespace tessel::course
