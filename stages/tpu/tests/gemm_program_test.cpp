// A hand-written TPU program: C = act(A @ B) for 32x32x32 on a 16x16 array, checked
// against a plain C++ GEMM in int8 (requantized) and f32. This is the mapping lab06
// automates: 2x2 output tiles of 16x16, each the sum of 2 K tiles of 16.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "stages/tpu/tests/tpu_test_util.h"

namespace tessel::tpu {
namespace {

// DRAM: A (32x32, row-major) at 0x0, B (32x32, K x N) at 0x1000, C at 0x2000;
// $S is the DRAM row stride in bytes (32 for int8, 128 for f32). On chip, A sits at
// ub[0] and B at wb[0], both 32 elements a row; C is assembled at ub[1024].
// Accumulator rows: C[0:16,0:16] at acc[0], C[16:32,0:16] at acc[16],
// C[0:16,16:32] at acc[32], C[16:32,16:32] at acc[48].
constexpr const char* kGemm = R"(config dataflow=ws, dtype=$DTYPE
load ub[0], dram[0x0], rows=32, cols=32, stride=$S                ; A
load wb[0], dram[0x1000], rows=32, cols=32, stride=$S, push_next  ; B, then tell execute
; output columns 0-15: K tile 0 then K tile 1, both row tiles per weight tile
loadw wb[0], rows=16, cols=16, stride=32, pop_prev                ; B[0:16, 0:16]
matmul acc[0], ub[0], rows=16, stride=32, swap                    ; A[0:16, 0:16]
matmul acc[16], ub[512], rows=16, stride=32                       ; A[16:32, 0:16]
loadw wb[512], rows=16, cols=16, stride=32                        ; B[16:32, 0:16]
matmul acc[0], ub[16], rows=16, stride=32, swap, accumulate       ; A[0:16, 16:32]
matmul acc[16], ub[528], rows=16, stride=32, accumulate           ; A[16:32, 16:32]
; output columns 16-31
loadw wb[16], rows=16, cols=16, stride=32                         ; B[0:16, 16:32]
matmul acc[32], ub[0], rows=16, stride=32, swap
matmul acc[48], ub[512], rows=16, stride=32
loadw wb[528], rows=16, cols=16, stride=32                        ; B[16:32, 16:32]
matmul acc[32], ub[16], rows=16, stride=32, swap, accumulate
matmul acc[48], ub[528], rows=16, stride=32, accumulate
; activations: columns 0-15 with $ACT0, columns 16-31 with relu and $ACT1
act ub[1024], acc[0], rows=32, cols=16, stride=32, $ACT0
act ub[1040], acc[32], rows=32, cols=16, stride=32, func=relu, $ACT1, push_next
store dram[0x2000], ub[1024], rows=32, cols=32, stride=$S, pop_prev, push_prev
halt pop_next                                                     ; after the store
)";

std::string Instantiate(std::string text, const std::string& dtype, int stride,
                        const std::string& act0, const std::string& act1) {
  auto replace = [&](const std::string& key, const std::string& value) {
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
      text.replace(at, key.size(), value);
    }
  };
  replace("$DTYPE", dtype);
  replace("$S", std::to_string(stride));
  replace("$ACT0", act0);
  replace("$ACT1", act1);
  return text;
}

constexpr int kN = 32;

// round(a * mult / 2^shift), halves away from zero, saturated: the ACT int8 rule.
int8_t Requantize(int32_t a, int32_t mult, int shift, bool relu) {
  if (relu) a = std::max(a, 0);
  double scaled = std::round(double(a) * mult / double(int64_t{1} << shift));
  return static_cast<int8_t>(std::clamp(scaled, -128.0, 127.0));
}

TEST(GemmProgramTest, Int8GemmWithRequantizationMatchesPlainCpp) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> value(-20, 20);
  std::vector<int8_t> a(kN * kN), b(kN * kN);
  for (int8_t& x : a) x = static_cast<int8_t>(value(rng));
  for (int8_t& x : b) x = static_cast<int8_t>(value(rng));
  std::vector<uint8_t> dram(0x3000);
  PutDram(dram, 0x0, a);
  PutDram(dram, 0x1000, b);
  FunctionalSim sim(TpuTarget::Default16x16());
  std::string program = Instantiate(kGemm, "int8", kN, "mult=3, shift=4", "mult=5, shift=6");
  ASSERT_EQ(RunText(sim, program, dram), "");
  std::vector<int8_t> c = GetDram<int8_t>(dram, 0x2000, kN * kN);
  int saturated = 0;
  for (int i = 0; i < kN; ++i) {
    for (int j = 0; j < kN; ++j) {
      int32_t sum = 0;
      for (int k = 0; k < kN; ++k) sum += a[i * kN + k] * b[k * kN + j];
      int8_t want = j < 16 ? Requantize(sum, 3, 4, false) : Requantize(sum, 5, 6, true);
      ASSERT_EQ(c[i * kN + j], want) << "C[" << i << "][" << j << "], int32 sum " << sum;
      saturated += want == 127 || want == -128;
    }
  }
  EXPECT_GT(saturated, 0);  // the data exercises saturation too
  EXPECT_LT(saturated, kN * kN / 2);
  EXPECT_EQ(sim.counters().macs, 8 * 16 * 16 * 16);
  EXPECT_EQ(sim.counters().weight_tiles, 4);
  EXPECT_EQ(sim.counters().dram_bytes_read, 2 * kN * kN);
  EXPECT_EQ(sim.counters().dram_bytes_written, kN * kN);
  EXPECT_EQ(sim.counters().tokens_left, 0);
}

TEST(GemmProgramTest, F32GemmMatchesPlainCpp) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::vector<float> a(kN * kN), b(kN * kN);
  for (float& x : a) x = value(rng);
  for (float& x : b) x = value(rng);
  std::vector<uint8_t> dram(0x3000);
  PutDram(dram, 0x0, a);
  PutDram(dram, 0x1000, b);
  FunctionalSim sim(TpuTarget::Default16x16());
  std::string program = Instantiate(kGemm, "f32", kN * 4, "scale=0.5", "scale=2");
  ASSERT_EQ(RunText(sim, program, dram), "");
  EXPECT_EQ(sim.dtype(), TpuDType::kF32);
  std::vector<float> c = GetDram<float>(dram, 0x2000, kN * kN);
  for (int i = 0; i < kN; ++i) {
    for (int j = 0; j < kN; ++j) {
      double sum = 0;
      for (int k = 0; k < kN; ++k) sum += double(a[i * kN + k]) * b[k * kN + j];
      double want = j < 16 ? sum * 0.5 : std::max(sum, 0.0) * 2;
      ASSERT_NEAR(c[i * kN + j], want, 1e-5) << "C[" << i << "][" << j << "]";
    }
  }
}

}  // namespace
}  // namespace tessel::tpu
