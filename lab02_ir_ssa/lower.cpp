// Lowering a checked Tessel program to SSA IR (lab02, task t5).
//
// The type checker (stages/sema/typecheck.h) has already decided everything a
// translation needs: the type of every expression, which values are known at
// compile time, what each call resolves to, and the index ranges of every
// comprehension. The lowering walks each instance's body once, appending
// instructions to the *current block*:
//
//   let x = e;        lower e, remember x -> value in the scope
//   var x = e; x = e; SsaBuilder::WriteVariable (t4); a use reads it back
//   y[i] += e;        one comprehension instruction with a scalar body
//   if / for          new blocks, cond_br and br; seal each block once all its
//                     predecessors are known, so the SSA builder can finish phis
//   return e;         ret
//
// Values known at compile time (literals, constants, shape variables,
// specialized parameters) become `constant` instructions of the dtype their
// user needs, so `x / N` divides by an f32 constant.
#include "stages/sema/lower.h"

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "stages/common/check.h"
#include "stages/common/not_implemented.h"
#include "stages/ir/build_ssa.h"
#include "stages/ir/printer.h"

namespace tessel::sema {

namespace {

using ir::Block;
using ir::Instr;
using ir::Op;
using ir::ScalarExprPtr;
using ir::Type;
using ir::Value;

// The IR op of a source operator: binary_ops.def's last column.
ir::Op BinaryIrOp(ast::BinaryOp op) {
  switch (op) {
#define BINARY_OP(name, spelling, token, precedence, op_class, ir_op) \
  case ast::BinaryOp::name:                                           \
    return Op::ir_op;
#include "stages/frontend/binary_ops.def"
  }
  return Op::kAdd;
}

ir::ReduceKind ReduceKindOf(ast::ReduceOp op) {
  switch (op) {
    case ast::ReduceOp::kAssign:
      return ir::ReduceKind::kAssign;
    case ast::ReduceOp::kAdd:
      return ir::ReduceKind::kSum;
    case ast::ReduceOp::kMul:
      return ir::ReduceKind::kProd;
    case ast::ReduceOp::kMax:
      return ir::ReduceKind::kMax;
    case ast::ReduceOp::kMin:
      return ir::ReduceKind::kMin;
  }
  return ir::ReduceKind::kAssign;
}

// Lowers one instance to one IR function.
class FunctionLowerer {
 public:
  FunctionLowerer(const TypedProgram& program, const Instance& instance, ir::Function& function,
                  DiagnosticEngine* diags)
      : program_(program),
        instance_(instance),
        function_(function),
        ssa_(function),
        diags_(diags) {}

  void Run();

 private:
  // ---- given: building instructions. Each carries the location of the statement or
  // expression being lowered (LocAt, at the top of LowerStmt and Lower).
  Instr* Emit(Op op, std::vector<Value*> operands, Type type) {
    TESSEL_CHECK(current_ != nullptr, "emitting into no block (code after a return)");
    Instr* instr =
        current_->Append(std::make_unique<Instr>(op, std::move(operands), std::move(type)));
    instr->set_loc(loc_);
    return instr;
  }
  // A scalar constant of a comprehension body.
  ScalarExprPtr ScalarConst(DType dtype, double value) {
    WarnIfOverflows(value, dtype);
    return ir::MakeScalarConst(dtype, value);
  }
  // A finite constant that becomes infinite in `dtype` (-1e9 in f16) is almost surely a
  // mistake: a warning at the expression, not an error (it may be meant as -inf).
  void WarnIfOverflows(double value, DType dtype) {
    if (!diags_ || !IsFloat(dtype) || !std::isfinite(value)) return;
    double stored = Tensor::Scalar(dtype, value).Get(0);
    if (std::isfinite(stored)) return;
    double largest = dtype == DType::kF16 ? 65504 : std::numeric_limits<float>::max();
    diags_->Warning(*instance_.file, SourceLoc{0, loc_.line, loc_.col},
                    "the constant " + ir::FormatFloat(value) + " overflows " +
                        std::string(DTypeName(dtype)) + " and becomes " +
                        (stored > 0 ? "inf" : "-inf") + " (the largest finite " +
                        std::string(DTypeName(dtype)) + " is " + ir::FormatFloat(largest) + ")");
  }
  // Sets the location of the instructions emitted while it lives; restores the outer one.
  class LocAt {
   public:
    LocAt(FunctionLowerer* lowerer, SourceRange range) : lowerer_(lowerer), saved_(lowerer->loc_) {
      lowerer->loc_ = {lowerer->instance_.file->name(), range.begin.line, range.begin.col};
    }
    ~LocAt() { lowerer_->loc_ = saved_; }

