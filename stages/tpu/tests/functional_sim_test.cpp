// Unit tests of the functional simulator (functional_sim.cpp, functional_compute.cpp):
// LOAD padding, ACT rounding and saturation, partial weight tiles, token checking,
// and every out-of-range access reported with the instruction it came from.
#include <gtest/gtest.h>

#include "stages/tpu/tests/tpu_test_util.h"

namespace tessel::tpu {
namespace {

TEST(FunctionalSimTest, LoadPadsWithZerosAroundTheBlock) {
  // DRAM holds a 4x8 int8 matrix; load its 2x3 block at (1, 2) with pad=1,2,1,0.
  std::vector<uint8_t> dram(64);
  for (int i = 0; i < 32; ++i) dram[i] = static_cast<uint8_t>(i + 1);
  FunctionalSim sim(TpuTarget::Default16x16());
  ASSERT_EQ(
      RunText(sim, "load ub[100], dram[10], rows=2, cols=3, stride=8, pad=1,2,1,0\nhalt\n", dram),
      "");
  // The block is (1+2+2) x (1+3+0) = 5 x 4, dense at ub[100].
  const int want[5][4] = {
      {0, 0, 0, 0}, {0, 11, 12, 13}, {0, 19, 20, 21}, {0, 0, 0, 0}, {0, 0, 0, 0}};
  for (int r = 0; r < 5; ++r) {
    for (int c = 0; c < 4; ++c) {
      EXPECT_EQ(sim.unified_buffer()[100 + r * 4 + c], want[r][c]) << r << "," << c;
    }
  }
  EXPECT_EQ(sim.counters().dram_bytes_read, 6);  // padding is not read
}

TEST(FunctionalSimTest, PaddingOverwritesStaleData) {
  std::vector<uint8_t> dram(64, 9);
  FunctionalSim sim(TpuTarget::Default16x16());
  ASSERT_EQ(RunText(sim,
                    "load ub[0], dram[0], rows=4, cols=4, stride=4\n"
                    "load ub[0], dram[0], rows=1, cols=1, stride=1, pad=0,3,0,3\nhalt\n",
                    dram),
            "");
  EXPECT_EQ(sim.unified_buffer()[0], 9);
  for (int i = 1; i < 16; ++i) EXPECT_EQ(sim.unified_buffer()[i], 0) << i;
}

TEST(FunctionalSimTest, ActRoundsHalfAwayFromZeroAndSaturates) {
  // A 1x1 weight of 1 passes activations straight into the accumulator.
  std::vector<uint8_t> dram = {1, 5, static_cast<uint8_t>(-5), 7, static_cast<uint8_t>(-128), 127,
                               0, 0};
  FunctionalSim sim(TpuTarget::Default16x16());
  ASSERT_EQ(RunText(sim, R"(load wb[0], dram[0], rows=1, cols=1, stride=1
load ub[0], dram[1], rows=5, cols=1, stride=1
loadw wb[0], rows=1, cols=1, stride=1
matmul acc[0], ub[0], rows=5, stride=1, swap
act ub[100], acc[0], rows=5, cols=1, stride=1, mult=1, shift=1
act ub[200], acc[0], rows=5, cols=1, stride=1, mult=3
halt
)",
                    dram),
            "");
  const std::vector<int8_t> halves = {3, -3, 4, -64, 64};        // 2.5, -2.5, 3.5, -64, 63.5
  const std::vector<int8_t> tripled = {15, -15, 21, -128, 127};  // saturated at the ends
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(static_cast<int8_t>(sim.unified_buffer()[100 + i]), halves[i]) << i;
    EXPECT_EQ(static_cast<int8_t>(sim.unified_buffer()[200 + i]), tripled[i]) << i;
  }
  EXPECT_EQ(sim.AccBits(1, 0), static_cast<uint32_t>(-5));
  EXPECT_EQ(sim.AccBits(1, 1), 0u);  // columns beyond the tile get zero weights
}

TEST(FunctionalSimTest, AccumulateAddsAndOverwriteReplaces) {
  std::vector<uint8_t> dram = {2, 3};
  FunctionalSim sim(TpuTarget::Default16x16());
  ASSERT_EQ(RunText(sim, R"(load wb[0], dram[0], rows=1, cols=1, stride=1
load ub[0], dram[1], rows=1, cols=1, stride=1
loadw wb[0], rows=1, cols=1, stride=1
matmul acc[7], ub[0], rows=1, stride=1, swap
matmul acc[7], ub[0], rows=1, stride=1, accumulate
matmul acc[8], ub[0], rows=1, stride=1, accumulate
matmul acc[8], ub[0], rows=1, stride=1
halt
)",
                    dram),
            "");
  EXPECT_EQ(sim.AccBits(7, 0), 12u);
  EXPECT_EQ(sim.AccBits(8, 0), 6u);
}

// A program that must fail, and the message it must fail with.
struct BadProgram {
  const char* text;
  const char* error;
};

