// The judge reads what learner code wrote, so its reader must survive anything: these tests
// round-trip real tokens, trees and diagnostics, then feed the reader thousands of corrupted
// and truncated copies, each of which must be read or rejected with WireError, never crash.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "stages/frontend/ast_printer.h"
#include "stages/frontend/lexer.h"
#include "stages/frontend/parser.h"
#include "tools/judge/lab01_wire.h"

namespace tessel::judge {
namespace {

constexpr char kProgram[] = R"(const N = 4;
fn mlp(x: f32[N, 8], w: f32[8, 2]) -> f32[N, 2] {
  var y = relu(x @ w + 1.5e-3);
  if y[0, 0] > 0.0 { y = -y; } else { return y; }
  for i in 0..N { y = y * 2; }
  z[i, j] max= y[i, j] where i in 0..N;
  return softmax(y, axis=1);
}
)";

std::string WrittenModule(const SourceFile& file, DiagnosticEngine& diags) {
  std::unique_ptr<ast::Module> module = ast::ParseModule(file, diags);
  WireWriter out;
  WriteModule(out, module.get());
  out.Newline();
  WriteDiagnostics(out, diags);
  return out.text();
}

TEST(WireTest, StringsAndFloatsRoundTripExactly) {
  WireWriter out;
  out.Str(std::string("a \"quoted\"\\ line\n\t\x01\xff end", 26));
  out.Float(0.1);
  out.Float(-4.9e-324);
  out.Int(INT64_MIN);
  WireReader in(out.text());
  EXPECT_EQ(in.Str(), std::string("a \"quoted\"\\ line\n\t\x01\xff end", 26));
  EXPECT_EQ(in.Float(), 0.1);
  EXPECT_EQ(in.Float(), -4.9e-324);
  EXPECT_EQ(in.Int(), INT64_MIN);
  EXPECT_TRUE(in.AtEnd());
}

TEST(WireTest, TokensTreesAndDiagnosticsRoundTrip) {
  SourceFile file("input.tsl", std::string(kProgram) + "fn broken( {\n");
  DiagnosticEngine diags;
  std::vector<Token> tokens = Lex(file, diags);
  WireWriter out;
  WriteTokens(out, file, tokens);
  WireReader in(out.text());
  std::vector<Token> back = ReadTokens(in, file);
  EXPECT_EQ(FormatTokens(back), FormatTokens(tokens));
  EXPECT_EQ(back[3].text.data(), tokens[3].text.data());  // points into the same file

  DiagnosticEngine parse_diags;
  std::unique_ptr<ast::Module> module = ast::ParseModule(file, parse_diags);
  ASSERT_TRUE(parse_diags.has_errors());
  DiagnosticEngine written_diags;
  std::string text = WrittenModule(file, written_diags);
  WireReader module_in(text);
  std::unique_ptr<ast::Module> read = ReadModule(module_in);
  DiagnosticEngine replayed;
  ReplayDiagnostics(module_in, file, replayed);
  EXPECT_EQ(ast::PrintModule(*read), ast::PrintModule(*module));
  ASSERT_EQ(replayed.diagnostics().size(), parse_diags.diagnostics().size());
  for (size_t i = 0; i < replayed.diagnostics().size(); ++i) {
    EXPECT_EQ(DiagnosticEngine::Format(replayed.diagnostics()[i]),
              DiagnosticEngine::Format(parse_diags.diagnostics()[i]));
  }
}

TEST(WireTest, CorruptedOutputIsReadOrRejectedNeverACrash) {
  SourceFile file("input.tsl", kProgram);
  DiagnosticEngine diags;
  std::string good = WrittenModule(file, diags);
  std::mt19937 random(7);
  int rejected = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string bad = good;
    switch (trial % 3) {
      case 0:  // cut short
        bad.resize(random() % bad.size());
        break;
      case 1:  // bytes changed
        for (int k = 0; k < 3; ++k) bad[random() % bad.size()] = static_cast<char>(random());
        break;
      case 2:  // a number replaced by a huge or negative one
        bad.replace(random() % bad.size(), 1, trial % 2 ? "99999999999 " : "-7 ");
        break;
    }
    try {
      WireReader in(bad);
      std::unique_ptr<ast::Module> module = ReadModule(in);
      DiagnosticEngine replayed;
      ReplayDiagnostics(in, file, replayed);
    } catch (const WireError&) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 1000);
}

TEST(WireTest, DeepNestingIsRejected) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "unary 0 1 1 0 1 1 0 ";
  WireReader in(deep);
  EXPECT_THROW(ReadExpr(in), WireError);
}

}  // namespace
}  // namespace tessel::judge
