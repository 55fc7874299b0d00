// The docs lint (docs_lint.h). One pass over each document: Markdown lines are
// classified as fenced code or text; commands come from code (fences and code
// spans), test names and paths from code spans and links, section references
// from everything (docs_sections.h). Manifests and C++ sources are checked for
// their section references; docs/course.md's status table against the tree.
#include "tools/course/docs_lint.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tools/course/docs_sections.h"
#include "tools/course/manifest.h"

namespace tessel::course {

namespace fs = std::filesystem;

namespace {

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t");
  size_t end = text.find_last_not_of(" \t\r");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

bool IsPlaceholder(const std::string& word) {
  static const std::regex kCaps(R"([A-Z][A-Z0-9_]*)");
  return std::regex_match(word, kCaps);
}

// The text of each `code span` of a line of Markdown text.
std::vector<std::string> CodeSpans(const std::string& line) {
  std::vector<std::string> spans;
  for (size_t open = line.find('`'); open != std::string::npos;) {
    size_t close = line.find('`', open + 1);
    if (close == std::string::npos) break;
    spans.push_back(line.substr(open + 1, close - open - 1));
    open = line.find('`', close + 1);
  }
  return spans;
}

// The pieces of a shell line that run one program: split at && || ; and " | ".
std::vector<std::string> ShellPieces(std::string line) {
  size_t comment = line.find(" #");
  if (comment != std::string::npos) line.resize(comment);
  static const std::regex kSeparator(R"(\s*(&&|\|\||;|\s\|\s)\s*)");
  std::vector<std::string> pieces;
  std::sregex_token_iterator it(line.begin(), line.end(), kSeparator, -1), end;
  for (; it != end; ++it) pieces.push_back(Trim(*it));
  return pieces;
}

// The words after the program when `piece` runs tessel or tessel-grade; nullopt otherwise.
std::optional<std::vector<std::string>> TesselArgs(std::string piece) {
  if (piece.starts_with("$ ")) piece = piece.substr(2);
  std::vector<std::string> words;
  for (const std::string& word : SplitCommand(piece)) {
    if (word == ">" || word == "<" || word == "2>&1" || word == ">>") break;  // redirections
    words.push_back(word.starts_with("$") ? "X" : word);                      // shell variables
  }
  if (words.empty()) return std::nullopt;
  const std::string& program = words[0];
  bool tessel = program == "tessel" || program.ends_with("/tessel") || program == "tessel-grade" ||
                program.ends_with("/tessel-grade");
  if (!tessel || words.size() < 2) return std::nullopt;
  std::vector<std::string> args(words.begin() + 1, words.end());
  // `tessel-grade lab01` is short for `tessel-grade grade lab01` (tessel_grade_main.cpp).
  if (program.ends_with("tessel-grade") && args[0].starts_with("lab")) {
    args.insert(args.begin(), "grade");
  }
  return args;
}

// A word of the form Suite.Name or Suite.* (a GoogleTest or CTest test name).
const std::regex& TestNamePattern() {
  static const std::regex kTest(R"(\b([A-Z][A-Za-z0-9]*)\.([A-Z][A-Za-z0-9]*|\*)(?![\w/]))");
  return kTest;
}

class DocsLinter {
 public:
  explicit DocsLinter(const DocsLintInputs& in);
  std::vector<std::string> Run();

 private:
  void LintMarkdown(const std::string& file);
  void LintFencedLine(const std::string& file, int line_no, const std::string& line);
  void LintParagraph(const std::string& file,
                     const std::vector<std::pair<int, std::string>>& lines);
  void LintOutputBlock(const std::string& file, std::vector<std::string>& lines, size_t marker);
  void LintCommand(const std::string& where, const std::string& piece, const std::string& line);
  void LintTestNames(const std::string& where, const std::string& text);
  void LintPath(const std::string& where, const std::string& file, std::string path);
  void LintSections(const std::string& where, const std::string& file, const std::string& text,
                    bool bare_is_local);
  void LintManifest(const std::string& lab, const std::string& dir);
  void LintSources();
  void LintStatusTable();
  void LintLabFileTable();

  std::string Where(const std::string& file, int line_no) const {
    return file + ":" + std::to_string(line_no);
  }
  void Problem(const std::string& where, const std::string& message) {
    problems_.push_back(where + ": " + message);
  }

