// lab06 task t4, double buffering with tokens: the software pipeline of MapGemm.
//  * the loads of fold f + 1 are issued before fold f's LOADW and MATMUL, into the other
//    weight slot, so that the transfer overlaps the compute;
//  * the tokens make that safe: the race checker (lab06_race_check.h) finds any two
//    instructions of different queues that touch the same buffer elements and that no
//    chain of queue order and tokens orders; none may be left, and every token pushed
//    must be popped;
//  * in the timing simulator's pipelined mode, two weight slots make a GEMM much faster
//    than one, and within 10% of the reference's cycles. Deterministic counts only.
#include <gtest/gtest.h>

#include <array>

#include "lab06_backends/tests/lab06_race_check.h"
#include "lab06_backends/tests/lab06_test_util.h"

namespace tessel::tpu::lab06 {
namespace {

// Maps, checks the output, the tokens left and the races of one GEMM; "" when all is well.
std::string CheckPipelined(const TpuTarget& target, const GemmProblem& p, uint32_t seed = 1) {
  FunctionalCounters counters;
  std::string error = CheckGemm(target, p, seed, &counters);
  if (!error.empty()) return error;
  std::vector<Instr> program = MapGemm(target, p);
  if (counters.tokens_left != 0) {
    return std::to_string(counters.tokens_left) + " token(s) pushed and never popped\n" +
           Listing(program, 60);
  }
  error = CheckNoRaces(program, ElementBytes(p.dtype));
  return error.empty() ? "" : error + "\nprogram:\n" + Listing(program, 60);
}

TEST(GemmPipelineTest, EveryTokenPushedIsPopped) {
  FunctionalCounters counters;
  ASSERT_EQ(CheckGemm(Array(8, 8), GemmOf(40, 24, 40), 1, &counters), "");
  EXPECT_EQ(counters.tokens_left, 0) << "a push with no matching pop: check the first and the "
                                        "last two folds and outputs";
  EXPECT_EQ(CheckPipelined(Array(8, 8), GemmOf(40, 24, 40)), "");
}

TEST(GemmPipelineTest, NoRaceBetweenTheQueues) {
  for (auto [size, m, k, n] : {std::array<int64_t, 4>{8, 64, 64, 64},
                               {8, 37, 29, 21},
                               {4, 3, 10, 9},
                               {16, 100, 70, 40},
                               {8, 5, 8, 24}}) {
    EXPECT_EQ(CheckPipelined(Array(uint32_t(size), uint32_t(size)), GemmOf(m, k, n)), "")
        << m << "x" << k << "x" << n << " on " << size << "x" << size;
  }
  EXPECT_EQ(CheckPipelined(Array(4, 4), GemmOf(23, 45, 19, TpuDType::kF32)), "");
}

TEST(GemmPipelineTest, NoRaceWhenMIsSplit) {
  // Chunk c + 2 reuses chunk c's A half: its LOAD must wait for chunk c's last MATMUL.
  EXPECT_EQ(CheckPipelined(SmallBuffers(), GemmOf(200, 64, 20)), "");
  EXPECT_EQ(CheckPipelined(SmallBuffers(), GemmOf(65, 8, 8, TpuDType::kF32)), "");
}

TEST(GemmPipelineTest, OneWeightSlotIsSerialButSafe) {
  // A weight buffer of one tile (and its scratch element): every LOAD of B waits for
  // the MATMUL before it, and the program is still correct and free of races.
  TpuTarget one_slot = Array(8, 8);
  one_slot.weight_buffer_bytes = 8 * 8 + 1;
  EXPECT_EQ(CheckPipelined(one_slot, GemmOf(30, 20, 20)), "");
  std::vector<Instr> program = MapGemm(one_slot, GemmOf(30, 20, 20));
  for (const Instr& in : program) {
    if (in.op == Opcode::kLoad && in.mem == int64_t(MemSpace::kWeight)) {
      EXPECT_EQ(in.sram, 1) << "one slot, at wb[1]: " << Disassemble(in);
    }
  }
}

TEST(GemmPipelineTest, AccumulatorsTooSmallForTwoHalves) {
  // 40 rows fit the 64 accumulator rows once but not twice: both outputs use row 0,
  // and ACT and the next output's MATMUL take turns.
  TpuTarget target = SmallBuffers();
  EXPECT_EQ(CheckPipelined(target, GemmOf(40, 16, 24)), "");
  Time(target, MapGemm(target, GemmOf(40, 16, 24)), TimingMode::kPipelined);
}

TEST(GemmPipelineTest, StoresFreeTheirHalfForTheActTwoLater) {
  // 5 outputs: ACT 2, 3 and 4 wait for STORE 0, 1 and 2; the last STORE pushes for the
  // barrier; STORE 3, the second to last, has nobody to free its half for.
  std::vector<Instr> program = MapGemm(Array(8, 8), GemmOf(40, 24, 40));
  std::vector<bool> act_pops, store_pushes;
  for (const Instr& in : program) {
    if (in.op == Opcode::kAct) act_pops.push_back(in.deps.pop_next);
    if (in.op == Opcode::kStore) store_pushes.push_back(in.deps.push_prev);
  }
  EXPECT_EQ(act_pops, (std::vector<bool>{false, false, true, true, true})) << Listing(program, 60);
  EXPECT_EQ(store_pushes, (std::vector<bool>{true, true, true, false, true}))
      << Listing(program, 60);
}

// The loads of fold f + 1 must be issued before fold f's MATMUL, into the other slot.
TEST(GemmPipelineTest, NextWeightTileIsLoadedBeforeTheCurrentMatmul) {
  std::vector<Instr> program = MapGemm(Array(8, 8), GemmOf(16, 32, 16));
  int64_t weight_loads = 0, matmuls = 0;
  for (const Instr& in : program) {
    if (in.op == Opcode::kLoad && in.mem == int64_t(MemSpace::kWeight)) ++weight_loads;
    if (in.op == Opcode::kMatmul) {
      ++matmuls;
      EXPECT_GE(weight_loads, std::min<int64_t>(matmuls + 1, 8))
          << "MATMUL " << matmuls << " is issued before the next weight tile's LOAD\n"
          << Listing(program, 60);
    }
  }
}

// Pipelined timing on the default 16x16 machine. With one weight slot (a weight buffer
// of one R x C tile) every tile's LOAD must wait until the previous MATMUL is done; with
// two, the tokens let it run during that MATMUL. Same program shape, same work.
TEST(GemmPipelineTest, DoubleBufferingOverlapsLoadsWithCompute) {
  TpuTarget two_slots = TpuTarget::Default16x16();
  TpuTarget one_slot = two_slots;
  one_slot.weight_buffer_bytes = 16 * 16 + 1;  // one tile and its scratch element
  GemmProblem p = GemmOf(64, 256, 256);
  TimingCounters fast = Time(two_slots, MapGemm(two_slots, p), TimingMode::kPipelined);
  TimingCounters slow = Time(one_slot, MapGemm(one_slot, p), TimingMode::kPipelined);
  EXPECT_EQ(fast.macs, slow.macs);
  // The reference: 18488 cycles with two slots, 33608 with one (16384 of them streaming).
  EXPECT_LT(double(fast.cycles), 0.7 * double(slow.cycles))
      << "two slots: " << fast.cycles << " cycles, one slot: " << slow.cycles;
  EXPECT_LE(fast.cycles, 18488 * 11 / 10) << "more than 10% slower than the reference's 18488";
}

}  // namespace
}  // namespace tessel::tpu::lab06
