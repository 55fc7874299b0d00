// Unit tests of the IR's type rules (type_rules.h), verifier and dominator
// sets (verifier.h). Each violated rule has its own test, which checks that
// the message names the function, the block and the value concerned. The IR
// is built with the C++ API (ir.h), so these tests need no parser.
#include "stages/ir/verifier.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "stages/ir/ir.h"
#include "stages/ir/type_rules.h"

namespace tessel::ir {
namespace {

// ---------------------------------------------------------------- helpers

Type F32(Shape shape = {}) { return {DType::kF32, std::move(shape)}; }
Type I32(Shape shape = {}) { return {DType::kI32, std::move(shape)}; }
Type Bool(Shape shape = {}) { return {DType::kBool, std::move(shape)}; }

Instr* Emit(Block* block, Op op, std::vector<Value*> operands, Type type, std::string name = {}) {
  return block->Append(
      std::make_unique<Instr>(op, std::move(operands), std::move(type), std::move(name)));
}

Instr* Const(Block* block, Type type, double value, std::string name = {}) {
  Instr* instr = Emit(block, Op::kConstant, {}, type, std::move(name));
  std::vector<double> values(static_cast<size_t>(NumElements(type.shape)), value);
  instr->attrs().value =
      std::make_shared<Tensor>(Tensor::FromValues(type.dtype, type.shape, values));
  return instr;
}

Instr* Br(Block* from, Block* to) {
  Instr* br = Emit(from, Op::kBr, {}, Type{});
  br->blocks() = {to};
  return br;
}

Instr* CondBr(Block* from, Value* cond, Block* if_true, Block* if_false) {
  Instr* br = Emit(from, Op::kCondBr, {cond}, Type{});
  br->blocks() = {if_true, if_false};
  return br;
}

Instr* Ret(Block* from, Value* value) { return Emit(from, Op::kRet, {value}, Type{}); }

// A phi at the top of `block` (after its other phis) with its (value, incoming block) pairs;
// more pairs may be added later (back edges).
Instr* Phi(Block* block, Type type, std::vector<std::pair<Value*, Block*>> incoming,
           std::string name) {
  size_t pos = 0;
  while (pos < block->instrs().size() && block->instrs()[pos]->op() == Op::kPhi) ++pos;
  Instr* phi = block->Insert(pos, std::make_unique<Instr>(Op::kPhi, std::vector<Value*>{},
                                                          std::move(type), std::move(name)));
  for (auto [value, from] : incoming) {
    phi->add_operand(value);
    phi->blocks().push_back(from);
  }
  return phi;
}

std::vector<std::string> Verify(const Function& function, const Module* module = nullptr) {
  std::vector<std::string> errors;
  bool ok = VerifyFunction(function, module, &errors);
  EXPECT_EQ(ok, errors.empty());
  return errors;
}

using Errors = std::vector<std::string>;

// The result type of `op`, or its error message prefixed with "error: ".
std::string Infer(Op op, const std::vector<Type>& operands, const Attrs& attrs = {},
                  const Type& declared = {}) {
  std::string error;
  std::optional<Type> type = InferResultType(op, operands, attrs, declared, &error);
  return type ? FormatType(*type) : "error: " + error;
}

Attrs Axes(std::vector<int64_t> axes, bool keepdims = false) {
  Attrs attrs;
  attrs.axes = std::move(axes);
  attrs.keepdims = keepdims;
  return attrs;
}

// ------------------------------------------------------ type rules: math

TEST(TypeRulesTest, UnaryMathNeedsFloats) {
  EXPECT_EQ(Infer(Op::kExp, {F32({4})}), "f32[4]");
  EXPECT_EQ(Infer(Op::kTanh, {{DType::kF16, {2}}}), "f16[2]");
  EXPECT_EQ(Infer(Op::kExp, {I32({4})}), "error: exp i32[4]: operand must be a float (f32 or f16)");
  EXPECT_EQ(Infer(Op::kSqrt, {Bool()}), "error: sqrt bool: operand must be a float (f32 or f16)");
}

TEST(TypeRulesTest, NegAbsReluAcceptIntegersButNotBool) {
  EXPECT_EQ(Infer(Op::kNeg, {I32({3})}), "i32[3]");
  EXPECT_EQ(Infer(Op::kAbs, {{DType::kI8, {}}}), "i8");
  EXPECT_EQ(Infer(Op::kRelu, {I32()}), "i32");
  EXPECT_EQ(Infer(Op::kNeg, {Bool()}), "error: neg bool: operand must be a number, not bool");
}

TEST(TypeRulesTest, NotNeedsBool) {
  EXPECT_EQ(Infer(Op::kNot, {Bool({2})}), "bool[2]");
  EXPECT_EQ(Infer(Op::kNot, {I32()}), "error: not i32: operand must be bool");
}

TEST(TypeRulesTest, CastTakesTheDeclaredDtypeAndKeepsTheShape) {
  EXPECT_EQ(Infer(Op::kCast, {Bool({2, 3})}, {}, F32({2, 3})), "f32[2, 3]");
  EXPECT_EQ(Infer(Op::kCast, {I32({4})}, {}, F32({3})),
            "error: cast i32[4] to f32[3]: a cast keeps the shape");
}

TEST(TypeRulesTest, BinaryOpsBroadcastLikeNumPy) {
  EXPECT_EQ(Infer(Op::kAdd, {F32({4, 1, 3}), F32({5, 1})}), "f32[4, 5, 3]");
  EXPECT_EQ(Infer(Op::kMul, {F32(), F32({2})}), "f32[2]");
  EXPECT_EQ(Infer(Op::kSub, {F32({0, 3}), F32({1, 3})}), "f32[0, 3]");
  EXPECT_EQ(Infer(Op::kAdd, {F32({4, 3}), F32({5})}),
            "error: add f32[4, 3], f32[5]: dimensions 3 and 5 do not broadcast");
}

TEST(TypeRulesTest, BinaryOpsNeedOneDtype) {
  EXPECT_EQ(Infer(Op::kAdd, {F32({4}), I32({4})}),
            "error: add f32[4], i32[4]: operand dtypes differ (the IR has no implicit promotion: "
            "cast one operand)");
}

TEST(TypeRulesTest, ComparisonsGiveBool) {
  EXPECT_EQ(Infer(Op::kLt, {I32({2, 1}), I32({3})}), "bool[2, 3]");
  EXPECT_EQ(Infer(Op::kEq, {Bool(), Bool()}), "bool");
}

TEST(TypeRulesTest, AndOrNeedBool) {
  EXPECT_EQ(Infer(Op::kAnd, {Bool({2}), Bool()}), "bool[2]");
  EXPECT_EQ(Infer(Op::kOr, {I32(), I32()}), "error: or i32, i32: operands must be bool");
}

TEST(TypeRulesTest, SelectBroadcastsAllThree) {
  EXPECT_EQ(Infer(Op::kSelect, {Bool({4, 1}), F32({3}), F32()}), "f32[4, 3]");
  EXPECT_EQ(Infer(Op::kSelect, {F32(), F32(), F32()}),
            "error: select f32, f32, f32: the condition must be bool");
  EXPECT_EQ(Infer(Op::kSelect, {Bool(), F32(), I32()}),
            "error: select bool, f32, i32: the two alternatives' dtypes differ");
  EXPECT_EQ(Infer(Op::kSelect, {Bool({2}), F32({3}), F32()}),
            "error: select bool[2], f32[3], f32: dimensions 2 and 3 do not broadcast");
}

TEST(TypeRulesTest, WrongOperandCountIsAnError) {
  EXPECT_EQ(Infer(Op::kAdd, {F32()}), "error: add takes 2 operands, got 1");
}

// ---------------------------------------------------- type rules: matmul

TEST(TypeRulesTest, MatMulOfMatrices) {
  EXPECT_EQ(Infer(Op::kMatMul, {F32({8, 784}), F32({784, 128})}), "f32[8, 128]");
  EXPECT_EQ(Infer(Op::kMatMul, {F32({8, 784}), F32({128, 10})}),
            "error: matmul f32[8, 784] @ f32[128, 10]: inner dimensions 784 and 128 differ");
}

TEST(TypeRulesTest, MatMulOfVectorsDropsTheirUnitDimension) {
  EXPECT_EQ(Infer(Op::kMatMul, {F32({3}), F32({3, 5})}), "f32[5]");
  EXPECT_EQ(Infer(Op::kMatMul, {F32({2, 3}), F32({3})}), "f32[2]");
  EXPECT_EQ(Infer(Op::kMatMul, {F32({3}), F32({3})}), "f32");
  EXPECT_EQ(Infer(Op::kMatMul, {F32({7, 3}), F32({4})}),
            "error: matmul f32[7, 3] @ f32[4]: inner dimensions 3 and 4 differ");
}

TEST(TypeRulesTest, MatMulBroadcastsBatchDimensions) {
  EXPECT_EQ(Infer(Op::kMatMul, {F32({2, 1, 3, 4}), F32({5, 4, 6})}), "f32[2, 5, 3, 6]");
  EXPECT_EQ(Infer(Op::kMatMul, {F32({3}), F32({2, 3, 4})}), "f32[2, 4]");
  EXPECT_EQ(Infer(Op::kMatMul, {F32({2, 3, 4}), F32({5, 4, 6})}),
            "error: matmul f32[2, 3, 4] @ f32[5, 4, 6]: batch dimensions 2 and 5 do not "
            "broadcast");
}

TEST(TypeRulesTest, MatMulNeedsOneDtypeAndRankAtLeastOne) {
  EXPECT_EQ(Infer(Op::kMatMul, {F32(), F32({3})}),
            "error: matmul f32 @ f32[3]: operands must have rank >= 1");
  EXPECT_EQ(Infer(Op::kMatMul, {F32({3}), I32({3})}),
            "error: matmul f32[3] @ i32[3]: operand dtypes differ");
}

// ------------------------------------------------ type rules: reductions

TEST(TypeRulesTest, ReductionsDropOrKeepTheirAxes) {
  EXPECT_EQ(Infer(Op::kReduceSum, {F32({2, 3, 4})}, Axes({0, 2})), "f32[3]");
  EXPECT_EQ(Infer(Op::kReduceMax, {I32({2, 3, 4})}, Axes({1}, true)), "i32[2, 1, 4]");
  EXPECT_EQ(Infer(Op::kReduceSum, {F32({2, 3})}, Axes({0, 1})), "f32");
  EXPECT_EQ(Infer(Op::kReduceSum, {F32({2, 3})}, Axes({})), "f32[2, 3]");
}

TEST(TypeRulesTest, ReductionAxesMustBeSortedDistinctAndInRange) {
  EXPECT_EQ(Infer(Op::kReduceSum, {F32({2, 3})}, Axes({2})),
            "error: reduce_sum f32[2, 3]: axis 2 is out of range for rank 2");
  EXPECT_EQ(Infer(Op::kReduceMin, {F32({2, 3})}, Axes({-1})),
            "error: reduce_min f32[2, 3]: axis -1 is out of range for rank 2");
  EXPECT_EQ(Infer(Op::kReduceSum, {F32({2, 3})}, Axes({1, 0})),
            "error: reduce_sum f32[2, 3]: axes must be sorted and distinct");
  EXPECT_EQ(Infer(Op::kReduceProd, {F32({2, 3})}, Axes({1, 1})),
            "error: reduce_prod f32[2, 3]: axes must be sorted and distinct");
}

TEST(TypeRulesTest, ReduceMeanNeedsFloats) {
  EXPECT_EQ(Infer(Op::kReduceMean, {{DType::kF16, {4}}}, Axes({0})), "f16");
  EXPECT_EQ(Infer(Op::kReduceMean, {I32({4})}, Axes({0})),
            "error: reduce_mean i32[4]: operand must be a float (f32 or f16)");
}

// --------------------------------------------- type rules: data movement

TEST(TypeRulesTest, ReshapeKeepsTheElementCount) {
  EXPECT_EQ(Infer(Op::kReshape, {F32({2, 6})}, {}, F32({3, 4})), "f32[3, 4]");
  EXPECT_EQ(Infer(Op::kReshape, {F32({2, 6})}, {}, F32({5, 2})),
            "error: reshape f32[2, 6] to f32[5, 2]: element counts 12 and 10 differ");
  EXPECT_EQ(Infer(Op::kReshape, {F32({2})}, {}, I32({2})),
            "error: reshape f32[2] to i32[2]: a reshape keeps the dtype");
}

TEST(TypeRulesTest, BroadcastToTheDeclaredShape) {
  EXPECT_EQ(Infer(Op::kBroadcast, {F32({3, 1})}, {}, F32({2, 3, 4})), "f32[2, 3, 4]");
  EXPECT_EQ(Infer(Op::kBroadcast, {F32({3})}, {}, F32({2, 4})),
            "error: broadcast f32[3] to f32[2, 4]: dimensions 3 and 4 do not broadcast");
  EXPECT_EQ(Infer(Op::kBroadcast, {F32({2, 3})}, {}, F32({3})),
            "error: broadcast f32[2, 3] to f32[3]: the target rank is smaller");
  // [1] and [5] broadcast to [5], but not to the declared [1].
  EXPECT_EQ(Infer(Op::kBroadcast, {F32({5})}, {}, F32({1})),
            "error: broadcast f32[5] to f32[1]: shapes do not broadcast");
}

TEST(TypeRulesTest, TransposeNeedsAPermutation) {
  EXPECT_EQ(Infer(Op::kTranspose, {F32({2, 3, 4})}, Axes({2, 0, 1})), "f32[4, 2, 3]");
  EXPECT_EQ(Infer(Op::kTranspose, {F32({2, 3, 4})}, Axes({0, 0, 1})),
            "error: transpose f32[2, 3, 4]: perm must be a permutation of 0..2");
  EXPECT_EQ(Infer(Op::kTranspose, {F32({2, 3})}, Axes({0})),
            "error: transpose f32[2, 3]: perm must be a permutation of 0..1");
}

TEST(TypeRulesTest, ConcatAddsUpTheAxis) {
  EXPECT_EQ(Infer(Op::kConcat, {F32({2, 3}), F32({2, 5}), F32({2, 1})}, Axes({1})), "f32[2, 9]");
  EXPECT_EQ(Infer(Op::kConcat, {F32({4})}, Axes({0})), "f32[4]");
  EXPECT_EQ(Infer(Op::kConcat, {}, Axes({0})), "error: concat: needs at least one operand");
  EXPECT_EQ(Infer(Op::kConcat, {F32({2, 3}), F32({3, 3})}, Axes({1})),
            "error: concat f32[2, 3], f32[3, 3]: dimension 0 differs (2 and 3)");
  EXPECT_EQ(Infer(Op::kConcat, {F32({2}), F32({2, 1})}, Axes({0})),
            "error: concat f32[2], f32[2, 1]: operand ranks differ");
  EXPECT_EQ(Infer(Op::kConcat, {F32({2}), I32({2})}, Axes({0})),
            "error: concat f32[2], i32[2]: operand dtypes differ");
  EXPECT_EQ(Infer(Op::kConcat, {F32({2})}, Axes({1})),
            "error: concat f32[2]: axis 1 is out of range for rank 1");
}

Attrs SliceAttrs(std::vector<int64_t> begin, std::vector<int64_t> end, std::vector<int64_t> step) {
  Attrs attrs;
  attrs.begin = std::move(begin);
  attrs.end = std::move(end);
  attrs.step = std::move(step);
  return attrs;
}

TEST(TypeRulesTest, SliceExtentIsCeilOfRangeOverStep) {
  EXPECT_EQ(Infer(Op::kSlice, {F32({10, 4})}, SliceAttrs({1, 0}, {8, 4}, {3, 1})), "f32[3, 4]");
  EXPECT_EQ(Infer(Op::kSlice, {F32({10})}, SliceAttrs({5}, {5}, {2})), "f32[0]");
}

TEST(TypeRulesTest, SliceBoundsAreChecked) {
  EXPECT_EQ(Infer(Op::kSlice, {F32({10, 4})}, SliceAttrs({0, 0}, {8, 5}, {1, 1})),
            "error: slice f32[10, 4]: dimension 1 of size 4 cannot be sliced 0:5:1 (need 0 <= "
            "begin <= end <= size, step >= 1)");
  EXPECT_EQ(Infer(Op::kSlice, {F32({10})}, SliceAttrs({6}, {5}, {1})).substr(0, 60),
            "error: slice f32[10]: dimension 0 of size 10 cannot be slice");
  EXPECT_NE(Infer(Op::kSlice, {F32({10})}, SliceAttrs({0}, {5}, {0})).find("0:5:0"),
            std::string::npos);
  EXPECT_EQ(Infer(Op::kSlice, {F32({10})}, SliceAttrs({0}, {5}, {})),
            "error: slice f32[10]: begin, end and step need one entry per dimension");
}

TEST(TypeRulesTest, PadAddsLowAndHigh) {
  Attrs attrs;
  attrs.low = {1, 0};
  attrs.high = {2, 3};
  EXPECT_EQ(Infer(Op::kPad, {F32({4, 4})}, attrs), "f32[7, 7]");
  attrs.low = {-1, 0};
  EXPECT_EQ(Infer(Op::kPad, {F32({4, 4})}, attrs),
            "error: pad f32[4, 4]: padding of dimension 0 is negative");
  attrs.low = {0};
  EXPECT_EQ(Infer(Op::kPad, {F32({4, 4})}, attrs),
            "error: pad f32[4, 4]: low and high need one entry per dimension");
}

TEST(TypeRulesTest, TakeIndexesAxisZeroWithAnI32Scalar) {
  EXPECT_EQ(Infer(Op::kTake, {F32({3, 4, 5}), I32()}), "f32[4, 5]");
  EXPECT_EQ(Infer(Op::kTake, {F32({3}), I32()}), "f32");
  EXPECT_EQ(Infer(Op::kTake, {F32(), I32()}), "error: take f32, i32: cannot take from a scalar");
  EXPECT_EQ(Infer(Op::kTake, {F32({3}), I32({1})}),
            "error: take f32[3], i32[1]: the index must be an i32 scalar");
}

TEST(TypeRulesTest, PortedMathOps) {
  EXPECT_EQ(Infer(Op::kErf, {F32({2})}), "f32[2]");
  EXPECT_EQ(Infer(Op::kRound, {I32()}), "error: round i32: operand must be a float (f32 or f16)");
  EXPECT_EQ(Infer(Op::kSign, {I32({3})}), "i32[3]");
  EXPECT_EQ(Infer(Op::kSign, {Bool()}), "error: sign bool: operand must be a number, not bool");
  EXPECT_EQ(Infer(Op::kFloorMod, {I32({2, 1}), I32({3})}), "i32[2, 3]");
  EXPECT_EQ(Infer(Op::kFloorDiv, {Bool(), Bool()}),
            "error: floor_div bool, bool: operands must be numbers, not bool");
}

TEST(TypeRulesTest, ArgMaxGivesI32AlongOneAxis) {
  EXPECT_EQ(Infer(Op::kArgMax, {F32({2, 3, 4})}, Axes({1})), "i32[2, 4]");
  EXPECT_EQ(Infer(Op::kArgMin, {F32({2, 3})}, Axes({1}, true)), "i32[2, 1]");
  EXPECT_EQ(Infer(Op::kArgMax, {F32({2, 3})}, Axes({0, 1})),
            "error: argmax f32[2, 3]: needs exactly one axis, found 2");
  EXPECT_EQ(Infer(Op::kArgMax, {F32({2, 3})}, Axes({2})),
            "error: argmax f32[2, 3]: axis 2 is out of range for rank 2");
  EXPECT_EQ(Infer(Op::kArgMin, {F32({2, 0})}, Axes({1})),
            "error: argmin f32[2, 0]: the axis is empty (there is no largest or smallest element)");
}

TEST(TypeRulesTest, UpdateSliceKeepsTheTensorType) {
  EXPECT_EQ(Infer(Op::kUpdateSlice, {F32({5, 3}), F32({1, 3}), I32(), I32()}), "f32[5, 3]");
  EXPECT_EQ(Infer(Op::kUpdateSlice, {F32({5, 3}), F32({1, 3}), I32()}),
            "error: update_slice f32[5, 3], f32[1, 3], i32: needs one start index per "
            "dimension (2), found 1");
  EXPECT_EQ(Infer(Op::kUpdateSlice, {F32({5}), F32({6}), I32()}),
            "error: update_slice f32[5], f32[6], i32: the update is larger than the tensor in "
            "dimension 0");
  EXPECT_EQ(
      Infer(Op::kUpdateSlice, {F32({5}), I32({2}), I32()}),
      "error: update_slice f32[5], i32[2], i32: the update's dtype differs from the tensor's");
  EXPECT_EQ(Infer(Op::kUpdateSlice, {F32({5}), F32({2}), F32()}),
            "error: update_slice f32[5], f32[2], f32: start index 0 must be an i32 scalar");
}

// ------------------------------------------------- type rules: values

TEST(TypeRulesTest, ConstantValueMatchesTheDeclaredType) {
  Attrs attrs;
  EXPECT_EQ(Infer(Op::kConstant, {}, attrs, F32()), "error: constant: no value");
  attrs.value = std::make_shared<Tensor>(DType::kF32, Shape{2});
  EXPECT_EQ(Infer(Op::kConstant, {}, attrs, F32({2})), "f32[2]");
  EXPECT_EQ(Infer(Op::kConstant, {}, attrs, F32({3})),
            "error: constant: the value is f32[2] but the declared type is f32[3]");
}

TEST(TypeRulesTest, PhiOperandsHaveTheDeclaredType) {
  EXPECT_EQ(Infer(Op::kPhi, {F32({4}), F32({4})}, {}, F32({4})), "f32[4]");
  EXPECT_EQ(Infer(Op::kPhi, {F32({4}), F32({3})}, {}, F32({4})),
            "error: phi: operand 1 is f32[3] but the phi is f32[4]");
}

TEST(TypeRulesTest, CondBrNeedsABoolScalar) {
  EXPECT_EQ(Infer(Op::kCondBr, {Bool()}), "f32");  // a default Type: no result
  EXPECT_EQ(Infer(Op::kCondBr, {Bool({1})}),
            "error: cond_br bool[1]: the condition must be a bool scalar");
}

TEST(TypeRulesTest, BroadcastShapes) {
  EXPECT_EQ(BroadcastShapes({2, 1}, {3}), (Shape{2, 3}));
  EXPECT_EQ(BroadcastShapes({}, {}), Shape{});
  EXPECT_EQ(BroadcastShapes({2}, {3}), std::nullopt);
}

// ---------------------------------------------- type rules: comprehensions

ScalarExprPtr Index(int index) { return MakeScalarIndex(index); }

ScalarExprPtr Read(int operand, DType dtype, std::vector<ScalarExprPtr> subscripts) {
  return MakeScalarRead(operand, dtype, std::move(subscripts));
}

ScalarExprPtr Apply(Op op, DType dtype, std::vector<ScalarExprPtr> args) {
  return MakeScalarApply(op, dtype, std::move(args));
}

// y[n, o] += x[n, i] * w[i, o] with n: 0..4, o: 0..3, i: 0..5 (indices 0, 1, 2).
std::shared_ptr<Comprehension> MatMulComprehension() {
  auto c = std::make_shared<Comprehension>();
  c->out = {{"n", 0, 4}, {"o", 0, 3}};
  c->reduce_kind = ReduceKind::kSum;
  c->reduce = {{"i", 0, 5}};
  c->body = Apply(
      Op::kMul, DType::kF32,
      {Read(0, DType::kF32, {Index(0), Index(2)}), Read(1, DType::kF32, {Index(2), Index(1)})});
  return c;
}

std::string InferComprehension(const Comprehension& c, const std::vector<Type>& operands,
                               const Type& declared) {
  Attrs attrs;
  attrs.comprehension = std::make_shared<Comprehension>(c);
  return Infer(Op::kComprehension, operands, attrs, declared);
}

const std::vector<Type> kMatMulOperands = {F32({4, 5}), F32({5, 3})};

TEST(TypeRulesTest, ComprehensionOfAMatMul) {
  EXPECT_EQ(InferComprehension(*MatMulComprehension(), kMatMulOperands, F32({4, 3})), "f32[4, 3]");
  EXPECT_EQ(Infer(Op::kComprehension, kMatMulOperands, {}, F32({4, 3})),
            "error: comprehension: no comprehension attribute");
}

TEST(TypeRulesTest, ComprehensionOutRangesAreTheDeclaredShape) {
  Comprehension c = *MatMulComprehension();
  EXPECT_EQ(InferComprehension(c, kMatMulOperands, F32({4, 4})),
            "error: comprehension: output index 'o' ranges 0..3 but the result is f32[4, 4]");
  EXPECT_EQ(InferComprehension(c, kMatMulOperands, F32({4})),
            "error: comprehension: 2 output indices but the result is f32[4]");
  c.out[0].lo = 1;
  EXPECT_EQ(InferComprehension(c, kMatMulOperands, F32({4, 3})),
            "error: comprehension: output index 'n' ranges 1..4 but the result is f32[4, 3]");
}

TEST(TypeRulesTest, ComprehensionReduceRangesAndKind) {
  Comprehension c = *MatMulComprehension();
  c.reduce[0] = {"i", 3, 2};
  EXPECT_EQ(InferComprehension(c, kMatMulOperands, F32({4, 3})),
            "error: comprehension: reduction index 'i' has an empty range 3..2");
  c.reduce[0] = {"i", 0, 5};
  c.reduce_kind = ReduceKind::kAssign;
  EXPECT_EQ(InferComprehension(c, kMatMulOperands, F32({4, 3})),
            "error: comprehension: an assignment has no reduction indices");
}

TEST(TypeRulesTest, ComprehensionIndexNamesAreDistinct) {
  Comprehension c = *MatMulComprehension();
  c.reduce[0].name = "n";
  EXPECT_EQ(InferComprehension(c, kMatMulOperands, F32({4, 3})),
            "error: comprehension: index 'n' is declared twice");
}

TEST(TypeRulesTest, ComprehensionBodyHasTheResultDtype) {
  EXPECT_EQ(InferComprehension(*MatMulComprehension(), kMatMulOperands, I32({4, 3})),
            "error: comprehension: the body is f32 but the result is i32[4, 3]");
}

TEST(TypeRulesTest, ComprehensionReadsAreChecked) {
  Comprehension c = *MatMulComprehension();
  EXPECT_EQ(InferComprehension(c, {F32({4, 5})}, F32({4, 3})),
            "error: comprehension: reads operand 1 but there are 1 operands");
  EXPECT_EQ(InferComprehension(c, {F32({4, 5}), F32({5, 3, 1})}, F32({4, 3})),
            "error: comprehension: read of operand 1 (f32[5, 3, 1]) has 2 subscripts");
  EXPECT_EQ(InferComprehension(c, {F32({4, 5}), I32({5, 3})}, F32({4, 3})),
            "error: comprehension: read of operand 1 (i32[5, 3]) is typed f32");
}

TEST(TypeRulesTest, ComprehensionSubscriptsAreI32Indices) {
  Comprehension c = *MatMulComprehension();
  c.body = Read(0, DType::kF32, {Index(0), Read(1, DType::kF32, {Index(2), Index(1)})});
  EXPECT_EQ(InferComprehension(c, kMatMulOperands, F32({4, 3})),
            "error: comprehension: read of operand 0 (f32[4, 5]) has a subscript of dtype f32, "
            "not i32");
  c.body = Read(0, DType::kF32, {Index(0), Index(3)});
  EXPECT_EQ(InferComprehension(c, kMatMulOperands, F32({4, 3})),
            "error: comprehension: index 3 out of range (3 index variables)");
}

TEST(TypeRulesTest, ComprehensionAppliesFollowTheOpRules) {
  Comprehension c = *MatMulComprehension();
  // (add (read %x n i) n): f32 + i32 needs a cast.
  c.body = Apply(Op::kAdd, DType::kF32, {Read(0, DType::kF32, {Index(0), Index(2)}), Index(0)});
  EXPECT_EQ(InferComprehension(c, kMatMulOperands, F32({4, 3})),
            "error: comprehension: add f32, i32: operand dtypes differ (the IR has no implicit "
            "promotion: cast one operand)");
  // (add (read %x n i) (cast f32 n)) is fine.
  c.body = Apply(
      Op::kAdd, DType::kF32,
      {Read(0, DType::kF32, {Index(0), Index(2)}), Apply(Op::kCast, DType::kF32, {Index(0)})});
  EXPECT_EQ(InferComprehension(c, kMatMulOperands, F32({4, 3})), "f32[4, 3]");
  c.body = Apply(Op::kLt, DType::kF32, {Index(0), Index(1)});
  EXPECT_EQ(InferComprehension(c, kMatMulOperands, F32({4, 3})),
            "error: comprehension: lt i32, i32 gives bool but is typed f32");
  c.body = Apply(Op::kMatMul, DType::kF32, {Index(0), Index(1)});
  EXPECT_EQ(InferComprehension(c, kMatMulOperands, F32({4, 3})),
            "error: comprehension: 'matmul' is not a scalar op");
  c.body = Apply(Op::kExp, DType::kF32, {});
  EXPECT_EQ(InferComprehension(c, kMatMulOperands, F32({4, 3})),
            "error: comprehension: 'exp' takes 1 operands, got 0");
}

// ------------------------------------------------------------- verifier

// func @count(%n: i32) -> i32 {
// entry: %zero = constant 0; %one = constant 1; br loop
// loop:  %i = phi [%zero, entry], [%next, body]; %c = lt %i, %n; cond_br %c, body, exit
// body:  %next = add %i, %one; br loop
// exit:  ret %i
// }
// With complete_phi false, %i lacks its back-edge operand.
struct CountLoop {
  explicit CountLoop(bool complete_phi = true) {
    if (!complete_phi) return;
    i->add_operand(next);
    i->blocks().push_back(body);
  }
  Module module;
  Function* fn = module.AddFunction("count", I32());
  Argument* n = fn->AddArg(I32(), "n");
  Block* entry = fn->AddBlock("entry");
  Block* loop = fn->AddBlock("loop");
  Block* body = fn->AddBlock("body");
  Block* exit = fn->AddBlock("exit");
  Instr* zero = Const(entry, I32(), 0, "zero");
  Instr* one = Const(entry, I32(), 1, "one");
  Instr* entry_br = Br(entry, loop);
  Instr* i = Phi(loop, I32(), {{zero, entry}}, "i");
  Instr* c = Emit(loop, Op::kLt, {i, n}, Bool(), "c");
  Instr* loop_br = CondBr(loop, c, body, exit);
  Instr* next = Emit(body, Op::kAdd, {i, one}, I32(), "next");
  Instr* body_br = Br(body, loop);
  Instr* ret = Ret(exit, i);
};

// func @nested(%x: f32) -> f32: if x > 0 { if x < 10 { -x } else { exp x } } else { x }
struct NestedIfs {
  Function fn{"nested", F32()};
  Argument* x = fn.AddArg(F32(), "x");
  Block* entry = fn.AddBlock("entry");
  Block* outer_then = fn.AddBlock("outer_then");
  Block* inner_then = fn.AddBlock("inner_then");
  Block* inner_else = fn.AddBlock("inner_else");
  Block* inner_join = fn.AddBlock("inner_join");
  Block* outer_else = fn.AddBlock("outer_else");
  Block* join = fn.AddBlock("join");
  Instr* zero = Const(entry, F32(), 0, "zero");
  Instr* positive = Emit(entry, Op::kGt, {x, zero}, Bool(), "positive");
  Instr* entry_br = CondBr(entry, positive, outer_then, outer_else);
  Instr* ten = Const(outer_then, F32(), 10, "ten");
  Instr* small = Emit(outer_then, Op::kLt, {x, ten}, Bool(), "small");
  Instr* outer_then_br = CondBr(outer_then, small, inner_then, inner_else);
  Instr* negated = Emit(inner_then, Op::kNeg, {x}, F32(), "negated");
  Instr* inner_then_br = Br(inner_then, inner_join);
  Instr* exped = Emit(inner_else, Op::kExp, {x}, F32(), "exped");
  Instr* inner_else_br = Br(inner_else, inner_join);
  // Incoming blocks in another order than the predecessors: allowed.
  Instr* inner = Phi(inner_join, F32(), {{exped, inner_else}, {negated, inner_then}}, "inner");
  Instr* inner_join_br = Br(inner_join, join);
  Instr* outer_else_br = Br(outer_else, join);
  Instr* result = Phi(join, F32(), {{inner, inner_join}, {x, outer_else}}, "result");
  Instr* ret = Ret(join, result);
};

// func @f(%x: f32[4]) -> f32[4] { entry: ... } for single-block tests; `ret` is added by Finish.
struct Straight {
  Module module;
  Function* fn = module.AddFunction("f", F32({4}));
  Argument* x = fn->AddArg(F32({4}), "x");
  Block* entry = fn->AddBlock("entry");
  std::vector<std::string> Finish(Value* result) {
    Ret(entry, result);
    return Verify(*fn, &module);
  }
};

TEST(VerifierTest, AcceptsALoopWithPhis) {
  CountLoop f;
  EXPECT_EQ(Verify(*f.fn, &f.module), Errors{});
  std::vector<std::string> errors;
  EXPECT_TRUE(VerifyModule(f.module, &errors));
  EXPECT_EQ(errors, Errors{});
}

TEST(VerifierTest, AcceptsNestedIfs) {
  NestedIfs f;
  EXPECT_EQ(Verify(f.fn), Errors{});
}

TEST(VerifierTest, PhiNeedsOneOperandPerPredecessor) {
  CountLoop f(/*complete_phi=*/false);
  EXPECT_EQ(
      Verify(*f.fn),
      Errors{"@count: block 'loop': %i: phi has 1 operands but the block has 2 predecessors"});
}

TEST(VerifierTest, PhiNeedsOneIncomingBlockPerOperand) {
  CountLoop f;
  f.i->blocks().pop_back();
  EXPECT_EQ(Verify(*f.fn),
            Errors{"@count: block 'loop': %i: phi has 2 operands but 1 incoming blocks"});
}

TEST(VerifierTest, PhiBlocksAreExactlyThePredecessors) {
  NestedIfs f;
  f.inner->blocks()[0] = f.entry;  // instead of inner_else
  EXPECT_EQ(Verify(f.fn),
            (Errors{"@nested: block 'inner_join': %inner: phi names block 'entry', which is not "
                    "a predecessor",
                    "@nested: block 'inner_join': %inner: phi has no operand for predecessor "
                    "'inner_else'",
                    "@nested: block 'inner_join': %inner: %exped coming from block 'entry' is "
                    "defined in block 'inner_else', which does not dominate 'entry'"}));
}

TEST(VerifierTest, PhiNamesEachPredecessorOnce) {
  NestedIfs f;
  f.inner->blocks()[0] = f.inner_then;
  EXPECT_EQ(Verify(f.fn),
            (Errors{"@nested: block 'inner_join': %inner: phi names block 'inner_then' twice",
                    "@nested: block 'inner_join': %inner: phi has no operand for predecessor "
                    "'inner_else'",
                    "@nested: block 'inner_join': %inner: %exped coming from block 'inner_then' "
                    "is defined in block 'inner_else', which does not dominate 'inner_then'"}));
}

TEST(VerifierTest, PhisComeFirstInTheirBlock) {
  NestedIfs f;
  f.join->Insert(0, std::make_unique<Instr>(Op::kNeg, std::vector<Value*>{f.x}, F32(), "early"));
  EXPECT_EQ(Verify(f.fn), Errors{"@nested: block 'join': %result: phi after a non-phi "
                                 "instruction (phis come first)"});
}

TEST(VerifierTest, PhiOperandsHaveThePhiType) {
  CountLoop f;
  f.i->set_operand(0, f.fn->AddArg(F32(), "y"));
  EXPECT_EQ(Verify(*f.fn),
            Errors{"@count: block 'loop': %i: phi: operand 0 is f32 but the phi is i32"});
}

TEST(VerifierTest, EveryBlockEndsInATerminator) {
  NestedIfs f;
  f.join->Erase(f.ret);
  EXPECT_EQ(Verify(f.fn), Errors{"@nested: block 'join': does not end in a terminator"});
}

TEST(VerifierTest, EmptyBlocksAreReported) {
  NestedIfs f;
  f.fn.AddBlock("orphan");
  EXPECT_EQ(Verify(f.fn), Errors{"@nested: block 'orphan': is empty (it needs a terminator)"});
}

TEST(VerifierTest, TerminatorsOnlyAtTheEnd) {
  NestedIfs f;
  Emit(f.join, Op::kNeg, {f.x}, F32(), "late");
  EXPECT_EQ(Verify(f.fn), (Errors{"@nested: block 'join': ret: a terminator before the end of "
                                  "the block",
                                  "@nested: block 'join': does not end in a terminator"}));
}

// The entry runs once, first: no branch may target it, so it has no phis to fill and
// DF(entry) is empty. The message lists the offending predecessors.
TEST(VerifierTest, EntryHasNoPredecessors) {
  CountLoop f;
  f.body_br->blocks()[0] = f.entry;  // body now loops back to entry, not loop
  EXPECT_EQ(Verify(*f.fn),
            (Errors{"@count: block 'entry': the entry block has predecessors ('body'); it may not "
                    "be a branch target",
                    "@count: block 'loop': %i: phi has 2 operands but the block has 1 "
                    "predecessors"}));
}

// A loop on the entry itself is the same mistake; each predecessor is named once.
TEST(VerifierTest, EntryMayNotLoopToItself) {
  Function fn("spin", I32());
  Argument* c = fn.AddArg(Bool(), "c");
  Block* entry = fn.AddBlock("entry");
  Block* exit = fn.AddBlock("exit");
  Instr* zero = Const(entry, I32(), 0, "zero");
  CondBr(entry, c, entry, exit);
  Ret(exit, zero);
  Block* back = fn.AddBlock("back");
  Br(back, entry);
  EXPECT_EQ(Verify(fn), Errors{"@spin: block 'entry': the entry block has predecessors ('entry', "
                               "'back'); it may not be a branch target"});
}

TEST(VerifierTest, BranchTargetsBelongToTheFunction) {
  NestedIfs f;
  NestedIfs other;
  f.outer_else_br->blocks()[0] = other.join;
  Errors errors = Verify(f.fn);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0], "@nested: block 'outer_else': br: names a block of another function");
}

