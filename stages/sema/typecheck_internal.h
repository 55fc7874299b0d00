// The type checker's internals, shared by typecheck.cpp (statements,
// expressions, instances) and typecheck_calls.cpp (calls). Not for other users.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stages/sema/typecheck.h"

namespace tessel::sema::detail {

/// The type of a scalar of `dtype`.
inline ir::Type Scalar(DType dtype) { return ir::Type{dtype, {}}; }

/// Thrown after an error has been reported, to abandon the current function body.
struct CheckFailed {};

/// What a name in scope is.
enum class BindingKind { kParam, kLet, kVar, kTarget, kLoop, kIndex };

struct Binding {
  BindingKind kind = BindingKind::kLet;
  ir::Type type;
  std::optional<ConstValue> value;  // known at compile time
};

class Checker;

/// Checks one instance's body.
class BodyChecker {
 public:
  BodyChecker(Checker& checker, Instance& instance);

  /// Checks the whole body; reports errors and throws CheckFailed on the first.
  void Run();

  // Expressions (typecheck.cpp).
  const ExprInfo& Check(const ast::Expr& expr, const ir::Type* cast_to = nullptr);
  /// Checks `expr` and requires a compile-time integer (axes, sizes, shapes).
  int64_t CheckConstInt(const ast::Expr& expr, const std::string& what);
  /// Reports `message` at `range` (in this instance's file) and throws CheckFailed.
  [[noreturn]] void Fail(SourceRange range, const std::string& message);
  /// The compile-time value of `name` if it has one (shape variable, constant,
  /// specialized parameter, let of a constant).
  std::optional<ConstValue> LookupValue(const std::string& name) const;
  const Binding* Lookup(const std::string& name) const;
  bool in_comprehension() const { return in_comprehension_; }
  Instance& instance() { return instance_; }

  // Calls (typecheck_calls.cpp).
  ExprInfo CheckCall(const ast::CallExpr& call, const ir::Type* cast_to);
  ExprInfo DefaultArgument(const ast::CallExpr& call, const SourceModule& source,
                           const ast::FnItem& fn, size_t i, const std::vector<ir::Type>& types,
                           const std::vector<std::optional<ConstValue>>& values);

 private:
  void CheckBlock(const ast::Block& block);
  void CheckStmt(const ast::Stmt& stmt);
  void CheckBinding(const ast::BindingStmt& stmt);
  void CheckComprehension(const ast::ComprehensionStmt& stmt);
  ExprInfo CheckUncached(const ast::Expr& expr, const ir::Type* cast_to);
  ExprInfo CheckName(const ast::NameExpr& name);
  ExprInfo CheckBinary(const ast::BinaryExpr& binary);
  ExprInfo CheckIndex(const ast::IndexExpr& index);
  /// A value of `info` converted to `target` if it is a compile-time scalar
  /// that may adapt, for lets, assignments and returns; else Fail.
  void RequireType(const ExprInfo& info, const ir::Type& target, SourceRange range,
                   const std::string& what, const std::string& why = "");
  void Declare(const std::string& name, Binding binding);

  Checker& checker_;
  Instance& instance_;
  std::vector<std::map<std::string, Binding>> scopes_;
  bool in_comprehension_ = false;

  // Primitive calls (typecheck_builtins.cpp).
  ExprInfo CheckBuiltin(const ast::CallExpr& call, const Builtin& builtin,
                        const BoundArguments& args, const ir::Type* cast_to, CallInfo& info);
};

/// Creates and checks instances; owns the program being built.
class Checker {
 public:
  Checker(const SourceModule& user, const SourceModule& prelude,
          const std::map<std::string, ConstValue>& constants, DiagnosticEngine& diags);

  /// The instance of `fn` (from `source`) for these argument types and
  /// compile-time scalar values, checked; reuses an equal one. `call_file` and
  /// `call_range` locate the call for the note printed when the body fails.
  /// Throws CheckFailed (after reporting) when the instance does not check.
  int Instantiate(const SourceModule& source, const ast::FnItem& fn,
                  const std::vector<ir::Type>& args,
                  const std::vector<std::optional<ConstValue>>& values, const SourceFile* call_file,
                  SourceRange call_range, int caller_param_error_offset = 0);

  /// The user function or the prelude definitions called `name`.
  const ast::FnItem* FindUserFn(const std::string& name) const;
  std::vector<const ast::FnItem*> FindPreludeFns(const std::string& name) const;

  const SourceModule& user() const { return user_; }
  const SourceModule& prelude() const { return prelude_; }
  const std::map<std::string, ConstValue>& constants() const { return constants_; }
  DiagnosticEngine& diags() { return diags_; }
  TypedProgram& program() { return program_; }

 private:
  std::string NewInstanceName(const std::string& fn_name);

  SourceModule user_, prelude_;
  std::map<std::string, ConstValue> constants_;
  DiagnosticEngine& diags_;
  TypedProgram program_;
  std::vector<int> in_progress_;  // instances being checked (to detect recursion)
  std::map<std::string, int> name_counts_;
};

}  // namespace tessel::sema::detail
