// Unit tests of comprehension evaluation (stages/ir/comprehension_eval.cpp):
// the textbook tensor programs written as comprehensions (matmul, max pooling,
// a causal mask, a convolution), reductions and their identities, the scalar
// rules inside a body, and the errors. Expected values are hand-computed.
#include <gtest/gtest.h>

#include <limits>

#include "stages/ir/tests/interpreter_test_util.h"

namespace tessel::ir {
namespace {

using testing::Evaluate;
using testing::ExpectValue;
using testing::F32;
using testing::I32;

constexpr double kInf = std::numeric_limits<double>::infinity();

// ----------------------------------------------------- building bodies

// Short names for ir.h's factories, in the argument order these tests read best in.
/// The value of index variable `i` (position in out ++ reduce).
ScalarExprPtr Index(int i) { return MakeScalarIndex(i); }
ScalarExprPtr Lit(double value, DType dtype = DType::kI32) { return MakeScalarConst(dtype, value); }
ScalarExprPtr Read(int operand, std::vector<ScalarExprPtr> subscripts,
                   DType dtype = DType::kF32) {
  return MakeScalarRead(operand, dtype, std::move(subscripts));
}
ScalarExprPtr Apply(Op op, std::vector<ScalarExprPtr> args, DType dtype = DType::kF32) {
  return MakeScalarApply(op, dtype, std::move(args));
}

Attrs Comp(std::vector<IndexVar> out, ReduceKind kind, std::vector<IndexVar> reduce,
           ScalarExprPtr body) {
  auto c = std::make_shared<Comprehension>();
  c->out = std::move(out);
  c->reduce_kind = kind;
  c->reduce = std::move(reduce);
  c->body = std::move(body);
  Attrs attrs;
  attrs.comprehension = std::move(c);
  return attrs;
}

testing::Evaluated EvalComp(const std::vector<Tensor>& inputs, const Type& result, Attrs attrs,
                       const std::vector<std::string>& names = {"x", "w", "s"}) {
  return Evaluate(Op::kComprehension, inputs, result, std::move(attrs), names);
}

Type F32Type(Shape shape) { return Type{DType::kF32, std::move(shape)}; }

// --------------------------------------------------------------- programs

TEST(ComprehensionEvalTest, MatMul) {
  // y[n, o] += x[n, i] * w[i, o]: the matmul test's [[58, 64], [139, 154]]
  Attrs attrs = Comp({{"n", 0, 2}, {"o", 0, 2}}, ReduceKind::kSum, {{"i", 0, 3}},
                     Apply(Op::kMul, {Read(0, {Index(0), Index(2)}),
                                      Read(1, {Index(2), Index(1)})}));
  ExpectValue(EvalComp({F32({2, 3}, {1, 2, 3, 4, 5, 6}), F32({3, 2}, {7, 8, 9, 10, 11, 12})},
                  F32Type({2, 2}), attrs),
              F32({2, 2}, {58, 64, 139, 154}));
}

TEST(ComprehensionEvalTest, MaxPool2x2) {
  // y[h, v] max= x[2h + i, 2v + j], i, j in 0..2, over
  //   1 5 | 2 0
  //   3 4 | 8 1
  //   ----+----
  //   0 2 | 9 7
  //   6 1 | 3 5      -> [[5, 8], [6, 9]]
  auto twice_plus = [](int outer, int inner) {
    return Apply(Op::kAdd, {Apply(Op::kMul, {Lit(2), Index(outer)}, DType::kI32), Index(inner)},
                 DType::kI32);
  };
  Attrs attrs = Comp({{"h", 0, 2}, {"v", 0, 2}}, ReduceKind::kMax, {{"i", 0, 2}, {"j", 0, 2}},
                     Read(0, {twice_plus(0, 2), twice_plus(1, 3)}));
  ExpectValue(EvalComp({F32({4, 4}, {1, 5, 2, 0, 3, 4, 8, 1, 0, 2, 9, 7, 6, 1, 3, 5})},
                  F32Type({2, 2}), attrs),
              F32({2, 2}, {5, 8, 6, 9}));
}

TEST(ComprehensionEvalTest, CausalMaskUsesIndexValues) {
  // y[i, j] = select(j <= i, x[i, j], -100)
  Attrs attrs = Comp({{"i", 0, 3}, {"j", 0, 3}}, ReduceKind::kAssign, {},
                     Apply(Op::kSelect, {Apply(Op::kLe, {Index(1), Index(0)}, DType::kBool),
                                         Read(0, {Index(0), Index(1)}), Lit(-100, DType::kF32)}));
  ExpectValue(EvalComp({F32({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9})}, F32Type({3, 3}), attrs),
              F32({3, 3}, {1, -100, -100, 4, 5, -100, 7, 8, 9}));
}

TEST(ComprehensionEvalTest, ConvolutionWithAffineSubscripts) {
  // y[h, v] += x[h + r, v + s] * w[r, s], x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
  // w = [[1, 2], [3, 4]]: y[0, 0] = 1 + 4 + 12 + 20 = 37, y[0, 1] = 2 + 6 + 15 + 24 = 47,
  // y[1, 0] = 4 + 10 + 21 + 32 = 67, y[1, 1] = 5 + 12 + 24 + 36 = 77
  auto plus = [](int a, int b) { return Apply(Op::kAdd, {Index(a), Index(b)}, DType::kI32); };
  Attrs attrs = Comp({{"h", 0, 2}, {"v", 0, 2}}, ReduceKind::kSum, {{"r", 0, 2}, {"s", 0, 2}},
                     Apply(Op::kMul, {Read(0, {plus(0, 2), plus(1, 3)}),
                                      Read(1, {Index(2), Index(3)})}));
  ExpectValue(EvalComp({F32({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}), F32({2, 2}, {1, 2, 3, 4})},
                  F32Type({2, 2}), attrs),
              F32({2, 2}, {37, 47, 67, 77}));
}

TEST(ComprehensionEvalTest, ScalarOperandHasNoSubscripts) {
  // y[i] = x[i] * s
  Attrs attrs = Comp({{"i", 0, 3}}, ReduceKind::kAssign, {},
                     Apply(Op::kMul, {Read(0, {Index(0)}), Read(1, {})}));
  ExpectValue(EvalComp({F32({3}, {1, 2, 3}), F32({}, {2})}, F32Type({3}), attrs),
              F32({3}, {2, 4, 6}));
}

TEST(ComprehensionEvalTest, ProdAndMinReductions) {
  Tensor x = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  ScalarExprPtr element = Read(0, {Index(0), Index(1)});
  // products of the rows: 6 and 120; minima of the rows: 1 and 4
  ExpectValue(EvalComp({x}, F32Type({2}), Comp({{"i", 0, 2}}, ReduceKind::kProd, {{"j", 0, 3}},
                                          element)),
              F32({2}, {6, 120}));
  ExpectValue(EvalComp({x}, F32Type({2}), Comp({{"i", 0, 2}}, ReduceKind::kMin, {{"j", 0, 3}},
                                          element)),
              F32({2}, {1, 4}));
}

TEST(ComprehensionEvalTest, ReductionRangeNeedNotStartAtZero) {
  // y[i] += x[i, j] for j in 1..3: 2 + 3 = 5 and 5 + 6 = 11
  Attrs attrs = Comp({{"i", 0, 2}}, ReduceKind::kSum, {{"j", 1, 3}}, Read(0, {Index(0), Index(1)}));
  ExpectValue(EvalComp({F32({2, 3}, {1, 2, 3, 4, 5, 6})}, F32Type({2}), attrs), F32({2}, {5, 11}));
}

TEST(ComprehensionEvalTest, EmptyReductionGivesTheIdentity) {
  ScalarExprPtr element = Read(0, {Index(0), Index(1)});
  Tensor x = F32({1, 1}, {7});
  ExpectValue(EvalComp({x}, F32Type({1}), Comp({{"i", 0, 1}}, ReduceKind::kMax, {{"j", 0, 0}},
                                          element)),
              F32({1}, {-kInf}));
  ExpectValue(EvalComp({x}, F32Type({1}), Comp({{"i", 0, 1}}, ReduceKind::kMin, {{"j", 0, 0}},
                                          element)),
              F32({1}, {kInf}));
  ExpectValue(EvalComp({x}, F32Type({1}), Comp({{"i", 0, 1}}, ReduceKind::kSum, {{"j", 0, 0}},
                                          element)),
              F32({1}, {0}));
  ExpectValue(EvalComp({x}, F32Type({1}), Comp({{"i", 0, 1}}, ReduceKind::kProd, {{"j", 0, 0}},
                                          element)),
              F32({1}, {1}));
}

TEST(ComprehensionEvalTest, IndexValuesAsData) {
  // y[i] = cast f32 (i * 10)
  Attrs attrs = Comp({{"i", 0, 3}}, ReduceKind::kAssign, {},
                     Apply(Op::kCast, {Apply(Op::kMul, {Index(0), Lit(10)}, DType::kI32)}));
  ExpectValue(EvalComp({}, F32Type({3}), attrs), F32({3}, {0, 10, 20}));
}

TEST(ComprehensionEvalTest, IntegerAddInABodyWraps) {
  // y[i] = x[i] + 1 in i32: 2^31 - 1 + 1 wraps to -2^31
  Attrs attrs = Comp({{"i", 0, 2}}, ReduceKind::kAssign, {},
                     Apply(Op::kAdd, {Read(0, {Index(0)}, DType::kI32), Lit(1)}, DType::kI32));
  ExpectValue(EvalComp({I32({2}, {2147483647, 5})}, Type{DType::kI32, {2}}, attrs),
              I32({2}, {-2147483648.0, 6}));
}

TEST(ComprehensionEvalTest, ComparisonIsZeroOrOne) {
  // y += cast f32 (x[i] > 2) * x[i] over [1, 3, 5, 2]: 3 + 5 = 8;
  // y += cast i32 (x[i] > 2): 2 of them
  ScalarExprPtr x = Read(0, {Index(0)});
  ScalarExprPtr above = Apply(Op::kGt, {x, Lit(2, DType::kF32)}, DType::kBool);
  Attrs sum = Comp({}, ReduceKind::kSum, {{"i", 0, 4}},
                   Apply(Op::kMul, {Apply(Op::kCast, {above}), x}));
  Attrs count = Comp({}, ReduceKind::kSum, {{"i", 0, 4}},
                     Apply(Op::kCast, {above}, DType::kI32));
  Tensor in = F32({4}, {1, 3, 5, 2});
  ExpectValue(EvalComp({in}, F32Type({}), sum), F32({}, {8}));
  ExpectValue(EvalComp({in}, Type{DType::kI32, {}}, count), I32({}, {2}));
}

TEST(ComprehensionEvalTest, BodyRoundsThroughItsDType) {
  // (1 + 2^-12) - 1 in f16: 1 + 2^-12 rounds to 1 (f16 keeps 10 fraction bits),
  // so the result is 0; computed without rounding it would be 2^-12.
  ScalarExprPtr one = Lit(1, DType::kF16);
  Attrs attrs = Comp({}, ReduceKind::kAssign, {},
                     Apply(Op::kSub,
                           {Apply(Op::kAdd, {one, Lit(1.0 / 4096, DType::kF16)}, DType::kF16),
                            one},
                           DType::kF16));
  ExpectValue(EvalComp({}, Type{DType::kF16, {}}, attrs), testing::Make(DType::kF16, {}, {0}));
}

// ----------------------------------------------------------------- errors

TEST(ComprehensionEvalErrorTest, ReadOutsideTheOperandNamesElementAndType) {
  // y[i, j] = x[i + 1, j] over x: f32[4, 4] reads row 4 at i = 3
  Attrs attrs = Comp({{"i", 0, 4}, {"j", 0, 4}}, ReduceKind::kAssign, {},
                     Read(0, {Apply(Op::kAdd, {Index(0), Lit(1)}, DType::kI32), Index(1)}));
  std::vector<double> zeros(16, 0);
  auto r = EvalComp({F32({4, 4}, zeros)}, F32Type({4, 4}), attrs, {"x"});
  EXPECT_FALSE(r.value);
  EXPECT_NE(r.error.find(": comprehension %r reads %x[4, 0] outside f32[4, 4]"),
            std::string::npos)
      << r.error;
}

TEST(ComprehensionEvalErrorTest, IntegerDivisionByZeroNamesThePoint) {
  // y[i] = 6 / i divides by zero at i = 0
  Attrs attrs = Comp({{"i", 0, 3}}, ReduceKind::kAssign, {},
                     Apply(Op::kDiv, {Lit(6), Index(0)}, DType::kI32));
  auto r = EvalComp({}, Type{DType::kI32, {3}}, attrs);
  EXPECT_NE(r.error.find("comprehension %r: integer division by zero at i = 0"),
            std::string::npos)
      << r.error;
}

TEST(ComprehensionEvalErrorTest, WrongNumberOfSubscripts) {
  Attrs attrs = Comp({{"i", 0, 2}}, ReduceKind::kAssign, {}, Read(0, {Index(0)}));
  auto r = EvalComp({F32({2, 2}, {1, 2, 3, 4})}, F32Type({2}), attrs, {"x"});
  EXPECT_NE(r.error.find("comprehension %r reads %x with 1 subscripts, but it is f32[2, 2]"),
            std::string::npos)
      << r.error;
}

TEST(ComprehensionEvalErrorTest, IndexSpaceMustMatchTheResult) {
  Attrs attrs = Comp({{"i", 0, 3}}, ReduceKind::kAssign, {}, Lit(0, DType::kF32));
  auto r = EvalComp({}, F32Type({2}), attrs);
  EXPECT_NE(r.error.find("comprehension %r has index space [3] but result f32[2]"),
            std::string::npos)
      << r.error;
}

TEST(ComprehensionEvalErrorTest, MalformedBodies) {
  Type result = F32Type({2});
  auto error_of = [&](ReduceKind kind, std::vector<IndexVar> reduce, ScalarExprPtr body) {
    return EvalComp({F32({2}, {1, 2})}, result, Comp({{"i", 0, 2}}, kind, std::move(reduce),
                                                     std::move(body)), {"x"})
        .error;
  };
  auto expect_error = [](const std::string& error, const std::string& part) {
    EXPECT_NE(error.find(part), std::string::npos) << error;
  };
  ScalarExprPtr x = Read(0, {Index(0)});
  expect_error(error_of(ReduceKind::kAssign, {}, Apply(Op::kMatMul, {x, x})),
               "comprehension %r: 'matmul' is not an elementwise op at i = 0");
  expect_error(error_of(ReduceKind::kAssign, {}, Apply(Op::kAdd, {x})),
               "comprehension %r applies 'add' to 1 arguments");
  expect_error(error_of(ReduceKind::kAssign, {{"j", 0, 2}}, x),
               "comprehension %r assigns but has reduction indices");
  expect_error(error_of(ReduceKind::kAssign, {}, nullptr), "comprehension %r has no body");
  expect_error(error_of(ReduceKind::kAssign, {}, Index(5)),
               "comprehension %r uses index variable #5 of 1");
  expect_error(error_of(ReduceKind::kAssign, {}, Read(3, {})),
               "comprehension %r reads operand #3 of 1");
}

}  // namespace
}  // namespace tessel::ir