TEST(VerifierTest, BranchesNameTheirNumberOfBlocks) {
  NestedIfs f;
  f.outer_else_br->blocks().push_back(f.join);
  f.entry_br->blocks().pop_back();
  Errors errors = Verify(f.fn);
  ASSERT_GE(errors.size(), 2u);
  EXPECT_EQ(errors[0], "@nested: block 'entry': cond_br: names 1 blocks, expected 2");
  EXPECT_EQ(errors[1], "@nested: block 'outer_else': br: names 2 blocks, expected 1");
}

TEST(VerifierTest, CondBrNeedsABoolScalar) {
  NestedIfs f;
  f.entry_br->set_operand(0, f.x);
  EXPECT_EQ(Verify(f.fn),
            Errors{"@nested: block 'entry': cond_br f32: the condition must be a bool scalar"});
}

TEST(VerifierTest, DeclaredTypeIsTheInferredOne) {
  Straight f;
  Instr* y = Emit(f.entry, Op::kAdd, {f.x, f.x}, F32({3}), "y");
  Instr* z = Emit(f.entry, Op::kNeg, {f.x}, F32({4}), "z");
  (void)y;
  EXPECT_EQ(f.Finish(z),
            Errors{"@f: block 'entry': %y: add gives f32[4] but the declared type is f32[3]"});
}

