// Shrinking a failing program (shrink.h).
#include "fuzz/shrink.h"

#include <string>
#include <utility>
#include <vector>

namespace tessel::fuzz {
namespace {

// Where a statement list lives: the entry (function -1) or a helper, then a path of
// (statement index, 0 for its body or 1 for its else) from the top.
struct ListPath {
  int function = -1;
  std::vector<std::pair<size_t, int>> steps;
};

std::vector<Stmt>* ListAt(Program& program, const ListPath& path) {
  std::vector<Stmt>* list = path.function < 0
                                ? &program.entry.body
                                : &program.helpers[static_cast<size_t>(path.function)].body;
  for (const auto& [index, which] : path.steps) {
    Stmt& s = (*list)[index];
    list = which == 0 ? &s.body : &s.orelse;
  }
  return list;
}

void CollectLists(const std::vector<Stmt>& stmts, ListPath path, std::vector<ListPath>* out) {
  out->push_back(path);
  for (size_t i = 0; i < stmts.size(); ++i) {
    const Stmt& s = stmts[i];
    if (s.kind == Stmt::Kind::kLine) continue;
    ListPath body = path;
    body.steps.push_back({i, 0});
    CollectLists(s.body, body, out);
    if (s.kind == Stmt::Kind::kIf) {
      ListPath orelse = path;
      orelse.steps.push_back({i, 1});
      CollectLists(s.orelse, orelse, out);
    }
  }
}

// Every program one edit away from `p`, the edits that remove the most first.
std::vector<Program> Candidates(const Program& p) {
  std::vector<Program> out;
  for (size_t i = 0; p.terms.size() > 1 && i < p.terms.size(); ++i) {
    Program c = p;
    c.terms.erase(c.terms.begin() + static_cast<std::ptrdiff_t>(i));
    out.push_back(std::move(c));
  }
  // A term retargeted to an f32 value defined before it at the entry's top level: what lies
  // between may then go. Always earlier, so that retargeting cannot go round in circles.
  for (size_t i = 0; i < p.terms.size(); ++i) {
    for (const Stmt& s : p.entry.body) {
      if (s.defines == p.terms[i].first) break;
      if (s.defines.empty() || s.type.dtype != "f32") continue;
      Program c = p;
      c.terms[i] = {s.defines, s.type};
      out.push_back(std::move(c));
    }
  }
  for (size_t i = 0; i < p.helpers.size(); ++i) {
    Program c = p;
    c.helpers.erase(c.helpers.begin() + static_cast<std::ptrdiff_t>(i));
    out.push_back(std::move(c));
  }
  std::vector<ListPath> lists;
  CollectLists(p.entry.body, {}, &lists);
  for (size_t f = 0; f < p.helpers.size(); ++f) {
    CollectLists(p.helpers[f].body, {static_cast<int>(f), {}}, &lists);
  }
  // Statements last to first: a value's users go before the value itself.
  for (const ListPath& path : lists) {
    Program copy = p;
    size_t n = ListAt(copy, path)->size();
    for (size_t k = n; k-- > 0;) {
      const Stmt& s = (*ListAt(copy, path))[k];
      {  // drop it
        Program c = p;
        std::vector<Stmt>* list = ListAt(c, path);
        list->erase(list->begin() + static_cast<std::ptrdiff_t>(k));
        out.push_back(std::move(c));
      }
      if (s.kind == Stmt::Kind::kIf) {  // keep one arm, unwrapped
        for (int arm = 0; arm < 2; ++arm) {
          Program c = p;
          std::vector<Stmt>* list = ListAt(c, path);
          std::vector<Stmt> kept = arm == 0 ? (*list)[k].body : (*list)[k].orelse;
          list->erase(list->begin() + static_cast<std::ptrdiff_t>(k));
          list->insert(list->begin() + static_cast<std::ptrdiff_t>(k), kept.begin(), kept.end());
          out.push_back(std::move(c));
        }
      }
      if (s.kind == Stmt::Kind::kFor && s.trip > 1) {  // run it once
        Program c = p;
        Stmt& loop = (*ListAt(c, path))[k];
        loop.trip = 1;
        loop.header = "for " + loop.loop_var + " in 0..1";
        out.push_back(std::move(c));
      }
      for (const std::string& simpler : s.simpler) {
        Program c = p;
        Stmt& line = (*ListAt(c, path))[k];
        line.text = simpler;
        line.simpler.clear();
        out.push_back(std::move(c));
      }
    }
  }
  for (size_t i = 0; i < p.entry.params.size(); ++i) {
    Program c = p;
    c.entry.params.erase(c.entry.params.begin() + static_cast<std::ptrdiff_t>(i));
    out.push_back(std::move(c));
  }
  for (const auto& [name, value] : p.args) {
    Program c = p;
    c.args.erase(name);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Program Shrink(Program program, const StillFails& still_fails, int* tries) {
  int calls = 0;
  // Passes over the candidates until one keeps nothing. After a kept edit the next candidate
  // is the one at the same position of the smaller program's list: the ones before it were
  // just rejected, and the next pass gives them another chance.
  for (bool kept = true; kept;) {
    kept = false;
    std::vector<Program> candidates = Candidates(program);
    for (size_t i = 0; i < candidates.size();) {
      ++calls;
      if (!still_fails(candidates[i])) {
        ++i;
        continue;
      }
      program = std::move(candidates[i]);
      candidates = Candidates(program);
      kept = true;
    }
  }
  if (tries != nullptr) *tries = calls;
  return program;
}

}  // namespace tessel::fuzz
