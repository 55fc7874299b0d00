// The scopes of the name checker (lab02, task t1, check_names.cpp): what a
// visible name is, and the stack of blocks it is visible in. Given code.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "stages/common/source.h"

namespace tessel::sema {

/// What a visible name is: it decides whether the name may be assigned, and
/// how an error describes it.
enum class SymbolKind {
  kConstant,
  kParameter,
  kShapeVariable,
  kLet,
  kVar,
  kLoopVariable,
  kComprehensionTarget,
  kIndex,
};

/// The words of "cannot assign to 'x': it is a let, not a var": "a let".
const char* DescribeSymbol(SymbolKind kind);

struct Symbol {
  SymbolKind kind;
  SourceRange range;  // where it is declared: "previous definition is here"
};

/// The visible names, one level per block (and one for a comprehension's
/// indices); the outermost level holds the module's constants. Tessel has no
/// shadowing, so a name is in at most one level.
class Scopes {
 public:
  void Push() { levels_.emplace_back(); }
  void Pop() { levels_.pop_back(); }

  /// The symbol `name` denotes here, or null if it is not visible.
  const Symbol* Lookup(const std::string& name) const;

  /// Adds `name` to the innermost level (the caller checked that it is new).
  void Insert(const std::string& name, Symbol symbol) { levels_.back().emplace(name, symbol); }

 private:
  std::vector<std::map<std::string, Symbol>> levels_;
};

}  // namespace tessel::sema