  const DocsLintInputs& in_;
  fs::path root_;
  bool release_;                             // no solutions/: hidden tests and solutions absent
  std::map<std::string, std::string> labs_;  // lab01 -> lab01_lexer_parser
  std::set<std::string> suites_;             // the suites of in_.tests
  SectionIndex sections_;
  std::vector<std::string> problems_;
};

std::map<std::string, std::string> FindLabs(const fs::path& root) {
  static const std::regex kLabDir(R"(lab([0-9]{2})_[a-z0-9_]+)");
  std::map<std::string, std::string> labs;
  for (const fs::directory_entry& entry : fs::directory_iterator(root)) {
    std::smatch match;
    std::string name = entry.path().filename().string();
    if (entry.is_directory() && std::regex_match(name, match, kLabDir) &&
        fs::exists(entry.path() / "lab.json")) {
      labs["lab" + match[1].str()] = name;
    }
  }
  return labs;
}

DocsLinter::DocsLinter(const DocsLintInputs& in)
    : in_(in),
      root_(in.source_dir),
      release_(!fs::exists(root_ / "solutions")),
      labs_(FindLabs(root_)),
      sections_(in.source_dir, labs_) {
  for (const std::string& test : in.tests) suites_.insert(test.substr(0, test.find('.')));
}

std::vector<std::string> DocsLinter::Run() {
  std::vector<std::string> docs = {"README.md"};
  std::vector<std::string> guides;
  for (const fs::directory_entry& entry : fs::directory_iterator(root_ / "docs")) {
    if (entry.path().extension() == ".md")
      guides.push_back("docs/" + entry.path().filename().string());
  }
  std::sort(guides.begin(), guides.end());
  docs.insert(docs.end(), guides.begin(), guides.end());
  for (const auto& [lab, dir] : labs_) docs.push_back(dir + "/README.md");
  for (const std::string& doc : docs) LintMarkdown(doc);
  for (const auto& [lab, dir] : labs_) LintManifest(lab, dir);
  LintSources();
  LintStatusTable();
  LintLabFileTable();
  return problems_;
}

void DocsLinter::LintMarkdown(const std::string& file) {
  std::vector<std::string> lines = Lines(ReadText(root_ / file));
  const std::vector<std::string> original = lines;
  static const std::regex kMarker(R"(^<!-- output: (.*) -->\s*$)");
  bool fenced = false;
  std::vector<std::pair<int, std::string>> paragraph;  // text lines, joined for code spans
  auto flush = [&] {
    if (!paragraph.empty()) LintParagraph(file, paragraph);
    paragraph.clear();
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string line = lines[i];
    if (Trim(line).starts_with("```") || Trim(line).starts_with("~~~")) {
      flush();
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      std::string joined = line;  // a command continued with a trailing backslash
      for (size_t j = i; !joined.empty() && joined.back() == '\\' && j + 1 < lines.size(); ++j) {
        joined.pop_back();
        joined += " " + Trim(lines[j + 1]);
      }
      LintFencedLine(file, static_cast<int>(i + 1), joined);
      continue;
    }
    if (std::regex_match(line, kMarker)) LintOutputBlock(file, lines, i);
    bool breaks = Trim(line).empty() || line.starts_with("#") || Trim(line).starts_with("|");
    if (breaks) flush();
    paragraph.emplace_back(static_cast<int>(i + 1), line);
    if (breaks) flush();
  }
  flush();
  if (lines != original) {
    std::ofstream out(root_ / file);
    for (const std::string& line : lines) out << line << "\n";
  }
}

void DocsLinter::LintFencedLine(const std::string& file, int line_no, const std::string& line) {
  std::string where = Where(file, line_no);
  for (const std::string& piece : ShellPieces(line)) LintCommand(where, piece, line);
  LintTestNames(where, line);
  LintSections(where, file, line, /*bare_is_local=*/false);
}

void DocsLinter::LintParagraph(const std::string& file,
                               const std::vector<std::pair<int, std::string>>& lines) {
  // The lines joined by spaces (a code span or a reference may wrap), and where each starts.
  std::string text;
  std::vector<size_t> starts;
  for (const auto& [line_no, line] : lines) {
    starts.push_back(text.size());
    text += line + " ";
  }
  auto where = [&](size_t offset) {
    size_t k = std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin() - 1;
    return Where(file, lines[k].first);
  };
  for (size_t open = text.find('`'); open != std::string::npos;) {
    size_t close = text.find('`', open + 1);
    if (close == std::string::npos) break;
    std::string span = text.substr(open + 1, close - open - 1);
    LintCommand(where(open), span, text);
    LintTestNames(where(open), span);
    LintPath(where(open), file, span);
    open = text.find('`', close + 1);
  }
  static const std::regex kLink(R"(\]\(([^)\s]+)\))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kLink);
       it != std::sregex_iterator(); ++it) {
    LintPath(where(it->position()), file, (*it)[1].str());
  }
  for (const SectionRef& ref : sections_.Find(text, file, /*bare_is_local=*/true)) {
    if (std::optional<std::string> problem = sections_.Check(ref)) {
      Problem(where(ref.offset), *problem);
    }
  }
}

void DocsLinter::LintCommand(const std::string& where, const std::string& piece,
                             const std::string& line) {
  if (!in_.check_command || line.find("planned") != std::string::npos) return;
  std::optional<std::vector<std::string>> args = TesselArgs(piece);
  if (!args) return;
  for (const std::vector<std::string>& variant : CommandVariants(*args)) {
    if (std::optional<std::string> error = in_.check_command(variant)) {
      std::string shown = "tessel";
      for (const std::string& word : variant) shown += " " + word;
      Problem(where, "`" + shown + "`: the command line rejects it: " + *error);
      return;
    }
  }
}

void DocsLinter::LintTestNames(const std::string& where, const std::string& text) {
  if (in_.tests.empty()) return;
  const std::regex& pattern = TestNamePattern();
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
       it != std::sregex_iterator(); ++it) {
    std::string suite = (*it)[1].str(), name = (*it)[2].str();
    bool looks_like_test = suite.ends_with("Test") || suites_.count(suite) > 0;
    if (!looks_like_test || (release_ && suite.starts_with("Hidden"))) continue;
    std::string glob = suite + "." + name;
    bool found = false;
    for (const std::string& test : in_.tests) found = found || GlobMatch(glob, test);
    if (!found) Problem(where, "no test is named " + glob);
  }
}

void DocsLinter::LintPath(const std::string& where, const std::string& file, std::string path) {
  static const std::regex kRepoPath(
      R"(^(\.\./|\./)?(README\.md|docs|stages|solutions|tools|bench|cmake|examples|fuzz|\.ci|lab[0-9]{2}_[a-z0-9_]+|tests)(/[A-Za-z0-9_.\-/]*)?$)");
  path = path.substr(0, path.find('#'));
  static const std::regex kLineSuffix(R"(:[0-9]+(:[0-9]+)?$)");
  path = std::regex_replace(path, kLineSuffix, "");
  if (path.empty() || !std::regex_match(path, kRepoPath)) return;
  // tests/... names a lab's own folder in its handout; elsewhere it is any lab's (generic).
  if (path.starts_with("tests") && sections_.HandoutOf(file).empty()) return;
  // A student release leaves out the solutions, the hidden tests and the course's own CI.
  if (release_ && (path.starts_with("solutions") || path.starts_with(".ci") ||
                   path.find("tests/hidden") != path.npos)) {
    return;
  }
  fs::path from_root = root_ / path;
  fs::path from_file = root_ / fs::path(file).parent_path() / path;
  if (fs::exists(from_root) || fs::exists(from_file)) return;
  if (fs::exists(root_ / (path + ".cpp"))) return;  // a program, named after its source
  Problem(where, "no file or folder " + path + " in the repository");
}

void DocsLinter::LintSections(const std::string& where, const std::string& file,
                              const std::string& text, bool bare_is_local) {
  for (const SectionRef& ref : sections_.Find(text, file, bare_is_local)) {
    if (std::optional<std::string> problem = sections_.Check(ref)) Problem(where, *problem);
  }
}

// A fenced block right after `<!-- output: COMMAND -->` must be what COMMAND prints now
// (after an optional first line "$ COMMAND"); with `update` it is rewritten.
void DocsLinter::LintOutputBlock(const std::string& file, std::vector<std::string>& lines,
                                 size_t marker) {
  std::string where = Where(file, static_cast<int>(marker + 1));
  std::string command = Trim(lines[marker].substr(13, lines[marker].rfind("-->") - 13));
  size_t open = marker + 1;
  if (open >= lines.size() || !Trim(lines[open]).starts_with("```")) {
    return Problem(where, "an output marker must be followed by a fenced block");
  }
  size_t close = open + 1;
  while (close < lines.size() && !Trim(lines[close]).starts_with("```")) ++close;
  if (close == lines.size()) return Problem(where, "the output block is not closed");
  if (!in_.run_output) return;
  std::optional<std::string> output = in_.run_output(command);
  if (!output) return Problem(where, "cannot run `" + command + "`");
  size_t first = open + 1;
  bool prompt = first < close && lines[first].starts_with("$ ");
  std::vector<std::string> shown(lines.begin() + first + prompt, lines.begin() + close);
  std::vector<std::string> actual = Lines(*output);
  for (std::string& line : actual) line = line.substr(0, line.find_last_not_of(" \t") + 1);
  for (std::string& line : shown) line = line.substr(0, line.find_last_not_of(" \t") + 1);
  if (shown == actual) return;
  if (in_.update) {
    lines.erase(lines.begin() + first + prompt, lines.begin() + close);
    lines.insert(lines.begin() + first + prompt, actual.begin(), actual.end());
    return;
  }
  size_t differ = 0;
  while (differ < shown.size() && differ < actual.size() && shown[differ] == actual[differ])
    ++differ;
  Problem(where, "the output of `" + command + "` has changed (first at block line " +
                     std::to_string(differ + 1) + ": now \"" +
                     (differ < actual.size() ? actual[differ] : "<end>") +
                     "\"); run `tessel lint-docs --update` to regenerate it");
}

// Task and challenge sections, and the references in hints, resolve in the handout.
void DocsLinter::LintManifest(const std::string& lab, const std::string& dir) {
  Manifest manifest;
  std::string error, file = dir + "/lab.json";
  if (!LoadManifest((root_ / file).string(), &manifest, &error)) return Problem(file, error);
  auto check = [&](const std::string& what, const std::string& section) {
    if (auto problem = sections_.Check({manifest.handout, section}))
      Problem(file, what + ": " + *problem);
  };
  for (const Task& task : manifest.tasks) {
    check(task.id, task.section);
    // The section's heading is the task's title, optionally with "(id, N points)" after it.
    std::optional<std::string> title = sections_.Title(manifest.handout, task.section);
    std::string with_points = task.title + " (" + task.id + ", " + FormatPoints(task.points) +
                              (task.points == 1 ? " point)" : " points)");
    if (title && *title != task.title && *title != with_points) {
      Problem(file, task.id + ": " + manifest.handout + " §" + task.section + " is titled \"" +
                        *title + "\", but the task is \"" + task.title + "\" (or \"" + with_points +
                        "\")");
    }
    for (const auto& [test, hint] : task.hints)
      LintSections(file + " (" + test + ")", file, hint, false);
    LintSections(file + " (" + task.id + ")", file, task.hint, false);
  }
  for (const Challenge& challenge : manifest.challenges) check(challenge.id, challenge.section);
  (void)lab;
}

// Comments and strings of the C++ sources: references with an explicit file
// ("docs/language.md §4.3", or "README §4.3" in a lab's files).
void DocsLinter::LintSources() {
  for (const char* top : {"stages", "solutions", "bench", "fuzz"}) {
    if (!fs::exists(root_ / top)) continue;
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root_ / top)) {
      std::string ext = entry.path().extension().string();
      if (ext != ".cpp" && ext != ".h" && ext != ".def" && ext != ".tsl") continue;
      std::string file = fs::relative(entry.path(), root_).generic_string();
      std::vector<std::string> lines = Lines(ReadText(entry.path()));
      for (size_t i = 0; i < lines.size(); ++i) {
        LintSections(Where(file, static_cast<int>(i + 1)), file, lines[i], false);
      }
    }
  }
  for (const auto& [lab, dir] : labs_) {
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root_ / dir)) {
      std::string ext = entry.path().extension().string();
      if (ext != ".cpp" && ext != ".h") continue;
      std::string file = fs::relative(entry.path(), root_).generic_string();
      std::vector<std::string> lines = Lines(ReadText(entry.path()));
      for (size_t i = 0; i < lines.size(); ++i) {
        LintSections(Where(file, static_cast<int>(i + 1)), file, lines[i], false);
      }
    }
  }
}

