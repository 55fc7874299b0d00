// lab06's hidden GEMM tests (tasks t1 to t4): more inputs of the kinds the public tests
// use, chosen where a transcription of the rules without understanding them goes wrong:
// tiles of one row or one column, arrays far from square, negative multipliers, operands
// at odd DRAM addresses, K tiles many deep, M exactly at and just past the size that
// fits, the accumulators as the binding limit, f32 buffers that hold half as many
// elements, and weight buffers that hold two int8 tiles but only one f32 tile. Graded by
// exact outputs, counts, races and simulated cycles only. Not in the student release.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>

#include "lab06_backends/tests/lab06_race_check.h"
#include "lab06_backends/tests/lab06_test_util.h"
#include "stages/tpu/scalesim_model.h"

namespace tessel::tpu::lab06 {
namespace {

// Runs a GEMM with A, B and C at the given odd offsets past the usual layout.
std::string CheckGemmAtOddAddresses(const TpuTarget& target, GemmProblem p, uint32_t seed) {
  const int64_t e = ElementBytes(p.dtype);
  auto a = RandomElements(p.dtype, p.m * p.k, seed);
  auto b = RandomElements(p.dtype, p.k * p.n, seed + 1);
  std::vector<uint8_t> gap1(7, kGuard), gap2(13, kGuard), gap3(3, kGuard);
  DramImage image = LayOut({gap1, a, gap2, b, gap3}, p.m * p.n * e);
  p.a_dram = image.at[1];
  p.b_dram = image.at[3];
  p.c_dram = image.at[5];
  std::vector<uint8_t> dram = image.bytes;
  std::string error = RunProgram(target, MapGemm(target, p), dram);
  return error.empty() ? CheckOutput(image, dram, p.dtype, ReferenceGemm(p, a, b)) : error;
}

// ----- t1: one weight fold

TEST(HiddenGemmFoldTest, TallAndWideArraysWithOneTile) {
  EXPECT_EQ(CheckGemm(Array(32, 8), GemmOf(6, 30, 7)), "");
  EXPECT_EQ(CheckGemm(Array(2, 16), GemmOf(9, 2, 15)), "");
  EXPECT_EQ(CheckGemm(Array(16, 2), GemmOf(4, 11, 1, TpuDType::kF32)), "");
}

TEST(HiddenGemmFoldTest, OneRowOrOneColumnOfB) {
  EXPECT_EQ(CheckGemm(Array(8, 8), GemmOf(13, 1, 8)), "");  // k = 1
  EXPECT_EQ(CheckGemm(Array(8, 8), GemmOf(13, 8, 1)), "");  // n = 1
}

TEST(HiddenGemmFoldTest, NegativeMultiplierAndNoShift) {
  GemmProblem p = GemmOf(6, 5, 4);
  p.output = {false, -3, 5, 1.0f};
  EXPECT_EQ(CheckGemm(Array(8, 8), p, 21), "");
  p.output = {true, 1, 0, 1.0f};
  EXPECT_EQ(CheckGemm(Array(8, 8), p, 22), "");
}

TEST(HiddenGemmFoldTest, OperandsAtOddAddresses) {
  EXPECT_EQ(CheckGemmAtOddAddresses(Array(8, 8), GemmOf(5, 7, 3), 31), "");
  GemmProblem p = GemmOf(3, 4, 4, TpuDType::kF32);
  p.output.scale = -2.0f;
  EXPECT_EQ(CheckGemmAtOddAddresses(Array(4, 4), p, 32), "");
}

TEST(HiddenGemmFoldTest, CompatibleCyclesOfOneFold) {
  // One fold streams T = M rows: 2R + C + M - 2 cycles, minus one.
  for (auto [rows, cols, m] : {std::array<int64_t, 3>{8, 8, 1}, {4, 16, 33}, {16, 4, 7}}) {
    TpuTarget target = Array(uint32_t(rows), uint32_t(cols));
    TimingCounters counters =
        Time(target, MapGemm(target, GemmOf(m, rows, cols)), TimingMode::kCompatible);
    EXPECT_EQ(counters.cycles, 2 * rows + cols + m - 3) << rows << "x" << cols << ", M " << m;
  }
}

// ----- t2: tiling K and N

TEST(HiddenGemmTilingTest, OneMoreThanTheArray) {
  // The last K tile has one row, the last column tile one column.
  EXPECT_EQ(CheckGemm(Array(8, 8), GemmOf(9, 9, 9)), "");
  EXPECT_EQ(CheckGemm(Array(16, 16), GemmOf(17, 17, 17, TpuDType::kF32)), "");
}

TEST(HiddenGemmTilingTest, ManyKTilesAccumulate) {
  FunctionalCounters counters;
  ASSERT_EQ(CheckGemm(Array(4, 4), GemmOf(6, 101, 5), 41, &counters), "");
  EXPECT_EQ(counters.weight_tiles, 26 * 2);
  GemmProblem p = GemmOf(3, 130, 3, TpuDType::kF32);
  EXPECT_EQ(CheckGemm(Array(2, 2), p, 42), "");
}

TEST(HiddenGemmTilingTest, ThinArraysAndOddAddresses) {
  EXPECT_EQ(CheckGemm(Array(2, 32), GemmOf(7, 9, 70)), "");
  EXPECT_EQ(CheckGemm(Array(32, 2), GemmOf(7, 70, 9)), "");
  EXPECT_EQ(CheckGemmAtOddAddresses(Array(4, 4), GemmOf(10, 11, 13), 43), "");
  GemmProblem p = GemmOf(10, 11, 13, TpuDType::kF32);
  p.output.relu = true;
  EXPECT_EQ(CheckGemmAtOddAddresses(Array(8, 4), p, 44), "");
}

TEST(HiddenGemmTilingTest, OutputStationaryCompatibleCyclesOnFixedShapes) {
  for (auto [rows, cols, m, k, n] :
       {std::array<int64_t, 5>{8, 8, 64, 64, 64}, {32, 32, 64, 64, 64}, {4, 8, 19, 33, 17}}) {
    TpuTarget target = Array(uint32_t(rows), uint32_t(cols));
    target.dataflow = Dataflow::kOutputStationary;
    TimingCounters counters =
        Time(target, MapGemm(target, GemmOf(m, k, n)), TimingMode::kCompatible);
    ScaleSimReport expected = ScaleSimGemm({m, k, n}, rows, cols, Dataflow::kOutputStationary);
    EXPECT_EQ(counters.cycles, expected.total_cycles) << m << "x" << k << "x" << n;
  }
}

// ----- t3: splitting M into chunks

TEST(HiddenGemmChunkTest, ExactlyFitsAndOneRowMore) {
  // 4096 elements: M = 32, K = 112 fits exactly (3584 + 512); M = 33 does not
  // (4096 / (224 + 16) = 17 rows, 2 chunks of 17 and 16).
  const TpuTarget small = SmallBuffers();
  EXPECT_EQ(GemmChunkRows(small, TpuDType::kInt8, 32, 112), 32);
  EXPECT_EQ(GemmChunkRows(small, TpuDType::kInt8, 33, 112), 17);
  FunctionalCounters counters;
  ASSERT_EQ(CheckGemm(small, GemmOf(33, 112, 10), 51, &counters), "");
  EXPECT_EQ(counters.weight_tiles, 2 * 14 * 2);
}

TEST(HiddenGemmChunkTest, AccumulatorRowsDecide) {
  // A big unified buffer but 16 accumulator rows: chunks of at most 8 rows.
  TpuTarget target = Array(4, 4);
  target.accumulator_rows = 16;
  EXPECT_EQ(GemmChunkRows(target, TpuDType::kInt8, 16, 10), 16);
  EXPECT_EQ(GemmChunkRows(target, TpuDType::kInt8, 17, 10), 6);  // 3 chunks of <= 8, evened
  FunctionalCounters counters;
  ASSERT_EQ(CheckGemm(target, GemmOf(17, 10, 6), 52, &counters), "");
  EXPECT_EQ(counters.weight_tiles, 3 * 3 * 2);
}

TEST(HiddenGemmChunkTest, F32HalvesTheRowsThatFit) {
  const TpuTarget small = SmallBuffers();
  EXPECT_EQ(GemmChunkRows(small, TpuDType::kInt8, 40, 40), 40);  // 1600 + 640 <= 4096
  EXPECT_EQ(GemmChunkRows(small, TpuDType::kF32, 40, 40), 10);   // 1024 / 96 = 10
  GemmProblem p = GemmOf(40, 40, 20, TpuDType::kF32);
  p.output.scale = 0.5f;
  EXPECT_EQ(CheckGemmAtOddAddresses(small, p, 53), "");
}

TEST(HiddenGemmChunkTest, ChunksOfOneRow) {
  // K = 1500 leaves room for one row per A half: 4096 / (3000 + 16) = 1.
  const TpuTarget small = SmallBuffers();
  EXPECT_EQ(GemmChunkRows(small, TpuDType::kInt8, 5, 1500), 1);
  EXPECT_EQ(GemmChunkRows(small, TpuDType::kInt8, 5, 1000), 2);  // 3 chunks: 2, 2, 1
  EXPECT_EQ(CheckGemm(small, GemmOf(5, 1500, 3), 54), "");
  EXPECT_EQ(CheckGemm(small, GemmOf(5, 1000, 3), 55), "");
}

// ----- t4: double buffering with tokens

std::string CheckSafe(const TpuTarget& target, const GemmProblem& p, uint32_t seed) {
  FunctionalCounters counters;
  std::string error = CheckGemm(target, p, seed, &counters);
  if (!error.empty()) return error;
  if (counters.tokens_left != 0) return std::to_string(counters.tokens_left) + " tokens left";
  return CheckNoRaces(MapGemm(target, p), ElementBytes(p.dtype));
}

TEST(HiddenGemmPipelineTest, NoRaceOnRandomShapes) {
  std::mt19937 rng(1982);
  auto pick = [&rng](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  for (int trial = 0; trial < 40; ++trial) {
    TpuTarget target = Array(uint32_t(pick(2, 12)), uint32_t(pick(2, 12)));
    if (trial % 2) {  // small buffers, so that M is often split
      target.unified_buffer_bytes = uint64_t(pick(600, 3000));
      target.accumulator_rows = uint32_t(pick(6, 60));
    }
    GemmProblem p =
        GemmOf(pick(1, 90), pick(1, 40), pick(1, 40), trial % 3 ? TpuDType::kInt8 : TpuDType::kF32);
    if (GemmChunkRows(target, p.dtype, p.m, p.k) == 0) continue;
    EXPECT_EQ(CheckSafe(target, p, uint32_t(trial)), "")
        << p.m << "x" << p.k << "x" << p.n << " on " << target.rows << "x" << target.cols
        << ", unified buffer " << target.unified_buffer_bytes << ", accumulator rows "
        << target.accumulator_rows;
    if (HasFailure()) return;
  }
}

TEST(HiddenGemmPipelineTest, SlotsDependOnTheElementSize) {
  // 516 bytes hold two int8 tiles of 8x8 (+ scratch) but only one f32 tile (129 elements).
  TpuTarget target = Array(8, 8);
  target.weight_buffer_bytes = 516;
  std::vector<Instr> f32 = MapGemm(target, GemmOf(10, 24, 16, TpuDType::kF32));
  for (const Instr& in : f32) {
    if (in.op == Opcode::kLoadW) {
      EXPECT_EQ(in.sram, 1) << "one f32 slot: " << Disassemble(in);
    }
  }
  EXPECT_EQ(CheckSafe(target, GemmOf(10, 24, 16, TpuDType::kF32), 61), "");
  EXPECT_EQ(CheckSafe(target, GemmOf(10, 24, 16), 62), "");
  std::vector<Instr> int8 = MapGemm(target, GemmOf(10, 24, 16));
  EXPECT_NE(std::count_if(int8.begin(), int8.end(),
                          [](const Instr& in) { return in.op == Opcode::kLoadW && in.sram != 1; }),
            0)
      << "two int8 slots fit: the second one is unused";
}

TEST(HiddenGemmPipelineTest, ChunkedOneSlotMachine) {
  TpuTarget target = SmallBuffers();
  target.weight_buffer_bytes = 65;
  EXPECT_EQ(CheckSafe(target, GemmOf(100, 40, 20), 63), "");
}

TEST(HiddenGemmPipelineTest, TwoBodiesBackToBack) {
  // AppendGemm's barrier lets a second body reuse every buffer of the first (as the
  // images of a convolution do): C2 = A2 * B2 right after C1 = A1 * B1.
  const TpuTarget target = Array(8, 8);
  GemmProblem first = GemmOf(20, 30, 17), second = GemmOf(9, 12, 40);
  auto a1 = RandomElements(first.dtype, first.m * first.k, 81);
  auto b1 = RandomElements(first.dtype, first.k * first.n, 82);
  auto a2 = RandomElements(second.dtype, second.m * second.k, 83);
  auto b2 = RandomElements(second.dtype, second.k * second.n, 84);
  std::vector<uint8_t> c1(size_t(first.m * first.n), kGuard);
  DramImage image = LayOut({a1, b1, a2, b2, c1}, second.m * second.n);
  first.a_dram = image.at[0];
  first.b_dram = image.at[1];
  second.a_dram = image.at[2];
  second.b_dram = image.at[3];
  first.c_dram = image.at[4];
  second.c_dram = image.at[5];
  auto loader = [](const GemmProblem& p) -> WeightTileLoader {
    return [p](const WeightTile& tile, int64_t wb_addr) {
      return std::vector<Instr>{
          MakeInstr(Opcode::kLoad, {{Field::kMem, int64_t(MemSpace::kWeight)},
                                    {Field::kSram, wb_addr},
                                    {Field::kDram, p.b_dram + tile.k0 * p.n + tile.n0},
                                    {Field::kRows, tile.k},
                                    {Field::kCols, tile.n},
                                    {Field::kStride, p.n}})};
    };
  };
  std::vector<Instr> program = {MakeInstr(Opcode::kConfig, {})};
  AppendGemm(target, first, loader(first), program);
  AppendGemm(target, second, loader(second), program);
  program.push_back(MakeInstr(Opcode::kHalt));
  std::vector<uint8_t> dram = image.bytes;
  FunctionalCounters counters;
  ASSERT_EQ(RunProgram(target, program, dram, &counters), "");
  EXPECT_EQ(counters.tokens_left, 0);
  for (const auto& [p, expected] : {std::pair{first, ReferenceGemm(first, a1, b1)},
                                    std::pair{second, ReferenceGemm(second, a2, b2)}}) {
    const std::vector<uint8_t> c(dram.begin() + p.c_dram, dram.end());
    for (size_t i = 0; i < expected.size(); ++i) {
      ASSERT_EQ(ElementAt(c, p.dtype, int64_t(i)), expected[i])
          << "element " << i << " of the C at " << p.c_dram;
    }
  }
  EXPECT_EQ(CheckNoRaces(program, 1), "") << Listing(program, 80);
}

TEST(HiddenGemmPipelineTest, PipelinedCyclesOfOtherShapesWithoutRaces) {
  // The reference's pipelined cycles (timing model: docs/tpu.md §8.2), with 10 % slack. A
  // program without the "space is free" tokens can be as fast or faster, because nothing
  // makes its loads wait: it must also be free of races.
  struct Case {
    TpuTarget target;
    GemmProblem problem;
    int64_t reference;
  };
  for (const Case& c : {Case{TpuTarget::Default16x16(), GemmOf(128, 128, 512), 35736},
                        Case{Array(8, 8), GemmOf(200, 64, 64), 14280},
                        Case{SmallBuffers(), GemmOf(200, 64, 20), 6965}}) {
    std::vector<Instr> program = MapGemm(c.target, c.problem);
    TimingCounters counters = Time(c.target, program, TimingMode::kPipelined);
    EXPECT_LE(counters.cycles, c.reference * 11 / 10)
        << c.problem.m << "x" << c.problem.k << "x" << c.problem.n;
    EXPECT_EQ(CheckNoRaces(program, 1), "")
        << c.problem.m << "x" << c.problem.k << "x" << c.problem.n;
  }
}

}  // namespace
}  // namespace tessel::tpu::lab06
