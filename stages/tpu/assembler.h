// The TPU assembly language: text <-> instructions.
//
// One instruction a line; `;` starts a comment. A line is a mnemonic, then its
// positional memory operands, then key=value operands and bare flags in any order:
//
//   load   ub[0], dram[0x100], rows=16, cols=64, stride=256, pad=1,1,0,0, push_next
//   matmul acc[0], ub[0], rows=32, stride=32, swap, accumulate, pop_prev
//   act    ub[512], acc[0], rows=32, cols=16, stride=32, func=relu, mult=1, shift=4
//
// docs/tpu.md lists every instruction's operands. The disassembler prints one
// canonical form (single spaces, DRAM addresses in hex, optional fields only when
// not at their default, tokens last), and assembling that form gives the same bits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/tpu/isa.h"

namespace tessel::tpu {

/// An assembled program and, for messages, the source line of each instruction.
struct AsmProgram {
  std::vector<Instr> instrs;
  std::vector<uint32_t> lines;
};

/// Assembles `file`. Every problem is reported to `diags` at its line and column
/// ("expected ..., found ..."); lines after an error are still checked. Returns
/// nullopt when there was any error.
std::optional<AsmProgram> Assemble(const SourceFile& file, DiagnosticEngine& diags);

/// One instruction in canonical assembly, without a newline. `instr` must be valid
/// (ValidateInstr; anything Decode or Assemble returns is).
std::string Disassemble(const Instr& instr);
/// Every instruction, one a line.
std::string DisassembleProgram(const std::vector<Instr>& program);

}  // namespace tessel::tpu
