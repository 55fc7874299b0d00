// Section references (docs_sections.h): a reference takes its file from the
// words just before the `§`, in the forms the docs use:
//   `docs/tpu.md` §8.1    docs/language.md §7    [tpu](../docs/tpu.md) §1–§7
//   lab01 §4.6            README §4.3 (in a lab: its handout)    §2.1 (this file)
#include "tools/course/docs_sections.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tools/course/docs_lint.h"

namespace tessel::course {

namespace fs = std::filesystem;

namespace {

std::string Normalize(const fs::path& path) { return path.lexically_normal().generic_string(); }

// The text before a reference, without the spaces, backticks and brackets around the word.
std::string TrimRight(std::string text) {
  while (!text.empty() && std::string(" \t`*([").find(text.back()) != std::string::npos) {
    text.pop_back();
  }
  return text;
}

// The last word of `text` (after the last space).
std::string LastWord(const std::string& text) {
  size_t space = text.find_last_of(" \t(`[\"'");
  return space == std::string::npos ? text : text.substr(space + 1);
}

// True when the text between two references joins them: "–", "-", ",", "and", "or", "to".
bool Joins(const std::string& between) {
  static const std::regex kJoin(R"(^\s*(–|-|,|and|or|to|&)?\s*$)");
  return std::regex_match(between, kJoin);
}

}  // namespace

std::map<std::string, std::string> HeadingTitles(const std::string& markdown) {
  // "## 4." "### 4.3 Title" "#### 3.4.1 Title"; appendices "## A. Title" "### A.1 Title" (a
  // letter needs its dot, so "# T" is not a section).
  static const std::regex kHeading(
      R"(^#{1,6}\s+([0-9]+(?:\.[0-9]+)*|[A-Z](?=\.)(?:\.[0-9]+)*)\.?(?:\s+(.*?))?\s*$)");
  std::map<std::string, std::string> titles;
  std::istringstream in(markdown);
  bool fenced = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("```") || line.starts_with("~~~")) fenced = !fenced;
    std::smatch match;
    if (!fenced && std::regex_match(line, match, kHeading)) titles[match[1].str()] = match[2].str();
  }
  return titles;
}

std::set<std::string> HeadingNumbers(const std::string& markdown) {
  std::set<std::string> numbers;
  for (const auto& [number, title] : HeadingTitles(markdown)) numbers.insert(number);
  return numbers;
}

SectionIndex::SectionIndex(std::string source_dir, std::map<std::string, std::string> labs)
    : source_dir_(std::move(source_dir)), labs_(std::move(labs)) {}

std::string SectionIndex::HandoutOf(const std::string& file) const {
  for (const auto& [lab, dir] : labs_) {
    if (file.starts_with(dir + "/") || file.starts_with("solutions/" + dir + "/")) {
      return dir + "/README.md";
    }
  }
  return "";
}

std::string SectionIndex::FileBefore(const std::string& before, const std::string& file) const {
  std::string text = TrimRight(before);
  // A Markdown link to a document: [text](target.md) — relative to this file's folder.
  if (!text.empty() && text.back() == ')') {
    size_t open = text.rfind("](");
    std::string target =
        open == std::string::npos ? "" : text.substr(open + 2, text.size() - open - 3);
    if (target.ends_with(".md")) return Normalize(fs::path(file).parent_path() / target);
    return "";  // a link to a program or folder: the reference is to this file
  }
  std::string word = TrimRight(LastWord(text));
  if (word.ends_with(".md")) {
    if (fs::exists(fs::path(source_dir_) / word)) return Normalize(word);
    return Normalize(fs::path(file).parent_path() / word);
  }
  if (labs_.count(word)) return labs_.at(word) + "/README.md";
  if (word == "README") {
    std::string handout = HandoutOf(file);
    return handout.empty() ? "README.md" : handout;
  }
  return "";
}

std::vector<SectionRef> SectionIndex::Find(const std::string& line, const std::string& file,
                                           bool bare_is_local) const {
  static const std::regex kRef(R"(§\s?([0-9]+|[A-Z](?=\.))((?:\.[0-9]+)*)\b)");
  std::vector<SectionRef> refs;
  size_t previous_end = std::string::npos;
  std::string previous_file;
  for (auto it = std::sregex_iterator(line.begin(), line.end(), kRef); it != std::sregex_iterator();
       ++it) {
    size_t at = static_cast<size_t>(it->position());
    std::string target = FileBefore(line.substr(0, at), file);
    if (target.empty() && previous_end != std::string::npos &&
        Joins(line.substr(previous_end, at - previous_end))) {
      target = previous_file;
    }
    if (target.empty() && bare_is_local) target = file;
    previous_end = at + static_cast<size_t>(it->length());
    previous_file = target;
    if (!target.empty()) refs.push_back({target, (*it)[1].str() + (*it)[2].str(), at});
  }
  return refs;
}

const std::map<std::string, std::string>* SectionIndex::Headings(const std::string& file) const {
  auto [it, inserted] = headings_.try_emplace(file);
  if (inserted) {
    std::ifstream in(fs::path(source_dir_) / file);
    if (in) {
      std::ostringstream text;
      text << in.rdbuf();
      it->second = HeadingTitles(text.str());
    }
  }
  return it->second ? &*it->second : nullptr;
}

std::optional<std::string> SectionIndex::Title(const std::string& file,
                                               const std::string& section) const {
  const std::map<std::string, std::string>* headings = Headings(file);
  if (!headings || !headings->count(section)) return std::nullopt;
  return headings->at(section);
}

std::optional<std::string> SectionIndex::Check(const SectionRef& ref) const {
  const std::map<std::string, std::string>* headings = Headings(ref.file);
  if (!headings) return "§" + ref.section + " refers to " + ref.file + ", which does not exist";
  if (headings->count(ref.section)) return std::nullopt;
  return ref.file + " has no §" + ref.section + " (no heading numbered " + ref.section + ")";
}

}  // namespace tessel::course
