// Helpers for the TPU simulator tests: assemble text and run it.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "stages/tpu/assembler.h"
#include "stages/tpu/functional_sim.h"

namespace tessel::tpu {

/// Assembles `text` (failing the test with the diagnostics if it does not).
inline std::vector<Instr> AssembleOrFail(const std::string& text) {
  SourceFile file("test.tasm", text);
  DiagnosticEngine diags;
  std::optional<AsmProgram> program = Assemble(file, diags);
  std::string report;
  for (const Diagnostic& d : diags.diagnostics()) report += DiagnosticEngine::Format(d);
  EXPECT_TRUE(program) << "program:\n" << text << "errors:\n" << report;
  return program ? program->instrs : std::vector<Instr>{};
}

/// Runs `text` on `sim`; returns "" on success, else the simulator's error.
inline std::string RunText(FunctionalSim& sim, const std::string& text,
                           std::vector<uint8_t>& dram) {
  std::string error;
  return sim.Run(AssembleOrFail(text), dram, &error) ? "" : error;
}

template <typename T>
void PutDram(std::vector<uint8_t>& dram, size_t byte_offset, const std::vector<T>& values) {
  std::memcpy(&dram[byte_offset], values.data(), values.size() * sizeof(T));
}

template <typename T>
std::vector<T> GetDram(const std::vector<uint8_t>& dram, size_t byte_offset, size_t count) {
  std::vector<T> values(count);
  std::memcpy(values.data(), &dram[byte_offset], count * sizeof(T));
  return values;
}

}  // namespace tessel::tpu
