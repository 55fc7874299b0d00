// Unit tests of the interpreter's kernels (stages/ir): EvaluateInstr on every
// primitive op, each on small cases whose expected values were computed by
// hand (in the comments), never by the code under test.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "stages/ir/tests/interpreter_test_util.h"

namespace tessel::ir {
namespace {

using testing::Bool;
using testing::Evaluate;
using testing::ExpectValue;
using testing::F32;
using testing::I32;
using testing::Make;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Type T(DType dtype, Shape shape) { return Type{dtype, std::move(shape)}; }

// ------------------------------------------------------------------ unary

TEST(EvaluateInstrTest, UnaryMath) {
  ExpectValue(Evaluate(Op::kNeg, {F32({3}, {1, -2.5, 0})}, T(DType::kF32, {3})),
              F32({3}, {-1, 2.5, 0}));
  ExpectValue(Evaluate(Op::kAbs, {I32({2}, {-3, 4})}, T(DType::kI32, {2})), I32({2}, {3, 4}));
  ExpectValue(Evaluate(Op::kRelu, {F32({3}, {-1, 0, 2})}, T(DType::kF32, {3})),
              F32({3}, {0, 0, 2}));
  ExpectValue(Evaluate(Op::kSqrt, {F32({2}, {4, 9})}, T(DType::kF32, {2})), F32({2}, {2, 3}));
  ExpectValue(Evaluate(Op::kRsqrt, {F32({2}, {4, 0.25})}, T(DType::kF32, {2})),
              F32({2}, {0.5, 2}));
  ExpectValue(Evaluate(Op::kSigmoid, {F32({}, {0})}, T(DType::kF32, {})), F32({}, {0.5}));
  ExpectValue(Evaluate(Op::kNot, {Bool({2}, {1, 0})}, T(DType::kBool, {2})), Bool({2}, {0, 1}));
}

TEST(EvaluateInstrTest, TranscendentalsRoundToF32) {
  // e = 2.718281828..., tanh(1) = 0.761594155..., ln 10 = 2.302585093...
  ExpectValue(Evaluate(Op::kExp, {F32({2}, {0, 1})}, T(DType::kF32, {2})),
              F32({2}, {1, 2.718281828}), 1e-6);
  ExpectValue(Evaluate(Op::kTanh, {F32({2}, {0, 1})}, T(DType::kF32, {2})),
              F32({2}, {0, 0.761594156}), 1e-6);
  ExpectValue(Evaluate(Op::kLog, {F32({2}, {1, 10})}, T(DType::kF32, {2})),
              F32({2}, {0, 2.302585093}), 1e-6);
  // sigmoid(2) = 1 / (1 + e^-2) = 1 / 1.135335283 = 0.880797078
  ExpectValue(Evaluate(Op::kSigmoid, {F32({1}, {2})}, T(DType::kF32, {1})),
              F32({1}, {0.880797078}), 1e-6);
}

TEST(EvaluateInstrTest, IntegerNegationWraps) {
  // -(-2^31) does not fit in i32 and wraps back to -2^31; -(-128) in i8 likewise.
  ExpectValue(Evaluate(Op::kNeg, {I32({1}, {-2147483648.0})}, T(DType::kI32, {1})),
              I32({1}, {-2147483648.0}));
  ExpectValue(Evaluate(Op::kNeg, {Make(DType::kI8, {1}, {-128})}, T(DType::kI8, {1})),
              Make(DType::kI8, {1}, {-128}));
}

TEST(EvaluateInstrTest, CastTruncatesAndWraps) {
  // 3e9 - 2^32 = -1294967296; 300 - 256 = 44; -129 + 256 = 127.
  ExpectValue(Evaluate(Op::kCast, {F32({3}, {2.7, -2.7, 3e9})}, T(DType::kI32, {3})),
              I32({3}, {2, -2, -1294967296.0}));
  ExpectValue(Evaluate(Op::kCast, {I32({3}, {300, -129, 127})}, T(DType::kI8, {3})),
              Make(DType::kI8, {3}, {44, 127, 127}));
  ExpectValue(Evaluate(Op::kCast, {F32({3}, {0, -0.5, 2})}, T(DType::kBool, {3})),
              Bool({3}, {0, 1, 1}));
  ExpectValue(Evaluate(Op::kCast, {Bool({2}, {1, 0})}, T(DType::kF32, {2})), F32({2}, {1, 0}));
}

TEST(EvaluateInstrTest, CastToF16RoundsToNearestEven) {
  // f16 has 10 fraction bits: 1 + 2^-10 is exact; 1 + 2^-11 is a tie and goes
  // to the even 1.0; 1 + 3 * 2^-12 is nearer 1 + 2^-10; 70000 > 65504 is inf.
  Tensor in = F32({4}, {1.0009765625, 1.00048828125, 1.000732421875, 70000});
  ExpectValue(Evaluate(Op::kCast, {in}, T(DType::kF16, {4})),
              Make(DType::kF16, {4}, {1.0009765625, 1.0, 1.0009765625, kInf}));
}

// ------------------------------------------------------------- broadcasting

TEST(EvaluateInstrTest, AddBroadcastsRowOverMatrix) {
  // [[1, 2, 3], [4, 5, 6]] + [10, 20, 30]
  ExpectValue(Evaluate(Op::kAdd, {F32({2, 3}, {1, 2, 3, 4, 5, 6}), F32({3}, {10, 20, 30})},
                       T(DType::kF32, {2, 3})),
              F32({2, 3}, {11, 22, 33, 14, 25, 36}));
}

TEST(EvaluateInstrTest, BroadcastsBothOperands) {
  // [[1], [2]] - [[10, 20, 30]] = [[-9, -19, -29], [-8, -18, -28]]
  ExpectValue(Evaluate(Op::kSub, {F32({2, 1}, {1, 2}), F32({1, 3}, {10, 20, 30})},
                       T(DType::kF32, {2, 3})),
              F32({2, 3}, {-9, -19, -29, -8, -18, -28}));
  // scalar * vector
  ExpectValue(Evaluate(Op::kMul, {F32({}, {2}), F32({3}, {1, 2, 3})}, T(DType::kF32, {3})),
              F32({3}, {2, 4, 6}));
}

TEST(EvaluateInstrTest, IntegerArithmeticWraps) {
  // 2^31 - 1 + 1 wraps to -2^31; 65536 * 65536 = 2^32 wraps to 0;
  // 65537^2 = 2^32 + 131073 wraps to 131073; i8: 100 + 100 = 200 - 256 = -56.
  ExpectValue(Evaluate(Op::kAdd, {I32({1}, {2147483647}), I32({1}, {1})}, T(DType::kI32, {1})),
              I32({1}, {-2147483648.0}));
  ExpectValue(Evaluate(Op::kMul, {I32({2}, {65536, 65537}), I32({2}, {65536, 65537})},
                       T(DType::kI32, {2})),
              I32({2}, {0, 131073}));
  ExpectValue(Evaluate(Op::kAdd, {Make(DType::kI8, {1}, {100}), Make(DType::kI8, {1}, {100})},
                       T(DType::kI8, {1})),
              Make(DType::kI8, {1}, {-56}));
}

TEST(EvaluateInstrTest, IntegerDivisionTruncatesAndModTakesDividendSign) {
  Tensor a = I32({4}, {7, -7, 7, -7}), b = I32({4}, {2, 2, -2, -2});
  ExpectValue(Evaluate(Op::kDiv, {a, b}, T(DType::kI32, {4})), I32({4}, {3, -3, -3, 3}));
  ExpectValue(Evaluate(Op::kMod, {a, b}, T(DType::kI32, {4})), I32({4}, {1, -1, 1, -1}));
  // -2^31 / -1 = 2^31 wraps to -2^31, as in two's complement hardware.
  ExpectValue(Evaluate(Op::kDiv, {I32({1}, {-2147483648.0}), I32({1}, {-1})},
                       T(DType::kI32, {1})),
              I32({1}, {-2147483648.0}));
}

TEST(EvaluateInstrTest, FloatDivisionAndFmod) {
  ExpectValue(Evaluate(Op::kDiv, {F32({3}, {1, -1, 0}), F32({3}, {0, 0, 0})},
                       T(DType::kF32, {3})),
              F32({3}, {kInf, -kInf, kNaN}));
  // fmod(-7.5, 2) = -1.5, fmod(7.5, -2) = 1.5
  ExpectValue(Evaluate(Op::kMod, {F32({2}, {-7.5, 7.5}), F32({2}, {2, -2})},
                       T(DType::kF32, {2})),
              F32({2}, {-1.5, 1.5}));
}

TEST(EvaluateInstrTest, Pow) {
  ExpectValue(Evaluate(Op::kPow, {F32({2}, {2, 9}), F32({2}, {3, 0.5})}, T(DType::kF32, {2})),
              F32({2}, {8, 3}));
  // 2^10 = 1024, 3^0 = 1, (-2)^3 = -8, 2^-1 = 1/2 truncated = 0, (-1)^-3 = -1
  ExpectValue(Evaluate(Op::kPow, {I32({5}, {2, 3, -2, 2, -1}), I32({5}, {10, 0, 3, -1, -3})},
                       T(DType::kI32, {5})),
              I32({5}, {1024, 1, -8, 0, -1}));
  // 2^32 wraps to 0 in i32
  ExpectValue(Evaluate(Op::kPow, {I32({1}, {2}), I32({1}, {32})}, T(DType::kI32, {1})),
              I32({1}, {0}));
}

TEST(EvaluateInstrTest, MaximumAndMinimumPropagateNaN) {
  Tensor a = F32({3}, {1, 5, kNaN}), b = F32({3}, {2, 3, 0});
  ExpectValue(Evaluate(Op::kMaximum, {a, b}, T(DType::kF32, {3})), F32({3}, {2, 5, kNaN}));
  ExpectValue(Evaluate(Op::kMinimum, {a, b}, T(DType::kF32, {3})), F32({3}, {1, 3, kNaN}));
}

TEST(EvaluateInstrTest, ComparisonsGiveBool) {
  Tensor a = I32({3}, {1, 2, 3}), b = I32({}, {2});
  Type result = T(DType::kBool, {3});
  ExpectValue(Evaluate(Op::kEq, {a, b}, result), Bool({3}, {0, 1, 0}));
  ExpectValue(Evaluate(Op::kNe, {a, b}, result), Bool({3}, {1, 0, 1}));
  ExpectValue(Evaluate(Op::kLt, {a, b}, result), Bool({3}, {1, 0, 0}));
  ExpectValue(Evaluate(Op::kLe, {a, b}, result), Bool({3}, {1, 1, 0}));
  ExpectValue(Evaluate(Op::kGt, {a, b}, result), Bool({3}, {0, 0, 1}));
  ExpectValue(Evaluate(Op::kGe, {a, b}, result), Bool({3}, {0, 1, 1}));
}

TEST(EvaluateInstrTest, LogicOnBool) {
  Tensor a = Bool({4}, {0, 0, 1, 1}), b = Bool({4}, {0, 1, 0, 1});
  ExpectValue(Evaluate(Op::kAnd, {a, b}, T(DType::kBool, {4})), Bool({4}, {0, 0, 0, 1}));
  ExpectValue(Evaluate(Op::kOr, {a, b}, T(DType::kBool, {4})), Bool({4}, {0, 1, 1, 1}));
}

TEST(EvaluateInstrTest, SelectBroadcastsAllThree) {
  // cond [1, 0, 1] along the rows of a 2x3 matrix, a scalar otherwise
  ExpectValue(Evaluate(Op::kSelect,
                       {Bool({3}, {1, 0, 1}), F32({2, 3}, {1, 2, 3, 4, 5, 6}), F32({}, {-1})},
                       T(DType::kF32, {2, 3})),
              F32({2, 3}, {1, -1, 3, 4, -1, 6}));
}

// ------------------------------------------------------------------ matmul

TEST(EvaluateInstrTest, MatMul) {
  // [[1, 2, 3], [4, 5, 6]] @ [[7, 8], [9, 10], [11, 12]]:
  // 1*7 + 2*9 + 3*11 = 58, 1*8 + 2*10 + 3*12 = 64, 4*7 + 5*9 + 6*11 = 139, 4*8 + 5*10 + 6*12 = 154
  ExpectValue(Evaluate(Op::kMatMul,
                       {F32({2, 3}, {1, 2, 3, 4, 5, 6}), F32({3, 2}, {7, 8, 9, 10, 11, 12})},
                       T(DType::kF32, {2, 2})),
              F32({2, 2}, {58, 64, 139, 154}));
  ExpectValue(Evaluate(Op::kMatMul, {I32({1, 2}, {3, -4}), I32({2, 1}, {5, 6})},
                       T(DType::kI32, {1, 1})),
              I32({1, 1}, {-9}));
}

TEST(EvaluateInstrTest, BatchedMatMulBroadcastsBatchDims) {
  // a: batch of [1, 2] and [3, 4] (as 1x2 matrices); b = [[5, 6], [7, 8]] shared:
  // [1*5 + 2*7, 1*6 + 2*8] = [19, 22], [3*5 + 4*7, 3*6 + 4*8] = [43, 50]
  ExpectValue(Evaluate(Op::kMatMul, {F32({2, 1, 2}, {1, 2, 3, 4}), F32({2, 2}, {5, 6, 7, 8})},
                       T(DType::kF32, {2, 1, 2})),
              F32({2, 1, 2}, {19, 22, 43, 50}));
  // a [1, 2, 2] = [[1, 2], [3, 4]] against three columns [1, 0], [0, 1], [1, 1]:
  // [[1], [3]], [[2], [4]], [[3], [7]]
  ExpectValue(Evaluate(Op::kMatMul,
                       {F32({1, 2, 2}, {1, 2, 3, 4}), F32({3, 2, 1}, {1, 0, 0, 1, 1, 1})},
                       T(DType::kF32, {3, 2, 1})),
              F32({3, 2, 1}, {1, 3, 2, 4, 3, 7}));
}

TEST(EvaluateInstrTest, MatMulWithVectors) {
  // [1, 2] @ [[1, 2, 3], [4, 5, 6]] = [9, 12, 15]
  ExpectValue(Evaluate(Op::kMatMul, {F32({2}, {1, 2}), F32({2, 3}, {1, 2, 3, 4, 5, 6})},
                       T(DType::kF32, {3})),
              F32({3}, {9, 12, 15}));
  // [[1, 2], [3, 4]] @ [5, 6] = [17, 39]
  ExpectValue(Evaluate(Op::kMatMul, {F32({2, 2}, {1, 2, 3, 4}), F32({2}, {5, 6})},
                       T(DType::kF32, {2})),
              F32({2}, {17, 39}));
  // [1, 2, 3] . [4, 5, 6] = 32, a scalar
  ExpectValue(Evaluate(Op::kMatMul, {F32({3}, {1, 2, 3}), F32({3}, {4, 5, 6})},
                       T(DType::kF32, {})),
              F32({}, {32}));
}

// -------------------------------------------------------------- reductions

Attrs Axes(std::vector<int64_t> axes, bool keepdims = false) {
  Attrs attrs;
  attrs.axes = std::move(axes);
  attrs.keepdims = keepdims;
  return attrs;
}

TEST(EvaluateInstrTest, Reductions) {
  Tensor x = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  ExpectValue(Evaluate(Op::kReduceSum, {x}, T(DType::kF32, {2}), Axes({1})), F32({2}, {6, 15}));
  ExpectValue(Evaluate(Op::kReduceSum, {x}, T(DType::kF32, {}), Axes({0, 1})), F32({}, {21}));
  ExpectValue(Evaluate(Op::kReduceProd, {x}, T(DType::kF32, {3}), Axes({0})),
              F32({3}, {4, 10, 18}));
  ExpectValue(Evaluate(Op::kReduceMax, {x}, T(DType::kF32, {2}), Axes({1})), F32({2}, {3, 6}));
  ExpectValue(Evaluate(Op::kReduceMin, {x}, T(DType::kF32, {3}), Axes({0})),
              F32({3}, {1, 2, 3}));
  ExpectValue(Evaluate(Op::kReduceMean, {x}, T(DType::kF32, {2}), Axes({1})), F32({2}, {2, 5}));
}

TEST(EvaluateInstrTest, ReductionsKeepDims) {
  Tensor x = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  ExpectValue(Evaluate(Op::kReduceSum, {x}, T(DType::kF32, {2, 1}), Axes({1}, true)),
              F32({2, 1}, {6, 15}));
  ExpectValue(Evaluate(Op::kReduceMax, {x}, T(DType::kF32, {1, 3}), Axes({0}, true)),
              F32({1, 3}, {4, 5, 6}));
  ExpectValue(Evaluate(Op::kReduceMean, {x}, T(DType::kF32, {1, 1}), Axes({0, 1}, true)),
              F32({1, 1}, {3.5}));
}

TEST(EvaluateInstrTest, IntegerReductions) {
  // mean of [1, 2] = 1.5 and of [3, 4] = 3.5, truncated to i32; a sum that wraps.
  ExpectValue(Evaluate(Op::kReduceMean, {I32({2, 2}, {1, 2, 3, 4})}, T(DType::kI32, {2}),
                       Axes({1})),
              I32({2}, {1, 3}));
  ExpectValue(Evaluate(Op::kReduceSum, {I32({2}, {2147483647, 1})}, T(DType::kI32, {}),
                       Axes({0})),
              I32({}, {-2147483648.0}));
}

// ------------------------------------------------------------- data movement

TEST(EvaluateInstrTest, ReshapeKeepsRowMajorOrder) {
  ExpectValue(Evaluate(Op::kReshape, {F32({2, 3}, {1, 2, 3, 4, 5, 6})}, T(DType::kF32, {3, 2})),
              F32({3, 2}, {1, 2, 3, 4, 5, 6}));
}

TEST(EvaluateInstrTest, Broadcast) {
  ExpectValue(Evaluate(Op::kBroadcast, {F32({3}, {1, 2, 3})}, T(DType::kF32, {2, 3})),
              F32({2, 3}, {1, 2, 3, 1, 2, 3}));
  ExpectValue(Evaluate(Op::kBroadcast, {F32({2, 1}, {1, 2})}, T(DType::kF32, {2, 3})),
              F32({2, 3}, {1, 1, 1, 2, 2, 2}));
}

TEST(EvaluateInstrTest, Transpose) {
  Attrs swap;
  swap.axes = {1, 0};
  ExpectValue(Evaluate(Op::kTranspose, {F32({2, 3}, {1, 2, 3, 4, 5, 6})}, T(DType::kF32, {3, 2}),
                       swap),
              F32({3, 2}, {1, 4, 2, 5, 3, 6}));
  // x[0][i][j] = 3i + j, perm [2, 0, 1]: out[a][0][c] = x[0][c][a] = 3c + a
  Attrs rotate;
  rotate.axes = {2, 0, 1};
  ExpectValue(Evaluate(Op::kTranspose, {F32({1, 2, 3}, {0, 1, 2, 3, 4, 5})},
                       T(DType::kF32, {3, 1, 2}), rotate),
              F32({3, 1, 2}, {0, 3, 1, 4, 2, 5}));
}

TEST(EvaluateInstrTest, Concat) {
  Attrs axis0, axis1;
  axis0.axes = {0};
  axis1.axes = {1};
  ExpectValue(Evaluate(Op::kConcat, {F32({1, 2}, {1, 2}), F32({2, 2}, {3, 4, 5, 6})},
                       T(DType::kF32, {3, 2}), axis0),
              F32({3, 2}, {1, 2, 3, 4, 5, 6}));
  // [[1], [2]] beside [[3, 4], [5, 6]] beside [[7], [8]]
  ExpectValue(Evaluate(Op::kConcat,
                       {F32({2, 1}, {1, 2}), F32({2, 2}, {3, 4, 5, 6}), F32({2, 1}, {7, 8})},
                       T(DType::kF32, {2, 4}), axis1),
              F32({2, 4}, {1, 3, 4, 7, 2, 5, 6, 8}));
}

Attrs SliceAttrs(std::vector<int64_t> begin, std::vector<int64_t> end,
                 std::vector<int64_t> step) {
  Attrs attrs;
  attrs.begin = std::move(begin);
  attrs.end = std::move(end);
  attrs.step = std::move(step);
  return attrs;
}

TEST(EvaluateInstrTest, SliceWithStep) {
  // 0..9 from 1 to 8 by 3: 1, 4, 7
  ExpectValue(Evaluate(Op::kSlice, {F32({10}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})},
                       T(DType::kF32, {3}), SliceAttrs({1}, {8}, {3})),
              F32({3}, {1, 4, 7}));
  // rows 1.., columns 0, 2 of [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
  ExpectValue(Evaluate(Op::kSlice, {F32({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9})},
                       T(DType::kF32, {2, 2}), SliceAttrs({1, 0}, {3, 3}, {1, 2})),
              F32({2, 2}, {4, 6, 7, 9}));
}

TEST(EvaluateInstrTest, Pad) {
  Attrs attrs;
  attrs.low = {1, 0};
  attrs.high = {0, 1};
  attrs.pad_value = -1;
  ExpectValue(Evaluate(Op::kPad, {F32({2, 2}, {1, 2, 3, 4})}, T(DType::kF32, {3, 3}), attrs),
              F32({3, 3}, {-1, -1, -1, 1, 2, -1, 3, 4, -1}));
}

TEST(EvaluateInstrTest, TakeSelectsAlongAxisZero) {
  Tensor x = F32({3, 2}, {1, 2, 3, 4, 5, 6});
  ExpectValue(Evaluate(Op::kTake, {x, I32({}, {2})}, T(DType::kF32, {2})), F32({2}, {5, 6}));
  ExpectValue(Evaluate(Op::kTake, {x, I32({}, {0})}, T(DType::kF32, {2})), F32({2}, {1, 2}));
  ExpectValue(Evaluate(Op::kTake, {F32({3}, {7, 8, 9}), I32({}, {1})}, T(DType::kF32, {})),
              F32({}, {8}));
}

TEST(EvaluateInstrTest, ConstantReturnsItsValue) {
  Attrs attrs;
  attrs.value = std::make_shared<const Tensor>(I32({2}, {4, -5}));
  ExpectValue(Evaluate(Op::kConstant, {}, T(DType::kI32, {2}), attrs), I32({2}, {4, -5}));
}

// ------------------------------------------------------------------ errors

TEST(EvaluateInstrErrorTest, IntegerDivisionByZeroNamesTheInstructionAndElement) {
  auto r = Evaluate(Op::kDiv, {I32({2}, {1, 2}), I32({2}, {1, 0})}, T(DType::kI32, {2}));
  EXPECT_FALSE(r.value);
  EXPECT_EQ(r.error, "%r = div %a, %b : i32[2]: integer division by zero at [1]");
  r = Evaluate(Op::kMod, {I32({}, {1}), I32({}, {0})}, T(DType::kI32, {}));
  EXPECT_EQ(r.error, "%r = mod %a, %b : i32: integer division by zero");
}

TEST(EvaluateInstrErrorTest, TakeOutOfRangeNamesIndexAndExtent) {
  Tensor x = F32({3, 2}, {1, 2, 3, 4, 5, 6});
  auto r = Evaluate(Op::kTake, {x, I32({}, {3})}, T(DType::kF32, {2}));
  EXPECT_FALSE(r.value);
  EXPECT_EQ(r.error,
            "%r = take %a, %b : f32[2]: take index 3 is out of range for axis 0 of extent 3 in "
            "f32[3, 2]");
  r = Evaluate(Op::kTake, {x, I32({}, {-1})}, T(DType::kF32, {2}));
  EXPECT_NE(r.error.find("take index -1 is out of range for axis 0 of extent 3"),
            std::string::npos)
      << r.error;
}

TEST(EvaluateInstrErrorTest, OperandsThatDoNotFitTheResultType) {
  auto r = Evaluate(Op::kAdd, {F32({2}, {1, 2}), F32({3}, {1, 2, 3})}, T(DType::kF32, {3}));
  EXPECT_EQ(r.error,
            "%r = add %a, %b : f32[3]: operand f32[2] does not broadcast to the result f32[3]");
  r = Evaluate(Op::kMatMul, {F32({2, 3}, {1, 2, 3, 4, 5, 6}), F32({2, 2}, {1, 2, 3, 4})},
               T(DType::kF32, {2, 2}));
  EXPECT_EQ(r.error,
            "%r = matmul %a, %b : f32[2, 2]: matmul f32[2, 3] @ f32[2, 2]: inner dimensions 3 "
            "and 2 differ");
  r = Evaluate(Op::kReshape, {F32({2, 3}, {1, 2, 3, 4, 5, 6})}, T(DType::kF32, {4}));
  EXPECT_EQ(r.error, "%r = reshape %a : f32[4]: cannot reshape f32[2, 3] (6 elements) to f32[4]");
  r = Evaluate(Op::kReduceSum, {F32({2, 3}, {1, 2, 3, 4, 5, 6})}, T(DType::kF32, {2}), Axes({2}));
  EXPECT_NE(r.error.find("reduction axis 2 is out of range for rank 2"), std::string::npos)
      << r.error;
}

TEST(EvaluateInstrErrorTest, DataMovementThatDoesNotFitTheResult) {
  Tensor m = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(Evaluate(Op::kBroadcast, {F32({3}, {1, 2, 3})}, T(DType::kF32, {2, 2})).error,
            "%r = broadcast %a : f32[2, 2]: cannot broadcast f32[3] to f32[2, 2]");
  Attrs twice;
  twice.axes = {0, 0};
  EXPECT_EQ(Evaluate(Op::kTranspose, {m}, T(DType::kF32, {3, 2}), twice).error,
            "%r = transpose %a {perm = [0, 0]} : f32[3, 2]: transpose of f32[2, 3] by [0, 0] "
            "does not give f32[3, 2]");
  Attrs axis1;
  axis1.axes = {1};
  EXPECT_EQ(Evaluate(Op::kConcat, {F32({2, 1}, {1, 2}), F32({3, 1}, {1, 2, 3})},
                     T(DType::kF32, {2, 2}), axis1)
                .error,
            "%r = concat %a, %b {axis = 1} : f32[2, 2]: concat operand f32[3, 1] does not fit "
            "the result f32[2, 2] along axis 1");
  Attrs pad;
  pad.low = {1};
  pad.high = {1};
  EXPECT_EQ(Evaluate(Op::kPad, {F32({2}, {1, 2})}, T(DType::kF32, {3}), pad).error,
            "%r = pad %a {low = [1], high = [1], value = 0.0} : f32[3]: pad of f32[2] by low [1] "
            "high [1] does not give f32[3]");
  EXPECT_EQ(Evaluate(Op::kReduceSum, {m}, T(DType::kF32, {3}), Axes({1})).error,
            "%r = reduce_sum %a {axes = [1]} : f32[3]: reducing f32[2, 3] over axes [1] gives "
            "shape [2], not [3]");
}

TEST(EvaluateInstrErrorTest, ConstantWithoutAFittingValue) {
  EXPECT_NE(Evaluate(Op::kConstant, {}, T(DType::kI32, {2})).error.find("constant has no value"),
            std::string::npos);
  Attrs attrs;
  attrs.value = std::make_shared<const Tensor>(F32({2}, {1, 2}));
  EXPECT_NE(Evaluate(Op::kConstant, {}, T(DType::kI32, {2}), attrs)
                .error.find("constant value f32[2] does not have the result type"),
            std::string::npos);
}

TEST(EvaluateInstrErrorTest, SliceOutsideItsOperand) {
  auto r = Evaluate(Op::kSlice, {F32({3}, {1, 2, 3})}, T(DType::kF32, {2}),
                    SliceAttrs({1}, {5}, {2}));
  EXPECT_NE(r.error.find("slice reads [3] outside f32[3]"), std::string::npos) << r.error;
}

TEST(EvaluateInstrErrorTest, ControlFlowIsNotEvaluatedAlone) {
  auto r = Evaluate(Op::kRet, {F32({}, {1})}, Type{});
  EXPECT_NE(r.error.find("'ret' is control flow"), std::string::npos) << r.error;
}

TEST(EvaluateInstrErrorTest, MissingOperandValues) {
  Argument a(Type{DType::kF32, {}}, "a", 0);
  Instr instr(Op::kNeg, {&a}, Type{DType::kF32, {}}, "r");
  std::string error;
  EXPECT_FALSE(EvaluateInstr(instr, {}, &error));
  EXPECT_EQ(error, "%r = neg %a : f32: expected 1 operand values, got 0");
}

}  // namespace
}  // namespace tessel::ir