TEST(VerifierTest, TypeRuleErrorsNameTheValue) {
  Straight f;
  Argument* a = f.fn->AddArg(F32({8, 784}), "a");
  Argument* b = f.fn->AddArg(F32({128, 10}), "b");
  Emit(f.entry, Op::kMatMul, {a, b}, F32({8, 10}), "logits");
  EXPECT_EQ(f.Finish(f.x), Errors{"@f: block 'entry': %logits: matmul f32[8, 784] @ f32[128, "
                                  "10]: inner dimensions 784 and 128 differ"});
}

TEST(VerifierTest, RetReturnsTheFunctionResultType) {
  Straight f;
  Instr* s = Emit(f.entry, Op::kReduceSum, {f.x}, F32(), "s");
  s->attrs().axes = {0};
  EXPECT_EQ(f.Finish(s), Errors{"@f: block 'entry': ret: returns f32 but @f returns f32[4]"});
}

// @g(%a: f32[4]) -> f32[4] in the module of `f`.
void AddCallee(Straight& f) {
  Function* g = f.module.AddFunction("g", F32({4}));
  Block* entry = g->AddBlock("entry");
  Ret(entry, g->AddArg(F32({4}), "a"));
}

Instr* Call(Block* block, std::string callee, std::vector<Value*> args, Type type) {
  Instr* call = Emit(block, Op::kCall, std::move(args), std::move(type), "y");
  call->attrs().callee = std::move(callee);
  return call;
}

