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
      // BEGIN SOLUTION lab02.t5: let binds a value; var and = write the SSA variable; ret
      if (stmt.kind == ast::StmtKind::kReturn) {
        const auto& ret = stmt.As<ast::ReturnStmt>();
        Emit(Op::kRet, {LowerAs(*ret.value, instance_.result.dtype)}, Type{});
        return;
      }
      if (stmt.kind == ast::StmtKind::kAssign) {
        const auto& assign = stmt.As<ast::AssignStmt>();
        const Type& type = ssa_vars_.at(assign.name);
        ssa_.WriteVariable(assign.name, current_, LowerAs(*assign.value, type.dtype));
        return;
      }
      const auto& binding = stmt.As<ast::BindingStmt>();
      const Type& type = instance_.bindings.at(&stmt);
      Value* value = LowerAs(*binding.init, type.dtype);
      if (value->name().empty() && value->kind() == Value::Kind::kInstr)
        value->set_name(binding.name);
      if (stmt.kind == ast::StmtKind::kLet) {
        Bind(binding.name, value);
      } else {
        ssa_vars_[binding.name] = type;
        ssa_.WriteVariable(binding.name, current_, value);
      }
      return;
      // END SOLUTION
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
  // BEGIN SOLUTION lab02.t5: cond_br to then/else blocks, each falls through to a join block
  Value* cond = Lower(*stmt.cond);
  Block* then_block = NewBlock("then");
  bool has_else = stmt.else_block || stmt.else_if;
  Block* else_block = has_else ? NewBlock("else") : nullptr;
  Block* join = NewBlock("join");
  CondBranch(cond, then_block, has_else ? else_block : join);
  ssa_.SealBlock(then_block);
  if (else_block) ssa_.SealBlock(else_block);

  current_ = then_block;
  LowerBlock(*stmt.then_block);
  if (!Terminated()) Branch(join);
  if (else_block) {
    current_ = else_block;
    if (stmt.else_block) {
      LowerBlock(*stmt.else_block);
    } else {
      scopes_.emplace_back();
      LowerStmt(*stmt.else_if);
      scopes_.pop_back();
    }
    if (!Terminated()) Branch(join);
  }
  // Every predecessor of the join is known now.
  if (function_.Predecessors(join).empty()) {  // every arm returned
    function_.EraseBlock(join);
    current_ = nullptr;
    return;
  }
  ssa_.SealBlock(join);
  current_ = join;
  // END SOLUTION
}

void FunctionLowerer::LowerFor(const ast::ForStmt& stmt) {
  // BEGIN SOLUTION lab02.t5: header with the loop test, body, back edge; seal the header last
  Value* lo = Lower(*stmt.lo);
  Value* hi = Lower(*stmt.hi);
  const Type i32{DType::kI32, {}};
  ssa_vars_[stmt.var] = i32;
  ssa_.WriteVariable(stmt.var, current_, lo);
  Block* header = NewBlock("loop");
  Block* body = NewBlock("body");
  Block* exit = NewBlock("exit");
  Branch(header);

  current_ = header;  // not sealed: the back edge from the body is still missing
  Value* counter = ssa_.ReadVariable(stmt.var, i32, header);
  CondBranch(Emit(Op::kLt, {counter, hi}, Type{DType::kBool, {}}), body, exit);
  ssa_.SealBlock(body);
  ssa_.SealBlock(exit);

  current_ = body;
  LowerBlock(*stmt.body);
  if (!Terminated()) {
    Value* next = Emit(
        Op::kAdd,
        {ssa_.ReadVariable(stmt.var, i32, current_), Constant(ConstValue::Int(1), DType::kI32)},
        i32);
    ssa_.WriteVariable(stmt.var, current_, next);
    Branch(header);
  }
  ssa_.SealBlock(header);
  current_ = exit;
  // END SOLUTION
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
      // BEGIN SOLUTION lab02.t5: operands converted to operand_dtype; x[i, j] is takes
      if (expr.kind == ast::ExprKind::kUnary) {
        const auto& unary = expr.As<ast::UnaryExpr>();
        Op op = unary.op == ast::UnaryOp::kNeg ? Op::kNeg : Op::kNot;
        return Emit(op, {LowerAs(*unary.operand, info.operand_dtype)}, info.type);
      }
      if (expr.kind == ast::ExprKind::kBinary) {
        const auto& binary = expr.As<ast::BinaryExpr>();
        Value* lhs = LowerAs(*binary.lhs, info.operand_dtype);
        Value* rhs = LowerAs(*binary.rhs, info.operand_dtype);
        return Emit(BinaryIrOp(binary.op), {lhs, rhs}, info.type);
      }
      const auto& index = expr.As<ast::IndexExpr>();
      Value* value = Lower(*index.base);
      for (const ast::ExprPtr& subscript : index.indices) {
        Type sliced{value->type().dtype,
                    Shape(value->type().shape.begin() + 1, value->type().shape.end())};
        value = Emit(Op::kTake, {value, LowerAs(*subscript, DType::kI32)}, sliced);
      }
      return value;
      // END SOLUTION
    }
    case ast::ExprKind::kCall:
      return LowerCall(expr.As<ast::CallExpr>());
  }
  TESSEL_CHECK(false, "an expression without a value or a lowering");
  return nullptr;
}

