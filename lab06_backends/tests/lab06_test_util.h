// Helpers for lab06's graded tests of the TPU mapping (tasks t1 to t5).
//
// A test builds a GEMM or convolution problem, lays its operands out in a DRAM byte
// array (random values, guard bytes around them), runs MapGemm's or MapConv2d's
// program on the functional simulator, and compares the output with the plain C++
// GEMM or convolution of stages/tpu/reference_ops.h, which requantizes exactly as ACT does. On a
// failure the test shows the program's assembly (stages/tpu/assembler.h's disassembler) and the
// first mismatching element, so the learner can follow the program by hand.
//
// The helpers never catch exceptions: a skeleton's NotImplemented escapes to
// GoogleTest, which reports "not implemented: lab06.tK" for the first task the test
// reaches that is still a skeleton.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "stages/tpu/assembler.h"
#include "stages/tpu/functional_sim.h"
#include "stages/tpu/map_conv.h"
#include "stages/tpu/reference_ops.h"
#include "stages/tpu/target.h"
#include "stages/tpu/timing_sim.h"

namespace tessel::tpu::lab06 {

/// A target with an R x C array and the default machine's buffers.
inline TpuTarget Array(uint32_t rows, uint32_t cols) {
  TpuTarget target = TpuTarget::Default16x16();
  target.rows = rows;
  target.cols = cols;
  target.name = std::to_string(rows) + "x" + std::to_string(cols);
  return target;
}

/// A machine with a small unified buffer: 4 KiB holds 64 rows of A with K = 64 only
/// once, so M = 200 must be split; 64 accumulator rows (an 8x8 array).
inline TpuTarget SmallBuffers() {
  TpuTarget target = Array(8, 8);
  target.unified_buffer_bytes = 4096;
  target.accumulator_rows = 64;
  return target;
}

/// An M x K x N GEMM whose output transform keeps most int8 results inside [-128, 127]
/// (shift 7). CheckGemm fills in the addresses; the counting tests use these.
inline GemmProblem GemmOf(int64_t m, int64_t k, int64_t n, TpuDType dtype = TpuDType::kInt8) {
  GemmProblem p;
  p.m = m;
  p.k = k;
  p.n = n;
  p.dtype = dtype;
  p.a_dram = 0;
  p.b_dram = uint32_t(m * k * ElementBytes(dtype));
  p.c_dram = uint32_t((m * k + k * n) * ElementBytes(dtype));
  p.output.mult = 1;
  p.output.shift = 7;
  return p;
}

/// batch, channels, height x width, filters, a square kernel, stride, padding.
inline Conv2dProblem ConvOf(int64_t batch, int64_t channels, int64_t height, int64_t width,
                            int64_t filters, int64_t kernel, int64_t stride, int64_t padding,
                            TpuDType dtype = TpuDType::kInt8) {
  Conv2dProblem p;
  p.batch = batch;
  p.channels = channels;
  p.height = height;
  p.width = width;
  p.filters = filters;
  p.kernel_h = p.kernel_w = kernel;
  p.stride = stride;
  p.padding = padding;
  p.dtype = dtype;
  p.output.shift = 4;
  return p;
}

/// The program as numbered assembly, at most `limit` lines (the rest is counted).
inline std::string Listing(const std::vector<Instr>& program, size_t limit = 40) {
  std::ostringstream out;
  for (size_t i = 0; i < program.size() && i < limit; ++i) {
    out << "  " << i << ": " << Disassemble(program[i]) << "\n";
  }
  if (program.size() > limit) out << "  ... " << program.size() - limit << " more\n";
  return out.str();
}

/// "" when every instruction passes ValidateInstr and the last one is HALT.
inline std::string CheckWellFormed(const std::vector<Instr>& program) {
  for (size_t i = 0; i < program.size(); ++i) {
    std::string error;
    if (!ValidateInstr(program[i], &error))
      return "instruction " + std::to_string(i) + ": " + error;
  }
  if (program.empty() || program.back().op != Opcode::kHalt)
    return "the program does not end with halt";
  return "";
}

/// Where a test put the operands: [guard | X | guard | Y | guard | Z | guard].
struct DramImage {
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> at;   // byte address of each operand
  std::vector<int64_t> size;  // its size in bytes
};

inline constexpr uint8_t kGuard = 0xA5;

inline DramImage LayOut(const std::vector<std::vector<uint8_t>>& operands, int64_t output_bytes) {
  DramImage image;
  int64_t next = 64;
  for (const auto& operand : operands) {
    image.at.push_back(uint32_t(next));
    image.size.push_back(int64_t(operand.size()));
    next += int64_t(operand.size()) + 40;  // 40 guard bytes between operands
  }
  image.at.push_back(uint32_t(next));
  image.size.push_back(output_bytes);
  image.bytes.assign(size_t(next + output_bytes + 64), kGuard);
  for (size_t i = 0; i < operands.size(); ++i) {
    std::copy(operands[i].begin(), operands[i].end(), image.bytes.begin() + image.at[i]);
  }
  return image;
}

/// Runs `program`; "" on success, else the simulator's error and the listing.
inline std::string RunProgram(const TpuTarget& target, const std::vector<Instr>& program,
                              std::vector<uint8_t>& dram, FunctionalCounters* counters = nullptr) {
  std::string problem = CheckWellFormed(program);
  FunctionalSim sim(target);
  std::string error;
  if (problem.empty() && !sim.Run(program, dram, &error)) problem = error;
  if (counters != nullptr) *counters = sim.counters();
  return problem.empty() ? "" : problem + "\nprogram:\n" + Listing(program);
}

/// Compares the output region with `expected` and checks that the guard bytes outside
/// the operands are untouched; "" when all is well.
inline std::string CheckOutput(const DramImage& before, const std::vector<uint8_t>& after,
                               TpuDType dtype, const std::vector<double>& expected) {
  const uint32_t out = before.at.back();
  const std::vector<uint8_t> region(after.begin() + out, after.end());
  for (size_t i = 0; i < expected.size(); ++i) {
    double actual = ElementAt(region, dtype, int64_t(i));
    if (actual != expected[i]) {
      return "output element " + std::to_string(i) + " is " + std::to_string(actual) +
             ", expected " + std::to_string(expected[i]);
    }
  }
  for (size_t b = 0; b < after.size(); ++b) {
    bool in_output = b >= out && b < out + expected.size() * ElementBytes(dtype);
    if (!in_output && after[b] != before.bytes[b]) {
      return "DRAM byte " + std::to_string(b) + " outside the output was overwritten";
    }
  }
  return "";
}

/// Maps, runs and checks one GEMM; "" when the output is right. `problem`'s addresses
/// are filled in here.
inline std::string CheckGemm(const TpuTarget& target, GemmProblem problem, uint32_t seed = 1,
                             FunctionalCounters* counters = nullptr) {
  auto a = RandomElements(problem.dtype, problem.m * problem.k, seed);
  auto b = RandomElements(problem.dtype, problem.k * problem.n, seed + 1);
  DramImage image = LayOut({a, b}, problem.m * problem.n * ElementBytes(problem.dtype));
  problem.a_dram = image.at[0];
  problem.b_dram = image.at[1];
  problem.c_dram = image.at[2];
  std::vector<Instr> program = MapGemm(target, problem);
  std::vector<uint8_t> dram = image.bytes;
  std::string error = RunProgram(target, program, dram, counters);
  if (error.empty()) error = CheckOutput(image, dram, problem.dtype, ReferenceGemm(problem, a, b));
  if (error.empty()) return "";
  return "gemm " + std::to_string(problem.m) + "x" + std::to_string(problem.k) + "x" +
         std::to_string(problem.n) + " (" + std::string(TpuDTypeName(problem.dtype)) + ") on " +
         std::to_string(target.rows) + "x" + std::to_string(target.cols) + ": " + error;
}

/// Maps, runs and checks one convolution, like CheckGemm.
inline std::string CheckConv(const TpuTarget& target, Conv2dProblem p, uint32_t seed = 1,
                             FunctionalCounters* counters = nullptr) {
  auto in = RandomElements(p.dtype, p.batch * p.channels * p.height * p.width, seed, -20, 20);
  auto w =
      RandomElements(p.dtype, p.filters * p.channels * p.kernel_h * p.kernel_w, seed + 1, -20, 20);
  int64_t out_elems = p.batch * p.filters * p.out_h() * p.out_w();
  DramImage image = LayOut({in, w}, out_elems * ElementBytes(p.dtype));
  p.input_dram = image.at[0];
  p.weight_dram = image.at[1];
  p.output_dram = image.at[2];
  std::vector<Instr> program = MapConv2d(target, p);
  std::vector<uint8_t> dram = image.bytes;
  std::string error = RunProgram(target, program, dram, counters);
  if (error.empty()) error = CheckOutput(image, dram, p.dtype, ReferenceConv(p, in, w));
  return error;
}

/// The timing simulator's counters for `program` (a failure names the error).
inline TimingCounters Time(const TpuTarget& target, const std::vector<Instr>& program,
                           TimingMode mode) {
  std::string error;
  std::optional<TimingResult> result = SimulateTiming(target, program, {mode, false}, &error);
  EXPECT_TRUE(result) << error << "\nprogram:\n" << Listing(program);
  return result ? result->counters : TimingCounters{};
}

inline int64_t CountOp(const std::vector<Instr>& program, Opcode op) {
  return std::count_if(program.begin(), program.end(),
                       [op](const Instr& in) { return in.op == op; });
}

}  // namespace tessel::tpu::lab06
