// The pipelined timing mode: the TPU v1 roofline, bounds that hold for any program,
// the counters, the timeline and JSON, and the errors (deadlock, no halt).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "stages/tpu/assembler.h"
#include "stages/tpu/tests/timing_test_util.h"
#include "stages/tpu/tests/tpu_test_util.h"
#include "stages/tpu/timing_sim.h"

namespace tessel::tpu {
namespace {

TimingResult RunOrFail(const std::vector<Instr>& program, const TpuTarget& target, TimingMode mode,
                       bool timeline = false) {
  std::string error;
  std::optional<TimingResult> r = SimulateTiming(target, program, {mode, timeline}, &error);
  EXPECT_TRUE(r) << error << "\n" << DisassembleProgram(program);
  return r ? *r : TimingResult{};
}

std::string TimingError(const std::string& text) {
  std::string error;
  std::optional<TimingResult> r =
      SimulateTiming(TpuTarget::Default16x16(), AssembleOrFail(text), {}, &error);
  EXPECT_FALSE(r) << text;
  return error;
}

int64_t ClassSum(const TimingCounters& c) {
  return c.array_active_cycles + c.weight_shift_cycles + c.weight_stall_cycles +
         c.dependency_stall_cycles + c.non_matrix_cycles;
}

// A fully connected layer on the TPU v1: batch B against 64 weight tiles of 256x256 int8
// that stream from weight memory through the 4-tile weight FIFO; activations are already
// in the unified buffer (the paper's roofline counts weight traffic only). A tile takes
// ceil(65536 / 48.57) = 1350 cycles to arrive and B cycles to use, so the roofline is
// 2 * 65536 * 700 MHz = 91.75 TOPS times min(1, B / 1350). (The timing simulator does not
// check buffer capacity, so B = 4096 does not need to fit the unified buffer.)
TEST(PipelinedTimingTest, TpuV1FullyConnectedLayerFollowsTheWeightRoofline) {
  TpuTarget v1 = TpuTarget::TpuV1();
  FoldProgramOptions o;
  o.stream_weights = true;
  o.weight_slots = 4;
  double peak = 2.0 * 256 * 256 * v1.clock_mhz * 1e6 / 1e12;
  for (int64_t batch : {1, 200, 1350, 4096}) {
    GemmShape layer{batch, 64 * 256, 256};
    TimingResult r = RunOrFail(FoldByFoldGemm(layer, v1, Dataflow::kWeightStationary, o), v1,
                               TimingMode::kPipelined);
    double roofline = peak * std::min(1.0, static_cast<double>(batch) / 1350.0);
    double tops = Tops(r.counters, v1);
    std::cout << "B=" << batch << ": " << tops << " TOPS (roofline " << roofline << "), "
              << r.counters.cycles << " cycles\n";
    EXPECT_LE(tops, roofline * 1.0001) << "B=" << batch;
    EXPECT_GE(tops, roofline * 0.97) << "B=" << batch;
    EXPECT_EQ(ClassSum(r.counters), r.counters.cycles);
    EXPECT_EQ(r.counters.weight_dma.bytes, 64 * 65536);
    if (batch == 200) {  // per tile: 200 active, 256 shifting, the rest waiting for DRAM
      EXPECT_NEAR(tops, 13.6, 0.3);
      EXPECT_GT(r.counters.weight_stall_cycles, r.counters.cycles / 2);
      EXPECT_EQ(r.counters.weight_shift_cycles, 64 * 256);
    }
    if (batch == 4096) {
      EXPECT_GT(r.counters.array_active_cycles, r.counters.cycles * 97 / 100);
    }
  }
}

// For any fold-by-fold program with DMA, ACT and STORE on any machine: the pipelined
// run is never slower than running everything one after another (the compatible
// cycles, plus one, plus every DMA and ACT cycle), and never faster than the array's
// peak or any DMA engine's bandwidth allows.
TEST(PipelinedTimingTest, RandomProgramsStayWithinSerialAndRooflineBounds) {
  std::mt19937 rng(99);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int trial = 0; trial < 200; ++trial) {
    GemmShape shape{pick(1, 60), pick(1, 60), pick(1, 60)};
    TpuTarget t = TpuTarget::Default16x16();
    t.rows = pick(1, 16);
    t.cols = pick(1, 16);
    t.load = {static_cast<uint32_t>(pick(0, 50)), pick(1, 32) / 2.0};
    t.store = {static_cast<uint32_t>(pick(0, 50)), pick(1, 32) / 2.0};
    t.weight_bytes_per_cycle = pick(1, 64) / 4.0;
    Dataflow df = pick(0, 1) ? Dataflow::kWeightStationary : Dataflow::kOutputStationary;
    FoldProgramOptions o{true, true, pick(1, 4), true, pick(0, 1) == 1};
    std::vector<Instr> program = FoldByFoldGemm(shape, t, df, o);
    SCOPED_TRACE("trial " + std::to_string(trial));
    TimingCounters pipe = RunOrFail(program, t, TimingMode::kPipelined).counters;
    TimingCounters compat = RunOrFail(program, t, TimingMode::kCompatible).counters;
    int64_t act_rows = 0;
    for (const Instr& in : program) act_rows += in.op == Opcode::kAct ? in.rows : 0;
    int64_t dma =
        pipe.load_dma.busy_cycles + pipe.weight_dma.busy_cycles + pipe.store_dma.busy_cycles;
    EXPECT_LE(pipe.cycles, compat.cycles + 1 + dma + act_rows) << DisassembleProgram(program);
    auto engine_floor = [](int64_t bytes, double per_cycle) {
      return static_cast<int64_t>(std::ceil(static_cast<double>(bytes) / per_cycle));
    };
    int64_t floor = std::max({(pipe.macs + t.rows * t.cols - 1) / (t.rows * t.cols),
                              engine_floor(pipe.load_dma.bytes, t.load.bytes_per_cycle),
                              engine_floor(pipe.weight_dma.bytes, t.weight_bytes_per_cycle),
                              engine_floor(pipe.store_dma.bytes, t.store.bytes_per_cycle)});
    EXPECT_GE(pipe.cycles, floor);
    EXPECT_EQ(ClassSum(pipe), pipe.cycles);
    EXPECT_EQ(pipe.macs, compat.macs);
  }
}

TEST(PipelinedTimingTest, LoadwShiftsWhileThePreviousMatmulStreams) {
  // Two folds on 16x16, weights already in the buffer: the second tile shifts in during
  // the first MATMUL's 100 rows, so the second MATMUL follows it with no gap.
  std::vector<Instr> program = AssembleOrFail(
      "loadw wb[0], rows=16, cols=16, stride=16\n"
      "matmul acc[0], ub[0], rows=100, stride=16, swap\n"
      "loadw wb[256], rows=16, cols=16, stride=16\n"
      "matmul acc[100], ub[0], rows=100, stride=16, swap\n"
      "halt\n");
  TimingResult r = RunOrFail(program, TpuTarget::Default16x16(), TimingMode::kPipelined, true);
  ASSERT_EQ(r.timeline.size(), 5u);
  EXPECT_EQ(r.timeline[1].start, 16);            // after the first shift
  EXPECT_EQ(r.timeline[2].start, 16);            // shifts while matmul 1 streams
  EXPECT_EQ(r.timeline[3].start, 116);           // right behind matmul 1
  EXPECT_EQ(r.counters.cycles, 116 + 100 + 30);  // + skew and drain, R + C - 2
  EXPECT_EQ(r.counters.array_active_cycles, 200);
  EXPECT_EQ(r.counters.weight_shift_cycles, 16);
  EXPECT_EQ(r.counters.non_matrix_cycles, 30);
  // Compatible: two SCALE-Sim folds, 2 * (2*16 + 16 + 100 - 2) - 1.
  EXPECT_EQ(RunOrFail(program, TpuTarget::Default16x16(), TimingMode::kCompatible).counters.cycles,
            2 * 146 - 1);
}

TEST(PipelinedTimingTest, TimelineAndJsonListEveryInstruction) {
  std::vector<Instr> program = AssembleOrFail(
      "load wb[0], dram[0], rows=16, cols=16, stride=16, push_next\n"
      "loadw wb[0], rows=16, cols=16, stride=16, pop_prev\n"
      "matmul acc[0], ub[0], rows=8, stride=16, swap\n"
      "act ub[256], acc[0], rows=8, cols=16, stride=16, push_next\n"
      "store dram[0x100], ub[256], rows=8, cols=16, stride=16, pop_prev\n"
      "halt\n");
  TpuTarget t = TpuTarget::Default16x16();
  TimingResult r = RunOrFail(program, t, TimingMode::kPipelined, true);
  // Weight memory 256 B / 16 B a cycle; shift 16; stream 8 + drain 30; act 8; store
  // 100 latency + 128 B / 16.
  EXPECT_EQ(r.timeline[0].end, 16);
  EXPECT_EQ(r.timeline[2].start, 32);
  EXPECT_EQ(r.timeline[3].start, 32 + 38);
  EXPECT_EQ(r.timeline[4].start, 78);
  EXPECT_EQ(r.counters.cycles, 78 + 108);
  EXPECT_EQ(r.counters.weight_stall_cycles, 16);
  EXPECT_EQ(r.counters.weight_shift_cycles, 16);
  EXPECT_EQ(r.counters.non_matrix_cycles, 186 - 40);
  EXPECT_EQ(r.counters.store_dma.bytes, 128);
  EXPECT_EQ(r.counters.unified.bytes_written, 128);
  std::string table = FormatTimingCounters(r, t);
  EXPECT_NE(table.find("weight stall cycles"), std::string::npos) << table;
  EXPECT_NE(table.find("16  8.60 %"), std::string::npos) << table;  // 16 of 186 cycles
  std::string text = FormatTimeline(r, program);
  EXPECT_NE(text.find("store dram[0x100]"), std::string::npos) << text;
  nlohmann::json j = nlohmann::json::parse(TimingToJson(r, t));
  EXPECT_EQ(j["mode"], "pipelined");
  EXPECT_EQ(j["counters"]["cycles"], r.counters.cycles);
  ASSERT_EQ(j["timeline"].size(), 6u);
  EXPECT_EQ(j["timeline"][4]["queue"], "store");
  EXPECT_EQ(j["timeline"][4]["start"], 78);
}

TEST(PipelinedTimingTest, ReportsADeadlockWithTheInstruction) {
  // The execute queue waits for a load that never comes.
  EXPECT_EQ(TimingError("loadw wb[0], rows=1, cols=1, stride=1, pop_prev\nhalt\n"),
            "instruction 0 (loadw wb[0], rows=1, cols=1, stride=1, pop_prev): deadlock: the "
            "execute queue waits for a token from the load queue that no remaining "
            "instruction pushes");
  // Each queue waits for the other first.
  std::string cycle = TimingError(
      "sync queue=execute\n"
      "load wb[0], dram[0], rows=1, cols=1, stride=1, pop_next, push_next\n"
      "loadw wb[0], rows=1, cols=1, stride=1, pop_prev, push_prev\n"
      "halt\n");
  EXPECT_EQ(cycle.rfind("instruction 1 (load wb[0]", 0), 0u) << cycle;
  EXPECT_NE(cycle.find("deadlock: the load queue waits for a token from the execute queue"),
            std::string::npos)
      << cycle;
  EXPECT_NE(cycle.find("; and instruction 2: the execute queue waits for a token from the load "
                       "queue"),
            std::string::npos)
      << cycle;
}

TEST(PipelinedTimingTest, RejectsProgramsItCannotTime) {
  EXPECT_EQ(TimingError("sync queue=execute\n"), "the program has no halt");
  EXPECT_EQ(TimingError("matmul acc[0], ub[0], rows=4, stride=4\nhalt\n"),
            "instruction 0 (matmul acc[0], ub[0], rows=4, stride=4): matmul before any "
            "weights were swapped in (use swap)");
  EXPECT_EQ(TimingError("loadw wb[0], rows=1, cols=1, stride=1\n"
                        "matmul acc[0], ub[0], rows=1, stride=1, swap\n"
                        "matmul acc[0], ub[0], rows=1, stride=1, swap\nhalt\n"),
            "instruction 2 (matmul acc[0], ub[0], rows=1, stride=1, swap): swap without a "
            "loadw since the last swap");
}

}  // namespace
}  // namespace tessel::tpu
