// The progress display: grades every lab quietly, then runs
// `tessel run examples/X.tsl --emit loops` on each example: the front end, the graph passes
// at -O2, the lowering to loop IR and the default schedule. Exit status 2 from the driver
// means a stage is still a skeleton; its message names the task.
#include "tools/course/labs_progress.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>

#include "tools/course/grade_command.h"
#include "tools/course/provenance.h"
#include "tools/course/scoring.h"
#include "tools/course/subprocess.h"

namespace tessel::course {

namespace fs = std::filesystem;

namespace {

constexpr int kDriverSkeleton = 2;  // `tessel run` exit status for a skeleton stage

// Task id -> handout section, for the tasks of every lab graded so far.
using Sections = std::map<std::string, std::string>;

void PrintLab(const Registry& registry, const LabEntry& entry, const LabsOptions& options,
              Sections& sections) {
  Manifest manifest;
  std::string error;
  std::vector<TestResult> results;
  std::string name = entry.lab;
  RunOptions run;
  run.jobs = options.jobs;
  run.timeout = options.timeout;
  if (!LoadManifest(registry.ManifestPath(entry), &manifest, &error) ||
      !RunLabTests(registry, entry, manifest, "", run, &results, &error)) {
    std::cout << name << "  not graded: " << error.substr(0, error.find('\n')) << "\n";
    return;
  }
  for (const Task& task : manifest.tasks) sections[task.id] = manifest.SectionRef(task);
  LabGrade grade = ScoreLab(manifest, results);
  double fraction = grade.max_score > 0 ? grade.score / grade.max_score : 0;
  std::ostringstream line;
  line << name << " " << manifest.title;
  std::string head = line.str();
  head.resize(std::max<size_t>(head.size(), 28), ' ');
  std::cout << head << " " << ScoreBar(fraction) << " " << FormatPoints(grade.score) << "/"
            << FormatPoints(grade.max_score) << "  "
            << DescribeProvenance(ComputeProvenance(registry, entry)) << "\n";
  const TaskGrade* next = grade.Next();
  if (next) {
    std::cout << std::string(29, ' ') << "next: " << next->task->id << " " << next->task->title
              << " — " << manifest.SectionRef(*next->task) << "\n";
  }
}

// One example through `tessel run FILE --emit loops` (stages 1 to 4); true when it works.
bool PrintExample(const std::string& tessel, const fs::path& example, const Sections& sections) {
  ProcessResult run = RunProcess({tessel, "run", example.string(), "--emit", "loops"}, 30);
  std::string name = "examples/" + example.filename().string();
  name.resize(std::max<size_t>(name.size(), 28), ' ');
  std::cout << "  " << name;
  if (run.exit_code == 0) {
    std::cout << "works\n";
    return true;
  }
  std::string task = SkeletonTask(run.output);
  if (run.exit_code == kDriverSkeleton && !task.empty()) {
    auto section = sections.find(task);
    std::cout << "stops: " << task << " is still a skeleton -> finish it"
              << (section == sections.end() ? "" : " (" + section->second + ")") << "\n";
  } else if (run.signal != 0 || run.timed_out) {
    std::cout << (run.timed_out ? "hangs (killed after 30 s)"
                                : "crashes: " + DescribeSignal(run.signal))
              << "\n";
  } else {
    std::cout << "fails (exit " << run.exit_code
              << "): " << run.output.substr(0, run.output.find('\n')) << "\n";
  }
  return false;
}

void PrintExamples(const Registry& registry, const Sections& sections) {
  fs::path dir = fs::path(registry.source_dir) / "examples";
  std::string tessel = (fs::path(registry.bin_dir) / "tessel").string();
  std::vector<fs::path> examples;
  std::error_code ec;
  for (const auto& file : fs::directory_iterator(dir, ec)) {
    if (file.path().extension() == ".tsl") examples.push_back(file.path());
  }
  std::sort(examples.begin(), examples.end());
  std::cout << "\nEnd to end (tessel run FILE --emit loops: the front end, the graph passes, "
               "loop IR):\n";
  if (!fs::exists(tessel)) {
    std::cout << "  tessel is not built (does a lab fail to compile?): cmake --build "
              << registry.build_dir << " --target tessel\n";
    return;
  }
  size_t working = 0;
  for (const fs::path& example : examples) working += PrintExample(tessel, example, sections);
  std::cout << "  " << working << "/" << examples.size() << " examples get through stage 4\n";
}

}  // namespace

std::string ScoreBar(double fraction) {
  int full = static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * 10));
  std::string bar;
  for (int i = 0; i < 10; ++i) bar += i < full ? "█" : "░";
  return bar;
}

std::string SkeletonTask(const std::string& output) {
  static const std::regex kSkeleton(
      R"(the (lab[0-9]+\.t[0-9]+) code you compiled is still a skeleton)");
  std::smatch match;
  return std::regex_search(output, match, kSkeleton) ? match[1].str() : "";
}

int LabsCommand(const LabsOptions& options) {
  Registry registry;
  std::string error;
  if (!LoadRegistry(ExecutableDir(), &registry, &error)) {
    std::cerr << "tessel labs: error: " << error << "\n";
    return 2;
  }
  std::cout << "Tessel labs in " << registry.build_dir
            << " (TESSEL_SOLUTIONS=" << registry.solutions << ")\n\n";
  Sections sections;
  for (const LabEntry& entry : registry.labs) PrintLab(registry, entry, options, sections);
  PrintExamples(registry, sections);
  return 0;
}

}  // namespace tessel::course