TEST(VerifierTest, AcceptsAMatchingCall) {
  Straight f;
  AddCallee(f);
  EXPECT_EQ(f.Finish(Call(f.entry, "g", {f.x}, F32({4}))), Errors{});
  EXPECT_TRUE(VerifyModule(f.module, nullptr));
}

TEST(VerifierTest, CalleeMustExist) {
  Straight f;
  EXPECT_EQ(f.Finish(Call(f.entry, "h", {f.x}, F32({4}))),
            Errors{"@f: block 'entry': %y: call of @h, which is not defined"});
}

TEST(VerifierTest, CallArgumentCountMatches) {
  Straight f;
  AddCallee(f);
  EXPECT_EQ(f.Finish(Call(f.entry, "g", {f.x, f.x}, F32({4}))),
            Errors{"@f: block 'entry': %y: call @g: 2 arguments but @g takes 1"});
}

TEST(VerifierTest, CallArgumentTypesMatch) {
  Straight f;
  AddCallee(f);
  Argument* small = f.fn->AddArg(F32({3}), "small");
  EXPECT_EQ(f.Finish(Call(f.entry, "g", {small}, F32({4}))),
            Errors{"@f: block 'entry': %y: call @g: argument 0 is f32[3] but the parameter is "
                   "f32[4]"});
}

