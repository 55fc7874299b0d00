// lab06.t7: vectorized loops as vector code (lab06_backends/README.md §9.3). The tests render
// with 32-byte vectors (8 f32 lanes), compare the compiled C with the interpreter, and check
// which vector form each access took.
#include <cmath>
#include <limits>

#include "lab06_backends/tests/lab06_c_test_util.h"

namespace tessel::lab06 {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(CVectorTest, ContiguousLoadsAndStoresAreVectors) {
  std::string c = ExpectCMatches(R"(
kernel @axpy(%x: f32[4, 32], %y: f32[4, 32]) -> (%z: f32[4, 32]) {
  for i in 0..4 {
    for jo in 0..4 {
      vectorized for jv in 0..8 {
        %z[i, jo * 8 + jv] = %x[i, jo * 8 + jv] * 2.0 + %y[i, jo * 8 + jv]
      }
    }
  }
})");
  EXPECT_NE(c.find("tsl_loadu_f32x8(&x["), std::string::npos) << c;
  EXPECT_NE(c.find("tsl_storeu_f32x8(&z["), std::string::npos) << c;
  EXPECT_NE(c.find("jv += 8"), std::string::npos) << "the vector loop steps by the lanes:\n" << c;
}

TEST(CVectorTest, InvariantValuesAreBroadcast) {
  std::string c = ExpectCMatches(R"(
kernel @outer(%a: f32[8], %b: f32[16]) -> (%c: f32[8, 16]) {
  for i in 0..8 {
    vectorized for j in 0..16 {
      %c[i, j] = %a[i] * %b[j] + cast<f32>(i)
    }
  }
})");
  EXPECT_NE(c.find("tsl_bcast_f32x8(a[i])"), std::string::npos) << c;
}

TEST(CVectorTest, StridedLoadsAreGathered) {
  std::string c = ExpectCMatches(R"(
kernel @transpose(%x: f32[8, 8]) -> (%y: f32[8, 8]) {
  for i in 0..8 {
    vectorized for j in 0..8 {
      %y[i, j] = %x[j, i] + %x[i, j / 2]
    }
  }
})");
  EXPECT_NE(c.find("(tsl_f32x8){"), std::string::npos) << "loads not at stride 1 are gathered lane by lane:\n" << c;
}

TEST(CVectorTest, TailWhenTheExtentIsNotAMultiple) {
  std::string c = ExpectCMatches(R"(
kernel @shift(%x: f32[3, 13]) -> (%y: f32[3, 13]) {
  for i in 0..3 {
    vectorized for j in 0..13 {
      %y[i, j] = %x[i, j] - 1.0
    }
  }
})");
  EXPECT_NE(c.find("j < 8; j += 8"), std::string::npos) << "one vector of 8, then the tail:\n" << c;
  EXPECT_NE(c.find("j = 8; j < 13; ++j"), std::string::npos) << c;
}

TEST(CVectorTest, ReductionIntoAVectorAccumulator) {
  std::string c = ExpectCMatches(R"(
kernel @rowsum(%x: f32[4, 37]) -> (%s: f32[4]) {
  for i in 0..4 {
    %s[i] = 0.0
    vectorized for k in 0..37 {
      %s[i] = %s[i] + %x[i, k] * %x[i, k]
    }
  }
})");
  EXPECT_NE(c.find("tsl_hsum_f32x8("), std::string::npos) << c;
  // Every lane adds, even a term that does not depend on the lane: a count.
  ExpectCMatches(R"(
kernel @count(%x: f32[4, 16]) -> (%n: f32[4]) {
  for i in 0..4 {
    %n[i] = 0.0
    vectorized for k in 0..16 {
      %n[i] = %n[i] + 1.0
    }
  }
})", {}, true);
}

TEST(CVectorTest, AlignedAccessOnlyWhenProvable) {
  std::string c = ExpectCMatches(R"(
kernel @packed(%x: f32[16, 16]) -> (%y: f32[16, 16]) {
  allocate %p: f32[16, 16]
  for i in 0..16 {
    vectorized for j in 0..16 {
      %p[i, j] = %x[i, j] * 0.5
    }
  }
  for r in 0..16 {
    vectorized for c in 0..8 {
      %y[r, c + 1] = %p[r, c] + %p[r, c + 1]
    }
    %y[r, 0] = 0.0
    vectorized for c2 in 0..7 {
      %y[r, c2 + 9] = %p[r, c2 + 9]
    }
  }
})");
  EXPECT_NE(c.find("tsl_store_f32x8(&p["), std::string::npos)
      << "the kernel's own scratch is 64-byte aligned: an aligned store at a multiple of 8:\n" << c;
  EXPECT_NE(c.find("tsl_load_f32x8(&p[r * 16 + c])"), std::string::npos) << c;
  EXPECT_NE(c.find("tsl_loadu_f32x8(&p[r * 16 + c + 1])"), std::string::npos)
      << "an offset that is not a multiple of the lanes needs an unaligned load:\n" << c;
  EXPECT_EQ(c.find("tsl_load_f32x8(&x["), std::string::npos)
      << "a parameter's alignment is unknown: unaligned loads only:\n" << c;
}

TEST(CVectorTest, MathAndSelectsOnVectors) {
  std::vector<double> xs;
  for (int i = 0; i < 16; ++i) xs.push_back(i % 5 == 0 ? kNaN : (i - 8) * 0.37);
  std::string c = ExpectCMatches(R"(
kernel @act(%x: f32[16]) -> (%y: f32[16, 3]) {
  for r in 0..3 {
    vectorized for i in 0..16 {
      %y[i, r] = select(%x[i] > 0.0, exp(-(%x[i])), maximum(%x[i], -1.0)) + relu(%x[i]) * cast<f32>(r)
    }
  }
})", {TensorOf(DType::kF32, {16}, xs)}, true);
  EXPECT_NE(c.find("tsl_select_f32x8("), std::string::npos) << c;
  EXPECT_NE(c.find("tsl_max_f32x8("), std::string::npos) << c;
}

TEST(CVectorTest, IntegerVectorsAndLaneIndices) {
  ExpectCMatches(R"(
kernel @iota(%a: i32[24]) -> (%y: i32[24], %f: f32[24]) {
  vectorized for i in 0..24 {
    %y[i] = %a[i] * 3 + i - floor_div(%a[i], 2)
    %f[i] = cast<f32>(i) * 0.5 + cast<f32>(%a[i])
  }
})", {}, true);
}

TEST(CVectorTest, IntegerLanesWrapAndBoolsCompareAsBools) {
  Tensor a = TensorOf(DType::kI32, {8}, {2147483647, 1, -2147483648.0, 5, 2147483647, -7, 0, 3});
  Tensor x = TensorOf(DType::kF32, {8}, {1, -1, 2, -2, 0.5, -0.5, 3, -3});
  ExpectCMatches(R"(
kernel @lanes(%a: i32[8], %x: f32[8]) -> (%y: i32[8], %z: f32[8]) {
  vectorized for v in 0..8 {
    %y[v] = select(%a[v] + 1 > %a[v], 1, 0) + %a[v] * 3 - -(%a[v])
    %z[v] = select((%x[v] > 0.0) < (cast<f32>(%a[v]) > 0.0), 1.0, 0.0)
  }
})", {a, x}, true);
}

TEST(CVectorTest, ScatteredStores) {
  ExpectCMatches(R"(
kernel @interleave(%x: f32[8], %y: f32[8]) -> (%z: f32[16]) {
  vectorized for i in 0..8 {
    %z[2 * i] = %x[i]
    %z[2 * i + 1] = %y[i]
  }
})");
}

TEST(CVectorTest, MicroKernelAccumulatorsLiveInVectorVariables) {
  // A 2x16 register tile: every access to %acc is one whole vector at an offset known once the
  // unrolled loops are, so the given FindVectorRegisters keeps it in acc_v0..acc_v3, and each
  // access must use them (VectorRegister) or the C compiler keeps the array in memory.
  std::string c = ExpectCMatches(R"(
kernel @tile(%a: f32[4, 8], %b: f32[8, 16]) -> (%c: f32[4, 16]) {
  for io in 0..2 {
    allocate %acc: f32[2, 16] local
    unrolled for i0 in 0..2 {
      unrolled for v0 in 0..2 {
        vectorized for l0 in 0..8 {
          %acc[i0, v0 * 8 + l0] = 0.0
        }
      }
    }
    for k in 0..8 {
      unrolled for ii in 0..2 {
        unrolled for jv in 0..2 {
          vectorized for jl in 0..8 {
            %acc[ii, jv * 8 + jl] = %acc[ii, jv * 8 + jl] + %a[io * 2 + ii, k] * %b[k, jv * 8 + jl]
          }
        }
      }
    }
    unrolled for i1 in 0..2 {
      unrolled for v1 in 0..2 {
        vectorized for l1 in 0..8 {
          %c[io * 2 + i1, v1 * 8 + l1] = relu(%acc[i1, v1 * 8 + l1])
        }
      }
    }
  }
})");
  EXPECT_NE(c.find("acc_v3 = (acc_v3 + "), std::string::npos) << c;
  EXPECT_EQ(c.find("&acc["), std::string::npos) << "no access may go through the array:\n" << c;
  // An access that is not one whole vector (an op rendered lane by lane reads its lanes one at
  // a time; an i8 store keeps the loop scalar) keeps the buffer an array.
  ExpectCMatches(R"(
kernel @mixed(%x: f32[8]) -> (%y: f32[8], %b: i8[8]) {
  allocate %acc: f32[8] local
  vectorized for v in 0..8 {
    %acc[v] = %x[v] * 2.0
  }
  vectorized for w in 0..8 {
    %y[w] = floor_mod(%acc[w], 3.0)
  }
  vectorized for u in 0..8 {
    %b[u] = cast<i8>(%acc[u])
  }
})");
}

TEST(CVectorTest, BodiesWithoutAVectorFormStillRun) {
  std::string c = ExpectCMatches(R"(
kernel @guarded(%x: f32[20]) -> (%y: f32[20], %b: bool[20]) {
  vectorized for i in 0..20 {
    if i < 13 {
      %y[i] = %x[i] + 1.0
    } else {
      %y[i] = %x[i]
    }
    %b[i] = %x[i] > 0.0
  }
})");
  EXPECT_NE(c.find("not vectorized"), std::string::npos)
      << "say in a comment why a vectorized loop stayed scalar:\n" << c;
  ExpectCMatches(R"(
kernel @tiny(%x: f32[2]) -> (%y: f32[2]) {
  vectorized for i in 0..2 {
    %y[i] = %x[i] * %x[i]
  }
})");
}

}  // namespace
}  // namespace tessel::lab06
