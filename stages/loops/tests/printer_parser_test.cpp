// The loop IR's text form: printed text parses back to the same text, and mistakes are
// reported file:line:col with what was expected.
#include <gtest/gtest.h>

#include "stages/loops/parser.h"
#include "stages/loops/printer.h"

namespace tessel::loops {
namespace {

Module MustParse(const std::string& text) {
  std::string error;
  std::optional<Module> module = ParseModuleText(text, &error);
  EXPECT_TRUE(module.has_value()) << error;
  return module ? std::move(*module) : Module{};
}

std::string ParseError(const std::string& text) {
  std::string error;
  std::optional<Module> module = ParseModuleText(text, &error, "t.loops");
  EXPECT_FALSE(module.has_value()) << "parsed:\n" << text;
  return error;
}

void ExpectRoundTrip(const std::string& text) {
  EXPECT_EQ(PrintModule(MustParse(text)), text);
}

TEST(LoopIrTextTest, MatmulWithEpilogueRoundTrips) {
  ExpectRoundTrip(
      "kernel @fused_matmul_add(%a: f32[4, 64], %b: f32[64, 10], %c: f32[10]) -> (%out: f32[4, 10]) {\n"
      "  for i in 0..4 {\n"
      "    for j in 0..10 {\n"
      "      %out[i, j] = 0.0\n"
      "      for k in 0..64 {\n"
      "        %out[i, j] = %out[i, j] + %a[i, k] * %b[k, j]\n"
      "      }\n"
      "      %out[i, j] = maximum(%out[i, j] + %c[j], 0.0)\n"
      "    }\n"
      "  }\n"
      "}\n");
}

TEST(LoopIrTextTest, EveryStatementAndLoopKindRoundTrips) {
  ExpectRoundTrip(
      "const %c0: f32[3] = [1.0, -2.5, inf]\n"
      "const %c1: i8[2] = [-3, 4]\n"
      "\n"
      "kernel @k(%x: f32[10] strides [2], %n: i32[]) -> (%y: f32[10]) {\n"
      "  allocate %acc: f32[4] local\n"
      "  allocate %tile: f16[4, 4] shared\n"
      "  let m = %n[] * 2\n"
      "  parallel for io in 0..3 {\n"
      "    vectorized for ii in 0..4 {\n"
      "      let i = io * 4 + ii\n"
      "      if i < 10 && !(i == 3) {\n"
      "        %y[i] = %x[i] * %c0[i % 3]\n"
      "      } else {\n"
      "        unrolled for u in 0..2 {\n"
      "          %acc[u] = cast<f32>(%c1[u])\n"
      "        }\n"
      "      }\n"
      "    }\n"
      "  }\n"
      "  for t in 0..minimum(m, 10) {\n"
      "    gpu.block.x for b in 0..1 {\n"
      "      gpu.thread.y for th in 0..1 {\n"
      "        %y[t] = select(floor_mod(-t, 3) >= (-1), -(2.0), select(f16(1.5) == %tile[0, 0], 1.0, 0.0))\n"
      "      }\n"
      "    }\n"
      "  }\n"
      "}\n"
      "\n"
      "func @main(%x: f32[10] strides [2], %n: i32[]) -> (%result: f32[10]) {\n"
      "  allocate %arena: i8[64]\n"
      "  view %t: f32[10] = %arena[8]\n"
      "  call @k(%x, %n, %t)\n"
      "  for i in 0..10 {\n"
      "    %result[i] = %t[i]\n"
      "  }\n"
      "}\n");
}

TEST(LoopIrTextTest, ParenthesesFollowPrecedenceAndAssociativity) {
  Module m = MustParse(
      "kernel @k(%x: i32[4]) -> (%y: i32[4]) {\n"
      "  for i in 0..4 {\n"
      "    %y[i] = (i - (1 - 2)) * (i + 1) - i / 2 * 3 + -(4) - (-4)\n"
      "  }\n"
      "}\n");
  std::string printed = PrintModule(m);
  EXPECT_NE(printed.find("%y[i] = (i - (1 - 2)) * (i + 1) - i / 2 * 3 + -(4) - (-4)"),
            std::string::npos)
      << printed;
}

TEST(LoopIrTextTest, ErrorsAreLocatedAndSayWhatWasExpected) {
  EXPECT_NE(ParseError("kernel @k() -> () {\n  for i in 0..4 {\n    %y[i] = 1.0\n  }\n}\n")
                .find("t.loops:3:5: error: use of undefined buffer %y"),
            std::string::npos);
  EXPECT_NE(ParseError("kernel @k(%y: f32[4]) -> () {\n  %y[j] = 1.0\n}\n")
                .find("t.loops:2:6: error: use of undefined variable 'j'"),
            std::string::npos);
  EXPECT_NE(ParseError("kernel @k(%y: f32[4]) -> () {\n  for i in 1..4 {\n  }\n}\n")
                .find("t.loops:2:12: error: a loop starts at 0"),
            std::string::npos);
  EXPECT_NE(ParseError("kernel @k() -> (%y: f32[4]) {\n  %y[0] = 1\n}\n")
                .find("t.loops:2:9: error: stores a i32 into %y of f32"),
            std::string::npos);
  EXPECT_NE(ParseError("kernel @k() -> (%y: f32[4, 4]) {\n  %y[0] = 1.0\n}\n")
                .find("%y has 2 dimensions, indexed with 1"),
            std::string::npos);
  EXPECT_NE(ParseError("kernel @k() -> (%y: f32[4]) {\n  %y[0] = exp(1)\n}\n")
                .find("2:11: error: 'exp' needs a float operand, found i32"),
            std::string::npos);
  EXPECT_NE(ParseError("kernel @k() -> (%y: f32[4]) {\n  for i in 0..4 {\n    for i in 0..2 {\n"
                       "    }\n  }\n}\n")
                .find("3:9: error: 'i' is defined twice in @k"),
            std::string::npos);
  EXPECT_NE(ParseError("kernel @k() -> (%y: f32[4]) {\n  %y[0] = 1.0\n")
                .find("expected '}', found end of file"),
            std::string::npos);
  EXPECT_NE(ParseError("kernel @k() -> (%y: f32[4]) {\n  %y[0] = 1.0 $\n}\n")
                .find("2:15: error: unexpected character '$'"),
            std::string::npos);
  EXPECT_NE(ParseError("kernel @k() -> (%y: f32[4]) {\n  while\n}\n")
                .find("expected a statement (for, let, if, allocate, view, call or a store), "
                      "found 'while'"),
            std::string::npos);
  EXPECT_NE(ParseError("kernel @k(%x: f32[2]) -> () {\n}\nfunc @m(%a: f32[3]) -> () {\n"
                       "  call @k(%a)\n}\n")
                .find("4:8: error: argument %a of @k is f32[3], its parameter %x f32[2]"),
            std::string::npos);
  EXPECT_NE(ParseError("func @m() -> () {\n  allocate %a: i8[4]\n  view %v: f32[2] = %a[0]\n}\n")
                .find("3:24: error: view %v (8 bytes at 0) does not fit in %a (4 bytes)"),
            std::string::npos);
  EXPECT_NE(ParseError("kernel @k() -> (%y: f32[65536, 65536, 65536]) {\n}\n")
                .find("1:17: error: %y has more than 2^31 elements, more than loop IR allows"),
            std::string::npos);
  EXPECT_NE(ParseError("kernel @k() -> (%y: f32[4]) {\n  fast for i in 0..4 {\n  }\n}\n")
                .find("2:3: error: unknown loop kind 'fast'"),
            std::string::npos);
}

}  // namespace
}  // namespace tessel::loops
