// Reading schedule text (schedule.h): a line-based format, so it has its own small scanner.
// Every step is checked against its primitive's signature below.
#include <cctype>
#include <charconv>
#include <cstdint>

#include "stages/loops/schedule.h"

namespace tessel::loops {

namespace {

// Operand kinds: L a loop name, N a positive integer, D a dimension (0, 1, ...), B a %buffer,
// K a loop kind.
struct Signature {
  std::string_view primitive;
  std::string_view operands;  // "L N"; "L+" is one or more loops
  size_t results;             // names after "->"
  std::string_view usage;
};

constexpr Signature kSignatures[] = {
    {"split", "L N", 2, "split LOOP FACTOR -> OUTER INNER"},
    {"tile", "L L N N", 4, "tile LOOP1 LOOP2 FACTOR1 FACTOR2 -> OUTER1 OUTER2 INNER1 INNER2"},
    {"peel", "L", 0, "peel LOOP"},
    {"split_storage", "B D N", 0, "split_storage %BUFFER DIM FACTOR"},
    {"enclose", "L", 1, "enclose LOOP -> OUTER"},
    {"reorder_storage", "B D+", 0, "reorder_storage %BUFFER DIM DIM ... (its dimensions, 0-based, in their new order)"},
    {"fuse", "L L", 1, "fuse OUTER INNER -> FUSED"},
    {"reorder", "L+", 0, "reorder LOOP LOOP ..."},
    {"unroll", "L", 0, "unroll LOOP"},
    {"vectorize", "L", 0, "vectorize LOOP"},
    {"parallel", "L", 0, "parallel LOOP"},
    {"bind", "L K", 0, "bind LOOP gpu.block.x (or another loop kind)"},
    {"distribute", "L", 0, "distribute LOOP"},
    {"compute_inline", "B", 0, "compute_inline %BUFFER"},
    {"compute_at", "B L", 0, "compute_at %BUFFER LOOP"},
    {"cache_read", "B L", 1, "cache_read %BUFFER LOOP -> %COPY"},
    {"cache_write", "B L", 1, "cache_write %BUFFER LOOP -> %LOCAL"},
};

struct Word {
  std::string text;
  SourceLoc loc;
};

bool IsName(std::string_view w) {
  if (w.empty() || std::isdigit(static_cast<unsigned char>(w[0]))) return false;
  for (char c : w) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') return false;
  }
  return true;
}

// %name, where SSA-numbered names (%0) are buffer names too.
bool IsBufferName(std::string_view w) {
  if (w.size() < 2 || w[0] != '%') return false;
  for (char c : w.substr(1)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') return false;
  }
  return true;
}

bool IsCount(std::string_view w) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), value);
  return ec == std::errc() && ptr == w.data() + w.size() && value > 0 && value <= INT32_MAX;
}

class ScheduleParser {
 public:
  ScheduleParser(const SourceFile& file, DiagnosticEngine& diags) : file_(file), diags_(diags) {}

  std::optional<Schedule> Run() {
    for (uint32_t line = 1; line <= file_.line_count(); ++line) {
      for (std::vector<Word>& statement : Statements(line)) {
        if (!statement.empty() && !Statement(statement)) return std::nullopt;
      }
    }
    return std::move(schedule_);
  }

