// Formats a LabGrade for the terminal. The layout follows the course's
// grading-output design: one line per task, failures indented under it.
#include "tools/course/grade_report.h"

#include <cmath>
#include <sstream>

namespace tessel::course {

namespace {

constexpr size_t kShownFailures = 3;
constexpr size_t kTitleWidth = 36;

std::string Padded(std::string text, size_t width, char fill) {
  if (text.size() < width) text += " " + std::string(width - text.size() - 1, fill);
  return text;
}

std::string StatusText(const TaskGrade& grade) {
  std::string text = TaskStatusName(grade.status);
  if (grade.status == TaskStatus::kBlocked) text += " by " + grade.blocked_by;
  if (grade.status == TaskStatus::kNotStarted && !grade.results.empty()) {
    text += " (" + grade.results.front().unimplemented + " still throws not-implemented)";
  }
  if (grade.status == TaskStatus::kNoTests && grade.hidden_absent) text += " (hidden tests only)";
  return text;
}

std::string TaskLine(const TaskGrade& grade) {
  std::ostringstream line;
  std::string score = FormatPoints(grade.score) + "/" + FormatPoints(grade.task->points);
  std::string tests = std::to_string(grade.passed) + "/" + std::to_string(grade.counted) + " tests";
  if (grade.skipped > 0) tests += ", " + std::to_string(grade.skipped) + " skipped";
  line << "[" << grade.task->id << "] " << Padded(grade.task->title, kTitleWidth, '.') << " "
       << std::string(score.size() < 9 ? 9 - score.size() : 0, ' ') << score << "   "
       << Padded(tests, 14, ' ') << " " << StatusText(grade);
  return line.str();
}

void PrintFailures(std::ostream& out, const TaskGrade& grade, const LabGrade& lab,
                   const ReportContext& context) {
  size_t shown = 0, hidden_from_view = 0;
  // A blocked task's failures are most likely its parent's: one is enough to see.
  const size_t limit = grade.status == TaskStatus::kBlocked ? 1 : kShownFailures;
  for (const TestResult* failure : grade.Failures()) {
    bool interesting = context.verbose || failure->status != TestStatus::kNotImplemented;
    if (!interesting) continue;
    if (!context.verbose && shown == limit) {
      ++hidden_from_view;
      continue;
    }
    ++shown;
    out << "      ✗ " << failure->name << "  (" << FailureSummary(*failure) << ")\n";
    for (const std::string& line :
         DescribeFailure(*failure, *lab.manifest, *grade.task, context.registry->build_dir,
                         context.verbose, grade.blocked_by)) {
      out << "        " << line << "\n";
    }
  }
  if (hidden_from_view > 0) {
    out << "      … " << hidden_from_view << " more failure" << (hidden_from_view > 1 ? "s" : "")
        << " (tessel grade " << lab.manifest->lab << " --task " << grade.task->id << " -v)\n";
  }
}

void PrintFooter(std::ostream& out, const LabGrade& grade) {
  bool hidden_absent = false, hidden_present = false;
  for (const TaskGrade& task : grade.tasks) {
    hidden_absent = hidden_absent || task.hidden_absent;
    hidden_present = hidden_present || task.hidden_counted > 0;
  }
  out << std::string(72, '-') << "\n";
  out << "Score: " << FormatPoints(grade.score) << "/" << FormatPoints(grade.max_score);
  if (hidden_absent) out << "      hidden tests: graded by your course's autograder";
  if (hidden_present) out << "      (includes hidden tests)";
  out << "\n";
  const TaskGrade* next = grade.Next();
  if (next) {
    out << "Next: " << next->task->id << " " << next->task->title << " ("
        << FormatPoints(next->task->points) << " pts) — " << grade.manifest->SectionRef(*next->task)
        << "\n";
  }
  if (!grade.manifest->challenges.empty()) {
    out << "Challenges (ungraded extensions, for when the tasks are done):\n";
    for (const Challenge& c : grade.manifest->challenges) {
      out << "  " << c.id << " " << c.title << " — " << grade.manifest->handout << " §" << c.section
          << "\n";
    }
  }
}

}  // namespace

std::string FailureSummary(const TestResult& result) {
  switch (result.status) {
    case TestStatus::kCrashed:
      return "crashed: " + DescribeSignal(result.signal);
    case TestStatus::kTimedOut:
      return result.not_run ? result.output : "timed out: an infinite loop, or a wait?";
    case TestStatus::kNotImplemented:
      return "not implemented: " + result.unimplemented;
    case TestStatus::kFailed:
      return "failed";
    case TestStatus::kPassed:
      return "passed";
    case TestStatus::kSkipped:
      return "skipped";
  }
  return "?";
}

const Task* CauseOf(const TestResult& result, const Manifest& manifest, const Task& task,
                    const std::string& blocked_by) {
  if (result.status == TestStatus::kNotImplemented && result.unimplemented != task.id) {
    if (const Task* stopped_in = manifest.FindTask(result.unimplemented)) {
      if (stopped_in->id == result.unimplemented) return stopped_in;
    }
  }
  if (!blocked_by.empty()) return manifest.FindTask(blocked_by);
  return nullptr;
}

std::vector<std::string> DescribeFailure(const TestResult& result, const Manifest& manifest,
                                         const Task& task, const std::string& build_dir,
                                         bool verbose, const std::string& blocked_by) {
  std::vector<std::string> lines;
  // A failure that an earlier task causes points at that task first: its hint, its section.
  if (const Task* cause = CauseOf(result, manifest, task, blocked_by)) {
    bool stopped = result.status == TestStatus::kNotImplemented;
    lines.push_back("cause: " + std::string(stopped ? "this test stopped in " : "it builds on ") +
                    cause->id + " " + cause->title + (stopped ? ", a TODO" : ", not done yet") +
                    ": finish that first");
    std::vector<std::string> key = KeyLines(result, verbose ? 200 : 12);
    lines.insert(lines.end(), key.begin(), key.end());
    lines.push_back("hint : " + cause->HintFor(result.name));
    lines.push_back("see  : " + manifest.SectionRef(*cause));
  } else {
    lines = KeyLines(result, verbose ? 200 : 12);
    lines.push_back("hint : " + task.HintFor(result.name));
    lines.push_back("see  : " + manifest.SectionRef(task));
  }
  lines.push_back("rerun: " + RerunCommand(build_dir, result.name));
  return lines;
}

void PrintGradeReport(std::ostream& out, const LabGrade& grade, const ReportContext& context) {
  const Manifest& m = *grade.manifest;
  out << "== " << m.lab << " " << m.title << " ==\n";
  for (const TaskGrade& task : grade.tasks) {
    out << TaskLine(task) << "\n";
    PrintFailures(out, task, grade, context);
  }
  PrintFooter(out, grade);
  PrintProvenance(out, context);
}

void PrintProvenance(std::ostream& out, const ReportContext& context) {
  out << "Compiled code:\n";
  for (const LabProvenance& p : context.provenance) {
    out << "  " << p.lab << "  " << DescribeProvenance(p) << "\n";
    for (const std::string& file : p.stale) {
      out << "  warning: " << p.tree << "/" << file << " changed after the tests were built: "
          << "rebuild first (cmake --build " << context.registry->build_dir << ")\n";
    }
  }
}

}  // namespace tessel::course