TEST(VerifierTest, CallResultIsTheCalleeResult) {
  Straight f;
  AddCallee(f);
  Call(f.entry, "g", {f.x}, F32({3}));
  EXPECT_EQ(f.Finish(f.x),
            Errors{"@f: block 'entry': %y: call @g: declared f32[3] but @g returns f32[4]"});
}

TEST(VerifierTest, CallsAreNotCheckedWithoutAModule) {
  Straight f;
  Call(f.entry, "h", {f.x}, F32({4}));
  Ret(f.entry, f.x);
  EXPECT_EQ(Verify(*f.fn, nullptr), Errors{});
}

TEST(VerifierTest, OperandsAreDefinedInTheFunction) {
  Straight f;
  NestedIfs other;
  Emit(f.entry, Op::kNeg, {other.negated}, F32(), "y");
  EXPECT_EQ(f.Finish(f.x),
            Errors{"@f: block 'entry': %y: operand 0 (%negated) is not defined in this function"});
}

TEST(VerifierTest, TerminatorsHaveNoResultToUse) {
  CountLoop f;
  Emit(f.exit, Op::kNeg, {f.body_br}, I32(), "y");
  Errors errors = Verify(*f.fn);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0], "@count: block 'exit': ret: a terminator before the end of the block");
  EXPECT_EQ(errors.back(),
            "@count: block 'exit': %y: operand 0 ('br') is a terminator, which has no result");
}