Value* FunctionLowerer::LowerName(const ast::NameExpr& name) {
  // BEGIN SOLUTION lab02.t5: lets, params, targets: the scopes; a var: the SSA builder
  if (Value* value = LookupLet(name.name)) return value;
  auto var = ssa_vars_.find(name.name);
  TESSEL_CHECK(var != ssa_vars_.end(), "a name the type checker resolved is not in scope");
  return ssa_.ReadVariable(name.name, var->second, current_);
  // END SOLUTION
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
  // BEGIN SOLUTION lab02.t5: calls of instances (dynamic args only); primitives: their op
  if (!info.builtin) {
    const Instance& callee = *program_.instances.at(info.instance);
    std::vector<Value*> operands;
    for (size_t i = 0; i < callee.fn->params.size(); ++i) {
      if (callee.IsSpecialized(i)) continue;
      operands.push_back(LowerAs(*arg(i), callee.param_types[i].dtype));
    }
    Instr* instr = Emit(Op::kCall, std::move(operands), result.type);
    instr->attrs().callee = callee.name;
    return instr;
  }
  std::vector<Value*> operands;
  switch (info.builtin->kind) {
    case BuiltinKind::kUnary:
    case BuiltinKind::kCast:
      operands = {LowerAs(*arg(0), result.operand_dtype)};
      break;
    case BuiltinKind::kBinary:
      operands = {LowerAs(*arg(0), result.operand_dtype), LowerAs(*arg(1), result.operand_dtype)};
      break;
    case BuiltinKind::kSelect:
      operands = {Lower(*arg(0)), LowerAs(*arg(1), result.operand_dtype),
                  LowerAs(*arg(2), result.operand_dtype)};
      break;
    case BuiltinKind::kConcat:
      for (const ast::ExprPtr& element : arg(0)->As<ast::ListExpr>().elements) {
        operands.push_back(Lower(*element));
      }
      break;
    case BuiltinKind::kUpdateSlice:  // x, the update, then one i32 start per axis
      operands = {Lower(*arg(0)), LowerAs(*arg(1), result.operand_dtype)};
      if (arg(2)->kind != ast::ExprKind::kList) {
        operands.push_back(Lower(*arg(2)));
        break;
      }
      for (const ast::ExprPtr& start : arg(2)->As<ast::ListExpr>().elements) {
        operands.push_back(Lower(*start));
      }
      break;
    case BuiltinKind::kReduce:
    case BuiltinKind::kReshape:
    case BuiltinKind::kTranspose:
    case BuiltinKind::kBroadcast:
    case BuiltinKind::kSlice:
    case BuiltinKind::kPad:
      operands = {Lower(*arg(0))};
      break;
  }
  Instr* instr = Emit(info.builtin->op, std::move(operands), result.type);
  instr->attrs() = info.attrs;
  return instr;
  // END SOLUTION
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
  // BEGIN SOLUTION lab02.t5: a comprehension body: indices, element reads, scalar operands, ops
  switch (expr.kind) {
    case ast::ExprKind::kName: {
      const std::string& name = expr.As<ast::NameExpr>().name;
      for (size_t i = 0; i < indices_.size(); ++i) {
        if (indices_[i] == name) return ir::MakeScalarIndex(static_cast<int>(i));
      }
      return ir::MakeScalarRead(OperandIndex(name), info.type.dtype, {});  // a scalar value
    }
    case ast::ExprKind::kIndex: {
      const auto& index = expr.As<ast::IndexExpr>();
      std::vector<ScalarExprPtr> subscripts;
      for (const ast::ExprPtr& sub : index.indices)
        subscripts.push_back(LowerScalar(*sub, DType::kI32));
      int operand = OperandIndex(index.base->As<ast::NameExpr>().name);
      return ir::MakeScalarRead(operand, info.type.dtype, std::move(subscripts));
    }
    case ast::ExprKind::kUnary: {
      const auto& unary = expr.As<ast::UnaryExpr>();
      Op op = unary.op == ast::UnaryOp::kNeg ? Op::kNeg : Op::kNot;
      return ir::MakeScalarApply(op, info.type.dtype,
                                 {LowerScalar(*unary.operand, info.operand_dtype)});
    }
    case ast::ExprKind::kBinary: {
      const auto& binary = expr.As<ast::BinaryExpr>();
      return ir::MakeScalarApply(BinaryIrOp(binary.op), info.type.dtype,
                                 {LowerScalar(*binary.lhs, info.operand_dtype),
                                  LowerScalar(*binary.rhs, info.operand_dtype)});
    }
    case ast::ExprKind::kCall: {
      const auto& call = expr.As<ast::CallExpr>();
      const CallInfo& call_info = instance_.calls.at(&call);
      std::vector<ScalarExprPtr> args;
      for (size_t i = 0; i < call_info.args.by_param.size(); ++i) {
        const ast::Expr& arg = *call_info.args.by_param[i];
        bool is_condition = call_info.builtin->kind == BuiltinKind::kSelect && i == 0;
        args.push_back(is_condition ? LowerScalarUncast(arg)
                                    : LowerScalar(arg, info.operand_dtype));
      }
      return ir::MakeScalarApply(call_info.builtin->op, info.type.dtype, std::move(args));
    }
    case ast::ExprKind::kInt:
    case ast::ExprKind::kFloat:
    case ast::ExprKind::kBool:
    case ast::ExprKind::kList:
      break;
  }
  TESSEL_CHECK(false, "an expression the type checker does not allow in a comprehension");
  return nullptr;
  // END SOLUTION
}

void FunctionLowerer::LowerComprehension(const ast::ComprehensionStmt& stmt) {
  const RangeSolution& ranges = instance_.ranges.at(&stmt);
  const Type& type = instance_.bindings.at(&stmt);
  // BEGIN SOLUTION lab02.t5: one comprehension op: ranges from t3, the body as a ScalarExpr tree
  indices_.clear();
  operand_names_.clear();
  operands_.clear();
  for (const ir::IndexVar& index : ranges.out) indices_.push_back(index.name);
  for (const ir::IndexVar& index : ranges.reduce) indices_.push_back(index.name);
  auto comprehension = std::make_shared<ir::Comprehension>();
  comprehension->out = ranges.out;
  comprehension->reduce = ranges.reduce;
  comprehension->reduce_kind = ReduceKindOf(stmt.op);
  comprehension->body = LowerScalar(*stmt.value, type.dtype);
  Instr* instr = Emit(Op::kComprehension, operands_, type);
  instr->set_name(stmt.target);
  instr->attrs().comprehension = std::move(comprehension);
  Bind(stmt.target, instr);
  // END SOLUTION
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
