// A Classroom step's result (classroom_results.h).
#include "tools/course/classroom_results.h"

#include <cmath>
#include <sstream>

#include "tools/course/grade_report.h"

namespace tessel::course {

using nlohmann::json;

namespace {

constexpr size_t kStepFailures = 3;

double Thousandths(double value) { return std::round(value * 1000) / 1000; }

std::string Message(const Manifest& manifest, const TaskGrade& grade) {
  std::ostringstream out;
  out << TaskStatusName(grade.status) << ": " << grade.passed << "/" << grade.counted
      << " tests passed (" << FormatPoints(Thousandths(grade.score)) << " of "
      << FormatPoints(grade.task->points) << " points)\n";
  size_t shown = 0;
  for (const TestResult* failure : grade.Failures()) {
    if (shown++ == kStepFailures) {
      out << "... and " << grade.Failures().size() - kStepFailures << " more failing tests\n";
      break;
    }
    out << "\n" << failure->name << " (" << FailureSummary(*failure) << ")\n";
    for (const std::string& line : DescribeFailure(*failure, manifest, *grade.task, "build",
                                                   /*verbose=*/false, grade.blocked_by)) {
      out << "  " << line << "\n";
    }
  }
  return out.str();
}

}  // namespace

json ClassroomResults(const Manifest& manifest, const LabGrade* grade, const std::string& task,
                      const BuildInfo& build) {
  json tests = json::array();
  double max_score = 0;
  bool all_passed = true;
  for (const Task& t : manifest.tasks) {
    if (!task.empty() && t.id != task) continue;
    const TaskGrade* task_grade = grade ? grade->Find(t.id) : nullptr;
    json entry = {{"name", t.id + " " + t.title}, {"score", 0}, {"status", "fail"}};
    if (task_grade) {
      bool passed = task_grade->status == TaskStatus::kDone;
      entry["score"] = Thousandths(task_grade->score);
      entry["status"] = passed ? "pass" : "fail";
      entry["message"] = Message(manifest, *task_grade);
      all_passed = all_passed && passed;
    } else {
      entry["status"] = grade ? "fail" : "error";
      entry["message"] = grade ? "none of this task's tests is in this build"
                               : build.problem + "\n\n" + build.log_excerpt;
      all_passed = false;
    }
    max_score += t.points;
    tests.push_back(entry);
  }
  return {{"version", 1},
          {"status", !grade ? "error" : all_passed ? "pass" : "fail"},
          {"max_score", max_score},
          {"tests", tests}};
}

}  // namespace tessel::course
