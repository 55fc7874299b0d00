// Reads and validates labNN_*/lab.json. Every problem is reported with the
// manifest's path and the task it concerns, so an instructor editing points
// or test globs sees all mistakes in one run.
#include "tools/course/manifest.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace tessel::course {

using nlohmann::json;

namespace {

// Collects validation errors for one manifest.
class Checker {
 public:
  explicit Checker(std::string path) : path_(std::move(path)) {}

  void Error(const std::string& where, const std::string& message) {
    errors_.push_back(path_ + ": " + (where.empty() ? "" : where + ": ") + message);
  }
  bool ok() const { return errors_.empty(); }
  std::string Joined() const {
    std::string out;
    for (const std::string& e : errors_) out += (out.empty() ? "" : "\n") + e;
    return out;
  }

  // Reads a required string member.
  std::string String(const json& obj, const char* key, const std::string& where,
                     bool required = true) {
    if (!obj.contains(key)) {
      if (required) Error(where, std::string("missing \"") + key + "\"");
      return "";
    }
    if (!obj[key].is_string() || obj[key].get<std::string>().empty()) {
      Error(where, std::string("\"") + key + "\" must be a non-empty string");
      return "";
    }
    return obj[key].get<std::string>();
  }

  // Reads a required non-negative number.
  double Number(const json& obj, const char* key, const std::string& where) {
    if (!obj.contains(key) || !obj[key].is_number() || obj[key].get<double>() < 0) {
      Error(where, std::string("\"") + key + "\" must be a non-negative number");
      return 0;
    }
    return obj[key].get<double>();
  }

  // Reads an array of non-empty strings; `required` also demands at least one.
  std::vector<std::string> Strings(const json& obj, const char* key, const std::string& where,
                                   bool required) {
    std::vector<std::string> out;
    if (!obj.contains(key)) {
      if (required) Error(where, std::string("missing \"") + key + "\"");
      return out;
    }
    const json& arr = obj[key];
    bool well_formed = arr.is_array();
    for (size_t i = 0; well_formed && i < arr.size(); ++i) {
      if (!arr[i].is_string() || arr[i].get<std::string>().empty())
        well_formed = false;
      else
        out.push_back(arr[i].get<std::string>());
    }
    if (!well_formed) Error(where, std::string("\"") + key + "\" must be an array of strings");
    if (well_formed && required && out.empty()) {
      Error(where, std::string("\"") + key + "\" must not be empty");
    }
    return out;
  }

  // Reports members of `obj` that are not in `known` (catches typos like "point").
  void NoUnknownKeys(const json& obj, const std::set<std::string>& known,
                     const std::string& where) {
    for (const auto& [key, value] : obj.items()) {
      if (!known.count(key)) Error(where, "unknown key \"" + key + "\"");
    }
  }

 private:
  std::string path_;
  std::vector<std::string> errors_;
};

std::map<std::string, std::string> ReadHints(const json& obj, const std::string& where,
                                             Checker& check) {
  std::map<std::string, std::string> hints;
  if (!obj.contains("hints")) return hints;
  if (!obj["hints"].is_object()) {
    check.Error(where, "\"hints\" must be an object mapping test names to hints");
    return hints;
  }
  for (const auto& [test, hint] : obj["hints"].items()) {
    if (!hint.is_string())
      check.Error(where, "hint for " + test + " must be a string");
    else
      hints[test] = hint.get<std::string>();
  }
  return hints;
}

Task ReadTask(const json& obj, const std::string& lab, size_t index, Checker& check) {
  Task task;
  std::string where = "task " + std::to_string(index + 1);
  if (!obj.is_object()) {
    check.Error(where, "must be an object");
    return task;
  }
  task.id = check.String(obj, "id", where);
  if (!task.id.empty()) where = "task " + task.id;
  if (!task.id.empty() && task.id.rfind(lab + ".t", 0) != 0) {
    check.Error(where, "task ids must start with \"" + lab + ".t\"");
  }
  check.NoUnknownKeys(
      obj, {"id", "title", "points", "section", "parent", "tests", "hidden", "hint", "hints"},
      where);
  task.title = check.String(obj, "title", where);
  task.points = check.Number(obj, "points", where);
  task.section = check.String(obj, "section", where);
  task.parent = check.String(obj, "parent", where, /*required=*/false);
  task.tests = check.Strings(obj, "tests", where, /*required=*/true);
  task.hidden = check.Strings(obj, "hidden", where, /*required=*/false);
  task.hint = check.String(obj, "hint", where);
  task.hints = ReadHints(obj, where, check);
  return task;
}

Challenge ReadChallenge(const json& obj, const std::string& lab, size_t index, Checker& check) {
  Challenge challenge;
  std::string where = "challenge " + std::to_string(index + 1);
  if (!obj.is_object()) {
    check.Error(where, "must be an object");
    return challenge;
  }
  challenge.id = check.String(obj, "id", where);
  if (!challenge.id.empty()) where = "challenge " + challenge.id;
  if (!challenge.id.empty() && challenge.id.rfind(lab + ".c", 0) != 0) {
    check.Error(where, "challenge ids must start with \"" + lab + ".c\"");
  }
  check.NoUnknownKeys(obj, {"id", "title", "section"}, where);
  challenge.title = check.String(obj, "title", where);
  challenge.section = check.String(obj, "section", where);
  return challenge;
}

// Cross-task rules: unique ids, parents that come earlier, hidden globs inside tests.
void CheckTasks(const Manifest& m, Checker& check) {
  std::set<std::string> seen;
  for (const Task& task : m.tasks) {
    if (task.id.empty()) continue;
    if (!seen.insert(task.id).second) check.Error("task " + task.id, "duplicate task id");
    if (!task.parent.empty() && (!seen.count(task.parent) || task.parent == task.id)) {
      check.Error("task " + task.id,
                  "parent \"" + task.parent + "\" must be a task listed before this one");
    }
    for (const std::string& glob : task.hidden) {
      bool covered = false;
      for (const std::string& test : task.tests) covered = covered || GlobMatch(test, glob);
      if (!covered) {
        check.Error("task " + task.id, "hidden glob \"" + glob + "\" is not one of its tests");
      }
    }
  }
}

}  // namespace

