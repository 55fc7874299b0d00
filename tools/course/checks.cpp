// The three course checks over one graded run. Each violation names the test,
// what the check expected of it and what happened instead.
#include "tools/course/checks.h"

#include "tools/course/grade_report.h"

namespace tessel::course {

namespace {

constexpr char kPrefix[] = "prefix:";

std::string Violation(const TestResult& r, const std::string& expected) {
  return r.name + ": expected " + expected + ", but it " +
         (r.status == TestStatus::kPassed ? std::string("passed") : FailureSummary(r));
}

std::vector<std::string> CheckFull(const LabGrade& grade) {
  std::vector<std::string> violations;
  for (const TaskGrade& task : grade.tasks) {
    if (task.counted == 0) violations.push_back(task.task->id + ": no tests ran");
    for (const TestResult* r : task.Failures()) violations.push_back(Violation(*r, "a pass"));
  }
  if (violations.empty() && grade.score + 1e-9 < grade.max_score) {
    violations.push_back("score " + FormatPoints(grade.score) + " is below full marks");
  }
  return violations;
}

std::vector<std::string> CheckSkeleton(const LabGrade& grade) {
  std::vector<std::string> violations;
  for (const TaskGrade& task : grade.tasks) {
    for (const TestResult& r : task.results) {
      if (r.status != TestStatus::kNotImplemented) {
        violations.push_back(
            Violation(r, "the not-implemented error of a " + grade.manifest->lab +
                             " task (or of an earlier lab's that it needs)"));
      }
    }
  }
  size_t ran = 0;
  for (const TaskGrade& task : grade.tasks) ran += task.results.size();
  if (ran == 0) violations.push_back("no graded test ran");
  if (grade.score != 0) {
    violations.push_back("the skeleton scores " + FormatPoints(grade.score) + " instead of 0");
  }
  return violations;
}

std::vector<std::string> CheckPrefix(const LabGrade& grade, const std::string& last) {
  std::vector<std::string> violations;
  int last_index = grade.manifest->TaskIndex(last);
  for (const TaskGrade& task : grade.tasks) {
    bool done = grade.manifest->TaskIndex(task.task->id) <= last_index;
    for (const TestResult& r : task.results) {
      bool passed = r.status == TestStatus::kPassed;
      if (done && !passed) {
        violations.push_back(Violation(r, "a pass (" + task.task->id + " is solved)"));
      } else if (!done && (passed || r.status == TestStatus::kSkipped)) {
        violations.push_back(r.name + ": passed although " + task.task->id +
                             " is still a skeleton; it must fail (does the test only need "
                             "earlier tasks? then move it there)");
      }
    }
  }
  return violations;
}

}  // namespace

bool ValidCheck(const std::string& check, const Manifest& manifest, std::string* error) {
  if (check == "full" || check == "skeleton") return true;
  if (check.rfind(kPrefix, 0) == 0 && manifest.FindTask(check.substr(sizeof kPrefix - 1))) {
    return true;
  }
  *error = "unknown check \"" + check + "\": use full, skeleton or prefix:TASK with a task of " +
           manifest.lab;
  return false;
}

std::vector<std::string> RunCheck(const std::string& check, const LabGrade& grade) {
  if (check == "full") return CheckFull(grade);
  if (check == "skeleton") return CheckSkeleton(grade);
  const Task* last = grade.manifest->FindTask(check.substr(sizeof kPrefix - 1));
  return CheckPrefix(grade, last->id);
}

}  // namespace tessel::course
