// The name checker's scopes (scopes.h).
#include "stages/sema/scopes.h"

namespace tessel::sema {

const char* DescribeSymbol(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::kConstant:
      return "a constant";
    case SymbolKind::kParameter:
      return "a parameter";
    case SymbolKind::kShapeVariable:
      return "a shape variable";
    case SymbolKind::kLet:
      return "a let";
    case SymbolKind::kVar:
      return "a var";
    case SymbolKind::kLoopVariable:
      return "a loop variable";
    case SymbolKind::kComprehensionTarget:
      return "a comprehension target";
    case SymbolKind::kIndex:
      return "an index";
  }
  return "a name";
}

const Symbol* Scopes::Lookup(const std::string& name) const {
  for (auto level = levels_.rbegin(); level != levels_.rend(); ++level) {
    auto it = level->find(name);
    if (it != level->end()) return &it->second;
  }
  return nullptr;
}

}  // namespace tessel::sema
