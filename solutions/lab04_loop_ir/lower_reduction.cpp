// Reductions as an initialization plus an update (lab04, task t1): IsReduction and
// ReductionAt of stages/loops/lower.h.
//
// A reduction's element is a loop: start from the identity, combine the value at each point
// of the reduced axes. In loop IR that is two stores to the same element, the second inside
// the loops over the reduced axes (TensorIR's block `init` and body, Halide's update
// definition). lab04_loop_ir/README.md §3.1.
#include <limits>

#include "stages/common/check.h"
#include "stages/common/not_implemented.h"
#include "stages/loops/lower.h"

namespace tessel::loops {

namespace {

using Index = std::vector<ExprPtr>;

// BEGIN SOLUTION lab04.t1: the identity and combination of each reduction
// The value a reduction starts from; integer max and min start from the dtype's extremes,
// which combine with any value to that value, as -inf and +inf do for floats.
ExprPtr Identity(ir::ReduceKind kind, DType dtype) {
  double lowest = dtype == DType::kI32 ? std::numeric_limits<int32_t>::lowest()
                  : dtype == DType::kI8 ? std::numeric_limits<int8_t>::lowest()
                                        : -std::numeric_limits<double>::infinity();
  double highest = dtype == DType::kI32 ? std::numeric_limits<int32_t>::max()
                   : dtype == DType::kI8 ? std::numeric_limits<int8_t>::max()
                                         : std::numeric_limits<double>::infinity();
  switch (kind) {
    case ir::ReduceKind::kAssign:
    case ir::ReduceKind::kSum: return Const(dtype, 0);
    case ir::ReduceKind::kProd: return Const(dtype, 1);
    case ir::ReduceKind::kMax: return Const(dtype, lowest);
    case ir::ReduceKind::kMin: return Const(dtype, highest);
  }
  return nullptr;
}

ExprPtr Combine(ir::ReduceKind kind, const ExprPtr& acc, const ExprPtr& value) {
  switch (kind) {
    case ir::ReduceKind::kAssign: return value;
    case ir::ReduceKind::kSum: return Add(acc, value);
    case ir::ReduceKind::kProd: return Mul(acc, value);
    case ir::ReduceKind::kMax: return Max(acc, value);
    case ir::ReduceKind::kMin: return Min(acc, value);
  }
  return nullptr;
}

ir::ReduceKind KindOf(Op op) {
  return op == Op::kReduceProd ? ir::ReduceKind::kProd
         : op == Op::kReduceMax ? ir::ReduceKind::kMax
         : op == Op::kReduceMin ? ir::ReduceKind::kMin
                                : ir::ReduceKind::kSum;  // sum, mean, matmul
}

// Loops over `extents` named `names` around `body`, the first outermost.
StmtPtr Nest(const std::vector<std::string>& names, const std::vector<int64_t>& extents,
             StmtPtr body) {
  for (size_t d = names.size(); d-- > 0;) body = For(names[d], Int(extents[d]), body);
  return body;
}

Index Vars(const std::vector<std::string>& names) {
  Index vars;
  for (const std::string& name : names) vars.push_back(Var(name));
  return vars;
}

// The input index of reduce_*(x, axes, keepdims) at result index `index` and reduction
// variables `reduced` (one per axis).
Index ReducedInputIndex(const ir::Instr& instr, const Index& index, const Index& reduced) {
  const ir::Attrs& a = instr.attrs();
  Index source;
  size_t next_reduced = 0, next_kept = 0;
  for (size_t d = 0; d < instr.operand(0)->type().shape.size(); ++d) {
    bool is_reduced = std::find(a.axes.begin(), a.axes.end(), static_cast<int64_t>(d)) != a.axes.end();
    if (is_reduced) {
      source.push_back(reduced[next_reduced++]);
      if (a.keepdims) ++next_kept;
    } else {
      source.push_back(index[next_kept++]);
    }
  }
  return source;
}

std::vector<int64_t> ReducedExtents(const ir::Instr& instr) {
  std::vector<int64_t> extents;
  if (instr.op() == Op::kComprehension) {
    for (const ir::IndexVar& v : instr.attrs().comprehension->reduce) {
      extents.push_back(std::max<int64_t>(v.hi - v.lo, 0));
    }
  } else if (instr.op() == Op::kMatMul) {
    extents.push_back(instr.operand(0)->type().shape.back());
  } else {
    for (int64_t axis : instr.attrs().axes) {
      extents.push_back(instr.operand(0)->type().shape[static_cast<size_t>(axis)]);
    }
  }
  return extents;
}

// The batch part of a matmul operand's index: its batch dimensions are the result's last
// ones (right-aligned), a size-1 dimension broadcast.
Index BatchIndex(const Index& batch, const Shape& operand_batch) {
  Index out;
  size_t shift = batch.size() - operand_batch.size();
  for (size_t d = 0; d < operand_batch.size(); ++d) {
    out.push_back(operand_batch[d] == 1 ? Int(0) : batch[d + shift]);
  }
  return out;
}

// a[..., i, k] * b[..., k, j] at result index `index`; a vector operand has no i (or j).
ExprPtr MatMulTerm(const ir::Instr& instr, const Index& index, const ExprPtr& k,
                   const OperandAt& operand_at) {
  const Shape &a = instr.operand(0)->type().shape, &b = instr.operand(1)->type().shape;
  bool a_vector = a.size() == 1, b_vector = b.size() == 1;
  size_t batch_rank = index.size() - (a_vector ? 0 : 1) - (b_vector ? 0 : 1);
  Index batch(index.begin(), index.begin() + static_cast<std::ptrdiff_t>(batch_rank));
  Index a_index = {k}, b_index = {k};
  if (!a_vector) {
    a_index = BatchIndex(batch, Shape(a.begin(), a.end() - 2));
    a_index.push_back(index[batch_rank]);
    a_index.push_back(k);
  }
  if (!b_vector) {
    b_index = BatchIndex(batch, Shape(b.begin(), b.end() - 2));
    b_index.push_back(k);
    b_index.push_back(index.back());
  }
  return Mul(operand_at(0, a_index), operand_at(1, b_index));
}

// The value combined at one point of the reduced axes.
ExprPtr UpdateValue(const ir::Instr& instr, const Index& index, const Index& reduced,
                    const OperandAt& operand_at) {
  if (instr.op() == Op::kMatMul) return MatMulTerm(instr, index, reduced[0], operand_at);
  if (instr.op() != Op::kComprehension) {
    return operand_at(0, ReducedInputIndex(instr, index, reduced));
  }
  const ir::Comprehension& c = *instr.attrs().comprehension;
  Index vars = index;
  for (size_t d = 0; d < reduced.size(); ++d) {
    int64_t lo = c.reduce[d].lo;
    vars.push_back(lo == 0 ? reduced[d] : Add(reduced[d], Int(lo)));
  }
  return ComprehensionBodyAt(instr, vars, operand_at);
}

// argmax/argmin: the best value so far in a local scalar, its index in the output. An
// element wins when it is strictly better (the first index wins ties) or when it is NaN and
// the best is not (NumPy's rule).
StmtPtr ArgReductionAt(const ir::Instr& instr, const BufferPtr& out, const Index& index,
                       const std::vector<std::string>& reduce_names, const OperandAt& operand_at,
                       NameGenerator& names) {
  DType dtype = instr.operand(0)->type().dtype;
  BufferPtr best = MakeBuffer(names.Fresh(out->name + ".best"), dtype, {}, Scope::kLocal);
  std::string value_name = names.Fresh(out->name + ".value");
  std::string wins_name = names.Fresh(out->name + ".wins");
  ExprPtr r = Var(reduce_names[0]);
  ExprPtr value = Var(value_name, dtype), current = Load(best, {});
  ExprPtr better = Apply(instr.op() == Op::kArgMax ? Op::kGt : Op::kLt, {value, current});
  auto is_nan = [](const ExprPtr& e) { return Apply(Op::kNe, {e, e}); };
  ExprPtr wins = Apply(Op::kOr, {And(is_nan(value), Apply(Op::kNot, {is_nan(current)})),
                                  And(Apply(Op::kNot, {is_nan(current)}), better)});
  ExprPtr wins_var = Var(wins_name, DType::kBool);
  StmtPtr update = Seq({
      Let(value_name, operand_at(0, ReducedInputIndex(instr, index, {r}))),
      Let(wins_name, wins),
      Store(best, {}, Select(wins_var, value, current)),
      Store(out, index, Select(wins_var, r, Load(out, index))),
  });
  return Seq({Allocate(best),
              Store(best, {}, operand_at(0, ReducedInputIndex(instr, index, {Int(0)}))),
              Store(out, index, Int(0)), Nest(reduce_names, ReducedExtents(instr), update)});
}
// SKELETON
// // Helpers of your own (identities, combinations, the input index of a reduction) go here.
// END SOLUTION

}  // namespace

bool IsReduction(const ir::Instr& instr) {
  // BEGIN SOLUTION lab04.t1: which ops need a nest with an initialization and an update
  switch (instr.op()) {
    case Op::kMatMul: case Op::kReduceSum: case Op::kReduceProd: case Op::kReduceMax:
    case Op::kReduceMin: case Op::kReduceMean: case Op::kArgMax: case Op::kArgMin:
      return true;
    case Op::kComprehension:
      return instr.attrs().comprehension->reduce_kind != ir::ReduceKind::kAssign;
    case Op::kNeg: case Op::kNot: case Op::kAbs: case Op::kExp: case Op::kLog: case Op::kSqrt:
    case Op::kRsqrt: case Op::kTanh: case Op::kSigmoid: case Op::kRelu: case Op::kErf:
    case Op::kSin: case Op::kCos: case Op::kFloor: case Op::kCeil: case Op::kRound:
    case Op::kSign: case Op::kCast: case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv:
    case Op::kMod: case Op::kFloorDiv: case Op::kFloorMod: case Op::kPow: case Op::kMaximum:
    case Op::kMinimum: case Op::kEq: case Op::kNe: case Op::kLt: case Op::kLe: case Op::kGt:
    case Op::kGe: case Op::kAnd: case Op::kOr: case Op::kSelect: case Op::kReshape:
    case Op::kTranspose: case Op::kBroadcast: case Op::kConcat: case Op::kSlice: case Op::kPad:
    case Op::kTake: case Op::kUpdateSlice: case Op::kConstant: case Op::kCall: case Op::kPhi:
    case Op::kBr: case Op::kCondBr: case Op::kRet:
      return false;
  }
  return false;
  // END SOLUTION
}

StmtPtr ReductionAt(const ir::Instr& instr, const BufferPtr& out,
                    const std::vector<ExprPtr>& index, const std::vector<std::string>& reduce_names,
                    const OperandAt& operand_at, NameGenerator& names) {
  // BEGIN SOLUTION lab04.t1: initialization, update loops, finalization
  if (instr.op() == Op::kArgMax || instr.op() == Op::kArgMin) {
    return ArgReductionAt(instr, out, index, reduce_names, operand_at, names);
  }
  ir::ReduceKind kind = instr.op() == Op::kComprehension
                            ? instr.attrs().comprehension->reduce_kind
                            : KindOf(instr.op());
  DType dtype = out->dtype;
  ExprPtr value = UpdateValue(instr, index, Vars(reduce_names), operand_at);
  if (value->dtype != dtype) value = Cast(dtype, value);
  std::vector<StmtPtr> stmts = {
      Store(out, index, Identity(kind, dtype)),
      Nest(reduce_names, ReducedExtents(instr), Store(out, index, Combine(kind, Load(out, index), value))),
  };
  if (instr.op() == Op::kReduceMean) {
    int64_t count = 1;
    for (int64_t extent : ReducedExtents(instr)) count *= extent;
    stmts.push_back(Store(out, index, Div(Load(out, index), Const(dtype, static_cast<double>(count)))));
  }
  return Seq(std::move(stmts));
  // END SOLUTION
}

}  // namespace tessel::loops
