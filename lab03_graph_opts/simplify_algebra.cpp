// Algebraic simplification (lab03, task t2): SimplifyAlgebra of stages/opt/passes.h.
//
// Requires: verified IR.
// Preserves: results, bit for bit: every rule is an identity of IEEE 754 arithmetic for every
//            input, NaN, infinities and signed zeros included.
// Gives: no instruction a rule of the table applies to.
//
// The rules are a table, one a line, the identity as its comment (as XLA's
// AlgebraicSimplifier and TVM's pattern rewrites read). A rule applies only when its result
// has the instruction's type, so `x * 1` with a 1 that broadcasts x to a larger shape stays.
// What is NOT here, and why (lab03_graph_opts/README.md §3.2):
//   x * 0 -> 0      wrong for x = inf or nan (nan), and for x < 0 (-0)
//   x + 0 -> x      wrong for x = -0 (-0 + 0 = +0); x + (-0) -> x is exact, and x + 0 -> x
//                   is exact for integers
//   x - x -> 0      wrong for inf and nan
//   0 - x -> neg x  wrong for x = 0 (+0, not -0)
//   x / x -> 1      wrong for 0, inf, nan
//   (a + b) + c -> a + (b + c)   rounding differs: float addition is not associative
#include <cmath>
#include <string_view>

#include "stages/common/not_implemented.h"
#include "stages/opt/passes.h"
#include "stages/opt/rewrite.h"

namespace tessel::opt {

namespace {

using ir::Instr;
using ir::Op;
using ir::Value;

// Operand `i` of `instr` when it is an instruction of op `op`, else null.
Instr* OperandOp(const Instr& instr, size_t i, Op op) {
  Value* value = instr.operand(i);
  if (value->kind() != Value::Kind::kInstr) return nullptr;
  auto* producer = static_cast<Instr*>(value);
  return producer->op() == op ? producer : nullptr;
}

// True when operand `i` is a constant whose every element is `x`; for x = 0 the sign counts.
bool Splat(const Instr& instr, size_t i, double x) {
  const Tensor* tensor = ConstantOf(instr.operand(i));
  if (tensor == nullptr) return false;
  for (int64_t k = 0; k < tensor->size(); ++k) {
    double v = tensor->Get(k);
    if (v != x || std::signbit(v) != std::signbit(x)) return false;
  }
  return true;
}

bool FloatResult(const Instr& instr) { return IsFloat(instr.type().dtype); }

// A new instruction just before `at`, with `at`'s location.
Instr* Emit(Instr& at, Op op, std::vector<Value*> operands, ir::Type type, ir::Attrs attrs = {}) {
  auto instr = std::make_unique<Instr>(op, std::move(operands), std::move(type), at.name());
  instr->attrs() = std::move(attrs);
  instr->set_loc(at.loc());
  return at.parent()->Insert(PositionOf(at), std::move(instr));
}

bool IdentityPerm(const std::vector<int64_t>& perm) {
  for (size_t d = 0; d < perm.size(); ++d) {
    if (perm[d] != static_cast<int64_t>(d)) return false;
  }
  return true;
}

bool AllZero(const std::vector<int64_t>& widths) {
  for (int64_t w : widths) {
    if (w != 0) return false;
  }
  return true;
}

// Every axis the reduction reduces has extent 1 in its operand.
bool ReducesOnlyUnitAxes(const Instr& instr) {
  for (int64_t axis : instr.attrs().axes) {
    if (instr.operand(0)->type().shape[axis] != 1) return false;
  }
  return instr.op() != Op::kArgMax && instr.op() != Op::kArgMin;
}

// reshape(reshape(x)) -> reshape(x); transpose(transpose(x, p), q) -> transpose(x, p[q]).
Value* ReshapeOfReshape(Instr& instr) {
  Instr* inner = OperandOp(instr, 0, Op::kReshape);
  return inner ? Emit(instr, Op::kReshape, {inner->operand(0)}, instr.type()) : nullptr;
}

Value* TransposeOfTranspose(Instr& instr) {
  Instr* inner = OperandOp(instr, 0, Op::kTranspose);
  if (inner == nullptr) return nullptr;
  const std::vector<int64_t>& p = inner->attrs().axes;
  const std::vector<int64_t>& q = instr.attrs().axes;
  ir::Attrs attrs;
  for (int64_t d : q) attrs.axes.push_back(p[d]);
  if (IdentityPerm(attrs.axes)) return inner->operand(0);
  return Emit(instr, Op::kTranspose, {inner->operand(0)}, instr.type(), attrs);
}

struct Rule {
  std::string_view identity;  // also the --stats counter
  Op op;
  Value* (*apply)(Instr& instr);  // the replacement, or null when the rule does not match
};

// TODO(lab03.t2): the rule table: one exact identity a line
const Rule kRules[] = {
    // x * 1 -> x
    {"x * 1 -> x", Op::kMul, [](Instr& i) -> Value* { return nullptr; }},
};

// Applies the first rule that matches `instr` and gives a value of its type; erases `instr`.
bool Simplify(Instr& instr, PassContext& context) {
  // TODO(lab03.t2): try the rules of instr's op; keep a replacement only of instr's type
  TESSEL_UNIMPLEMENTED("lab03.t2",
                       "try the rules of instr's op; keep a replacement only of instr's type",
                       "lab03_graph_opts/README.md §3.2");
}

}  // namespace

void SimplifyAlgebra(ir::Module& module, PassContext& context) {
  for (const auto& function : module.functions()) {
    bool changed = true;
    while (changed) {
      changed = false;
      for (const auto& block : function->blocks()) {
        for (size_t i = 0; i < block->instrs().size(); ++i) {
          if (Simplify(*block->instrs()[i], context)) changed = true;
        }
      }
    }
  }
}

}  // namespace tessel::opt