bool Task::Owns(std::string_view test) const {
  for (const std::string& glob : tests) {
    if (GlobMatch(glob, test)) return true;
  }
  return false;
}

bool Task::IsHidden(std::string_view test) const {
  for (const std::string& glob : hidden) {
    if (GlobMatch(glob, test)) return true;
  }
  return false;
}

const std::string& Task::HintFor(const std::string& test) const {
  auto it = hints.find(test);
  return it != hints.end() ? it->second : hint;
}

const Task* Manifest::FindTask(std::string_view id) const {
  int index = TaskIndex(id);
  return index < 0 ? nullptr : &tasks[index];
}

int Manifest::TaskIndex(std::string_view id) const {
  for (size_t i = 0; i < tasks.size(); ++i) {
    const std::string& t = tasks[i].id;
    bool short_form = t.size() > id.size() && t.compare(t.size() - id.size(), id.size(), id) == 0 &&
                      t[t.size() - id.size() - 1] == '.';
    if (t == id || short_form) return static_cast<int>(i);
  }
  return -1;
}

const Task* Manifest::TaskForTest(std::string_view test) const {
  for (const Task& task : tasks) {
    if (task.Owns(test)) return &task;
  }
  return nullptr;
}

std::string Manifest::SectionRef(const Task& task) const { return handout + " §" + task.section; }

bool ParseManifest(const std::string& text, const std::string& path, Manifest* out,
                   std::string* error) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    *error = path + ": not a JSON object (check commas and quotes)";
    return false;
  }
  Checker check(path);
  Manifest m;
  check.NoUnknownKeys(doc, {"lab", "title", "handout", "files", "total", "tasks", "challenges"},
                      "");
  m.lab = check.String(doc, "lab", "");
  m.title = check.String(doc, "title", "");
  m.handout = check.String(doc, "handout", "");
  m.files = check.Strings(doc, "files", "", /*required=*/true);
  m.total = check.Number(doc, "total", "");
  if (!doc.contains("tasks") || !doc["tasks"].is_array() || doc["tasks"].empty()) {
    check.Error("", "\"tasks\" must be a non-empty array");
  } else {
    for (size_t i = 0; i < doc["tasks"].size(); ++i) {
      m.tasks.push_back(ReadTask(doc["tasks"][i], m.lab, i, check));
    }
  }
  if (doc.contains("challenges")) {
    if (!doc["challenges"].is_array()) {
      check.Error("", "\"challenges\" must be an array");
    } else {
      for (size_t i = 0; i < doc["challenges"].size(); ++i) {
        m.challenges.push_back(ReadChallenge(doc["challenges"][i], m.lab, i, check));
      }
    }
  }
  CheckTasks(m, check);
  if (!check.ok()) {
    *error = check.Joined();
    return false;
  }
  *out = std::move(m);
  return true;
}

// The hints of hidden tests live beside them, in tests/hidden/hints.json ({"Suite.Name":
// "hint"}), which the student release leaves out with the tests: lab.json would show them.
bool AddHiddenHints(const std::string& path, Manifest* m, std::string* error) {
  std::ifstream in(path);
  if (!in) return true;  // none, or a student release
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    *error = path + ": not a JSON object mapping hidden test names to hints";
    return false;
  }
  for (const auto& [test, hint] : doc.items()) {
    Task* task = nullptr;
    for (Task& t : m->tasks) task = task ? task : (t.Owns(test) ? &t : nullptr);
    if (!hint.is_string() || !task || !task->IsHidden(test)) {
      *error =
          path + ": " + test + " is not a hidden test of any task (or its hint is not a string)";
      return false;
    }
    task->hints[test] = hint.get<std::string>();
  }
  return true;
}

bool LoadManifest(const std::string& path, Manifest* out, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read the lab manifest " + path;
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (!ParseManifest(text.str(), path, out, error)) return false;
  // A hint in lab.json for a hidden test would show the test in every student's copy.
  for (const Task& task : out->tasks) {
    for (const auto& [test, hint] : task.hints) {
      if (task.IsHidden(test)) {
        *error = path + ": task " + task.id + ": the hint for hidden test " + test +
                 " belongs in tests/hidden/hints.json, which student releases leave out";
        return false;
      }
    }
  }
  std::string dir = path.substr(0, path.find_last_of('/') + 1);
  return AddHiddenHints(dir + "tests/hidden/hints.json", out, error);
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative matcher with backtracking to the last '*' (linear in practice).
  size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++, resume = t;
    } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p, ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1, t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string RerunCommand(const std::string& build_dir, const std::string& test) {
  std::string regex;  // the test name with the regex metacharacters it may hold escaped
  for (char c : test) {
    if (c == '.' || c == '[' || c == ']' || c == '(' || c == ')' || c == '+' || c == '*') {
      regex += '\\';
    }
    regex += c;
  }
  return "ctest --test-dir " + build_dir + " -R '^" + regex + "$' --output-on-failure";
}

std::string FormatPoints(double points) {
  double rounded = std::round(points * 100) / 100;
  std::ostringstream out;
  out << rounded;
  return out.str();
}

}  // namespace tessel::course