TEST(VerifierTest, UseAfterDefinitionInTheSameBlock) {
  Straight f;
  Instr* a = Emit(f.entry, Op::kNeg, {f.x}, F32({4}), "a");
  Instr* b = Emit(f.entry, Op::kExp, {f.x}, F32({4}), "b");
  a->set_operand(0, b);
  EXPECT_EQ(f.Finish(a), Errors{"@f: block 'entry': %a: uses %b before its definition"});
}

TEST(VerifierTest, AnInstructionCannotUseItself) {
  Straight f;
  Instr* a = Emit(f.entry, Op::kNeg, {f.x}, F32({4}), "a");
  a->set_operand(0, a);
  EXPECT_EQ(f.Finish(a), Errors{"@f: block 'entry': %a: uses %a before its definition"});
}

TEST(VerifierTest, UsesAreDominatedByTheirDefinition) {
  NestedIfs f;
  f.ret->set_operand(0, f.negated);
  EXPECT_EQ(Verify(f.fn), Errors{"@nested: block 'join': ret: uses %negated, defined in block "
                                 "'inner_then', which does not dominate this use"});
}

TEST(VerifierTest, PhiOperandsAreDominatedAtTheEndOfTheirIncomingBlock) {
  NestedIfs f;
  f.result->set_operand(1, f.negated);  // coming from outer_else
  EXPECT_EQ(Verify(f.fn), Errors{"@nested: block 'join': %result: %negated coming from block "
                                 "'outer_else' is defined in block 'inner_then', which does not "
                                 "dominate 'outer_else'"});
}