TEST(FunctionalSimTest, ReportsErrorsNamingTheInstruction) {
  const BadProgram cases[] = {
      {"loadw wb[0], rows=1, cols=1, stride=1, pop_prev\nhalt\n",
       "instruction 0 (loadw wb[0], rows=1, cols=1, stride=1, pop_prev): deadlock: pop_prev waits "
       "for a load -> execute token that no earlier instruction pushed"},
      {"halt\nhalt pop_next\n", ""},  // stops at the first halt
      {"sync queue=load\nsync queue=store, pop_prev\nhalt\n",
       "instruction 1 (sync queue=store, pop_prev): deadlock: pop_prev waits for a execute -> "
       "store token that no earlier instruction pushed"},
      {"load ub[262140], dram[0], rows=1, cols=8, stride=8\nhalt\n",
       "instruction 0 (load ub[262140], dram[0x0], rows=1, cols=8, stride=8): unified buffer "
       "access [262140, 262148) is out of range: it holds 262144 elements"},
      {"load wb[0], dram[0x3c], rows=2, cols=4, stride=4\nhalt\n",
       "instruction 0 (load wb[0], dram[0x3c], rows=2, cols=4, stride=4): dram access [60, 68) is "
       "out of range: it holds 64 bytes"},
      {"store dram[0], ub[0], rows=2, cols=4, stride=64\nhalt\n",
       "instruction 0 (store dram[0x0], ub[0], rows=2, cols=4, stride=64): dram access [0, 68) is "
       "out of range: it holds 64 bytes"},
      {"loadw wb[0], rows=17, cols=1, stride=1\nhalt\n",
       "instruction 0 (loadw wb[0], rows=17, cols=1, stride=1): a 17x1 weight tile does not fit "
       "the 16x16 array"},
      {"matmul acc[0], ub[0], rows=1, stride=1\nhalt\n",
       "instruction 0 (matmul acc[0], ub[0], rows=1, stride=1): matmul before any weights were "
       "swapped in (use swap)"},
      {"loadw wb[0], rows=1, cols=1, stride=1\nmatmul acc[0], ub[0], rows=1, stride=1, swap\n"
       "matmul acc[0], ub[0], rows=1, stride=1, swap\nhalt\n",
       "instruction 2 (matmul acc[0], ub[0], rows=1, stride=1, swap): swap without a loadw since "
       "the last swap"},
      {"loadw wb[0], rows=1, cols=1, stride=1\nmatmul acc[2040], ub[0], rows=9, stride=1, swap\n"
       "halt\n",
       "instruction 1 (matmul acc[2040], ub[0], rows=9, stride=1, swap): accumulator access "
       "[2040, 2049) is out of range: it holds 2048 rows"},
      {"act ub[0], acc[0], rows=1, cols=17, stride=1\nhalt\n",
       "instruction 0 (act ub[0], acc[0], rows=1, cols=17, stride=1): cols=17 is wider than an "
       "accumulator row (16)"},
      {"loadw wb[0], rows=1, cols=1, stride=1\nconfig dataflow=ws, dtype=f32\n"
       "matmul acc[0], ub[0], rows=1, stride=1, swap\nhalt\n",
       "instruction 2 (matmul acc[0], ub[0], rows=1, stride=1, swap): the active weights were "
       "loaded in another dtype"},
      {"sync queue=execute\n", "the program ends without halt after 1 instructions"},
  };
  for (const BadProgram& c : cases) {
    std::vector<uint8_t> dram(64);
    FunctionalSim sim(TpuTarget::Default16x16());
    EXPECT_EQ(RunText(sim, c.text, dram), c.error) << "program:\n" << c.text;
  }
}

TEST(FunctionalSimTest, F32ModeUsesFourByteElements) {
  std::vector<uint8_t> dram(64);
  PutDram(dram, 0, std::vector<float>{1.5f, -2.0f});
  FunctionalSim sim(TpuTarget::Default16x16());
  ASSERT_EQ(RunText(sim,
                    "config dataflow=os, dtype=f32\nload ub[65535], dram[0], rows=1, cols=1, "
                    "stride=4\nload ub[65536], dram[0], rows=1, cols=1, stride=4\nhalt\n",
                    dram),
            "instruction 2 (load ub[65536], dram[0x0], rows=1, cols=1, stride=4): unified buffer "
            "access [65536, 65537) is out of range: it holds 65536 elements");
  EXPECT_EQ(sim.dataflow(), Dataflow::kOutputStationary);
}

TEST(FunctionalSimTest, CountsTokensLeftOver) {
  std::vector<uint8_t> dram(64);
  FunctionalSim sim(TpuTarget::Default16x16());
  ASSERT_EQ(RunText(sim, "sync queue=load, push_next\nsync queue=execute, push_next\nhalt\n", dram),
            "");
  EXPECT_EQ(sim.counters().tokens_left, 2);
  EXPECT_EQ(sim.counters().instructions, 3);
}

TEST(FunctionalSimTest, RejectsInvalidInstructionsBuiltInCode) {
  Instr load = MakeInstr(Opcode::kLoad);  // rows = cols = 0
  std::vector<uint8_t> dram(64);
  FunctionalSim sim(TpuTarget::Default16x16());
  std::string error;
  EXPECT_FALSE(sim.Run({load}, dram, &error));
  EXPECT_EQ(error, "instruction 0: load: rows must be at least 1");
}

}  // namespace
}  // namespace tessel::tpu