// docs/course.md's status table: "| lab03 ... | planned |" rows against the lab folders,
// and back-end rows with a probe command against the command line.
void DocsLinter::LintStatusTable() {
  const std::string file = "docs/course.md";
  std::vector<std::string> lines = Lines(ReadText(root_ / file));
  static const std::regex kRow(R"(^\|\s*(.*?)\s*\|\s*(available|planned)\s*\|\s*(.*?)\s*\|\s*$)");
  static const std::regex kLabId(R"(^lab([0-9]{2})\b)");
  int rows = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch row, lab;
    if (!std::regex_match(lines[i], row, kRow)) continue;
    ++rows;
    std::string where = Where(file, static_cast<int>(i + 1)), part = row[1].str();
    bool available = row[2].str() == "available";
    if (std::regex_search(part, lab, kLabId)) {
      bool exists = labs_.count("lab" + lab[1].str()) > 0;
      if (exists != available) {
        Problem(where, part + " is marked " + row[2].str() + " but its lab folder " +
                           (exists ? "exists" : "does not exist"));
      }
      continue;
    }
    std::vector<std::string> spans = CodeSpans(row[3].str());
    std::optional<std::vector<std::string>> probe;
    if (!spans.empty()) probe = TesselArgs(spans[0]);
    if (!probe || !in_.check_command) continue;
    bool parses = !in_.check_command(*probe).has_value();
    if (parses != available) {
      Problem(where, part + " is marked " + row[2].str() + " but `" + spans[0] + "` " +
                         (parses ? "is accepted" : "is rejected") + " by the command line");
    }
  }
  if (rows == 0)
    Problem(file, "has no status table (rows like \"| lab01 ... | available | ... |\")");
}

