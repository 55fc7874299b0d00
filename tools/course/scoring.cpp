// Scoring: a task earns points × passed / counted over the tests present in
// this build (proportional credit, as in most autograded compiler courses).
// Statuses are computed in manifest order so that a task can look at its
// parent's.
#include "tools/course/scoring.h"

namespace tessel::course {

const char* TaskStatusName(TaskStatus status) {
  switch (status) {
    case TaskStatus::kDone:
      return "DONE";
    case TaskStatus::kPartial:
      return "PARTIAL";
    case TaskStatus::kNotStarted:
      return "NOT STARTED";
    case TaskStatus::kBlocked:
      return "BLOCKED";
    case TaskStatus::kNoTests:
      return "NO TESTS";
  }
  return "?";
}

std::vector<const TestResult*> TaskGrade::Failures() const {
  std::vector<const TestResult*> failures;
  for (const TestResult& r : results) {
    if (r.status != TestStatus::kPassed && r.status != TestStatus::kSkipped) {
      failures.push_back(&r);
    }
  }
  return failures;
}

const TaskGrade* LabGrade::Find(const std::string& id) const {
  for (const TaskGrade& grade : tasks) {
    if (grade.task->id == id) return &grade;
  }
  return nullptr;
}

const TaskGrade* LabGrade::Next() const {
  for (const TaskGrade& grade : tasks) {
    if (grade.status != TaskStatus::kDone) return &grade;
  }
  return nullptr;
}

bool LabGrade::Complete() const { return Next() == nullptr; }

namespace {

void Count(TaskGrade& grade) {
  bool all_unimplemented = true;
  for (const TestResult& r : grade.results) {
    bool hidden = grade.task->IsHidden(r.name);
    if (r.status == TestStatus::kSkipped) {
      ++grade.skipped;
      continue;
    }
    bool passed = r.status == TestStatus::kPassed;
    ++grade.counted;
    grade.passed += passed;
    grade.hidden_counted += hidden;
    grade.hidden_passed += hidden && passed;
    if (r.status != TestStatus::kNotImplemented) all_unimplemented = false;
  }
  grade.hidden_absent = !grade.task->hidden.empty() && grade.hidden_counted == 0;
  if (grade.counted > 0) grade.score = grade.task->points * grade.passed / grade.counted;
  if (grade.counted == 0)
    grade.status = TaskStatus::kNoTests;
  else if (grade.passed == grade.counted)
    grade.status = TaskStatus::kDone;
  else if (all_unimplemented)
    grade.status = TaskStatus::kNotStarted;
  else
    grade.status = TaskStatus::kPartial;
}

// A failing task whose parent has failing tests is BLOCKED by it.
void Block(TaskGrade& grade, const LabGrade& lab) {
  if (grade.task->parent.empty() || grade.status == TaskStatus::kDone ||
      grade.status == TaskStatus::kNoTests) {
    return;
  }
  const TaskGrade* parent = lab.Find(grade.task->parent);
  // A parent with no tests in this run (not run, or hidden-only) cannot say it is unfinished.
  if (parent && parent->status != TaskStatus::kDone && parent->status != TaskStatus::kNoTests) {
    grade.status = TaskStatus::kBlocked;
    grade.blocked_by = parent->task->id;
  }
}

}  // namespace

LabGrade ScoreLab(const Manifest& manifest, const std::vector<TestResult>& results,
                  const std::string& only) {
  // Every task is graded, so a task's status can look at its parent's; with `only`, the
  // others are dropped at the end (their tests, if they ran, decided only whether `only`
  // is BLOCKED, exactly as in the full table).
  LabGrade all;
  all.manifest = &manifest;
  for (const Task& task : manifest.tasks) {
    TaskGrade grade;
    grade.task = &task;
    for (const TestResult& r : results) {
      if (manifest.TaskForTest(r.name) == &task) grade.results.push_back(r);
    }
    Count(grade);
    Block(grade, all);
    all.tasks.push_back(std::move(grade));
  }
  LabGrade lab;
  lab.manifest = &manifest;
  for (TaskGrade& grade : all.tasks) {
    if (!only.empty() && grade.task->id != only) continue;
    lab.score += grade.score;
    lab.max_score += grade.task->points;
    lab.tasks.push_back(std::move(grade));
  }
  for (const TestResult& r : results) {
    if (!manifest.TaskForTest(r.name)) lab.unowned_tests.push_back(r.name);
  }
  return lab;
}

}  // namespace tessel::course
