// Pointwise ops as index arithmetic (lab04, task t1): PointwiseAt of stages/loops/lower.h.
//
// An elementwise, broadcast or injective op has no loops of its own: its value at a result
// index is an expression of its operands' values at computed indices. Composing these
// expressions is what inlines a fused group's producers into their consumer (TVM's
// compute_inline, Halide's default schedule). lab04_loop_ir/README.md §3.1.
#include "stages/common/check.h"
#include "stages/common/not_implemented.h"
#include "stages/loops/lower.h"

namespace tessel::loops {

namespace {

using Index = std::vector<ExprPtr>;

// min(max(e, 0), extent - 1): an index that is safe to read even where a select discards it.
ExprPtr Clamp(const ExprPtr& e, int64_t extent) {
  return Min(Max(e, Int(0)), Int(std::max<int64_t>(extent - 1, 0)));
}

// BEGIN SOLUTION lab04.t1: index mapping of broadcasting and injective ops
// NumPy broadcasting, right-aligned: a size-1 operand dimension reads element 0.
Index BroadcastIndex(const Index& index, const Shape& operand, const Shape& result) {
  Index out;
  size_t shift = result.size() - operand.size();
  for (size_t d = 0; d < operand.size(); ++d) {
    bool stretched = operand[d] == 1 && result[d + shift] != 1;
    out.push_back(stretched ? Int(0) : index[d + shift]);
  }
  return out;
}

// Row-major position of `index` in `shape`, then the index of that position in `target`.
Index ReshapeIndex(const Index& index, const Shape& result, const Shape& operand) {
  ExprPtr flat = Int(0);
  std::vector<int64_t> strides = RowMajorStrides(result);
  for (size_t d = 0; d < index.size(); ++d) flat = Add(flat, Mul(index[d], Int(strides[d])));
  Index out;
  std::vector<int64_t> operand_strides = RowMajorStrides(operand);
  for (size_t d = 0; d < operand.size(); ++d) {
    ExprPtr e = Div(flat, Int(operand_strides[d]));
    out.push_back(d == 0 ? e : Mod(e, Int(operand[d])));
  }
  return out;
}

ExprPtr PadAt(const ir::Instr& instr, const Index& index, const OperandAt& operand_at) {
  const ir::Attrs& a = instr.attrs();
  const Shape& in = instr.operand(0)->type().shape;
  ExprPtr inside = Const(DType::kBool, 1);
  Index source;
  for (size_t d = 0; d < index.size(); ++d) {
    ExprPtr at = Sub(index[d], Int(a.low[d]));
    inside = And(inside, And(Apply(Op::kGe, {at, Int(0)}), Lt(at, Int(in[d]))));
    source.push_back(Clamp(at, in[d]));
  }
  return Select(inside, operand_at(0, source), Const(instr.type().dtype, a.pad_value));
}

// The operands one after another along `axis`: a chain of selects on that index.
ExprPtr ConcatAt(const ir::Instr& instr, const Index& index, const OperandAt& operand_at) {
  size_t axis = static_cast<size_t>(instr.attrs().axes.at(0));
  std::vector<int64_t> starts;
  int64_t start = 0;
  for (const ir::Value* operand : instr.operands()) {
    starts.push_back(start);
    start += operand->type().shape[axis];
  }
  ExprPtr result;
  for (size_t k = instr.operands().size(); k-- > 0;) {
    Index source = index;
    int64_t extent = instr.operand(k)->type().shape[axis];
    source[axis] = Clamp(Sub(index[axis], Int(starts[k])), extent);
    ExprPtr value = operand_at(k, source);
    result = result ? Select(Lt(index[axis], Int(starts[k] + extent)), value, result) : value;
  }
  return result;
}

// x with u written over the region at the clamped starts (XLA's dynamic_update_slice).
ExprPtr UpdateSliceAt(const ir::Instr& instr, const Index& index, const OperandAt& operand_at) {
  const Shape &x = instr.operand(0)->type().shape, &u = instr.operand(1)->type().shape;
  ExprPtr inside = Const(DType::kBool, 1);
  Index source;
  for (size_t d = 0; d < index.size(); ++d) {
    ExprPtr start = Min(Max(operand_at(2 + d, {}), Int(0)), Int(x[d] - u[d]));
    ExprPtr at = Sub(index[d], start);
    inside = And(inside, And(Apply(Op::kGe, {at, Int(0)}), Lt(at, Int(u[d]))));
    source.push_back(Clamp(at, u[d]));
  }
  return Select(inside, operand_at(1, source), operand_at(0, index));
}

// A comprehension body at the point `vars` (its out ++ reduce index variables' values).
ExprPtr BodyAt(const ir::ScalarExpr& e, const Index& vars, const OperandAt& operand_at) {
  switch (e.kind) {
    case ir::ScalarExpr::Kind::kConst: return Const(e.dtype, e.value);
    case ir::ScalarExpr::Kind::kIndex: return vars.at(static_cast<size_t>(e.index));
    case ir::ScalarExpr::Kind::kRead: {
      Index subscripts;
      for (const ir::ScalarExprPtr& arg : e.args) subscripts.push_back(BodyAt(*arg, vars, operand_at));
      ExprPtr value = operand_at(static_cast<size_t>(e.index), subscripts);
      return value->dtype == e.dtype ? value : Cast(e.dtype, value);
    }
    case ir::ScalarExpr::Kind::kApply: {
      std::vector<ExprPtr> args;
      for (const ir::ScalarExprPtr& arg : e.args) args.push_back(BodyAt(*arg, vars, operand_at));
      return Apply(e.op, std::move(args), e.dtype);
    }
  }
  return nullptr;
}
// SKELETON
// // Helpers of your own (broadcast and reshape index maps, pad, concat, ...) go here.
// END SOLUTION

}  // namespace

ExprPtr ComprehensionBodyAt(const ir::Instr& instr, const std::vector<ExprPtr>& vars,
                            const OperandAt& operand_at) {
  // BEGIN SOLUTION lab04.t1: a comprehension's body at a point of its index space
  const ir::Comprehension& c = *instr.attrs().comprehension;
  return BodyAt(*c.body, vars, operand_at);
  // END SOLUTION
}

ExprPtr PointwiseAt(const ir::Instr& instr, const std::vector<ExprPtr>& index,
                    const OperandAt& operand_at) {
  // BEGIN SOLUTION lab04.t1: each op's value at a result index
  const Shape& result = instr.type().shape;
  auto operand_shape = [&](size_t k) { return instr.operand(k)->type().shape; };
  const ir::Attrs& a = instr.attrs();
  switch (instr.op()) {
    case Op::kNeg: case Op::kNot: case Op::kAbs: case Op::kExp: case Op::kLog: case Op::kSqrt:
    case Op::kRsqrt: case Op::kTanh: case Op::kSigmoid: case Op::kRelu: case Op::kErf:
    case Op::kSin: case Op::kCos: case Op::kFloor: case Op::kCeil: case Op::kRound:
    case Op::kSign: case Op::kCast:
      return Apply(instr.op(), {operand_at(0, index)}, instr.type().dtype);
    case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: case Op::kMod:
    case Op::kFloorDiv: case Op::kFloorMod: case Op::kPow: case Op::kMaximum:
    case Op::kMinimum: case Op::kEq: case Op::kNe: case Op::kLt: case Op::kLe: case Op::kGt:
    case Op::kGe: case Op::kAnd: case Op::kOr: case Op::kSelect: {
      std::vector<ExprPtr> args;
      for (size_t k = 0; k < instr.operands().size(); ++k) {
        args.push_back(operand_at(k, BroadcastIndex(index, operand_shape(k), result)));
      }
      return Apply(instr.op(), std::move(args));
    }
    case Op::kBroadcast: return operand_at(0, BroadcastIndex(index, operand_shape(0), result));
    case Op::kReshape: return operand_at(0, ReshapeIndex(index, result, operand_shape(0)));
    case Op::kTranspose: {
      Index source(index.size());
      for (size_t d = 0; d < index.size(); ++d) source[static_cast<size_t>(a.axes[d])] = index[d];
      return operand_at(0, source);
    }
    case Op::kSlice: {
      Index source;
      for (size_t d = 0; d < index.size(); ++d) {
        source.push_back(Add(Int(a.begin[d]), Mul(index[d], Int(a.step[d]))));
      }
      return operand_at(0, source);
    }
    case Op::kPad: return PadAt(instr, index, operand_at);
    case Op::kConcat: return ConcatAt(instr, index, operand_at);
    case Op::kTake: {
      ExprPtr row = operand_at(1, {});
      Index source = {row->dtype == kIndexType ? row : Cast(kIndexType, row)};
      source.insert(source.end(), index.begin(), index.end());
      return operand_at(0, source);
    }
    case Op::kUpdateSlice: return UpdateSliceAt(instr, index, operand_at);
    case Op::kComprehension: return ComprehensionBodyAt(instr, index, operand_at);
    case Op::kMatMul: case Op::kReduceSum: case Op::kReduceProd: case Op::kReduceMax:
    case Op::kReduceMin: case Op::kReduceMean: case Op::kArgMax: case Op::kArgMin:
    case Op::kConstant: case Op::kCall: case Op::kPhi: case Op::kBr: case Op::kCondBr:
    case Op::kRet:
      break;
  }
  TESSEL_CHECK(false, "PointwiseAt of '" + std::string(ir::OpMnemonic(instr.op())) + "'");
  return nullptr;
  // END SOLUTION
}

}  // namespace tessel::loops