   private:
    FunctionLowerer* lowerer_;
    ir::Loc saved_;
  };
  Value* Constant(const ConstValue& value, DType dtype) {
    WarnIfOverflows(value.AsDouble(), dtype);
    Instr* instr = Emit(Op::kConstant, {}, Type{dtype, {}});
    instr->attrs().value = std::make_shared<Tensor>(Tensor::Scalar(dtype, value.AsDouble()));
    return instr;
  }
  // `value` converted to `dtype` (a cast instruction when it differs).
  Value* Convert(Value* value, DType dtype) {
    if (value->type().dtype == dtype) return value;
    return Emit(Op::kCast, {value}, Type{dtype, value->type().shape});
  }
  void Branch(Block* target) {
    Instr* br = Emit(Op::kBr, {}, Type{});
    br->blocks() = {target};
  }
  void CondBranch(Value* cond, Block* if_true, Block* if_false) {
    Instr* br = Emit(Op::kCondBr, {cond}, Type{});
    br->blocks() = {if_true, if_false};
  }
  bool Terminated() const { return current_ == nullptr || current_->terminator() != nullptr; }
  Block* NewBlock(const std::string& label) {
    return function_.AddBlock(label + "." + std::to_string(++block_count_));
  }
  const ExprInfo& Info(const ast::Expr& expr) const {
    auto it = instance_.exprs.find(&expr);
    TESSEL_CHECK(it != instance_.exprs.end(), "an expression the type checker did not see");
    return it->second;
  }

  // ---- scopes: lets, parameters and targets map to values; vars and loop
  // variables live in the SSA builder.
  void Bind(const std::string& name, Value* value) { scopes_.back()[name] = value; }
  Value* LookupLet(const std::string& name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      auto found = it->find(name);
      if (found != it->end()) return found->second;
    }
    return nullptr;
  }

  void LowerBlock(const ast::Block& block);
  void LowerStmt(const ast::Stmt& stmt);
  void LowerIf(const ast::IfStmt& stmt);
  void LowerFor(const ast::ForStmt& stmt);
  void LowerComprehension(const ast::ComprehensionStmt& stmt);

  Value* Lower(const ast::Expr& expr);
  Value* LowerAs(const ast::Expr& expr, DType dtype) {
    const ExprInfo& info = Info(expr);
    if (info.value && info.type.rank() == 0) return Constant(*info.value, dtype);
    return Convert(Lower(expr), dtype);
  }
  Value* LowerName(const ast::NameExpr& name);
  Value* LowerCall(const ast::CallExpr& call);

  // Comprehension bodies.
  ScalarExprPtr LowerScalar(const ast::Expr& expr, DType dtype);
  ScalarExprPtr LowerScalarUncast(const ast::Expr& expr);
  int OperandIndex(const std::string& name);

  const TypedProgram& program_;
  const Instance& instance_;
  ir::Function& function_;
  ir::SsaBuilder ssa_;
  Block* current_ = nullptr;
  int block_count_ = 0;
  DiagnosticEngine* diags_;  // for warnings; may be null
  ir::Loc loc_;              // where the code being lowered stands in the source
  std::vector<std::map<std::string, Value*>> scopes_;
  std::map<std::string, Type> ssa_vars_;  // vars and loop variables, with their types

