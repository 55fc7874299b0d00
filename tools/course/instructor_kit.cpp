// `tessel instructor`: writes the Classroom workflow or the Gradescope bundle
// for one lab, reading the lab's manifest through this build's registry.
#include "tools/course/instructor_kit.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tools/course/grade_command.h"
#include "tools/course/subprocess.h"

namespace tessel::course {

namespace fs = std::filesystem;

namespace {

bool WriteText(const fs::path& path, const std::string& text, bool executable) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "tessel instructor: error: cannot write " << path.string() << "\n";
    return false;
  }
  if (executable) {
    fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add, ec);
  }
  return true;
}

// Files to copy: git's list when `source` is a checkout, else a walk without build folders.
bool ListRepository(const fs::path& source, std::vector<std::string>* files) {
  ProcessResult git = RunProcess({"git", "-C", source.string(), "ls-files", "-z", "--cached",
                                  "--others", "--exclude-standard"},
                                 60, size_t{64} << 20);
  if (git.exit_code == 0) {
    std::istringstream in(git.output);
    for (std::string file; std::getline(in, file, '\0');) files->push_back(file);
    return true;
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(source, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (it->is_directory() && (name == ".git" || name.rfind("build", 0) == 0)) {
      it.disable_recursion_pending();
    } else if (it->is_regular_file()) {
      files->push_back(fs::relative(it->path(), source).string());
    }
  }
  return !ec;
}

int Classroom(const InstructorOptions& options, const Manifest& manifest) {
  std::string solutions = options.solutions.empty() ? "none" : options.solutions;
  std::string workflow = ClassroomWorkflow(manifest, solutions, options.scoring);
  if (options.out.empty()) {
    std::cout << workflow;
    return 0;
  }
  if (!WriteText(options.out, workflow, false)) return 1;
  std::cerr << "wrote " << options.out << " (" << manifest.tasks.size() << " grader steps, "
            << FormatPoints(manifest.total) << " points, "
            << (options.scoring == "task" ? "all or nothing per task" : "points per test passed")
            << ")\n";
  return 0;
}

int Gradescope(const InstructorOptions& options, const Registry& registry, const LabEntry& lab,
               const Manifest& manifest) {
  if (options.out.empty()) {
    std::cerr << "tessel instructor: error: gradescope needs --out DIR\n";
    return 2;
  }
  fs::path out = options.out;
  std::string solutions = OtherLabSolutions(registry, lab.lab);
  size_t copied = 0;
  std::string error;
  bool ok =
      WriteText(out / "setup.sh", GradescopeSetupScript(manifest, lab, solutions), true) &&
      WriteText(out / "run_autograder", RunAutograderScript(manifest, lab, solutions), true) &&
      WriteText(out / "README.md", GradescopeReadme(manifest, lab), false);
  if (ok && !CopyRepository(registry.source_dir, (out / "tessel").string(), &copied, &error)) {
    std::cerr << "tessel instructor: error: " << error << "\n";
    ok = false;
  }
  if (!ok) return 1;
  std::cerr << "wrote " << out.string() << ": setup.sh, run_autograder, README.md and tessel/ ("
            << copied << " files)\nnext: cd " << out.string() << " && zip -qr ../" << lab.lab
            << "-autograder.zip setup.sh run_autograder tessel\n";
  return 0;
}

}  // namespace

std::string OtherLabSolutions(const Registry& registry, const std::string& lab) {
  std::string list;
  for (const LabEntry& entry : registry.labs) {
    if (entry.lab == lab || !fs::exists(fs::path(registry.source_dir) / "solutions" / entry.dir)) {
      continue;
    }
    list += (list.empty() ? "" : ";") + entry.lab;
  }
  return list.empty() ? "none" : list;
}

bool CopyRepository(const std::string& source_dir, const std::string& dest, size_t* copied,
                    std::string* error) {
  fs::path source = source_dir, target = dest;
  std::vector<std::string> files;
  if (!ListRepository(source, &files)) {
    *error = "cannot list the files of " + source_dir;
    return false;
  }
  fs::path target_abs = fs::weakly_canonical(target);
  for (const std::string& file : files) {
    fs::path from = source / file, to = target / file;
    std::error_code ec;
    if (!fs::is_regular_file(from, ec)) continue;  // deleted but still tracked
    if (fs::weakly_canonical(from).string().rfind(target_abs.string() + "/", 0) == 0) continue;
    fs::create_directories(to.parent_path(), ec);
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      *error = "cannot copy " + from.string() + " to " + to.string() + ": " + ec.message();
      return false;
    }
    ++*copied;
  }
  return true;
}

int InstructorCommand(const InstructorOptions& options) {
  Registry registry;
  const LabEntry* lab = nullptr;
  Manifest manifest;
  std::string error;
  if (!LoadLab(options.lab, &registry, &lab, &manifest, &error)) {
    std::cerr << "tessel instructor: error: " << error << "\n";
    return 2;
  }
  if (options.kind == "classroom") return Classroom(options, manifest);
  return Gradescope(options, registry, *lab, manifest);
}

}  // namespace tessel::course
