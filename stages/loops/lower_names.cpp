// Fresh names (lower_names.h).
#include "stages/loops/lower_names.h"

#include "stages/loops/mutator.h"

namespace tessel::loops {

NameGenerator::NameGenerator(const Function& function) {
  for (const BufferPtr& p : function.params()) Take(p->name);
  ForEachStmt(function.body, [this](const Stmt& s) {
    if (s.kind == Stmt::Kind::kFor || s.kind == Stmt::Kind::kLet) Take(s.var);
    if (s.kind == Stmt::Kind::kAllocate || s.kind == Stmt::Kind::kView) Take(s.buffer->name);
  });
}

std::string NameGenerator::Fresh(const std::string& base) {
  std::string name = base;
  for (int n = 1; taken_.count(name); ++n) name = base + "." + std::to_string(n);
  taken_.insert(name);
  return name;
}

}  // namespace tessel::loops