// README.md's table from each lab's files to the stage headers: every file of every
// manifest appears in its lab's rows, and no row names a file the manifest lacks.
void DocsLinter::LintLabFileTable() {
  static const std::regex kRow(R"(^\|\s*(lab[0-9]{2})\s*\|([^|]*)\|)");
  std::map<std::string, std::set<std::string>> listed;
  std::vector<std::string> lines = Lines(ReadText(root_ / "README.md"));
  for (const std::string& line : lines) {
    std::smatch row;
    if (!std::regex_search(line, row, kRow)) continue;
    for (const std::string& span : CodeSpans(row[2].str())) listed[row[1].str()].insert(span);
  }
  for (const auto& [lab, dir] : labs_) {
    Manifest manifest;
    std::string error;
    if (!LoadManifest((root_ / dir / "lab.json").string(), &manifest, &error)) continue;
    std::set<std::string> files(manifest.files.begin(), manifest.files.end());
    for (const std::string& file : files) {
      if (!listed[lab].count(file)) {
        Problem("README.md", "the table of lab files has no row with " + lab + "'s " + file);
      }
    }
    for (const std::string& file : listed[lab]) {
      if (!files.count(file))
        Problem("README.md", "the table lists " + file + ", not a file of " + lab);
    }
  }
}

}  // namespace

