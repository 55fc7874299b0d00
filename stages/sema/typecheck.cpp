// The type checker: instances and statements. Expressions are in
// typecheck_exprs.cpp, calls in typecheck_calls.cpp, the entry point in
// typecheck_entry.cpp. See typecheck.h for what it computes.
#include "stages/sema/typecheck.h"

#include <algorithm>
#include <functional>
#include <set>

#include "stages/common/check.h"
#include "stages/sema/expr_walk.h"
#include "stages/sema/format_expr.h"
#include "stages/sema/predefined.h"
#include "stages/sema/typecheck_internal.h"

namespace tessel::sema {

namespace detail {

// ------------------------------------------------------------ BodyChecker

BodyChecker::BodyChecker(Checker& checker, Instance& instance)
    : checker_(checker), instance_(instance) {}

void BodyChecker::Fail(SourceRange range, const std::string& message) {
  checker_.diags().Error(*instance_.file, range, message);
  throw CheckFailed{};
}

void BodyChecker::Run() {
  scopes_.emplace_back();
  const ast::FnItem& fn = *instance_.fn;
  for (size_t i = 0; i < fn.params.size(); ++i) {
    Binding binding{BindingKind::kParam, instance_.param_types[i], std::nullopt};
    auto it = instance_.specialized.find(fn.params[i].name);
    if (it != instance_.specialized.end()) binding.value = it->second;
    scopes_.back()[fn.params[i].name] = binding;
  }
  CheckBlock(*fn.body);
}

const Binding* BodyChecker::Lookup(const std::string& name) const {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto found = it->find(name);
    if (found != it->end()) return &found->second;
  }
  return nullptr;
}

std::optional<ConstValue> BodyChecker::LookupValue(const std::string& name) const {
  if (const Binding* binding = Lookup(name)) return binding->value;
  auto var = instance_.shapes.vars.find(name);
  if (var != instance_.shapes.vars.end()) return ConstValue::Int(var->second);
  if (instance_.file == checker_.user().file) {
    auto constant = checker_.constants().find(name);
    if (constant != checker_.constants().end()) return constant->second;
  }
  return PredefinedValue(name);
}

void BodyChecker::Declare(const std::string& name, Binding binding) {
  scopes_.back()[name] = std::move(binding);
}

void BodyChecker::CheckBlock(const ast::Block& block) {
  scopes_.emplace_back();
  for (const ast::StmtPtr& stmt : block.stmts) CheckStmt(*stmt);
  scopes_.pop_back();
}

void BodyChecker::RequireType(const ExprInfo& info, const ir::Type& target, SourceRange range,
                              const std::string& what, const std::string& why) {
  if (info.type == target) return;
  // A compile-time scalar adapts to a scalar of another numeric dtype
  // (`var x: f32 = 0;`), as it would in an operator.
  bool adapts = info.value && info.type.rank() == 0 && target.rank() == 0 &&
                target.dtype != DType::kBool && info.type.dtype != DType::kBool &&
                (info.value->is_int() || IsFloat(target.dtype));
  if (adapts) return;
  // `what` ends with the type as written; show its concrete form when it differs.
  std::string concrete = ir::FormatType(target);
  bool written_differs =
      what.size() < concrete.size() ||
      what.compare(what.size() - concrete.size(), concrete.size(), concrete) != 0;
  Fail(range, what + (written_differs ? " = " + concrete : "") + ", but the value is " +
                  ir::FormatType(info.type) + why);
}

void BodyChecker::CheckStmt(const ast::Stmt& stmt) {
  switch (stmt.kind) {
    case ast::StmtKind::kLet:
    case ast::StmtKind::kVar:
      CheckBinding(stmt.As<ast::BindingStmt>());
      return;
    case ast::StmtKind::kAssign: {
      const auto& assign = stmt.As<ast::AssignStmt>();
      const Binding* var = Lookup(assign.name);
      TESSEL_CHECK(var && var->kind == BindingKind::kVar,
                   "assignment to a non-var passed CheckNames");
      ir::Type type = var->type;
      const ExprInfo& value = Check(*assign.value);
      RequireType(value, type, assign.value->range,
                  "'" + assign.name + "' is a var of type " + ir::FormatType(type),
                  " (a var keeps its type)");
      return;
    }
    case ast::StmtKind::kComprehension:
      CheckComprehension(stmt.As<ast::ComprehensionStmt>());
      return;
    case ast::StmtKind::kIf: {
      const auto& if_stmt = stmt.As<ast::IfStmt>();
      const ExprInfo& cond = Check(*if_stmt.cond);
      if (cond.type != Scalar(DType::kBool)) {
        Fail(if_stmt.cond->range,
             "the condition of 'if' must be a bool scalar, found " + ir::FormatType(cond.type));
      }
      CheckBlock(*if_stmt.then_block);
      if (if_stmt.else_block) CheckBlock(*if_stmt.else_block);
      if (if_stmt.else_if) {
        scopes_.emplace_back();
        CheckStmt(*if_stmt.else_if);
        scopes_.pop_back();
      }
      return;
    }
    case ast::StmtKind::kFor: {
      const auto& for_stmt = stmt.As<ast::ForStmt>();
      for (const ast::Expr* bound : {for_stmt.lo.get(), for_stmt.hi.get()}) {
        const ExprInfo& info = Check(*bound);
        if (info.type != Scalar(DType::kI32)) {
          Fail(bound->range,
               "a loop bound must be an i32 scalar, found " + ir::FormatType(info.type));
        }
      }
      scopes_.emplace_back();
      Declare(for_stmt.var, {BindingKind::kLoop, Scalar(DType::kI32), std::nullopt});
      CheckBlock(*for_stmt.body);
      scopes_.pop_back();
      return;
    }
    case ast::StmtKind::kReturn: {
      const auto& ret = stmt.As<ast::ReturnStmt>();
      const ExprInfo& value = Check(*ret.value);
      RequireType(value, instance_.result, ret.value->range,
                  "'" + instance_.fn->name + "' is declared to return " +
                      FormatTypeExpr(instance_.fn->result));
      return;
    }
  }
}

void BodyChecker::CheckBinding(const ast::BindingStmt& stmt) {
  std::optional<ir::Type> declared;
  if (stmt.type) {
    std::string error;
    declared = ResolveType(*stmt.type, instance_.shapes, &error);
    if (!declared) Fail(stmt.type->range, error);
  }
  const ExprInfo& init = Check(*stmt.init, declared ? &*declared : nullptr);
  ir::Type type = init.type;
  if (declared) {
    RequireType(init, *declared, stmt.init->range,
                "'" + stmt.name + "' is declared " + FormatTypeExpr(*stmt.type));
    type = *declared;
  }
  instance_.bindings[&stmt] = type;
  Binding binding{stmt.kind == ast::StmtKind::kVar ? BindingKind::kVar : BindingKind::kLet, type,
                  std::nullopt};
  // A let of a compile-time value stays one (`let k = 3;` may size a reshape).
  if (stmt.kind == ast::StmtKind::kLet && init.value && init.type == type)
    binding.value = init.value;
  Declare(stmt.name, binding);
}

void BodyChecker::CheckComprehension(const ast::ComprehensionStmt& stmt) {
  // The reduction indices: names in right-hand subscripts or the where clause
  // that are neither visible nor output indices, in order of first appearance.
  std::vector<std::string> candidates;
  ForEachName(*stmt.value, false, [&](const ast::NameExpr& name, bool in_subscript) {
    if (in_subscript) candidates.push_back(name.name);
  });
  for (const ast::IndexRange& range : stmt.where) candidates.push_back(range.index);
  RangeProblem problem;
  problem.stmt = &stmt;
  for (const std::string& name : candidates) {
    bool is_out = std::find(stmt.indices.begin(), stmt.indices.end(), name) != stmt.indices.end();
    bool seen =
        std::find(problem.reduce.begin(), problem.reduce.end(), name) != problem.reduce.end();
    if (!is_out && !seen && !Lookup(name) && !LookupValue(name)) problem.reduce.push_back(name);
  }
  problem.tensor_shape = [this](const std::string& name) -> const Shape* {
    const Binding* binding = Lookup(name);
    return binding && binding->type.rank() > 0 ? &binding->type.shape : nullptr;
  };
  problem.lookup = [this](const std::string& name) { return LookupValue(name); };

  RangeSolution solution;
  RangeError error;
  if (!InferRanges(problem, &solution, &error)) {
    checker_.diags().Error(*instance_.file, error.range, error.message);
    for (const std::string& note : error.notes) checker_.diags().Note(note);
    throw CheckFailed{};
  }

  // The body, element by element: indices are i32 scalars.
  scopes_.emplace_back();
  for (const ir::IndexVar& index : solution.out) {
    Declare(index.name, {BindingKind::kIndex, Scalar(DType::kI32), std::nullopt});
  }
  for (const ir::IndexVar& index : solution.reduce) {
    Declare(index.name, {BindingKind::kIndex, Scalar(DType::kI32), std::nullopt});
  }
  in_comprehension_ = true;
  const ExprInfo& value = Check(*stmt.value);
  in_comprehension_ = false;
  scopes_.pop_back();
  if (value.type.rank() != 0) {
    Fail(stmt.value->range, "the value of a comprehension must be a scalar per element, found " +
                                ir::FormatType(value.type));
  }
  if (stmt.op != ast::ReduceOp::kAssign && value.type.dtype == DType::kBool) {
    Fail(stmt.value->range,
         "'" + std::string(ast::ReduceOpSpelling(stmt.op)) + "' cannot reduce bool values");
  }
  ir::Type type{value.type.dtype, {}};
  for (const ir::IndexVar& index : solution.out) type.shape.push_back(index.hi - index.lo);
  instance_.ranges[&stmt] = std::move(solution);
  instance_.bindings[&stmt] = type;
  Declare(stmt.target, {BindingKind::kTarget, type, std::nullopt});
}

// ------------------------------------------------------------ Checker

Checker::Checker(const SourceModule& user, const SourceModule& prelude,
                 const std::map<std::string, ConstValue>& constants, DiagnosticEngine& diags)
    : user_(user), prelude_(prelude), constants_(constants), diags_(diags) {}

const ast::FnItem* Checker::FindUserFn(const std::string& name) const {
  for (const ast::ItemPtr& item : user_.module->items) {
    if (item->kind == ast::ItemKind::kFn && item->name == name) return &item->As<ast::FnItem>();
  }
  return nullptr;
}

std::vector<const ast::FnItem*> Checker::FindPreludeFns(const std::string& name) const {
  std::vector<const ast::FnItem*> fns;
  for (const ast::ItemPtr& item : prelude_.module->items) {
    if (item->kind == ast::ItemKind::kFn && item->name == name)
      fns.push_back(&item->As<ast::FnItem>());
  }
  return fns;
}

std::string Checker::NewInstanceName(const std::string& fn_name) {
  int count = ++name_counts_[fn_name];
  return count == 1 ? fn_name : fn_name + "." + std::to_string(count);
}

int Checker::Instantiate(const SourceModule& source, const ast::FnItem& fn,
                         const std::vector<ir::Type>& args,
                         const std::vector<std::optional<ConstValue>>& values,
                         const SourceFile* call_file, SourceRange call_range, int) {
  TESSEL_CHECK(args.size() == fn.params.size() && values.size() == fn.params.size(),
               "one type and one value slot per parameter");
  // Scalar parameters with a compile-time argument are specialized.
  std::map<std::string, ConstValue> specialized;
  for (size_t i = 0; i < fn.params.size(); ++i) {
    if (fn.params[i].type.dims.empty() && values[i]) {
      ConstValue value = *values[i];
      if (IsFloat(fn.params[i].type.dtype) && value.is_int()) {
        value = ConstValue::Float(value.AsDouble());
      }
      specialized[fn.params[i].name] = value;
    }
  }
  for (size_t k = 0; k < program_.instances.size(); ++k) {
    const Instance& existing = *program_.instances[k];
    if (existing.fn == &fn && existing.param_types == args && existing.specialized == specialized) {
      if (std::find(in_progress_.begin(), in_progress_.end(), k) != in_progress_.end()) {
        diags_.Error(*source.file, fn.name_range,
                     "'" + fn.name + "' calls itself: Tessel functions cannot be recursive");
        throw CheckFailed{};
      }
      return static_cast<int>(k);
    }
  }
  for (int k : in_progress_) {
    if (program_.instances[k]->fn == &fn) {
      diags_.Error(*source.file, fn.name_range,
                   "'" + fn.name + "' calls itself: Tessel functions cannot be recursive");
      throw CheckFailed{};
    }
  }

  auto instance = std::make_unique<Instance>();
  instance->file = source.file;
  instance->fn = &fn;
  instance->name = NewInstanceName(fn.name);
  instance->specialized = specialized;
  instance->param_types = args;
  Instance* raw = instance.get();
  raw->shapes.lookup = [raw, this](const std::string& name) -> std::optional<ConstValue> {
    auto it = raw->specialized.find(name);
    if (it != raw->specialized.end()) return it->second;
    if (raw->file == user_.file) {
      auto constant = constants_.find(name);
      if (constant != constants_.end()) return constant->second;
    }
    return PredefinedValue(name);
  };
  SignatureError error;
  if (!UnifySignature(fn, args, raw->shapes, &error)) {
    if (call_file) {
      diags_.Error(*call_file, call_range, error.message);
    } else {
      diags_.Error(error.message);
    }
    throw CheckFailed{};
  }
  std::string result_error;
  std::optional<ir::Type> result = ResolveType(fn.result, raw->shapes, &result_error);
  if (!result) {
    diags_.Error(*source.file, fn.result.range, result_error);
    throw CheckFailed{};
  }
  raw->result = *result;

  int index = static_cast<int>(program_.instances.size());
  program_.instances.push_back(std::move(instance));
  in_progress_.push_back(index);
  try {
    BodyChecker(*this, *raw).Run();
  } catch (const CheckFailed&) {
    if (call_file && call_file != source.file) {
      diags_.Note(*call_file, call_range.begin,
                  "in '" + fn.name + "' (" + source.file->name() + "), called here");
    } else if (call_file) {
      diags_.Note(*call_file, call_range.begin, "in '" + fn.name + "', called here");
    }
    throw;
  }
  in_progress_.pop_back();
  return index;
}

}  // namespace detail
}  // namespace tessel::sema
