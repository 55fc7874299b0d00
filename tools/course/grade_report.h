// The grade table printed by `tessel grade`: per task points, tests passed,
// status and the first failures (what was checked, expected/actual, hint,
// handout section, rerun command), then the total, the next task and the
// provenance of the compiled code.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "tools/course/provenance.h"
#include "tools/course/registry.h"
#include "tools/course/scoring.h"

namespace tessel::course {

/// What the report needs besides the grade.
struct ReportContext {
  const Registry* registry = nullptr;
  std::vector<LabProvenance> provenance;  // every lab of the build
  std::string binary;                     // the lab's test binary
  bool verbose = false;                   // every failure, all of its lines
  double seconds = 0;                     // time spent running tests
};

/// One line saying how a test failed: "failed", "crashed: signal 11 (...)", ...
std::string FailureSummary(const TestResult& result);

/// The explanation of one failure: key lines, then hint, handout section and rerun command.
/// When an earlier task causes it (the test stopped in that task's TODO, or `task` is blocked
/// by it, `blocked_by`), a "cause:" line names that task and the hint and section are its own.
std::vector<std::string> DescribeFailure(const TestResult& result, const Manifest& manifest,
                                         const Task& task, const std::string& build_dir,
                                         bool verbose, const std::string& blocked_by = "");

/// Prints the table for `grade` to `out`.
void PrintGradeReport(std::ostream& out, const LabGrade& grade, const ReportContext& context);

/// Prints the provenance lines (and a warning when a compiled file is newer than its binary).
void PrintProvenance(std::ostream& out, const ReportContext& context);

}  // namespace tessel::course
