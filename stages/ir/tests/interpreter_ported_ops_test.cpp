// Unit tests of the ops added for ported PyTorch and ONNX models (stages/ir): erf, sin, cos,
// floor, ceil, round, sign, floor_div, floor_mod, argmax, argmin and update_slice. Expected
// values were computed by hand or with NumPy (in the comments), never by the code under test.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "stages/ir/tests/interpreter_test_util.h"

namespace tessel::ir {
namespace {

using testing::Evaluate;
using testing::ExpectValue;
using testing::F32;
using testing::I32;
using testing::Make;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Type T(DType dtype, Shape shape) { return Type{dtype, std::move(shape)}; }

TEST(PortedOpsTest, ErfSinCos) {
  // NumPy / scipy: erf(0.5) = 0.5204998778, erf(-2) = -0.9953222650; sin(1) = 0.8414709848,
  // cos(1) = 0.5403023059, cos(pi) = -1.
  ExpectValue(Evaluate(Op::kErf, {F32({3}, {0, 0.5, -2})}, T(DType::kF32, {3})),
              F32({3}, {0, 0.5204998778, -0.9953222650}), 1e-6);
  ExpectValue(Evaluate(Op::kSin, {F32({2}, {0, 1})}, T(DType::kF32, {2})),
              F32({2}, {0, 0.8414709848}), 1e-6);
  ExpectValue(Evaluate(Op::kCos, {F32({2}, {1, 3.14159265358979})}, T(DType::kF32, {2})),
              F32({2}, {0.5403023059, -1}), 1e-6);
}

TEST(PortedOpsTest, FloorCeilAndRoundHalfToEven) {
  Tensor x = F32({6}, {-1.5, -0.5, 0.5, 1.5, 2.5, 2.7});
  ExpectValue(Evaluate(Op::kFloor, {x}, T(DType::kF32, {6})), F32({6}, {-2, -1, 0, 1, 2, 2}));
  ExpectValue(Evaluate(Op::kCeil, {x}, T(DType::kF32, {6})), F32({6}, {-1, -0.0, 1, 2, 3, 3}));
  // np.round([-1.5, -0.5, 0.5, 1.5, 2.5, 2.7]) = [-2, -0, 0, 2, 2, 3]: ties go to the even
  // neighbour, unlike C's round() (which would give -2, -1, 1, 2, 3, 3).
  ExpectValue(Evaluate(Op::kRound, {x}, T(DType::kF32, {6})), F32({6}, {-2, 0, 0, 2, 2, 3}));
}

TEST(PortedOpsTest, SignOfFloatsAndIntegers) {
  ExpectValue(Evaluate(Op::kSign, {F32({4}, {-3.5, 0, 2, kNaN})}, T(DType::kF32, {4})),
              F32({4}, {-1, 0, 1, kNaN}));
  ExpectValue(Evaluate(Op::kSign, {I32({3}, {-7, 0, 9})}, T(DType::kI32, {3})),
              I32({3}, {-1, 0, 1}));
}

TEST(PortedOpsTest, FloorDivisionAndModuloFollowPython) {
  // Python: 7 // 2 = 3, -7 // 2 = -4, 7 // -2 = -4, -7 // -2 = 3, 6 // -3 = -2;
  //         7 % 2 = 1,  -7 % 2 = 1,   7 % -2 = -1,  -7 % -2 = -1, 6 % -3 = 0.
  Tensor a = I32({5}, {7, -7, 7, -7, 6}), b = I32({5}, {2, 2, -2, -2, -3});
  ExpectValue(Evaluate(Op::kFloorDiv, {a, b}, T(DType::kI32, {5})), I32({5}, {3, -4, -4, 3, -2}));
  ExpectValue(Evaluate(Op::kFloorMod, {a, b}, T(DType::kI32, {5})), I32({5}, {1, 1, -1, -1, 0}));
  // Python floats: -7.5 // 2 = -4.0, -7.5 % 2 = 0.5, 7.5 % -2 = -0.5.
  ExpectValue(
      Evaluate(Op::kFloorDiv, {F32({2}, {-7.5, 7.5}), F32({2}, {2, -2})}, T(DType::kF32, {2})),
      F32({2}, {-4, -4}));
  ExpectValue(
      Evaluate(Op::kFloorMod, {F32({2}, {-7.5, 7.5}), F32({2}, {2, -2})}, T(DType::kF32, {2})),
      F32({2}, {0.5, -0.5}));
}

TEST(PortedOpsTest, IntegerFloorDivisionByZeroIsAnError) {
  testing::Evaluated r =
      Evaluate(Op::kFloorMod, {I32({1}, {5}), I32({1}, {0})}, T(DType::kI32, {1}));
  EXPECT_FALSE(r.value);
  EXPECT_NE(r.error.find("by zero"), std::string::npos) << r.error;
}

Attrs Axis(int64_t axis, bool keepdims = false) {
  Attrs attrs;
  attrs.axes = {axis};
  attrs.keepdims = keepdims;
  return attrs;
}

TEST(PortedOpsTest, ArgMaxAndArgMinTakeTheFirstOfTies) {
  // [[1, 5, 5], [7, 0, 7]]: argmax per row = [1, 0] (first of the ties), per column = [1, 0, 1];
  // argmin per row = [0, 1].
  Tensor x = F32({2, 3}, {1, 5, 5, 7, 0, 7});
  ExpectValue(Evaluate(Op::kArgMax, {x}, T(DType::kI32, {2}), Axis(1)), I32({2}, {1, 0}));
  ExpectValue(Evaluate(Op::kArgMax, {x}, T(DType::kI32, {3}), Axis(0)), I32({3}, {1, 0, 1}));
  ExpectValue(Evaluate(Op::kArgMin, {x}, T(DType::kI32, {2, 1}), Axis(1, true)),
              I32({2, 1}, {0, 1}));
  ExpectValue(Evaluate(Op::kArgMin, {I32({4}, {3, -2, 8, -2})}, T(DType::kI32, {}), Axis(0)),
              I32({}, {1}));
}

TEST(PortedOpsTest, ArgMaxTreatsNaNAsTheExtreme) {
  // np.argmax([1, nan, 3]) = 1 and np.argmin([1, nan, 3]) = 1.
  Tensor x = F32({3}, {1, kNaN, 3});
  ExpectValue(Evaluate(Op::kArgMax, {x}, T(DType::kI32, {}), Axis(0)), I32({}, {1}));
  ExpectValue(Evaluate(Op::kArgMin, {x}, T(DType::kI32, {}), Axis(0)), I32({}, {1}));
}

TEST(PortedOpsTest, UpdateSliceWritesTheRegion) {
  // Row 1 of a 3 x 2 zero matrix replaced by [5, 6].
  Tensor x = F32({3, 2}, {0, 0, 0, 0, 0, 0});
  ExpectValue(Evaluate(Op::kUpdateSlice, {x, F32({1, 2}, {5, 6}), I32({}, {1}), I32({}, {0})},
                       T(DType::kF32, {3, 2})),
              F32({3, 2}, {0, 0, 5, 6, 0, 0}));
  // A 2 x 1 column at (1, 1) of [[1, 2], [3, 4], [5, 6]].
  ExpectValue(
      Evaluate(Op::kUpdateSlice,
               {F32({3, 2}, {1, 2, 3, 4, 5, 6}), F32({2, 1}, {-1, -2}), I32({}, {1}), I32({}, {1})},
               T(DType::kF32, {3, 2})),
      F32({3, 2}, {1, 2, 3, -1, 5, -2}));
}

TEST(PortedOpsTest, UpdateSliceClampsItsStartsAsXla) {
  // Start 5 on an extent of 4 with an update of 2 clamps to 2; start -3 clamps to 0.
  Tensor x = I32({4}, {1, 2, 3, 4});
  ExpectValue(Evaluate(Op::kUpdateSlice, {x, I32({2}, {8, 9}), I32({}, {5})}, T(DType::kI32, {4})),
              I32({4}, {1, 2, 8, 9}));
  ExpectValue(Evaluate(Op::kUpdateSlice, {x, I32({2}, {8, 9}), I32({}, {-3})}, T(DType::kI32, {4})),
              I32({4}, {8, 9, 3, 4}));
}

TEST(PortedOpsTest, UpdateSliceOfTheWrongShapeIsAnError) {
  testing::Evaluated r = Evaluate(
      Op::kUpdateSlice, {F32({2}, {0, 0}), F32({3}, {1, 2, 3}), I32({}, {0})}, T(DType::kF32, {2}));
  EXPECT_FALSE(r.value);
  EXPECT_NE(r.error.find("update_slice of f32[2] with f32[3]"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace tessel::ir
