// FileCheck (filecheck.h): 1) read the directives, 2) find the labels in order and cut the
// input into blocks, 3) in each block, match the directives in order, keeping the CHECK-NOTs
// until the next positive match bounds the range they must stay out of.
#include "stages/testing/filecheck.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "stages/testing/filecheck_pattern.h"

namespace tessel::testing {

namespace {

using filecheck::Compiled;
using filecheck::Piece;

enum class Kind { kCheck, kNext, kNot, kDag, kLabel };

struct Directive {
  Kind kind;
  std::string spelling;  // "CHECK-NEXT"
  std::vector<Piece> pieces;
  size_t line = 0;    // in the checks, from 1
  std::string text;   // the whole line of the checks
  size_t column = 0;  // of the pattern in `text`
};

struct Pos {
  size_t line = 0, col = 0;
  friend bool operator<(Pos a, Pos b) { return a.line != b.line ? a.line < b.line : a.col < b.col; }
};

struct Match {
  Pos begin, end;
};

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (lines.size() > 1 && lines.back().empty()) lines.pop_back();  // the final newline
  return lines;
}

class Checker {
 public:
  Checker(std::string_view input, const FileCheckOptions& options)
      : lines_(SplitLines(input)), options_(options) {}

  bool ReadDirectives(std::string_view checks);
  bool Run();
  const std::string& report() const { return report_; }

 private:
  bool RunBlock(size_t first, size_t last, Pos from, Pos limit, size_t prev_line);
  std::optional<Match> Find(const Directive& d, Pos from, Pos limit,
                            const std::vector<Match>& taken = {});
  bool CheckNots(const std::vector<const Directive*>& nots, Pos from, Pos limit);
  bool Fail(const Directive& d, const std::string& what, Pos where, const std::string& note,
            size_t width = 0);
  std::string InputContext(Pos where, size_t width) const;
  Pos End() const { return {lines_.size() - 1, lines_.back().size()}; }

  std::vector<std::string> lines_;
  const FileCheckOptions& options_;
  std::vector<Directive> directives_;
  std::map<std::string, std::string> variables_;
  std::string report_;
};

// 1) Every line holding PREFIX:, PREFIX-NEXT:, ... is a directive.
bool Checker::ReadDirectives(std::string_view checks) {
  static const std::pair<const char*, Kind> kSuffixes[] = {{":", Kind::kCheck},
                                                           {"-NEXT:", Kind::kNext},
                                                           {"-NOT:", Kind::kNot},
                                                           {"-DAG:", Kind::kDag},
                                                           {"-LABEL:", Kind::kLabel}};
  std::vector<std::string> lines = SplitLines(checks);
  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string& line = lines[n];
    for (size_t at = line.find(options_.prefix); at != std::string::npos;
         at = line.find(options_.prefix, at + 1)) {
      std::string_view after = std::string_view(line).substr(at + options_.prefix.size());
      auto suffix = std::find_if(std::begin(kSuffixes), std::end(kSuffixes),
                                 [&](const auto& s) { return after.starts_with(s.first); });
      if (suffix == std::end(kSuffixes)) continue;
      std::string spelling = options_.prefix + std::string(suffix->first);
      spelling.pop_back();  // the colon
      size_t column = at + spelling.size() + 1;
      while (column < line.size() && (line[column] == ' ' || line[column] == '\t')) ++column;
      Directive d{suffix->second, spelling, {}, n + 1, line, column};
      std::string error;
      auto pieces = filecheck::ParsePattern(std::string_view(line).substr(d.column), &error);
      if (!pieces) return Fail(d, error, {}, "");
      d.pieces = std::move(*pieces);
      if (d.kind == Kind::kNext && directives_.empty()) {
        return Fail(d, "there is no match before it to be the line after", {}, "");
      }
      directives_.push_back(std::move(d));
      break;
    }
  }
  if (directives_.empty()) {
    report_ = options_.checks_name + ": error: no directives found (" + options_.prefix + ":, " +
              options_.prefix + "-NEXT:, ...)\n";
    return false;
  }
  return true;
}

// 2) Labels first, then each block between them.
bool Checker::Run() {
  std::vector<size_t> labels;
  std::vector<Match> label_matches;
  Pos pos;
  for (size_t i = 0; i < directives_.size(); ++i) {
    if (directives_[i].kind != Kind::kLabel) continue;
    std::optional<Match> m = Find(directives_[i], pos, End());
    if (!m && !report_.empty()) return false;  // the pattern did not compile
    if (!m) {
      return Fail(directives_[i], "expected string not found in input", pos, "scanning from here");
    }
    labels.push_back(i);
    label_matches.push_back(*m);
    pos = m->end;
  }
  size_t first = 0;
  Pos from;
  size_t prev_line = SIZE_MAX;  // no match yet
  for (size_t k = 0; k <= labels.size(); ++k) {
    size_t last = k < labels.size() ? labels[k] : directives_.size();
    Pos limit = k < labels.size() ? label_matches[k].begin : End();
    if (!RunBlock(first, last, from, limit, prev_line)) return false;
    if (k == labels.size()) break;
    first = labels[k] + 1;
    from = label_matches[k].end;
    prev_line = label_matches[k].end.line;
  }
  return true;
}

