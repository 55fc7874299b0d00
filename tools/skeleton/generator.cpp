// The commands of tessel-skeleton (see generator.h), built on ParseMarkers and
// RenderFile. A skeleton is the solution rendered with no task kept; a prefix
// tree keeps the tasks up to one of them.
#include "tools/skeleton/generator.h"

#include <fstream>
#include <set>
#include <sstream>

#include "tools/skeleton/markers.h"

namespace tessel {
namespace fs = std::filesystem;
namespace {

bool ReadText(const fs::path& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
  return true;
}

// Writes `text` unless the file already holds it, so builds do not redo work; false on failure.
bool WriteTextIfChanged(const fs::path& path, const std::string& text, bool* changed) {
  std::string old;
  *changed = !ReadText(path, &old) || old != text;
  if (!*changed) return true;
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out.flush());
}

std::string SolutionPath(const LabManifest& lab, const std::string& file) {
  return "solutions/" + lab.dir + "/" + file;
}

// Reads and parses solutions/<lab dir>/<file>; false with *error ("file:line: ...") otherwise.
bool LoadSolution(const SkeletonContext& context, const LabManifest& lab, const std::string& file,
                  MarkedFile* marked, std::string* error) {
  std::string name = SolutionPath(lab, file);
  std::string text;
  if (!ReadText(context.source_dir / name, &text)) {
    *error = "cannot read " + name + " (listed in " + lab.dir + "/lab.json \"files\")";
    return false;
  }
  return ParseMarkers(text, name, marked, error);
}

// The file with the solution of the first `kept` tasks of the lab and skeletons for the rest.
std::string Render(const LabManifest& lab, const MarkedFile& marked, int kept) {
  return RenderFile(
      marked,
      [&](const std::string& task) {
        int index = lab.TaskIndex(task);
        return index >= 0 && index < kept && task.starts_with(lab.lab + ".");
      },
      [&](const std::string& task) { return lab.SectionOf(task); });
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Describes the first line where the committed file and the generated one differ.
std::string FirstDifference(const std::string& committed, const std::string& generated) {
  std::vector<std::string> a = SplitLines(committed);
  std::vector<std::string> b = SplitLines(generated);
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  auto show = [](const std::vector<std::string>& lines, size_t n) {
    return n < lines.size() ? "'" + lines[n] + "'" : std::string("(end of file)");
  };
  if (i == a.size() && i == b.size()) return "  the files differ only in their last newline\n";
  return "  line " + std::to_string(i + 1) + " committed: " + show(a, i) + "\n  line " +
         std::to_string(i + 1) + " generated: " + show(b, i) + "\n";
}

// Records the tasks the file's markers name; false if one is not a task of this lab.
bool CheckMarkerTasks(const SkeletonContext& context, const LabManifest& lab,
                      const std::string& file, const MarkedFile& marked,
                      std::set<std::string>* marked_tasks) {
  bool ok = true;
  for (const MarkerBlock& block : marked.blocks) {
    marked_tasks->insert(block.task);
    if (lab.TaskIndex(block.task) < 0 || !block.task.starts_with(lab.lab + ".")) {
      context.err << "tessel-skeleton: " << SolutionPath(lab, file) << ":" << block.begin_line
                  << ": the marker names task " << block.task << ", which " << lab.dir
                  << "/lab.json does not list\n";
      ok = false;
    }
  }
  return ok;
}

// True when the committed skeleton <lab dir>/<file> is what `write` would produce.
bool CheckCommitted(const SkeletonContext& context, const LabManifest& lab, const std::string& file,
                    const std::string& generated) {
  std::string committed;
  std::string name = lab.dir + "/" + file;
  if (!ReadText(context.source_dir / name, &committed)) {
    context.err << "tessel-skeleton: " << name << " is missing (run: tessel-skeleton write "
                << lab.lab << ")\n";
    return false;
  }
  if (committed == generated) return true;
  context.err << "tessel-skeleton: " << name << " is stale (run: tessel-skeleton write " << lab.lab
              << ")\n"
              << FirstDifference(committed, generated);
  return false;
}

// Checks one learner file; records the tasks its markers name in *marked_tasks, and clears
// *parsed when the solution file cannot be read or parsed.
bool CheckFile(const SkeletonContext& context, const LabManifest& lab, const std::string& file,
               std::set<std::string>* marked_tasks, bool* parsed) {
  MarkedFile marked;
  std::string error;
  if (!LoadSolution(context, lab, file, &marked, &error)) {
    context.err << "tessel-skeleton: " << error << "\n";
    *parsed = false;
    return false;
  }
  bool tasks_ok = CheckMarkerTasks(context, lab, file, marked, marked_tasks);
  return CheckCommitted(context, lab, file, Render(lab, marked, 0)) && tasks_ok;
}

// Checks every file of a lab and that every manifest task has a marker.
bool CheckLab(const SkeletonContext& context, const LabManifest& lab) {
  std::set<std::string> marked_tasks;
  bool ok = true;
  bool parsed = true;
  for (const std::string& file : lab.files) {
    ok = CheckFile(context, lab, file, &marked_tasks, &parsed) && ok;
  }
  for (const course::Task& task : lab.tasks) {
    // A file that does not parse names no tasks; do not blame the manifest for that.
    if (parsed && marked_tasks.count(task.id) == 0) {
      context.err << "tessel-skeleton: task " << task.id << " of " << lab.dir
                  << "/lab.json has no BEGIN SOLUTION marker in solutions/" << lab.dir << "/\n";
      ok = false;
    }
  }
  if (ok) {
    context.out << "skeletons are current: " << lab.lab << " (" << lab.files.size() << " files, "
                << lab.tasks.size() << " tasks)\n";
  }
  return ok;
}

// The path as the user wants to read it: relative to the source folder when inside it.
std::string Display(const SkeletonContext& context, const fs::path& path) {
  fs::path relative = path.lexically_relative(context.source_dir);
  bool inside = !relative.empty() && *relative.begin() != "..";
  return inside && path.is_absolute() ? relative.generic_string() : path.generic_string();
}

// Renders the lab's files keeping `kept` tasks and writes them under out_dir.
bool WriteLabFiles(const SkeletonContext& context, const LabManifest& lab, int kept,
                   const fs::path& out_dir) {
  for (const std::string& file : lab.files) {
    MarkedFile marked;
    std::string error;
    if (!LoadSolution(context, lab, file, &marked, &error)) {
      context.err << "tessel-skeleton: " << error << "\n";
      return false;
    }
    bool changed = false;
    fs::path target = out_dir / file;
    if (!WriteTextIfChanged(target, Render(lab, marked, kept), &changed)) {
      context.err << "tessel-skeleton: cannot write " << target.string() << "\n";
      return false;
    }
    context.out << (changed ? "wrote " : "current ") << Display(context, target) << "\n";
  }
  return true;
}

bool HasSolutions(const SkeletonContext& context) {
  return fs::is_directory(context.source_dir / "solutions");
}

}  // namespace

int WriteSkeletons(const SkeletonContext& context, const std::vector<LabManifest>& labs) {
  if (!HasSolutions(context)) {
    context.err << "tessel-skeleton: no solutions/ folder in " << context.source_dir.string()
                << ": skeletons are generated from the solutions\n";
    return 1;
  }
  for (const LabManifest& lab : labs) {
    if (!WriteLabFiles(context, lab, 0, context.source_dir / lab.dir)) return 1;
  }
  return 0;
}

int CheckSkeletons(const SkeletonContext& context, const std::vector<LabManifest>& labs) {
  if (!HasSolutions(context)) {
    context.out << "no solutions/ folder (a student release): there are no skeletons to check\n";
    return 0;
  }
  bool ok = true;
  for (const LabManifest& lab : labs) ok = CheckLab(context, lab) && ok;
  return ok ? 0 : 1;
}

int WritePrefix(const SkeletonContext& context, const LabManifest& lab, const std::string& task,
                const fs::path& out_dir) {
  int index = lab.TaskIndex(task);
  if (index < 0) {
    context.err << "tessel-skeleton: " << lab.lab << " has no task '" << task
                << "' (see: tessel-skeleton tasks " << lab.lab << ")\n";
    return 1;
  }
  return WriteLabFiles(context, lab, index + 1, out_dir) ? 0 : 1;
}

int PrintMarkers(const SkeletonContext& context, const LabManifest& lab) {
  for (const std::string& file : lab.files) {
    MarkedFile marked;
    std::string error;
    if (!LoadSolution(context, lab, file, &marked, &error)) {
      context.err << "tessel-skeleton: " << error << "\n";
      return 1;
    }
    for (const MarkerBlock& block : marked.blocks) {
      context.out << block.task << " " << SolutionPath(lab, file) << ":" << block.begin_line
                  << "\n";
    }
  }
  return 0;
}

}  // namespace tessel