std::vector<std::vector<std::string>> CommandVariants(const std::vector<std::string>& words) {
  std::vector<std::string> base;
  for (std::string word : words) {
    word.erase(std::remove(word.begin(), word.end(), '['), word.end());
    word.erase(std::remove(word.begin(), word.end(), ']'), word.end());
    bool after_option = !base.empty() && base.back().starts_with("-");
    if (word == "..." || word == "…")
      word = after_option ? "X" : "";  // a value left out, or "more"
    if (word.empty()) continue;
    base.push_back(IsPlaceholder(word) ? "1" : word);
  }
  // One variant per alternative of the first word that has some; the rest take their first.
  std::vector<std::vector<std::string>> variants;
  size_t widest = 1;
  for (const std::string& word : base) {
    if (word.find('|') != std::string::npos && !word.starts_with("-")) {
      widest = std::max<size_t>(widest, std::count(word.begin(), word.end(), '|') + 1);
    }
  }
  for (size_t k = 0; k < widest; ++k) {
    std::vector<std::string> variant;
    for (const std::string& word : base) {
      if (word.find('|') == std::string::npos || word.starts_with("-")) {
        variant.push_back(word);
        continue;
      }
      std::vector<std::string> alternatives;
      std::istringstream in(word);
      for (std::string alt; std::getline(in, alt, '|');) alternatives.push_back(alt);
      std::string chosen = alternatives[std::min(k, alternatives.size() - 1)];
      variant.push_back(IsPlaceholder(chosen) ? "1" : chosen);
    }
    variants.push_back(variant);
  }
  return variants;
}

std::vector<std::string> SplitCommand(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  char quote = 0;
  bool any = false;
  for (char c : line) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      any = true;
    } else if (c == ' ' || c == '\t') {
      if (any || !word.empty()) words.push_back(word);
      word.clear();
      any = false;
    } else {
      word += c;
    }
  }
  if (any || !word.empty()) words.push_back(word);
  return words;
}

std::vector<std::string> LintDocs(const DocsLintInputs& inputs) { return DocsLinter(inputs).Run(); }

}  // namespace tessel::course
