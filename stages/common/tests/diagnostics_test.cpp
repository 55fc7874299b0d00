// Unit tests of stages/common/diagnostics: clang-style rendering (location,
// source line, caret), severities, and the error limit that stops a stage.
#include "stages/common/diagnostics.h"

#include <gtest/gtest.h>

#include <sstream>

namespace tessel {
namespace {

SourceLoc At(const SourceFile& file, uint32_t offset) { return file.LocForOffset(offset); }

TEST(DiagnosticEngineTest, FormatsLocationLineAndCaret) {
  SourceFile file("model.tsl", "fn f() -> f32 {\n  let y = a @ b\n}\n");
  DiagnosticEngine diags;
  diags.Error(file, At(file, 31), "expected ';', found '}'");
  ASSERT_EQ(diags.diagnostics().size(), 1u);
  EXPECT_EQ(DiagnosticEngine::Format(diags.diagnostics()[0]),
            "model.tsl:2:16: error: expected ';', found '}'\n"
            "    let y = a @ b\n"
            "                 ^\n");
}

TEST(DiagnosticEngineTest, CaretKeepsTabsSoItLinesUp) {
  SourceFile file("t.tsl", "\tlet x = $;");
  DiagnosticEngine diags;
  diags.Error(file, At(file, 9), "unexpected character '$'");
  EXPECT_EQ(DiagnosticEngine::Format(diags.diagnostics()[0]),
            "t.tsl:1:10: error: unexpected character '$'\n"
            "  \tlet x = $;\n"
            "  \t        ^\n");
}

TEST(DiagnosticEngineTest, RangeUnderlinesWithTildes) {
  SourceFile file("t.tsl", "let x = 12ab;");
  DiagnosticEngine diags;
  diags.Error(file, SourceRange{At(file, 8), At(file, 12)}, "invalid suffix 'ab'");
  EXPECT_EQ(DiagnosticEngine::Format(diags.diagnostics()[0]),
            "t.tsl:1:9: error: invalid suffix 'ab'\n"
            "  let x = 12ab;\n"
            "          ^~~~\n");
}

TEST(DiagnosticEngineTest, RangeOverSeveralLinesMarksOnlyItsStart) {
  SourceFile file("t.tsl", "x /* open\nstill open");
  DiagnosticEngine diags;
  diags.Error(file, SourceRange{At(file, 2), At(file, 20)}, "unterminated block comment");
  EXPECT_EQ(DiagnosticEngine::Format(diags.diagnostics()[0]),
            "t.tsl:1:3: error: unterminated block comment\n"
            "  x /* open\n"
            "    ^\n");
}

TEST(DiagnosticEngineTest, CaretAtEndOfFileSitsAfterTheLastCharacter) {
  SourceFile file("t.tsl", "return x");
  DiagnosticEngine diags;
  diags.Error(file, At(file, 8), "expected ';', found end of file");
  EXPECT_EQ(DiagnosticEngine::Format(diags.diagnostics()[0]),
            "t.tsl:1:9: error: expected ';', found end of file\n"
            "  return x\n"
            "          ^\n");
}

TEST(DiagnosticEngineTest, CrlfSourceLineIsPrintedWithoutCarriageReturn) {
  SourceFile file("t.tsl", "a\r\nb $\r\n");
  DiagnosticEngine diags;
  diags.Error(file, At(file, 5), "unexpected character '$'");
  EXPECT_EQ(DiagnosticEngine::Format(diags.diagnostics()[0]),
            "t.tsl:2:3: error: unexpected character '$'\n"
            "  b $\n"
            "    ^\n");
}

TEST(DiagnosticEngineTest, ErrorWithoutSourceIsOneLine) {
  DiagnosticEngine diags;
  diags.Error("cannot open 'x.tsl'");
  EXPECT_EQ(DiagnosticEngine::Format(diags.diagnostics()[0]),
            "tessel: error: cannot open 'x.tsl'\n");
  EXPECT_EQ(diags.error_count(), 1);
}

TEST(DiagnosticEngineTest, WarningsAndNotesAreNotErrors) {
  SourceFile file("t.tsl", "x");
  DiagnosticEngine diags;
  diags.Warning(file, At(file, 0), "unused value");
  diags.Note(file, At(file, 0), "declared here");
  EXPECT_FALSE(diags.has_errors());
  EXPECT_EQ(diags.error_count(), 0);
  ASSERT_EQ(diags.diagnostics().size(), 2u);
  EXPECT_EQ(DiagnosticEngine::Format(diags.diagnostics()[0]).rfind("t.tsl:1:1: warning: ", 0), 0u);
  EXPECT_EQ(DiagnosticEngine::Format(diags.diagnostics()[1]).rfind("t.tsl:1:1: note: ", 0), 0u);
}

TEST(DiagnosticEngineTest, StopsAtTheErrorLimitWithOneNote) {
  SourceFile file("t.tsl", "x");
  DiagnosticEngine diags(3);
  for (int i = 0; i < 2; ++i) diags.Error(file, At(file, 0), "error " + std::to_string(i));
  EXPECT_FALSE(diags.ShouldStop());
  for (int i = 2; i < 10; ++i) diags.Error(file, At(file, 0), "error " + std::to_string(i));
  EXPECT_TRUE(diags.ShouldStop());
  EXPECT_EQ(diags.error_count(), 3);
  ASSERT_EQ(diags.diagnostics().size(), 4u);
  const Diagnostic& note = diags.diagnostics().back();
  EXPECT_EQ(note.severity, Severity::kNote);
  EXPECT_EQ(note.message, "too many errors emitted (limit 3), stopping now");
}

TEST(DiagnosticEngineTest, DefaultLimitIsTwenty) {
  DiagnosticEngine diags;
  for (int i = 0; i < 19; ++i) diags.Error("e");
  EXPECT_FALSE(diags.ShouldStop());
  diags.Error("e");
  EXPECT_TRUE(diags.ShouldStop());
}

TEST(DiagnosticEngineTest, LimitZeroMeansNoLimit) {
  DiagnosticEngine diags(0);
  for (int i = 0; i < 100; ++i) diags.Error("e");
  EXPECT_FALSE(diags.ShouldStop());
  EXPECT_EQ(diags.error_count(), 100);
}

TEST(DiagnosticEngineTest, PrintWritesEveryDiagnosticInOrder) {
  SourceFile file("t.tsl", "a\nb");
  DiagnosticEngine diags;
  diags.Error(file, At(file, 2), "second line");
  diags.Error(file, At(file, 0), "first line");
  std::ostringstream out;
  diags.Print(out);
  EXPECT_EQ(out.str(),
            "t.tsl:2:1: error: second line\n  b\n  ^\n"
            "t.tsl:1:1: error: first line\n  a\n  ^\n");
}

}  // namespace
}  // namespace tessel