 private:
  // The words of one line, split into statements at ';', comments removed.
  std::vector<std::vector<Word>> Statements(uint32_t line) {
    std::string_view text = file_.LineText(line);
    std::vector<std::vector<Word>> statements(1);
    size_t i = 0;
    uint32_t line_offset = static_cast<uint32_t>(text.data() - file_.text().data());
    while (i < text.size()) {
      char c = text[i];
      if (c == '#' || text.substr(i, 2) == "//") break;
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == ';') {
        statements.emplace_back();
        ++i;
      } else {
        size_t begin = i;
        if (text.substr(i, 2) == "->") {
          i += 2;
        } else {
          while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) &&
                 text[i] != ';' && text.substr(i, 2) != "->" && text[i] != '#') {
            ++i;
          }
        }
        statements.back().push_back({std::string(text.substr(begin, i - begin)),
                                     file_.LocForOffset(line_offset + static_cast<uint32_t>(begin))});
      }
    }
    return statements;
  }

  bool Fail(SourceLoc loc, const std::string& message) {
    diags_.Error(file_, loc, message);
    return false;
  }

  bool Statement(const std::vector<Word>& words) {
    const Word& first = words[0];
    if (first.text[0] == '@') return Header(words);
    const Signature* signature = nullptr;
    for (const Signature& s : kSignatures) {
      if (s.primitive == first.text) signature = &s;
    }
    if (!signature) {
      std::string known;
      for (const Signature& s : kSignatures) known += (known.empty() ? "" : ", ") + std::string(s.primitive);
      return Fail(first.loc, "unknown schedule primitive '" + first.text + "' (the primitives: " + known + ")");
    }
    if (schedule_.kernels.empty()) schedule_.kernels.push_back({"", {}, first.loc});
    Step step{first.text, {}, {}, first.loc};
    size_t i = 1;
    for (; i < words.size() && words[i].text != "->"; ++i) step.operands.push_back(words[i].text);
    if (i < words.size()) {
      for (++i; i < words.size(); ++i) step.results.push_back(words[i].text);
    }
    if (!Check(*signature, step, words)) return false;
    schedule_.kernels.back().steps.push_back(std::move(step));
    return true;
  }

  bool Header(const std::vector<Word>& words) {
    std::string name = words[0].text.substr(1);
    bool colon = !name.empty() && name.back() == ':';
    if (colon) name.pop_back();
    size_t used = 1;
    if (!colon && words.size() > 1 && words[1].text == ":") colon = true, used = 2;
    if (!IsBufferName("%" + name)) {
      return Fail(words[0].loc, "expected a kernel name after '@', found '" + words[0].text + "'");
    }
    if (!colon) return Fail(words[0].loc, "expected ':' after the kernel name @" + name);
    if (used < words.size()) {
      return Fail(words[used].loc, "a kernel's steps start on the line after '@" + name + ":'");
    }
    schedule_.kernels.push_back({name, {}, words[0].loc});
    return true;
  }

  // The step's operands and results against the signature, each word where it is wrong.
  bool Check(const Signature& sig, const Step& step, const std::vector<Word>& words) {
    std::string usage = " (usage: " + std::string(sig.usage) + ")";
    std::vector<char> kinds;
    for (char c : sig.operands) {
      if (c != ' ') kinds.push_back(c);
    }
    bool repeated = !kinds.empty() && kinds.back() == '+';
    if (repeated) kinds.pop_back();
    size_t n = step.operands.size();
    bool count_ok = repeated ? n >= 2 : n == kinds.size();
    if (!count_ok) {
      std::string expected = repeated ? "at least 2" : std::to_string(kinds.size());
      return Fail(step.loc, step.primitive + " takes " + expected + " operands, found " +
                                std::to_string(n) + usage);
    }
    for (size_t k = 0; k < n; ++k) {
      char kind = k < kinds.size() ? kinds[k] : kinds.back();
      const std::string& w = step.operands[k];
      SourceLoc at = words[1 + k].loc;
      if (kind == 'L' && !IsName(w)) return Fail(at, step.primitive + ": expected a loop name, found '" + w + "'" + usage);
      if (kind == 'N' && !IsCount(w)) return Fail(at, step.primitive + ": expected a positive integer factor, found '" + w + "'" + usage);
      if (kind == 'D' && !(w == "0" || IsCount(w))) return Fail(at, step.primitive + ": expected a dimension (0, 1, ...), found '" + w + "'" + usage);
      if (kind == 'B' && !IsBufferName(w)) return Fail(at, step.primitive + ": expected a buffer (%name), found '" + w + "'" + usage);
      if (kind == 'K' && !ParseForKind(w)) return Fail(at, step.primitive + ": expected a loop kind (parallel, gpu.block.x, ...), found '" + w + "'" + usage);
    }
    bool arrow = step.results.size() > 0 || words.size() > 1 + n;
    if (step.results.size() != sig.results || (sig.results == 0 && arrow)) {
      SourceLoc at = words.size() > 1 + n ? words[1 + n].loc : step.loc;
      return Fail(at, step.primitive + " names " + std::to_string(sig.results) + " new " +
                          (sig.results == 1 ? "loop or buffer" : "loops") + " after '->', found " +
                          std::to_string(step.results.size()) + usage);
    }
    for (size_t k = 0; k < step.results.size(); ++k) {
      const std::string& w = step.results[k];
      bool buffer = step.primitive == "cache_read" || step.primitive == "cache_write";
      if (buffer ? !IsBufferName(w) : !IsName(w)) {
        return Fail(words[2 + n + k].loc, step.primitive + ": '" + w + "' is not a valid " +
                                              (buffer ? "buffer name (%name)" : "loop name") + usage);
      }
    }
    return true;
  }

  const SourceFile& file_;
  DiagnosticEngine& diags_;
  Schedule schedule_;
};

}  // namespace

std::optional<Schedule> ParseSchedule(const SourceFile& file, DiagnosticEngine& diags) {
  return ScheduleParser(file, diags).Run();
}

}  // namespace tessel::loops