  // The comprehension being lowered: its index names (out ++ reduce) and operands.
  std::vector<std::string> indices_;
  std::vector<std::string> operand_names_;
  std::vector<Value*> operands_;
};

void FunctionLowerer::Run() {
  LocAt at(this, instance_.fn->range);
  current_ = function_.AddBlock("entry");
  ssa_.SealBlock(current_);
  scopes_.emplace_back();
  const ast::FnItem& fn = *instance_.fn;
  for (size_t i = 0; i < fn.params.size(); ++i) {
    if (instance_.IsSpecialized(i)) continue;  // its uses are compile-time constants
    Bind(fn.params[i].name, function_.AddArg(instance_.param_types[i], fn.params[i].name));
  }
  LowerBlock(*fn.body);
  TESSEL_CHECK(Terminated(), "a path without return passed CheckNames");
  ir::FillMissingLocations(function_);  // the phis the SSA builder made
}

void FunctionLowerer::LowerBlock(const ast::Block& block) {
  scopes_.emplace_back();
  for (const ast::StmtPtr& stmt : block.stmts) {
    if (Terminated()) break;  // after an if whose every arm returned: nothing runs
    LowerStmt(*stmt);
  }
  scopes_.pop_back();
}

void FunctionLowerer::LowerStmt(const ast::Stmt& stmt) {
  LocAt at(this, stmt.range);
  switch (stmt.kind) {
    case ast::StmtKind::kLet:
    case ast::StmtKind::kVar:
    case ast::StmtKind::kAssign:
    case ast::StmtKind::kReturn: {
      // TODO(lab02.t5): let binds a value; var and = write the SSA variable; ret
      TESSEL_UNIMPLEMENTED("lab02.t5", "let binds a value; var and = write the SSA variable; ret",
                           "lab02_ir_ssa/README.md §4.5");
    }
    case ast::StmtKind::kComprehension:
      LowerComprehension(stmt.As<ast::ComprehensionStmt>());
      return;
    case ast::StmtKind::kIf:
      LowerIf(stmt.As<ast::IfStmt>());
      return;
    case ast::StmtKind::kFor:
      LowerFor(stmt.As<ast::ForStmt>());
      return;
  }
}

void FunctionLowerer::LowerIf(const ast::IfStmt& stmt) {
  // TODO(lab02.t5): cond_br to then/else blocks, each falls through to a join block
  TESSEL_UNIMPLEMENTED("lab02.t5",
                       "cond_br to then/else blocks, each falls through to a join block",
                       "lab02_ir_ssa/README.md §4.5");
}

void FunctionLowerer::LowerFor(const ast::ForStmt& stmt) {
  // TODO(lab02.t5): header with the loop test, body, back edge; seal the header last
  TESSEL_UNIMPLEMENTED("lab02.t5",
                       "header with the loop test, body, back edge; seal the header last",
                       "lab02_ir_ssa/README.md §4.5");
}

// ------------------------------------------------------------ expressions

Value* FunctionLowerer::Lower(const ast::Expr& expr) {
  LocAt at(this, expr.range);
  const ExprInfo& info = Info(expr);
  if (info.value && info.type.rank() == 0) return Constant(*info.value, info.type.dtype);
  switch (expr.kind) {
    case ast::ExprKind::kInt:
    case ast::ExprKind::kFloat:
    case ast::ExprKind::kBool:
    case ast::ExprKind::kList:
      break;  // literals have values; lists are only primitive arguments
    case ast::ExprKind::kName:
      return LowerName(expr.As<ast::NameExpr>());
    case ast::ExprKind::kUnary:
    case ast::ExprKind::kBinary:
    case ast::ExprKind::kIndex: {
      // TODO(lab02.t5): operands converted to operand_dtype; x[i, j] is takes
      TESSEL_UNIMPLEMENTED("lab02.t5", "operands converted to operand_dtype; x[i, j] is takes",
                           "lab02_ir_ssa/README.md §4.5");
    }
    case ast::ExprKind::kCall:
      return LowerCall(expr.As<ast::CallExpr>());
  }
  TESSEL_CHECK(false, "an expression without a value or a lowering");
  return nullptr;
}

Value* FunctionLowerer::LowerName(const ast::NameExpr& name) {
  // TODO(lab02.t5): lets, params, targets: the scopes; a var: the SSA builder
  TESSEL_UNIMPLEMENTED("lab02.t5", "lets, params, targets: the scopes; a var: the SSA builder",
                       "lab02_ir_ssa/README.md §4.5");
}

// A call's ExprInfo (`result` here) says what its operands convert to:
// operand_dtype is the dtype of the value operands of an elementwise primitive
// (unary math, binary, the two values of select; a cast's operand keeps its
// own dtype, the cast changes it), as typecheck.h describes. A user or prelude
// function converts each argument to its parameter's dtype instead.
Value* FunctionLowerer::LowerCall(const ast::CallExpr& call) {
  const CallInfo& info = instance_.calls.at(&call);
  const ExprInfo& result = Info(call);
  auto arg = [&](size_t i) { return info.args.by_param[i]; };
  // TODO(lab02.t5): calls of instances (dynamic args only); primitives: their op
  TESSEL_UNIMPLEMENTED("lab02.t5", "calls of instances (dynamic args only); primitives: their op",
                       "lab02_ir_ssa/README.md §4.5");
}

// ------------------------------------------------------------ comprehensions

int FunctionLowerer::OperandIndex(const std::string& name) {
  for (size_t i = 0; i < operand_names_.size(); ++i) {
    if (operand_names_[i] == name) return static_cast<int>(i);
  }
  operand_names_.push_back(name);
  Value* value = LookupLet(name);
  if (!value) value = ssa_.ReadVariable(name, ssa_vars_.at(name), current_);
  operands_.push_back(value);
  return static_cast<int>(operand_names_.size() - 1);
}

ScalarExprPtr FunctionLowerer::LowerScalar(const ast::Expr& expr, DType dtype) {
  LocAt at(this, expr.range);
  const ExprInfo& info = Info(expr);
  if (info.value) return ScalarConst(dtype, info.value->AsDouble());
  ScalarExprPtr value = LowerScalarUncast(expr);
  if (value->dtype == dtype) return value;
  return ir::MakeScalarApply(Op::kCast, dtype, {value});
}

ScalarExprPtr FunctionLowerer::LowerScalarUncast(const ast::Expr& expr) {
  const ExprInfo& info = Info(expr);
  if (info.value) return ScalarConst(info.type.dtype, info.value->AsDouble());
  // TODO(lab02.t5): a comprehension body: indices, element reads, scalar operands, ops
  TESSEL_UNIMPLEMENTED("lab02.t5",
                       "a comprehension body: indices, element reads, scalar operands, ops",
                       "lab02_ir_ssa/README.md §4.5");
}

void FunctionLowerer::LowerComprehension(const ast::ComprehensionStmt& stmt) {
  const RangeSolution& ranges = instance_.ranges.at(&stmt);
  const Type& type = instance_.bindings.at(&stmt);
  // TODO(lab02.t5): one comprehension op: ranges from t3, the body as a ScalarExpr tree
  TESSEL_UNIMPLEMENTED("lab02.t5",
                       "one comprehension op: ranges from t3, the body as a ScalarExpr tree",
                       "lab02_ir_ssa/README.md §4.5");
}

}  // namespace

std::unique_ptr<ir::Module> LowerProgram(const TypedProgram& program, DiagnosticEngine* diags) {
  auto module = std::make_unique<ir::Module>();
  for (const auto& instance : program.instances) {
    ir::Function* function = module->AddFunction(instance->name, instance->result);
    FunctionLowerer(program, *instance, *function, diags).Run();
  }
  return module;
}

}  // namespace tessel::sema
