// The grade command's flow: load registry and manifest, list and run the
// tests, score, then print the table and write whatever files were asked for.
#include "tools/course/grade_command.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "tools/course/checks.h"
#include "tools/course/classroom_results.h"
#include "tools/course/grade_report.h"
#include "tools/course/gradescope.h"
#include "tools/course/json_report.h"
#include "tools/course/lint.h"
#include "tools/course/provenance.h"
#include "tools/course/scoring.h"

namespace tessel::course {

namespace {

constexpr int kCannotGrade = 2;

// When this run started: --deadline counts from here, probe and listing included.
const std::chrono::steady_clock::time_point kStart = std::chrono::steady_clock::now();

// Written to a temporary file and renamed, so a reader never sees half a document.
bool WriteJson(const std::string& path, const nlohmann::json& doc) {
  std::string temporary = path + ".partial";
  std::ofstream out(temporary);
  // Tests print whatever bytes they like; invalid UTF-8 becomes U+FFFD instead of an exception.
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  out.close();
  std::error_code ec;
  if (out) std::filesystem::rename(temporary, path, ec);
  if (out && !ec) return true;
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

// The lines of --notes (the autograder's checks of the submission), if any.
std::vector<std::string> ReadNotes(const GradeOptions& options) {
  std::vector<std::string> notes;
  std::ifstream in(options.notes_file);
  for (std::string line; !options.notes_file.empty() && std::getline(in, line);) {
    if (!line.empty()) notes.push_back(line);
  }
  return notes;
}

// The provenance of the graded lab: its files as compiled, which an autograder names with
// --graded-sources (the student build's copy of the course) when they are not in this build's.
LabProvenance GradedProvenance(const GradeOptions& options, const Registry& registry,
                               const LabEntry& entry) {
  if (options.graded_sources.empty()) return ComputeProvenance(registry, entry);
  Registry graded = registry;
  graded.source_dir = options.graded_sources;
  LabEntry lab = entry;
  lab.tree = entry.dir;
  lab.uses_solution = false;
  return ComputeProvenance(graded, lab);
}

std::string BinaryFor(const GradeOptions& options, const Registry& registry,
                      const LabEntry& entry) {
  return options.test_binary.empty() ? registry.TestBinary(entry) : options.test_binary;
}

// A test binary that claims to pass (or skip) a test it does not have prints its verdicts: the
// learner's code runs in it (an ordinary test binary, not a judge) and forges them. Honest
// binaries report "0 tests" for a filter that matches nothing.
bool ForgesVerdicts(const std::string& binary, const std::string& lab) {
  std::string nonce = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  ProcessResult probe = RunProcess({binary, "--gtest_color=no"}, 30, 1 << 20,
                                   {"GTEST_FILTER=TesselGraderProbe.NoSuchTest" + nonce});
  TestStatus status = ClassifyTest("TesselGraderProbe.NoSuchTest", lab, probe).status;
  return status == TestStatus::kPassed || status == TestStatus::kSkipped;
}

// The public tests' results: what may be shown before the due date.
std::vector<TestResult> PublicResults(const Manifest& manifest,
                                      const std::vector<TestResult>& results) {
  std::vector<TestResult> shown;
  for (const TestResult& r : results) {
    const Task* owner = manifest.TaskForTest(r.name);
    if (owner == nullptr || !owner->IsHidden(r.name)) shown.push_back(r);
  }
  return shown;
}

// Lines for the top of results.json about what the grader noticed while the public tests ran
// (the hidden tests' entries say the same of them, after the due date).
std::vector<std::string> Alerts(const std::vector<TestResult>& results) {
  size_t unreadable = 0, not_run = 0;
  for (const TestResult& r : results) {
    if (r.output.find("tessel-judge: unreadable runner output") != std::string::npos) ++unreadable;
    if (r.not_run) ++not_run;
  }
  std::vector<std::string> alerts;
  if (unreadable > 0) {
    alerts.push_back("Your code wrote something the judge could not read as a result in " +
                     std::to_string(unreadable) +
                     " tests, which failed: printing to the runner's result channel or "
                     "corrupting memory (print debugging output to std::cerr).");
  }
  if (not_run > 0) {
    alerts.push_back(std::to_string(not_run) +
                     " tests did not run: repeated timeouts in their task, or the run's "
                     "deadline (see the tasks below). Fix the hang and resubmit.");
  }
  return alerts;
}

// Writes results.json for a build that produced no usable test binary.
void ReportBuildFailure(const GradeOptions& options, const Registry& registry,
                        const LabEntry& entry, const Manifest& manifest,
                        const std::string& problem) {
  std::cerr << "tessel grade: error: " << problem << "\n";
  std::string log = BuildLogExcerpt(options.build_log);
  if (!log.empty()) std::cerr << "\n" << log;  // each grading step shows the compile error
  BuildInfo build{false, problem, log, ReadNotes(options)};
  if (!log.empty()) {
    build.problem = "The " + manifest.lab + " tests could not be built: your code does not " +
                    "compile, or does not link. The compiler's first errors are below.";
  }
  if (!options.classroom_file.empty()) {
    WriteJson(options.classroom_file, ClassroomResults(manifest, nullptr, options.task, build));
  }
  if (options.gradescope_file.empty()) return;
  LabProvenance provenance = GradedProvenance(options, registry, entry);
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
           const Manifest& manifest, const std::vector<TestResult>& results, double seconds,
           std::vector<std::string> alerts) {
  LabGrade grade = ScoreLab(manifest, results, options.task);
  ReportContext context{&registry, ComputeProvenance(registry),
                        BinaryFor(options, registry, entry), options.verbose, seconds};
  for (const std::string& alert : alerts) std::cerr << "tessel grade: " << alert << "\n";
  bool written = true;
  if (options.check.empty()) PrintGradeReport(std::cout, grade, context);
  if (!options.json_file.empty()) {
    written = WriteJson(options.json_file, GradeJson(grade, context.provenance)) && written;
  }
  if (!options.gradescope_file.empty()) {
    LabProvenance own = GradedProvenance(options, registry, entry);
    BuildInfo build;
    build.notes = ReadNotes(options);
    build.notes.insert(build.notes.end(), alerts.begin(), alerts.end());
    LabGrade public_grade = ScoreLab(manifest, PublicResults(manifest, results), options.task);
    written = WriteJson(options.gradescope_file,
                        GradescopeResults(manifest, &grade, build, &own, seconds, "build/student",
                                          &public_grade)) &&
              written;
  }
  if (!options.classroom_file.empty()) {
    written = WriteJson(options.classroom_file,
                        ClassroomResults(manifest, &grade, options.task, BuildInfo{})) &&
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
  std::string binary = BinaryFor(options, registry, entry), error;
  if (!options.built.empty() && !std::filesystem::exists(options.built)) {
    ReportBuildFailure(options, registry, entry, manifest,
                       options.built + " was not built: the learner's code did not compile");
    return kCannotGrade;
  }
  if (!std::filesystem::exists(binary)) {
    ReportBuildFailure(options, registry, entry, manifest,
                       binary + " was not built: build it first (cmake --build " +
                           registry.build_dir + " --target " + entry.tests + ")");
    return kCannotGrade;
  }
  std::vector<TestResult> results;
  auto start = std::chrono::steady_clock::now();
  RunOptions run;
  run.jobs = options.jobs;
  run.timeout = options.timeout;
  if (options.deadline > 0) {
    std::chrono::duration<double> spent = std::chrono::steady_clock::now() - kStart;
    run.deadline = std::max(1.0, options.deadline - spent.count());
  }
  run.max_timeouts = options.max_timeouts;
  run.group = [&manifest](const std::string& test) {
    const Task* task = manifest.TaskForTest(test);
    return task ? task->id : std::string();
  };
  if (options.check.empty() && isatty(STDERR_FILENO)) run.on_done = ShowProgress;
  std::vector<std::string> alerts;
  if (ForgesVerdicts(binary, manifest.lab)) {
    // Nothing it prints can be believed: no test runs, every task scores 0.
    alerts.push_back("Your code printed test verdicts itself (the test binary claimed to pass a "
                     "test that does not exist), so none of its results can be trusted and no "
                     "test was run: score 0. Remove the code that prints or exits on its own.");
    std::vector<std::string> tests;
    if (!ListTests(binary, &tests, &error)) tests.clear();
    for (const std::string& test : tests) {
      TestResult forged;
      forged.name = test;
      forged.output = "not run: the test binary forges verdicts";
      results.push_back(forged);
    }
  } else if (!RunLabTests(registry, entry, manifest, options.task, run, &results, &error,
                          binary, options.list_tests_from)) {
    ReportBuildFailure(options, registry, entry, manifest, error);
    return kCannotGrade;
  }
  std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  std::vector<std::string> noticed = Alerts(PublicResults(manifest, results));
  alerts.insert(alerts.end(), noticed.begin(), noticed.end());
  return Report(options, registry, entry, manifest, results, seconds.count(), alerts);
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
                 std::vector<TestResult>* results, std::string* error,
                 const std::string& binary_override, const std::string& list_from) {
  std::string binary = binary_override.empty() ? registry.TestBinary(lab) : binary_override;
  std::vector<std::string> all, selected;
  // The list comes from a trusted binary when there is one: a learner's binary could leave
  // tests out of its own list, and a test that is not run is not counted.
  if (!ListTests(list_from.empty() ? binary : list_from, &all, error, !list_from.empty())) {
    return false;
  }
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
  // Hidden tests run last, once every process the visible ones left is killed: whatever
  // learner code sees of a hidden input cannot reach the output a visible test shows.
  RunOptions phased = options;
  phased.second_phase = [&manifest](const std::string& test) {
    const Task* owner = manifest.TaskForTest(test);
    return owner != nullptr && owner->IsHidden(test);
  };
  phased.between_phases = [] {
    for (const char* variable : {"TESSEL_RUNNER_USER", "TESSEL_GRADE_AS_USER"}) {
      const char* user = std::getenv(variable);
      KillProcessesOf(user ? user : "");
    }
  };
  *results = RunTests(binary, selected, manifest.lab, phased);
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
