// The grade command's flow: load registry and manifest, list and run the
// tests, score, then print the table and write whatever files were asked for.
#include "tools/course/grade_command.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "tools/course/checks.h"
#include "tools/course/grade_report.h"
#include "tools/course/gradescope.h"
#include "tools/course/json_report.h"
#include "tools/course/lint.h"
#include "tools/course/provenance.h"
#include "tools/course/scoring.h"

namespace tessel::course {

namespace {

constexpr int kCannotGrade = 2;

bool WriteJson(const std::string& path, const nlohmann::json& doc) {
  std::ofstream out(path);
  out << doc.dump(2) << "\n";
  if (out) return true;
  std::cerr << "tessel grade: error: cannot write " << path << "\n";
  return false;
}

// `text` with every occurrence of `prefix` removed: test paths relative to the repository.
std::string WithoutPrefix(std::string text, const std::string& prefix) {
  for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at)) {
    text.erase(at, prefix.size());
  }
  return text;
}

// Shows "running tests [n/N]" on a terminal while tests run.
void ShowProgress(const TestResult&, size_t done, size_t total) {
  std::cerr << "\r  running tests [" << done << "/" << total << "]" << std::flush;
  if (done == total) std::cerr << "\r" << std::string(40, ' ') << "\r";
}

// Writes results.json for a build that produced no usable test binary.
void ReportBuildFailure(const GradeOptions& options, const Registry& registry,
                        const LabEntry& entry, const Manifest& manifest,
                        const std::string& problem) {
  std::cerr << "tessel grade: error: " << problem << "\n";
  if (options.gradescope_file.empty()) return;
  std::string log = BuildLogExcerpt(options.build_log);
  BuildInfo build{false, problem, log};
  if (!log.empty()) {
    build.problem = "The " + manifest.lab + " tests could not be built: your code does not " +
                    "compile, or does not link. The compiler's first errors are below.";
  }
  LabProvenance provenance = ComputeProvenance(registry, entry);
  WriteJson(options.gradescope_file, GradescopeResults(manifest, nullptr, build, &provenance, 0));
}

int Lint(const Registry& registry, const LabEntry& entry, const Manifest& manifest) {
  std::vector<std::string> tests;
  std::string error;
  if (!ListTests(registry.TestBinary(entry), &tests, &error)) {
    std::cerr << "tessel grade: error: " << error << "\n";
    return kCannotGrade;
  }
  std::vector<std::string> problems = LintLab({&manifest, tests, registry.source_dir, entry.dir});
  for (const std::string& p : problems) std::cout << "lint: " << p << "\n";
  std::cout << manifest.lab << " lint: " << (problems.empty() ? "ok" : "FAILED") << " ("
            << tests.size() << " tests, " << manifest.tasks.size() << " tasks)\n";
  return problems.empty() ? 0 : 1;
}

int CheckResult(const std::string& check, const LabGrade& grade) {
  std::vector<std::string> violations = RunCheck(check, grade);
  for (const std::string& v : violations) std::cout << "check " << check << ": " << v << "\n";
  std::cout << grade.manifest->lab << " check " << check << ": "
            << (violations.empty()
                    ? "ok"
                    : "FAILED (" + std::to_string(violations.size()) + " violations)")
            << "\n";
  return violations.empty() ? 0 : 1;
}

bool Strictly(const LabGrade& grade) {
  for (const TaskGrade& task : grade.tasks) {
    if (task.status != TaskStatus::kDone || task.skipped > 0) return false;
  }
  return true;
}

// Scores, reports and picks the exit status once the tests have run.
int Report(const GradeOptions& options, const Registry& registry, const LabEntry& entry,
           const Manifest& manifest, const std::vector<TestResult>& results, double seconds) {
  LabGrade grade = ScoreLab(manifest, results, options.task);
  ReportContext context{&registry, ComputeProvenance(registry), registry.TestBinary(entry),
                        options.verbose, seconds};
  bool written = true;
  if (options.check.empty()) PrintGradeReport(std::cout, grade, context);
  if (!options.json_file.empty()) {
    written = WriteJson(options.json_file, GradeJson(grade, context.provenance)) && written;
  }
  if (!options.gradescope_file.empty()) {
    LabProvenance own = ComputeProvenance(registry, entry);
    written = WriteJson(options.gradescope_file,
                        GradescopeResults(manifest, &grade, BuildInfo{}, &own, seconds)) &&
              written;
  }
  if (!written) return kCannotGrade;
  if (!options.check.empty()) return CheckResult(options.check, grade);
  if (options.strict) return Strictly(grade) ? 0 : 1;
  return grade.Complete() ? 0 : 1;
}

