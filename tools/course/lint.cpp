// Manifest lint. Rules:
//  1) every test in the binary belongs to exactly one task;
//  2) every task has at least one test, every public glob matches a test, and
//     every per-test hint names a test of its task (hidden ones may be absent);
//  3) the points add up to the total;
//  4) the BEGIN SOLUTION markers of solutions/<lab>/<files> name exactly the
//     manifest's tasks (skipped in a student release, which has no solutions/);
//  5) the handout's task table lists every task with the manifest's title and points.
#include "tools/course/lint.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tools/skeleton/markers.h"

namespace tessel::course {

namespace fs = std::filesystem;

namespace {

std::string ReadFile(const fs::path& path, bool* ok) {
  std::ifstream in(path);
  *ok = static_cast<bool>(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t*`");
  size_t end = text.find_last_not_of(" \t*`");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

// A hint for a test that does not exist (renamed, moved) would silently never show.
void LintHints(const Task& task, const std::vector<std::string>& tests,
               std::vector<std::string>& problems) {
  for (const auto& [test, hint] : task.hints) {
    bool present = std::find(tests.begin(), tests.end(), test) != tests.end();
    if (!task.Owns(test)) {
      problems.push_back(task.id + ": the hint for " + test + " names a test of another task");
    } else if (!present && !task.IsHidden(test)) {
      problems.push_back(task.id + ": the hint for " + test + " names no test in the binary");
    }
  }
}

void LintTests(const LintInputs& in, std::vector<std::string>& problems) {
  for (const std::string& test : in.tests) {
    std::vector<std::string> owners;
    for (const Task& task : in.manifest->tasks) {
      if (task.Owns(test)) owners.push_back(task.id);
    }
    if (owners.empty()) problems.push_back("test " + test + " belongs to no task");
    if (owners.size() > 1) {
      problems.push_back("test " + test + " belongs to " + std::to_string(owners.size()) +
                         " tasks: " + owners[0] + " and " + owners[1]);
    }
  }
  for (const Task& task : in.manifest->tasks) {
    size_t count = 0;
    for (const std::string& test : in.tests) count += task.Owns(test);
    if (count == 0) problems.push_back(task.id + " has no test in the binary");
    for (const std::string& glob : task.tests) {
      bool is_hidden = task.IsHidden(glob), matched = false;
      for (const std::string& test : in.tests) matched = matched || GlobMatch(glob, test);
      if (!matched && !is_hidden) {
        problems.push_back(task.id + ": test glob \"" + glob + "\" matches no test");
      }
    }
    LintHints(task, in.tests, problems);
  }
}

void LintPoints(const Manifest& m, std::vector<std::string>& problems) {
  double sum = 0;
  for (const Task& task : m.tasks) sum += task.points;
  if (std::fabs(sum - m.total) > 1e-9) {
    problems.push_back("task points add up to " + FormatPoints(sum) + ", but \"total\" is " +
                       FormatPoints(m.total));
  }
}

void LintMarkers(const LintInputs& in, std::vector<std::string>& problems) {
  fs::path solution = fs::path(in.source_dir) / "solutions" / in.lab_dir;
  if (!fs::exists(solution)) return;  // a student release
  std::set<std::string> marked;
  for (const std::string& file : in.manifest->files) {
    bool ok = false;
    std::string text = ReadFile(solution / file, &ok);
    MarkedFile parsed;
    std::string error;
    std::string path = (solution / file).string();
    if (!ok) {
      problems.push_back("cannot read solution file " + path);
    } else if (!ParseMarkers(text, path, &parsed, &error)) {
      problems.push_back(error);
    }
    for (const MarkerBlock& block : parsed.blocks) {
      marked.insert(block.task);
      const Task* task = in.manifest->FindTask(block.task);
      if (!task || task->id != block.task) {
        problems.push_back(file + ":" + std::to_string(block.begin_line) + ": marker task " +
                           block.task + " is not in the manifest");
      }
    }
  }
  for (const Task& task : in.manifest->tasks) {
    if (!marked.count(task.id)) {
      problems.push_back(task.id + " has no BEGIN SOLUTION block in solutions/" + in.lab_dir);
    }
  }
}

void LintHandout(const LintInputs& in, std::vector<std::string>& problems) {
  const Manifest& m = *in.manifest;
  bool ok = false;
  std::string text = ReadFile(fs::path(in.source_dir) / m.handout, &ok);
  if (!ok) {
    problems.push_back("cannot read the handout " + m.handout);
    return;
  }
  std::set<std::string> listed;
  for (const std::vector<std::string>& row : HandoutTaskRows(text)) {
    const Task* task = m.FindTask(row[0]);
    std::string where = m.handout + ": task table row " + row[0];
    if (!task || task->id != row[0]) {
      problems.push_back(where + " is not a task of the manifest");
      continue;
    }
    if (!listed.insert(task->id).second) problems.push_back(where + " appears twice");
    if (row.size() < 3) {
      problems.push_back(where + " needs the columns: task, title, points");
      continue;
    }
    if (row[1] != task->title) {
      problems.push_back(where + ": title \"" + row[1] + "\" but the manifest says \"" +
                         task->title + "\"");
    }
    if (std::atof(row[2].c_str()) != task->points) {
      problems.push_back(where + ": " + row[2] + " points but the manifest says " +
                         FormatPoints(task->points));
    }
  }
  for (const Task& task : m.tasks) {
    if (!listed.count(task.id)) {
      problems.push_back(m.handout + ": the task table has no row for " + task.id);
    }
  }
}

}  // namespace

std::vector<std::vector<std::string>> HandoutTaskRows(const std::string& markdown) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(markdown);
  for (std::string line; std::getline(in, line);) {
    std::string trimmed = Trim(line);
    if (trimmed.empty() || trimmed[0] != '|') continue;
    std::vector<std::string> cells;
    std::istringstream cell_stream(trimmed.substr(1));
    for (std::string cell; std::getline(cell_stream, cell, '|');) cells.push_back(Trim(cell));
    if (!cells.empty() && IsTaskId(cells[0])) rows.push_back(cells);
  }
  return rows;
}

std::vector<std::string> LintLab(const LintInputs& inputs) {
  std::vector<std::string> problems;
  LintTests(inputs, problems);
  LintPoints(*inputs.manifest, problems);
  LintMarkers(inputs, problems);
  LintHandout(inputs, problems);
  return problems;
}

}  // namespace tessel::course