TEST(VerifierTest, PhiOperandMayBeDefinedInItsIncomingBlock) {
  NestedIfs f;
  Instr* late = Emit(f.outer_else, Op::kAbs, {f.x}, F32(), "late");
  f.outer_else->Erase(f.outer_else_br);
  Br(f.outer_else, f.join);
  f.result->set_operand(1, late);
  EXPECT_EQ(Verify(f.fn), Errors{});
}

TEST(VerifierTest, UnreachableBlocksAreTypeCheckedButNotDominanceChecked) {
  NestedIfs f;
  Block* dead = f.fn.AddBlock("dead");
  Instr* d = Emit(dead, Op::kNeg, {f.negated}, F32(), "d");  // not dominated, not reported
  Instr* i = Const(dead, I32(), 1, "i");
  Emit(dead, Op::kAdd, {d, i}, F32(), "bad");
  Ret(dead, d);
  EXPECT_EQ(Verify(f.fn),
            Errors{"@nested: block 'dead': %bad: add f32, i32: operand dtypes differ (the IR has "
                   "no implicit promotion: cast one operand)"});
}

TEST(VerifierTest, ValuesOfUnreachableBlocksDominateNoReachableUse) {
  NestedIfs f;
  Block* dead = f.fn.AddBlock("dead");
  Instr* d = Emit(dead, Op::kNeg, {f.x}, F32(), "d");
  Ret(dead, d);
  f.ret->set_operand(0, d);
  EXPECT_EQ(Verify(f.fn), Errors{"@nested: block 'join': ret: uses %d, defined in block 'dead', "
                                 "which does not dominate this use"});
}

TEST(VerifierTest, UnnamedValuesAndBlocksAreNamedAsThePrinterDoes) {
  Function fn("f", F32({4}));
  Argument* x = fn.AddArg(F32({4}), "");
  Block* entry = fn.AddBlock("");
  Instr* y = Emit(entry, Op::kAdd, {x, x}, F32({3}));
  Ret(entry, y);
  EXPECT_EQ(Verify(fn),
            (Errors{"@f: block 'bb0': %1: add gives f32[4] but the declared type is f32[3]",
                    "@f: block 'bb0': ret: returns f32[3] but @f returns f32[4]"}));
}

TEST(VerifierTest, AFunctionHasBlocks) {
  Function fn("f", F32());
  EXPECT_EQ(Verify(fn), Errors{"@f: has no blocks"});
}

TEST(VerifierTest, FunctionNamesAreUniqueInTheModule) {
  Straight f;
  AddCallee(f);
  AddCallee(f);
  Ret(f.entry, f.x);
  std::vector<std::string> errors;
  EXPECT_FALSE(VerifyModule(f.module, &errors));
  EXPECT_EQ(errors, Errors{"@g: defined twice"});
}