// Loads the registry and manifest and resolves --task to a full task id.
bool Prepare(GradeOptions* options, Registry* registry, const LabEntry** entry,
             Manifest* manifest) {
  std::string error;
  if (!LoadLab(options->lab, registry, entry, manifest, &error) ||
      (!options->check.empty() && !ValidCheck(options->check, *manifest, &error))) {
    std::cerr << "tessel grade: error: " << error << "\n";
    return false;
  }
  if (options->task.empty()) return true;
  const Task* task = manifest->FindTask(options->task);
  if (!task) {
    std::cerr << "tessel grade: error: " << manifest->lab << " has no task \"" << options->task
              << "\"\n";
    return false;
  }
  options->task = task->id;
  return true;
}

// Runs the selected tests and reports; a missing or broken test binary is a failed build.
int Grade(const GradeOptions& options, const Registry& registry, const LabEntry& entry,
          const Manifest& manifest) {
  std::string binary = registry.TestBinary(entry), error;
  if (!std::filesystem::exists(binary)) {
    ReportBuildFailure(options, registry, entry, manifest,
                       binary + " was not built: build it first (cmake --build " +
                           registry.build_dir + " --target " + entry.tests + ")");
    return kCannotGrade;
  }
  std::vector<TestResult> results;
  auto start = std::chrono::steady_clock::now();
  RunOptions run{options.jobs, options.timeout, nullptr};
  if (options.check.empty() && isatty(STDERR_FILENO)) run.on_done = ShowProgress;
  if (!RunLabTests(registry, entry, manifest, options.task, run, &results, &error)) {
    ReportBuildFailure(options, registry, entry, manifest, error);
    return kCannotGrade;
  }
  std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  return Report(options, registry, entry, manifest, results, seconds.count());
}

}  // namespace

bool LoadLab(const std::string& lab, Registry* registry, const LabEntry** entry, Manifest* manifest,
             std::string* error) {
  if (!LoadRegistry(ExecutableDir(), registry, error)) return false;
  *entry = registry->Find(lab);
  if (!*entry) {
    *error = "this build has no lab \"" + lab + "\" (labs: " + registry->LabNames() + ")";
    return false;
  }
  return LoadManifest(registry->ManifestPath(**entry), manifest, error);
}

bool RunLabTests(const Registry& registry, const LabEntry& lab, const Manifest& manifest,
                 const std::string& task, const RunOptions& options,
                 std::vector<TestResult>* results, std::string* error) {
  std::vector<std::string> all, selected;
  if (!ListTests(registry.TestBinary(lab), &all, error)) return false;
  // With a task, its ancestors' tests run too: whether it is BLOCKED depends on them.
  std::set<std::string> wanted;
  for (const Task* t = manifest.FindTask(task); t; t = manifest.FindTask(t->parent)) {
    wanted.insert(t->id);
    if (t->parent.empty()) break;
  }
  for (const std::string& test : all) {
    const Task* owner = manifest.TaskForTest(test);
    if (task.empty() || (owner && wanted.count(owner->id))) selected.push_back(test);
  }
  *results = RunTests(registry.TestBinary(lab), selected, manifest.lab, options);
  for (TestResult& result : *results) {
    result.output = WithoutPrefix(result.output, registry.source_dir + "/");
  }
  return true;
}

int GradeCommand(const GradeOptions& options) {
  Registry registry;
  const LabEntry* entry = nullptr;
  Manifest manifest;
  GradeOptions resolved = options;
  if (!Prepare(&resolved, &registry, &entry, &manifest)) return kCannotGrade;
  if (options.lint) return Lint(registry, *entry, manifest);
  return Grade(resolved, registry, *entry, manifest);
}

}  // namespace tessel::course
