// Unit tests of the TPU assembly (assembler.cpp, disassembler.cpp): canonical text
// round-trips through instructions and bits exactly, and every malformed line gets
// one located error ("file:line:col: error: expected ..., found ...") and no crash.
#include "stages/tpu/assembler.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace tessel::tpu {
namespace {

struct Assembled {
  std::unique_ptr<SourceFile> file;
  DiagnosticEngine diags{100};
  std::optional<AsmProgram> program;

  std::string Report() const {
    std::string out;
    for (const Diagnostic& d : diags.diagnostics()) out += DiagnosticEngine::Format(d);
    return out;
  }
};

std::unique_ptr<Assembled> Asm(const std::string& text) {
  auto a = std::make_unique<Assembled>();
  a->file = std::make_unique<SourceFile>("prog.tasm", text);
  a->program = Assemble(*a->file, a->diags);
  return a;
}

// Every opcode, every optional field at a non-default value, every token.
constexpr const char* kCanonical =
    "config dataflow=os, dtype=f32\n"
    "load ub[0], dram[0x100], rows=16, cols=64, stride=256, pad=1,1,0,0, push_next\n"
    "load wb[4096], dram[0xffffffff], rows=65535, cols=1, stride=4294967295, pop_next\n"
    "loadw wb[0], rows=16, cols=16, stride=16, pop_prev, push_prev\n"
    "matmul acc[65535], ub[32], rows=32, stride=32, swap, accumulate\n"
    "matmul acc[0], ub[0], rows=1, stride=0\n"
    "act ub[512], acc[0], rows=32, cols=16, stride=32, func=relu, mult=-2147483648, shift=63, "
    "scale=0.1, pop_next, push_next\n"
    "act ub[0], acc[1], rows=1, cols=1, stride=1, scale=-3.4028235e+38\n"
    "store dram[0x2000], ub[512], rows=32, cols=32, stride=32, pop_prev, push_prev\n"
    "sync queue=load, pop_next\n"
    "sync queue=store, pop_prev\n"
    "halt pop_next\n";

TEST(AssemblerTest, CanonicalTextRoundTripsThroughBits) {
  std::unique_ptr<Assembled> a = Asm(kCanonical);
  ASSERT_TRUE(a->program) << a->Report();
  std::vector<uint8_t> bytes;
  std::string error;
  ASSERT_TRUE(EncodeProgram(a->program->instrs, &bytes, &error)) << error;
  std::optional<std::vector<Instr>> decoded = DecodeProgram(bytes, &error);
  ASSERT_TRUE(decoded) << error;
  EXPECT_EQ(DisassembleProgram(*decoded), kCanonical);
  EXPECT_EQ(a->program->lines.front(), 1u);
}

TEST(AssemblerTest, AcceptsCommentsBlankLinesHexAndAnyOperandOrder) {
  std::unique_ptr<Assembled> a =
      Asm("; a comment line\n"
          "\n"
          "   load  ub[0x10] ,dram[256],pad=0,0,2,2, stride=0x40 ,cols=8,rows=4 ; trailing\n"
          "halt\n");
  ASSERT_TRUE(a->program) << a->Report();
  ASSERT_EQ(a->program->instrs.size(), 2u);
  EXPECT_EQ(Disassemble(a->program->instrs[0]),
            "load ub[16], dram[0x100], rows=4, cols=8, stride=64, pad=0,0,2,2");
  EXPECT_EQ(a->program->lines[0], 3u);
}

TEST(AssemblerTest, DefaultsAreNotPrinted) {
  std::unique_ptr<Assembled> a =
      Asm("act ub[0], acc[0], rows=1, cols=1, stride=1, func=none, mult=1, shift=0, scale=1.0\n");
  ASSERT_TRUE(a->program) << a->Report();
  EXPECT_EQ(Disassemble(a->program->instrs[0]), "act ub[0], acc[0], rows=1, cols=1, stride=1");
}

// One bad line and the exact message it must produce.
struct BadLine {
  const char* text;
  const char* message;
};

TEST(AssemblerTest, ErrorsAreLocatedAndSayWhatWasExpected) {
  const BadLine cases[] = {
      {"lod ub[0]",
       "prog.tasm:1:1: error: expected a mnemonic (load, store, loadw, matmul, act, "
       "sync, config, halt), found 'lod'"},
      {"load acc[0], dram[0]", "prog.tasm:1:6: error: expected ub or wb[address], found 'acc'"},
      {"load ub[0] dram[0]", "prog.tasm:1:12: error: expected ',', found 'dram'"},
      {"load ub[0], dram[0], rows=4, cols=4",
       "prog.tasm:1:36: error: expected stride=... (load "
       "needs it), found end of line"},
      {"load ub[0], dram[0], rows=70000, cols=4, stride=4",
       "prog.tasm:1:27: error: load: rows 70000 is out of range [0, 65535]"},
      {"load ub[0], dram[0], rows=0, cols=4, stride=4",
       "prog.tasm:1:27: error: load: rows must be at least 1"},
      {"load ub[0], dram[0], rows=1, cols=4, stride=4, pad=1,2",
       "prog.tasm:1:55: error: expected ',' and the next value of pad (top,bottom,left,right), "
       "found end of line"},
      {"load ub[0], dram[0], rows=1, rows=2, cols=4, stride=4",
       "prog.tasm:1:30: error: 'rows' is given twice"},
      {"matmul acc[0], ub[0], rows=1, stride=1, swpa",
       "prog.tasm:1:41: error: expected an operand of matmul (rows=, stride=, swap, accumulate, "
       "pop_prev, pop_next, push_prev, push_next), found 'swpa'"},
      {"act ub[0], acc[0], rows=1, cols=1, stride=1, func=tanh",
       "prog.tasm:1:51: error: expected none, relu, found 'tanh'"},
      {"act ub[0], acc[0], rows=1, cols=1, stride=1, scale=abc",
       "prog.tasm:1:52: error: expected a number, found 'abc'"},
      {"store dram[-1], ub[0], rows=1, cols=1, stride=1",
       "prog.tasm:1:12: error: store: dram address -1 is out of range [0, 4294967295]"},
      {"store dram[99999999999999999999], ub[0], rows=1, cols=1, stride=1",
       "prog.tasm:1:12: error: expected a number that fits 64 bits, found '99999999999999999999'"},
      {"load ub[0], dram[0], rows=1, cols=1, stride=1, pop_prev",
       "prog.tasm:1:1: error: load: the load queue has no previous queue (pop_prev and push_prev "
       "are not allowed)"},
      {"halt @",
       "prog.tasm:1:6: error: expected an operand (pop_prev, pop_next, push_prev, "
       "push_next), found '@'"},
  };
  for (const BadLine& c : cases) {
    std::unique_ptr<Assembled> a = Asm(std::string(c.text) + "\n");
    EXPECT_FALSE(a->program) << c.text;
    ASSERT_FALSE(a->diags.diagnostics().empty()) << c.text;
    std::string first = DiagnosticEngine::Format(a->diags.diagnostics()[0]);
    EXPECT_EQ(first.substr(0, first.find('\n')), c.message) << "input: " << c.text;
  }
}

TEST(AssemblerTest, ReportsAnErrorOnEveryBadLine) {
  std::unique_ptr<Assembled> a = Asm("halt\nfoo\nhalt\nsync queue=nowhere\n");
  EXPECT_FALSE(a->program);
  EXPECT_EQ(a->diags.error_count(), 2) << a->Report();
  EXPECT_EQ(a->diags.diagnostics()[1].range.begin.line, 4u);
}

TEST(AssemblerTest, RandomGarbageNeverCrashes) {
  std::mt19937 rng(42);
  const std::string alphabet = "loadstrwbmuchfgxyz_[]=,;.-+0123456789 \t\n";
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    int length = static_cast<int>(rng() % 60);
    for (int j = 0; j < length; ++j) text += alphabet[rng() % alphabet.size()];
    std::unique_ptr<Assembled> a = Asm(text);
    if (a->program) {
      // Whatever assembles must disassemble to text that assembles to the same program.
      std::unique_ptr<Assembled> again = Asm(DisassembleProgram(a->program->instrs));
      ASSERT_TRUE(again->program) << again->Report();
      EXPECT_EQ(again->program->instrs, a->program->instrs);
    }
  }
}

}  // namespace
}  // namespace tessel::tpu
