// lab06.t6: loop IR to C, one scalar at a time (lab06_backends/README.md §9.2). Every test
// compiles the rendered C and compares it with the loop-IR interpreter on the same inputs.
#include <cmath>
#include <limits>

#include "lab06_backends/tests/lab06_c_test_util.h"

namespace tessel::lab06 {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(CScalarTest, ElementwiseKernelMatchesTheInterpreter) {
  std::string c = ExpectCMatches(R"(
kernel @gelu_ish(%x: f32[6, 10], %b: f32[10]) -> (%y: f32[6, 10]) {
  for i in 0..6 {
    for j in 0..10 {
      %y[i, j] = tanh(%x[i, j] + %b[j]) * sigmoid(%x[i, j]) - exp(-(%x[i, j])) / 3.0 + sqrt(abs(%b[j]))
    }
  }
})");
  EXPECT_NE(c.find("void gelu_ish(const float *x, const float *b, float *y)"), std::string::npos) << c;
  EXPECT_NE(c.find("for (int32_t i = 0; i < 6; ++i)"), std::string::npos) << c;
}

TEST(CScalarTest, FloorDivisionOfNegativeNumbers) {
  Tensor a = TensorOf(DType::kI32, {8}, {-7, 7, -7, 7, -1, 0, -8, 9});
  Tensor b = TensorOf(DType::kI32, {8}, {2, -2, -2, 2, 3, -3, 4, -4});
  ExpectCMatches(R"(
kernel @divs(%a: i32[8], %b: i32[8]) -> (%q: i32[8, 4]) {
  for i in 0..8 {
    %q[i, 0] = floor_div(%a[i], %b[i])
    %q[i, 1] = floor_mod(%a[i], %b[i])
    %q[i, 2] = %a[i] / %b[i]
    %q[i, 3] = %a[i] % %b[i]
  }
})", {a, b}, true);
  Tensor x = TensorOf(DType::kF32, {4}, {-7.5, 7.5, -0.5, 3});
  Tensor y = TensorOf(DType::kF32, {4}, {2, -2, 4, -1.5});
  ExpectCMatches(R"(
kernel @fdivs(%x: f32[4], %y: f32[4]) -> (%q: f32[4, 3]) {
  for i in 0..4 {
    %q[i, 0] = floor_div(%x[i], %y[i])
    %q[i, 1] = floor_mod(%x[i], %y[i])
    %q[i, 2] = %x[i] % %y[i]
  }
})", {x, y}, true);
}

TEST(CScalarTest, IntegerOverflowWraps) {
  Tensor a = TensorOf(DType::kI32, {4}, {100000, 2147483647, -2147483648.0, 46341});
  ExpectCMatches(R"(
kernel @wrap(%a: i32[4]) -> (%y: i32[4, 4]) {
  for i in 0..4 {
    %y[i, 0] = %a[i] * %a[i]
    %y[i, 1] = %a[i] + 2147483647
    %y[i, 2] = -(-(-(%a[i]))) - 1
    %y[i, 3] = %a[i] / -1
  }
})", {a}, true);
  // A let or a condition computes on values too: INT_MAX + 1 wraps there as well.
  ExpectCMatches(R"(
kernel @wrap_let(%a: i32[4]) -> (%y: i32[4]) {
  for i in 0..4 {
    let t = %a[i] + 1
    if t > %a[i] {
      %y[i] = 1
    } else {
      %y[i] = 0
    }
  }
})", {a}, true);
}

TEST(CScalarTest, MaximumPropagatesNaN) {
  Tensor x = TensorOf(DType::kF32, {5}, {kNaN, 1, -1, kNaN, 0});
  Tensor y = TensorOf(DType::kF32, {5}, {1, kNaN, -2, kNaN, -0.0});
  ExpectCMatches(R"(
kernel @nans(%x: f32[5], %y: f32[5]) -> (%z: f32[5, 4]) {
  for i in 0..5 {
    %z[i, 0] = maximum(%x[i], %y[i])
    %z[i, 1] = minimum(%x[i], %y[i])
    %z[i, 2] = relu(%x[i])
    %z[i, 3] = sign(%y[i])
  }
})", {x, y}, true);
}

TEST(CScalarTest, NarrowTypesRoundEachOp) {
  Tensor a = TensorOf(DType::kI8, {4}, {100, -100, 127, -128});
  ExpectCMatches(R"(
kernel @narrow(%a: i8[4]) -> (%y: i8[4, 2]) {
  for i in 0..4 {
    %y[i, 0] = %a[i] + %a[i] + i8(3)
    %y[i, 1] = %a[i] * i8(3) / i8(2)
  }
})", {a}, true);
}

TEST(CScalarTest, HalfPrecisionMathRoundsOnce) {
  // exp in double, then once to half: through float first, 1.0072... would round twice.
  Tensor x = TensorOf(DType::kF16, {4}, {0.007298, 0.02269, 0.00534, 1.0});
  ExpectCMatches(R"(
kernel @hexp(%x: f16[4]) -> (%y: f16[4]) {
  for i in 0..4 {
    %y[i] = exp(%x[i]) + sigmoid(%x[i])
  }
})", {x}, true);
}

TEST(CScalarTest, SelectsComparisonsAndCasts) {
  Tensor x = TensorOf(DType::kF32, {6}, {-2.7, 2.7, kNaN, 1e20, -0.5, 3});
  ExpectCMatches(R"(
kernel @casts(%x: f32[6]) -> (%i: i32[6], %f: f32[6], %b: bool[6]) {
  for k in 0..6 {
    %i[k] = cast<i32>(%x[k])
    %f[k] = select(%x[k] < 0.0 || %x[k] > 2.0, cast<f32>(k) * 0.5, floor(%x[k]) + round(%x[k]))
    %b[k] = !(%x[k] >= 1.0) && cast<bool>(k)
  }
})", {x}, true);
}

TEST(CScalarTest, LetsIfsAndLocalBuffers) {
  std::string c = ExpectCMatches(R"(
kernel @rowmax(%x: f32[5, 9]) -> (%m: f32[5], %c: i32[5]) {
  for i in 0..5 {
    allocate %best: f32[1] local
    let first = i * 9
    %best[0] = %x[i, 0]
    %c[i] = 0
    for j in 0..8 {
      if %x[i, j + 1] > %best[0] {
        %best[0] = %x[i, j + 1]
        %c[i] = %c[i] + 1
      } else {
        %c[i] = %c[i] + 0 * first
      }
    }
    %m[i] = %best[0]
  }
})");
  EXPECT_NE(c.find("float best[1]"), std::string::npos) << "a small local buffer lives on the stack:\n" << c;
  EXPECT_NE(c.find("} else {"), std::string::npos) << c;
}

TEST(CScalarTest, StridedBuffersAndScratch) {
  ExpectCMatches(R"(
kernel @pack(%x: f32[6, 8]) -> (%y: f32[6, 8]) {
  allocate %t: f32[8, 6]
  for i in 0..6 {
    for j in 0..8 {
      %t[j, i] = %x[i, j] * 2.0
    }
  }
  for i2 in 0..6 {
    for j2 in 0..8 {
      %y[i2, j2] = %t[j2, i2] + %t[7 - j2, 5 - i2]
    }
  }
})");
}

TEST(CScalarTest, ExtentsThatReadMemory) {
  Tensor n = TensorOf(DType::kI32, {3}, {2, 0, 4});
  ExpectCMatches(R"(
kernel @ragged(%n: i32[3], %x: f32[3, 4]) -> (%s: f32[3]) {
  for i in 0..3 {
    %s[i] = 0.0
    for j in 0..%n[i] {
      %s[i] = %s[i] + %x[i, j]
    }
  }
})", {n, TensorOf(DType::kF32, {3, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})}, true);
}

TEST(CScalarTest, UnrolledLoopHasNoLoopLeft) {
  std::string c = ExpectCMatches(R"(
kernel @dot4(%a: f32[16, 4], %b: f32[4]) -> (%y: f32[16]) {
  for i in 0..16 {
    allocate %acc: f32[4] local
    unrolled for u in 0..4 {
      %acc[u] = %a[i, u] * %b[u]
    }
    %y[i] = %acc[0] + %acc[1] + %acc[2] + %acc[3]
  }
})");
  EXPECT_EQ(c.find("int32_t u ="), std::string::npos) << "an unrolled loop leaves no loop:\n" << c;
  EXPECT_NE(c.find("acc[3] = a[i * 4 + 3] * b[3]"), std::string::npos)
      << "each copy has its iteration's constant in place of the variable:\n" << c;
}

TEST(CScalarTest, ParallelLoopIsOpenMP) {
  std::string c = ExpectCMatches(R"(
kernel @scale(%x: f32[256, 64]) -> (%y: f32[256, 64]) {
  parallel for i in 0..256 {
    parallel for j in 0..64 {
      %y[i, j] = %x[i, j] * 3.0 + cast<f32>(i)
    }
  }
})");
  size_t pragma = c.find("#pragma omp parallel for");
  ASSERT_NE(pragma, std::string::npos) << c;
  EXPECT_LT(pragma, c.find("for (int32_t i = 0")) << "the pragma comes right before the loop:\n" << c;
  EXPECT_EQ(c.find("#pragma omp parallel for", pragma + 1), std::string::npos)
      << "a parallel loop inside another runs serially (OpenMP does not nest by default):\n" << c;
  // Too little work to pay for a fork and join: ParallelPragma (given) says so in a comment.
  c = ExpectCMatches(R"(
kernel @small(%x: f32[8, 8]) -> (%y: f32[8, 8]) {
  parallel for i in 0..8 {
    for j in 0..8 {
      %y[i, j] = %x[i, j] + 1.0
    }
  }
})");
  EXPECT_EQ(c.find("#pragma omp"), std::string::npos) << c;
}

TEST(CModuleTest, HostWithArenaViewsAndCalls) {
  ExpectCMatches(R"(
const %w: f32[4] = [0.5, -1.0, 2.0, 0.25]

kernel @scale(%x: f32[4, 4], %v: f32[4]) -> (%y: f32[4, 4]) {
  for i in 0..4 {
    for j in 0..4 {
      %y[i, j] = %x[i, j] * %v[j]
    }
  }
}

kernel @sum_rows(%y: f32[4, 4]) -> (%s: f32[4]) {
  for i in 0..4 {
    %s[i] = 0.0
    for j in 0..4 {
      %s[i] = %s[i] + %y[i, j]
    }
  }
}

kernel @add(%a: f32[4], %b: f32[4]) -> (%c: f32[4]) {
  for i in 0..4 {
    %c[i] = %a[i] + %b[i]
  }
}

func @model(%x: f32[4, 4]) -> (%out: f32[4]) {
  allocate %arena: i8[128]
  view %y: f32[4, 4] = %arena[0]
  call @scale(%x, %w, %y)
  view %s: f32[4] = %arena[64]
  call @sum_rows(%y, %s)
  view %s2: f32[4] = %arena[0]
  call @sum_rows(%y, %s2)
  call @add(%s, %s2, %out)
}
)");
}

TEST(CModuleTest, AKernelAsTheEntryWhenTheHostComesFirst) {
  loops::Module module = ParseLoops(R"(
func @model(%x: f32[4]) -> (%z: f32[4]) {
  allocate %t: f32[4]
  call @fabsf(%x, %t)
  call @k(%t, %z)
}

kernel @fabsf(%a: f32[4]) -> (%b: f32[4]) {
  for i in 0..4 {
    %b[i] = abs(%a[i])
  }
}

kernel @k(%p: f32[4]) -> (%q: f32[4]) {
  for i in 0..4 {
    %q[i] = %p[i] + 1.0
  }
}

kernel @k_packed(%p: f32[4]) -> (%q: f32[4]) {
  for i in 0..4 {
    %q[i] = %p[i] * 2.0
  }
}
)");
  const loops::Function* k = module.FindFunction("k");
  ASSERT_NE(k, nullptr);
  std::vector<Tensor> inputs = SeededInputs(*k, 3);
  std::string error;
  auto expected = loops::RunFunction(module, *k, inputs, &error);
  ASSERT_TRUE(expected) << error;
  // The host calls kernels defined after it (prototypes), a kernel may be named like a C
  // library function, and k's own NAME_packed entry point is not @k_packed.
  auto actual = CompileAndRun(Render(module, "k"), *k, inputs);
  ASSERT_TRUE(actual);
  EXPECT_TRUE(CompareTensors(actual->front(), expected->front()).equal);
}

TEST(CModuleTest, NamesThatAreNotCIdentifiers) {
  std::string c = ExpectCMatches(R"(
kernel @div(%int: f32[3], %0: f32[3], %int32_t: f32[3]) -> (%for: f32[3]) {
  for i.1 in 0..3 {
    let linux = i.1
    %for[linux] = %int[i.1] + %0[i.1] + %int32_t[i.1]
  }
})");
  EXPECT_EQ(c.find("float *for"), std::string::npos) << c;
}

}  // namespace
}  // namespace tessel::lab06
