// Semantic analysis of names (lab02, task t1): the functions of
// stages/sema/names.h.
//
// Pipeline: runs on the parsed module (lab01) before anything else of stage 2.
// CheckNames walks every function once with a stack of scopes and reports the
// name errors of docs/language.md §4.3 and §4.6-§4.7; BindArguments is shared
// with the type checker, which calls it again when it specializes calls. The
// constants are evaluated in evaluate_constants.cpp. Nothing here looks at
// types or shapes: that is task t2.
//
// Two choices the header leaves open:
//  - A call to a name the prelude defines several times is accepted if any
//    definition binds its arguments; if none does, the error is the one
//    BindArguments gives for the definition with the most parameters (the
//    first such), whose parameter list is the most complete.
//  - The prelude defines names several times on purpose. To check the prelude
//    itself, pass it as both `module` and `prelude`: then duplicate function
//    names are not reported, and calls pick among its definitions as above.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "stages/common/not_implemented.h"
#include "stages/sema/expr_walk.h"
#include "stages/sema/names.h"

namespace tessel::sema {

namespace {

std::string Quote(std::string_view name) { return "'" + std::string(name) + "'"; }

// ------------------------------------------------------------ scopes

// What a visible name is: it decides whether the name may be assigned, and
// how an error describes it.
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

// The words of "cannot assign to 'x': it is a let, not a var".
const char* Describe(SymbolKind kind) {
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

struct Symbol {
  SymbolKind kind;
  SourceRange range;  // where it is declared: "previous definition is here"
};

// The visible names, one level per block (and one for a comprehension's
// indices); the outermost level holds the module's constants. Tessel has no
// shadowing, so a name is in at most one level.
class Scopes {
 public:
  void Push() { levels_.emplace_back(); }
  void Pop() { levels_.pop_back(); }

  // The symbol `name` denotes here, or null if it is not visible.
  const Symbol* Lookup(const std::string& name) const {
    for (auto level = levels_.rbegin(); level != levels_.rend(); ++level) {
      auto it = level->find(name);
      if (it != level->end()) return &it->second;
    }
    return nullptr;
  }

  // Adds `name` to the innermost level (the caller checked that it is new).
  void Insert(const std::string& name, Symbol symbol) { levels_.back().emplace(name, symbol); }

 private:
  std::vector<std::map<std::string, Symbol>> levels_;
};

// ------------------------------------------------------------ AST helpers

// Every definition of function `name` in `module`, in source order.
std::vector<const FnItem*> FindFunctions(const Module& module, const std::string& name) {
  std::vector<const FnItem*> found;
  for (const ItemPtr& item : module.items) {
    if (item->kind == ItemKind::kFn && item->name == name) found.push_back(&item->As<FnItem>());
  }
  return found;
}

// What a call to a user or prelude function binds against: every parameter,
// all required (Tessel has no default arguments).
ParamList ParamsOf(const FnItem& fn) {
  ParamList params;
  for (const Param& param : fn.params) params.names.push_back(param.name);
  params.required = params.names.size();
  return params;
}

// ------------------------------------------------------------ the checker

// Checks the functions of one module: a walk over each body with a stack of
// scopes, then the return paths.
class NameChecker {
 public:
  NameChecker(const SourceFile& file, const Module& module, const Module& prelude,
              DiagnosticEngine& diags);

  // "redefinition of function 'f'" for every function defined twice.
  void CheckFunctionsAreUnique();
  void CheckFunction(const FnItem& fn);

 private:
  void Error(SourceRange range, std::string message) {
    diags_.Error(file_, range, std::move(message));
  }
  bool IsNew(const std::string& name, SourceRange range);
  void Declare(const std::string& name, SourceRange range, SymbolKind kind) {
    if (IsNew(name, range)) scopes_.Insert(name, {kind, range});
  }

  // Signatures and types.
  void DeclareSignature(const FnItem& fn);
  bool IsShapeName(const std::string& name) const;
  void CheckShapeNames(const Expr& dim);

  // Statements; CheckBlock gives the block a scope of its own.
  void CheckBlock(const Block& block);
  void CheckStmt(const Stmt& stmt);
  void CheckBinding(const BindingStmt& binding);
  void CheckAssign(const AssignStmt& assign);
  void CheckComprehension(const ComprehensionStmt& stmt);
  void CheckFor(const ForStmt& loop);
  bool CheckReturnPaths(const Block& block);

  // Expressions.
  void CheckExpr(const Expr& expr);
  void CheckCall(const CallExpr& call);

  const SourceFile& file_;
  const Module& module_;
  const Module& prelude_;
  DiagnosticEngine& diags_;
  Scopes scopes_;
  std::set<std::string> scalar_params_;  // of the function being checked
};

NameChecker::NameChecker(const SourceFile& file, const Module& module, const Module& prelude,
                         DiagnosticEngine& diags)
    : file_(file), module_(module), prelude_(prelude), diags_(diags) {
  // Constants are visible everywhere, in any order. EvaluateConstants reports
  // a constant defined twice; here the first definition counts.
  scopes_.Push();
  for (const ItemPtr& item : module.items) {
    if (item->kind == ItemKind::kConst && !scopes_.Lookup(item->name)) {
      scopes_.Insert(item->name, {SymbolKind::kConstant, item->name_range});
    }
  }
}

void NameChecker::CheckFunctionsAreUnique() {
  if (&module_ == &prelude_) return;  // the prelude defines names several times on purpose
  std::map<std::string, const Item*> first;
  for (const ItemPtr& item : module_.items) {
    if (item->kind != ItemKind::kFn) continue;
    auto [it, inserted] = first.emplace(item->name, item.get());
    if (inserted) continue;
    Error(item->name_range, "redefinition of function " + Quote(item->name));
    diags_.Note(file_, it->second->name_range.begin, "previous definition is here");
  }
}

void NameChecker::CheckFunction(const FnItem& fn) {
  scopes_.Push();
  DeclareSignature(fn);
  CheckBlock(*fn.body);
  scopes_.Pop();
  if (diags_.ShouldStop()) return;
  if (!CheckReturnPaths(*fn.body)) {
    Error(fn.name_range, "function " + Quote(fn.name) + " does not return a value on every path");
  }
}

// True when `name` may be declared here. Tessel has no shadowing: a name that
// is already visible, in this scope or any enclosing one, is a redefinition.
bool NameChecker::IsNew(const std::string& name, SourceRange range) {
  // TODO(lab02.t1): report a visible name as a redefinition, with a note; else true
  TESSEL_UNIMPLEMENTED("lab02.t1",
                       "report a visible name as a redefinition, with a note; else true",
                       "lab02_ir_ssa/README.md §4.1");
}

// ------------------------------------------------------------ signatures

// Whether `name` may appear in a type: a constant, a shape variable or a
// scalar parameter of the function being checked (declared before or after).
bool NameChecker::IsShapeName(const std::string& name) const {
  if (scalar_params_.count(name) > 0) return true;
  const Symbol* symbol = scopes_.Lookup(name);
  return symbol != nullptr &&
         (symbol->kind == SymbolKind::kConstant || symbol->kind == SymbolKind::kShapeVariable);
}

// Reports every name in the dimension `dim` that may not appear in a type.
void NameChecker::CheckShapeNames(const Expr& dim) {
  ForEachName(dim, false, [&](const NameExpr& name, bool) {
    if (!IsShapeName(name.name))
      Error(name.range, "undefined name " + Quote(name.name) + " in type");
  });
}

// Declares the parameters and shape variables of `fn` in the current scope
// and checks the names in its types.
void NameChecker::DeclareSignature(const FnItem& fn) {
  scalar_params_.clear();
  for (const Param& param : fn.params) {
    if (param.type.dims.empty()) scalar_params_.insert(param.name);
  }
  // Each parameter, then each new bare-name dimension of its type (a shape variable); then the
  // names of arithmetic dimensions and of the result type.
  // TODO(lab02.t1): declare parameters and shape variables; check the names in types
  TESSEL_UNIMPLEMENTED("lab02.t1",
                       "declare parameters and shape variables; check the names in types",
                       "lab02_ir_ssa/README.md §4.1");
}

// ------------------------------------------------------------ statements

void NameChecker::CheckBlock(const Block& block) {
  scopes_.Push();
  for (const StmtPtr& stmt : block.stmts) {
    if (diags_.ShouldStop()) break;
    CheckStmt(*stmt);
  }
  scopes_.Pop();
}

void NameChecker::CheckStmt(const Stmt& stmt) {
  switch (stmt.kind) {
    case StmtKind::kLet:
    case StmtKind::kVar:
      CheckBinding(stmt.As<BindingStmt>());
      return;
    case StmtKind::kAssign:
      CheckAssign(stmt.As<AssignStmt>());
      return;
    case StmtKind::kComprehension:
      CheckComprehension(stmt.As<ComprehensionStmt>());
      return;
    case StmtKind::kIf: {
      const IfStmt& branch = stmt.As<IfStmt>();
      CheckExpr(*branch.cond);
      CheckBlock(*branch.then_block);
      if (branch.else_block) CheckBlock(*branch.else_block);
      if (branch.else_if) CheckStmt(*branch.else_if);
      return;
    }
    case StmtKind::kFor:
      CheckFor(stmt.As<ForStmt>());
      return;
    case StmtKind::kReturn:
      if (stmt.As<ReturnStmt>().value) CheckExpr(*stmt.As<ReturnStmt>().value);
      return;
  }
}

// `let x: T = e;` and `var x = e;`: the name is visible from the next statement
// on, so `let x = x;` uses an undefined x.
void NameChecker::CheckBinding(const BindingStmt& binding) {
  if (binding.type) {
    for (const ExprPtr& dim : binding.type->dims) CheckShapeNames(*dim);
  }
  CheckExpr(*binding.init);
  Declare(binding.name, binding.name_range,
          binding.kind == StmtKind::kVar ? SymbolKind::kVar : SymbolKind::kLet);
}

void NameChecker::CheckAssign(const AssignStmt& assign) {
  CheckExpr(*assign.value);
  // TODO(lab02.t1): only a visible var may be assigned; else say what the name is
  TESSEL_UNIMPLEMENTED("lab02.t1", "only a visible var may be assigned; else say what the name is",
                       "lab02_ir_ssa/README.md §4.1");
}

// `y[i, j] op value where ...;`: the indices live in a scope of the statement's
// own; the target becomes visible after it.
void NameChecker::CheckComprehension(const ComprehensionStmt& stmt) {
  const bool target_is_new = IsNew(stmt.target, stmt.target_range);
  scopes_.Push();
  // Output indices are new names; a name in a right-hand subscript or a where clause that is not
  // visible is a reduction index ('=' allows none); a where clause names only indices.
  // TODO(lab02.t1): classify the indices: output, reduction (none for '='), where
  TESSEL_UNIMPLEMENTED("lab02.t1", "classify the indices: output, reduction (none for '='), where",
                       "lab02_ir_ssa/README.md §4.1");
  CheckExpr(*stmt.value);
  scopes_.Pop();
  // The bounds of a where range are values from outside the statement.
  for (const IndexRange& where : stmt.where) {
    CheckExpr(*where.lo);
    CheckExpr(*where.hi);
  }
  if (target_is_new) {
    scopes_.Insert(stmt.target, {SymbolKind::kComprehensionTarget, stmt.target_range});
  }
}

// `for i in lo..hi { body }`: the bounds are checked outside, the loop
// variable is visible in the body only.
void NameChecker::CheckFor(const ForStmt& loop) {
  CheckExpr(*loop.lo);
  CheckExpr(*loop.hi);
  scopes_.Push();
  Declare(loop.var, loop.var_range, SymbolKind::kLoopVariable);
  CheckBlock(*loop.body);
  scopes_.Pop();
}

// Reports the first statement after a `return` in `block` and in each block
// nested in it; true when every path through `block` ends in a return.
bool NameChecker::CheckReturnPaths(const Block& block) {
  // A block returns if one of its statements does: a return, or an if-chain that ends in else
  // with every arm returning. A for body may not run.
  // TODO(lab02.t1): report unreachable statements; does every path return?
  TESSEL_UNIMPLEMENTED("lab02.t1", "report unreachable statements; does every path return?",
                       "lab02_ir_ssa/README.md §4.1");
}

// ------------------------------------------------------------ expressions

void NameChecker::CheckExpr(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kInt:
    case ExprKind::kFloat:
    case ExprKind::kBool:
      return;
    case ExprKind::kName: {
      const NameExpr& name = expr.As<NameExpr>();
      if (!scopes_.Lookup(name.name)) Error(name.range, "undefined name " + Quote(name.name));
      return;
    }
    case ExprKind::kUnary:
      CheckExpr(*expr.As<UnaryExpr>().operand);
      return;
    case ExprKind::kBinary:
      CheckExpr(*expr.As<BinaryExpr>().lhs);
      CheckExpr(*expr.As<BinaryExpr>().rhs);
      return;
    case ExprKind::kIndex:
      CheckExpr(*expr.As<IndexExpr>().base);
      for (const ExprPtr& index : expr.As<IndexExpr>().indices) CheckExpr(*index);
      return;
    case ExprKind::kCall:
      CheckCall(expr.As<CallExpr>());
      return;
    case ExprKind::kList:
      for (const ExprPtr& element : expr.As<ListExpr>().elements) CheckExpr(*element);
      return;
  }
}

// Checks the arguments, then finds the callee: the module's functions hide
// the prelude's, which hide the primitives.
void NameChecker::CheckCall(const CallExpr& call) {
  for (const Argument& arg : call.args) CheckExpr(*arg.value);
  // With several definitions (the prelude), any that binds will do; otherwise report the error
  // of the one with the most parameters.
  // TODO(lab02.t1): find the callee (module, prelude, builtins) and bind the arguments
  TESSEL_UNIMPLEMENTED("lab02.t1",
                       "find the callee (module, prelude, builtins) and bind the arguments",
                       "lab02_ir_ssa/README.md §4.1");
}

}  // namespace

// ------------------------------------------------------------ the API

bool BindArguments(const CallExpr& call, const ParamList& params, BoundArguments* out,
                   SemaError* error) {
  // TODO(lab02.t1): bind positional arguments in order, then keywords by name
  TESSEL_UNIMPLEMENTED("lab02.t1", "bind positional arguments in order, then keywords by name",
                       "lab02_ir_ssa/README.md §4.1");
}

bool CheckNames(const SourceFile& file, const Module& module, const Module& prelude,
                DiagnosticEngine& diags) {
  const int errors_before = diags.error_count();
  NameChecker checker(file, module, prelude, diags);
  checker.CheckFunctionsAreUnique();
  for (const ItemPtr& item : module.items) {
    if (diags.ShouldStop()) break;
    if (item->kind == ItemKind::kFn) checker.CheckFunction(item->As<FnItem>());
  }
  return diags.error_count() == errors_before;
}

}  // namespace tessel::sema
