// Builds results.json. Each task becomes up to two entries: its public tests
// ("1.3") and its hidden tests ("1.3h", after_due_date). A task's points are
// split between them in proportion to their test counts, so the two entries
// add up to the task's score.
#include "tools/course/gradescope.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "tools/course/grade_report.h"

namespace tessel::course {

using nlohmann::json;

namespace {

constexpr size_t kEntryFailures = 3;

double Rounded(double value) { return std::round(value * 10000) / 10000; }

// "1.3" for lab01.t3.
std::string Number(const Manifest& manifest, const Task& task) {
  size_t digit = manifest.lab.find_first_of("123456789");
  std::string lab_number = digit == std::string::npos ? "0" : manifest.lab.substr(digit);
  return lab_number + "." + task.id.substr(task.id.rfind(".t") + 2);
}

json Entry(const Manifest& manifest, const Task& task, double score, double max_score) {
  json entry = {{"name", task.id + " " + task.title},
                {"number", Number(manifest, task)},
                {"score", Rounded(score)},
                {"max_score", Rounded(max_score)},
                {"status", score >= max_score - 1e-9 ? "passed" : "failed"},
                {"tags", json::array({manifest.lab, task.id})},
                {"visibility", "visible"}};
  return entry;
}

// Up to three failures in full; failures that only reached a TODO are counted, not listed.
std::string FailureText(const Manifest& manifest, const TaskGrade& grade, bool hidden,
                        const std::string& rerun_dir) {
  std::ostringstream out;
  size_t shown = 0, more = 0, todo = 0;
  for (const TestResult* failure : grade.Failures()) {
    if (grade.task->IsHidden(failure->name) != hidden) continue;
    if (failure->status == TestStatus::kNotImplemented) {
      ++todo;
    } else if (shown == kEntryFailures) {
      ++more;
    } else {
      ++shown;
      out << "\n✗ " << failure->name << " (" << FailureSummary(*failure) << ")\n";
      if (hidden) continue;  // names only: hidden inputs stay hidden
      for (const std::string& line : DescribeFailure(*failure, manifest, *grade.task, rerun_dir,
                                                     /*verbose=*/false, grade.blocked_by)) {
        out << "  " << line << "\n";
      }
    }
  }
  if (more > 0) out << "\n… and " << more << " more failing tests\n";
  if (todo > 0) out << "\n" << todo << " tests stop at a TODO that still throws not-implemented\n";
  return out.str();
}

std::string StatusLine(const TaskGrade& grade) {
  std::string line = TaskStatusName(grade.status);
  if (grade.status == TaskStatus::kBlocked) line += " by " + grade.blocked_by + " (parent task)";
  return line;
}

void AddTaskEntries(const Manifest& manifest, const TaskGrade& grade, const TaskGrade& shown,
                    const std::string& rerun_dir, json& tests) {
  const Task& task = *grade.task;
  if (grade.counted == 0) {
    json entry = Entry(manifest, task, 0, task.points);
    entry["output"] = "none of this task's tests is in this build";
    tests.push_back(entry);
    return;
  }
  double per_test = task.points / grade.counted;
  int visible = grade.counted - grade.hidden_counted;
  int visible_passed = grade.passed - grade.hidden_passed;
  if (visible > 0) {
    json entry = Entry(manifest, task, per_test * visible_passed, per_test * visible);
    entry["output"] = StatusLine(shown) + ": " + std::to_string(visible_passed) + "/" +
                      std::to_string(visible) + " tests passed\n" +
                      FailureText(manifest, grade, false, rerun_dir);
    tests.push_back(entry);
  }
  if (grade.hidden_counted > 0) {
    json entry =
        Entry(manifest, task, per_test * grade.hidden_passed, per_test * grade.hidden_counted);
    entry["name"] = task.id + " " + task.title + " (hidden tests)";
    entry["number"] = Number(manifest, task) + "h";
    entry["tags"].push_back("hidden");
    entry["visibility"] = "after_due_date";
    entry["output"] = std::to_string(grade.hidden_passed) + "/" +
                      std::to_string(grade.hidden_counted) + " hidden tests passed\n" +
                      FailureText(manifest, grade, true, rerun_dir);
    tests.push_back(entry);
  }
}

json BuildEntry(const BuildInfo& build, const LabProvenance* provenance) {
  std::string output = provenance ? DescribeProvenance(*provenance) + "\n" : "";
  bool stale = provenance && !provenance->stale.empty();
  if (stale) {
    output += "warning: " + provenance->stale.front() +
              " is newer than the tests that ran: it may not have compiled\n";
  }
  if (!build.ok) output += build.problem + "\n\n" + build.log_excerpt;
  return {{"name", "Build"},
          {"number", "0"},
          {"status", build.ok && !stale ? "passed" : "failed"},
          {"visibility", "visible"},
          {"output", output}};
}

std::string Summary(const Manifest& manifest, const LabGrade* grade, const BuildInfo& build,
                    const json& tests) {
  // `grade` is the public tests' grade here: nothing in the summary depends on hidden tests.
  double visible_score = 0, visible_max = 0;
  bool hidden = false;
  for (const json& t : tests) {
    if (!t.contains("max_score")) continue;
    if (t["visibility"] != "visible") {
      hidden = true;
      continue;
    }
    visible_score += t["score"].get<double>();
    visible_max += t["max_score"].get<double>();
  }
  std::ostringstream md;
  md << "**" << manifest.lab << " " << manifest.title << "**\n\n";
  for (const std::string& note : build.notes) md << "- " << note << "\n";
  if (!build.notes.empty()) md << "\n";
  if (!grade) md << "The build failed, so no test ran: see the **Build** entry.\n\n";
  md << "Public tests: **" << FormatPoints(visible_score) << "/" << FormatPoints(visible_max)
     << "** points.";
  if (hidden) md << " Hidden tests are graded too; their results appear after the due date.";
  md << "\n";
  const TaskGrade* next = grade ? grade->Next() : nullptr;
  if (next)
    md << "\nNext: " << next->task->id << " " << next->task->title << " — "
       << manifest.SectionRef(*next->task) << "\n";
  return md.str();
}

}  // namespace

std::string BuildLogExcerpt(const std::string& path) {
  std::ifstream in(path);
  if (path.empty() || !in) return "";
  std::vector<std::string> lines, errors;
  for (std::string line; std::getline(in, line);) {
    bool error = line.find("error:") != std::string::npos ||
                 line.find("CMake Error") != std::string::npos ||
                 line.find("cc1plus:") != std::string::npos ||  // out of memory, killed
                 line.find("Killed signal") != std::string::npos;
    if (error && errors.size() < 30) errors.push_back(line);
    lines.push_back(line);
  }
  std::string out = errors.empty() ? "" : "First errors:\n";
  for (const std::string& e : errors) out += e + "\n";
  out += "\nEnd of the build log:\n";
  for (size_t i = lines.size() > 30 ? lines.size() - 30 : 0; i < lines.size(); ++i) {
    out += lines[i] + "\n";
  }
  return out;
}

json GradescopeResults(const Manifest& manifest, const LabGrade* grade, const BuildInfo& build,
                       const LabProvenance* provenance, double seconds,
                       const std::string& rerun_dir, const LabGrade* public_grade) {
  json tests = json::array({BuildEntry(build, provenance)});
  for (const Task& task : manifest.tasks) {
    const TaskGrade* task_grade = grade ? grade->Find(task.id) : nullptr;
    if (task_grade) {
      const TaskGrade* shown = public_grade ? public_grade->Find(task.id) : nullptr;
      AddTaskEntries(manifest, *task_grade, shown ? *shown : *task_grade, rerun_dir, tests);
    } else if (!grade) {
      json entry = Entry(manifest, task, 0, task.points);
      entry["output"] = "not graded: the build failed";
      tests.push_back(entry);
    }
  }
  return {{"score", Rounded(grade ? grade->score : 0)},
          {"execution_time", static_cast<int>(std::lround(seconds))},
          {"output", Summary(manifest, public_grade ? public_grade : grade, build, tests)},
          {"output_format", "md"},
          {"test_output_format", "text"},
          {"visibility", "visible"},
          {"stdout_visibility", "hidden"},
          {"tests", tests}};
}

}  // namespace tessel::course