// ------------------------------------------------------- dominator sets

// A function whose CFG is `edges` (block label -> successors, the first is the entry): two
// successors end in cond_br on the argument %c, one in br, none in ret %c.
std::unique_ptr<Function> BuildCfg(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& edges) {
  auto fn = std::make_unique<Function>("cfg", Bool());
  Argument* c = fn->AddArg(Bool(), "c");
  std::map<std::string, Block*> blocks;
  for (const auto& [label, succs] : edges) blocks[label] = fn->AddBlock(label);
  for (const auto& [label, succs] : edges) {
    Block* block = blocks.at(label);
    if (succs.empty()) Ret(block, c);
    if (succs.size() == 1) Br(block, blocks.at(succs[0]));
    if (succs.size() == 2) CondBr(block, c, blocks.at(succs[0]), blocks.at(succs[1]));
  }
  return fn;
}

using LabelSets = std::map<std::string, std::set<std::string>>;

LabelSets DominatorLabels(const Function& function) {
  LabelSets out;
  for (const auto& [block, dominators] : ComputeDominatorSets(function)) {
    for (const Block* d : dominators) out[block->label()].insert(d->label());
  }
  return out;
}

TEST(DominatorSetsTest, Diamond) {
  NestedIfs f;
  EXPECT_EQ(DominatorLabels(f.fn), (LabelSets{{"entry", {"entry"}},
                                              {"outer_then", {"entry", "outer_then"}},
                                              {"inner_then", {"entry", "outer_then", "inner_then"}},
                                              {"inner_else", {"entry", "outer_then", "inner_else"}},
                                              {"inner_join", {"entry", "outer_then", "inner_join"}},
                                              {"outer_else", {"entry", "outer_else"}},
                                              {"join", {"entry", "join"}}}));
}

TEST(DominatorSetsTest, Loop) {
  CountLoop f;
  EXPECT_EQ(DominatorLabels(*f.fn), (LabelSets{{"entry", {"entry"}},
                                               {"loop", {"entry", "loop"}},
                                               {"body", {"entry", "loop", "body"}},
                                               {"exit", {"entry", "loop", "exit"}}}));
}

// The irreducible graph of Cooper, Harvey and Kennedy (2001), figure 4: entry (their 5)
// branches to 4 and 3; 4 -> 1, 3 -> 2, and 1 and 2 form a loop with two entries.
TEST(DominatorSetsTest, IrreducibleLoopWithTwoEntries) {
  auto fn = BuildCfg({{"entry", {"n4", "n3"}},
                      {"n4", {"n1"}},
                      {"n3", {"n2"}},
                      {"n1", {"n2", "exit"}},
                      {"n2", {"n1"}},
                      {"exit", {}}});
  EXPECT_EQ(Verify(*fn), Errors{});
  EXPECT_EQ(DominatorLabels(*fn), (LabelSets{{"entry", {"entry"}},
                                             {"n4", {"entry", "n4"}},
                                             {"n3", {"entry", "n3"}},
                                             {"n1", {"entry", "n1"}},
                                             {"n2", {"entry", "n2"}},
                                             {"exit", {"entry", "n1", "exit"}}}));
}

// Their figure 2: entry (6) -> 5, 4; 5 -> 1; 4 -> 2, 3; 1 -> 2; 2 -> 1, 3; 3 -> 2.
TEST(DominatorSetsTest, IrreducibleGraphWhereEverythingHangsOffTheEntry) {
  auto fn = BuildCfg({{"entry", {"n5", "n4"}},
                      {"n5", {"n1"}},
                      {"n4", {"n2", "n3"}},
                      {"n1", {"n2"}},
                      {"n2", {"n1", "n3"}},
                      {"n3", {"n2"}}});
  // No exit: every block but the entry is in the cycle 1 <-> 2 <-> 3; add none, the
  // verifier only needs terminators.
  EXPECT_EQ(Verify(*fn), Errors{});
  EXPECT_EQ(DominatorLabels(*fn), (LabelSets{{"entry", {"entry"}},
                                             {"n5", {"entry", "n5"}},
                                             {"n4", {"entry", "n4"}},
                                             {"n1", {"entry", "n1"}},
                                             {"n2", {"entry", "n2"}},
                                             {"n3", {"entry", "n3"}}}));
}

TEST(DominatorSetsTest, UnreachableBlocksAreAbsentAndDoNotCount) {
  auto fn = BuildCfg({{"entry", {"a"}},
                      {"a", {"b", "exit"}},
                      {"b", {"exit"}},
                      {"dead", {"b"}},  // an edge into b from nowhere: b still needs a
                      {"exit", {}}});
  EXPECT_EQ(DominatorLabels(*fn), (LabelSets{{"entry", {"entry"}},
                                             {"a", {"entry", "a"}},
                                             {"b", {"entry", "a", "b"}},
                                             {"exit", {"entry", "a", "exit"}}}));
}

TEST(DominatorSetsTest, SelfLoopAndSingleBlock) {
  auto fn = BuildCfg({{"entry", {"spin"}}, {"spin", {"spin", "exit"}}, {"exit", {}}});
  EXPECT_EQ(DominatorLabels(*fn), (LabelSets{{"entry", {"entry"}},
                                             {"spin", {"entry", "spin"}},
                                             {"exit", {"entry", "spin", "exit"}}}));
  auto single = BuildCfg({{"entry", {}}});
  EXPECT_EQ(DominatorLabels(*single), (LabelSets{{"entry", {"entry"}}}));
}

TEST(DominatorSetsTest, NoBlocksNoSets) {
  Function fn("f", F32());
  EXPECT_TRUE(ComputeDominatorSets(fn).empty());
}

// Values flowing around the two-entry loop: phis at both entries verify, a use of one
// entry's value in the other does not.
TEST(VerifierTest, PhisInAnIrreducibleLoop) {
  auto fn = BuildCfg({{"entry", {"n4", "n3"}},
                      {"n4", {"n1"}},
                      {"n3", {"n2"}},
                      {"n1", {"n2", "exit"}},
                      {"n2", {"n1"}},
                      {"exit", {}}});
  auto block = [&](size_t i) { return fn->blocks()[i].get(); };  // entry n4 n3 n1 n2 exit
  Value* c = fn->args()[0].get();
  Instr* p = Phi(block(3), Bool(), {{c, block(1)}}, "p");
  Instr* q = Phi(block(4), Bool(), {{c, block(2)}, {p, block(3)}}, "q");
  Instr* r =
      block(4)->Insert(1, std::make_unique<Instr>(Op::kNot, std::vector<Value*>{q}, Bool(), "r"));
  p->add_operand(r);
  p->blocks().push_back(block(4));
  EXPECT_EQ(Verify(*fn), Errors{});
  r->set_operand(0, p);
  EXPECT_EQ(Verify(*fn), Errors{"@cfg: block 'n2': %r: uses %p, defined in block 'n1', which "
                                "does not dominate this use"});
}

}  // namespace
}  // namespace tessel::ir
