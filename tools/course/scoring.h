// Scores a lab from its test results: proportional credit per task and a
// status that tells the learner what to do next.
#pragma once

#include <string>
#include <vector>

#include "tools/course/manifest.h"
#include "tools/course/test_runner.h"

namespace tessel::course {

/// Where a task stands.
enum class TaskStatus {
  kDone,        // every test passes
  kPartial,     // some pass, or some fail for a reason other than a skeleton
  kNotStarted,  // nothing passes and every failure is the skeleton's not-implemented error
  kBlocked,     // the parent task is not done and this one has failures
  kNoTests,     // none of its tests is in this build (e.g. hidden tests only)
};

/// "DONE", "PARTIAL", "NOT STARTED", "BLOCKED", "NO TESTS".
const char* TaskStatusName(TaskStatus status);

/// One task's grade.
struct TaskGrade {
  const Task* task = nullptr;
  std::vector<TestResult> results;  // its tests in this build, visible and hidden
  int passed = 0;
  int counted = 0;  // tests that count: all but skipped ones
  int skipped = 0;
  int hidden_passed = 0;
  int hidden_counted = 0;
  bool hidden_absent = false;  // the manifest has hidden tests but this build has none
  double score = 0;            // points × passed / counted
  TaskStatus status = TaskStatus::kNoTests;
  std::string blocked_by;  // the parent's id when kBlocked

  /// Failures in the order of `results`.
  std::vector<const TestResult*> Failures() const;
};

/// A lab's grade: the graded tasks in manifest order.
struct LabGrade {
  const Manifest* manifest = nullptr;
  std::vector<TaskGrade> tasks;
  double score = 0;
  double max_score = 0;                    // the points of the graded tasks
  std::vector<std::string> unowned_tests;  // tests in the binary that no task owns

  /// The grade of task `id`, or nullptr when it was not graded.
  const TaskGrade* Find(const std::string& id) const;
  /// The first task (manifest order) that is not done, or nullptr.
  const TaskGrade* Next() const;
  /// True when every graded task is done (a score of max_score).
  bool Complete() const;
};

/// Scores `results` against `manifest`. `only` names the task to grade; empty grades all.
LabGrade ScoreLab(const Manifest& manifest, const std::vector<TestResult>& results,
                  const std::string& only = "");

}  // namespace tessel::course