// 3) The directives [first, last) inside [from, limit).
bool Checker::RunBlock(size_t first, size_t last, Pos from, Pos limit, size_t prev_line) {
  Pos pos = from;
  std::vector<const Directive*> nots;
  for (size_t i = first; i < last; ++i) {
    const Directive& d = directives_[i];
    if (d.kind == Kind::kNot) {
      nots.push_back(&d);
      continue;
    }
    std::vector<Match> group;  // one match, or the matches of consecutive DAGs
    size_t end_of_group = i;
    do {
      const Directive& g = directives_[end_of_group];
      std::optional<Match> m =
          Find(g, pos, limit, g.kind == Kind::kDag ? group : std::vector<Match>{});
      if (!m && !report_.empty()) return false;  // the pattern did not compile
      if (!m) return Fail(g, "expected string not found in input", pos, "scanning from here");
      group.push_back(*m);
      ++end_of_group;
    } while (d.kind == Kind::kDag && end_of_group < last &&
             directives_[end_of_group].kind == Kind::kDag);
    i = end_of_group - 1;
    const Match& first_match =
        *std::min_element(group.begin(), group.end(),
                          [](const Match& a, const Match& b) { return a.begin < b.begin; });
    const Match& last_match = *std::max_element(
        group.begin(), group.end(), [](const Match& a, const Match& b) { return a.end < b.end; });
    if (d.kind == Kind::kNext && first_match.begin.line != prev_line + 1) {
      std::string why = first_match.begin.line == prev_line
                            ? "is on the same line as the previous match"
                            : "is not on the line after the previous match";
      size_t width = first_match.end.col - first_match.begin.col;
      return Fail(d, why, first_match.begin, "found here", width);
    }
    if (!CheckNots(nots, pos, first_match.begin)) return false;
    nots.clear();
    pos = last_match.end;
    prev_line = last_match.end.line;
  }
  return CheckNots(nots, pos, limit);
}

// The first match of `d` in [from, limit) that overlaps none of `taken`; defines its variables.
std::optional<Match> Checker::Find(const Directive& d, Pos from, Pos limit,
                                   const std::vector<Match>& taken) {
  std::string error;
  std::optional<Compiled> compiled = filecheck::Compile(d.pieces, variables_, &error);
  if (!compiled) {
    Fail(d, error, {}, "");
    return std::nullopt;
  }
  for (size_t l = from.line; l <= limit.line && l < lines_.size(); ++l) {
    const std::string& line = lines_[l];
    size_t col = l == from.line ? from.col : 0;
    size_t end = l == limit.line ? std::min(limit.col, line.size()) : line.size();
    while (col <= end) {
      std::smatch m;
      auto flags =
          col > 0 ? std::regex_constants::match_prev_avail : std::regex_constants::match_default;
      if (!std::regex_search(line.begin() + col, line.begin() + end, m, compiled->regex, flags)) {
        break;
      }
      size_t begin_col = col + m.position(0), end_col = begin_col + m.length(0);
      Match found{{l, begin_col}, {l, end_col}};
      bool overlaps = std::any_of(taken.begin(), taken.end(), [&](const Match& t) {
        return t.begin.line == l && begin_col < t.end.col && t.begin.col < end_col;
      });
      if (!overlaps) {
        for (const auto& [name, group] : compiled->defines) variables_[name] = m[group].str();
        return found;
      }
      col = begin_col + 1;
    }
  }
  return std::nullopt;
}

bool Checker::CheckNots(const std::vector<const Directive*>& nots, Pos from, Pos limit) {
  for (const Directive* d : nots) {
    std::map<std::string, std::string> saved = variables_;  // a CHECK-NOT defines nothing
    std::optional<Match> m = Find(*d, from, limit);
    variables_ = std::move(saved);
    if (!report_.empty()) return false;  // its pattern did not compile
    if (m) {
      return Fail(*d, "excluded string found in input", m->begin, "found here",
                  m->end.col - m->begin.col);
    }
  }
  return true;
}

bool Checker::Fail(const Directive& d, const std::string& what, Pos where, const std::string& note,
                   size_t width) {
  std::string caret(d.column, ' ');
  for (size_t i = 0; i < d.column && i < d.text.size(); ++i) {
    if (d.text[i] == '\t') caret[i] = '\t';
  }
  report_ = options_.checks_name + ":" + std::to_string(d.line) + ": error: " + d.spelling + ": " +
            what + "\n" + d.text + "\n" + caret + "^\n";
  if (!note.empty()) {
    report_ += options_.input_name + ":" + std::to_string(where.line + 1) + ":" +
               std::to_string(where.col + 1) + ": note: " + note + "\n" +
               InputContext(where, width);
  }
  return false;
}

// The numbered input lines around `where`, the line itself marked, a caret (and `~` for
// `width` - 1 more characters) under the place.
std::string Checker::InputContext(Pos where, size_t width) const {
  std::string out;
  size_t first = where.line >= 2 ? where.line - 2 : 0;
  size_t last = std::min(lines_.size(), where.line + 3);
  for (size_t l = first; l < last; ++l) {
    std::string number = std::to_string(l + 1);
    out += (l == where.line ? "> " : "  ") +
           std::string(5 - std::min<size_t>(5, number.size()), ' ') + number + " | " + lines_[l] +
           "\n";
    if (l != where.line) continue;
    out += std::string(10, ' ') + std::string(where.col, ' ') + "^" +
           std::string(width > 1 ? width - 1 : 0, '~') + "\n";
  }
  return out;
}

}  // namespace

FileCheckResult FileCheck(std::string_view checks, std::string_view input,
                          const FileCheckOptions& options) {
  Checker checker(input, options);
  FileCheckResult result;
  result.ok = checker.ReadDirectives(checks) && checker.Run();
  if (!result.ok) result.report = checker.report();
  return result;
}

}  // namespace tessel::testing
