// Unit tests of stages/common/source: the line table behind every location
// the lexer, the parser and the diagnostics engine report.
#include "stages/common/source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace tessel {
namespace {

SourceLoc Loc(uint32_t offset, uint32_t line, uint32_t col) { return {offset, line, col}; }

TEST(SourceFileTest, FirstLineColumnsAreOneBased) {
  SourceFile file("a.tsl", "abc\ndef");
  EXPECT_EQ(file.LocForOffset(0), Loc(0, 1, 1));
  EXPECT_EQ(file.LocForOffset(2), Loc(2, 1, 3));
}

TEST(SourceFileTest, NewlineBelongsToTheLineItEnds) {
  SourceFile file("a.tsl", "abc\ndef");
  EXPECT_EQ(file.LocForOffset(3), Loc(3, 1, 4));
  EXPECT_EQ(file.LocForOffset(4), Loc(4, 2, 1));
}

TEST(SourceFileTest, LastLineWithoutNewline) {
  SourceFile file("a.tsl", "a\nbc");
  EXPECT_EQ(file.line_count(), 2u);
  EXPECT_EQ(file.LocForOffset(3), Loc(3, 2, 2));
  EXPECT_EQ(file.LocForOffset(4), Loc(4, 2, 3));  // the end of the text
  EXPECT_EQ(file.LineText(2), "bc");
}

TEST(SourceFileTest, TrailingNewlineStartsAnEmptyLastLine) {
  SourceFile file("a.tsl", "x\n");
  EXPECT_EQ(file.line_count(), 2u);
  EXPECT_EQ(file.LineText(2), "");
  EXPECT_EQ(file.LocForOffset(2), Loc(2, 2, 1));
}

TEST(SourceFileTest, OffsetsPastTheEndMapToTheEnd) {
  SourceFile file("a.tsl", "ab\ncd");
  EXPECT_EQ(file.LocForOffset(100), Loc(5, 2, 3));
}

TEST(SourceFileTest, EmptyFileHasOneEmptyLine) {
  SourceFile file("a.tsl", "");
  EXPECT_EQ(file.line_count(), 1u);
  EXPECT_EQ(file.LineText(1), "");
  EXPECT_EQ(file.LocForOffset(0), Loc(0, 1, 1));
}

TEST(SourceFileTest, CrlfLinesDropTheCarriageReturn) {
  SourceFile file("a.tsl", "ab\r\ncd\r\nef");
  EXPECT_EQ(file.line_count(), 3u);
  EXPECT_EQ(file.LineText(1), "ab");
  EXPECT_EQ(file.LineText(2), "cd");
  EXPECT_EQ(file.LineText(3), "ef");
  EXPECT_EQ(file.LocForOffset(4), Loc(4, 2, 1));
  EXPECT_EQ(file.LocForOffset(9), Loc(9, 3, 2));
}

TEST(SourceFileTest, LineTextOutOfRangeIsEmpty) {
  SourceFile file("a.tsl", "x\ny");
  EXPECT_EQ(file.LineText(0), "");
  EXPECT_EQ(file.LineText(3), "");
}

TEST(SourceFileTest, TabCountsAsOneColumn) {
  SourceFile file("a.tsl", "\t\tx");
  EXPECT_EQ(file.LocForOffset(2), Loc(2, 1, 3));
}

TEST(ReadSourceFileTest, ReadsTheWholeFile) {
  std::filesystem::path path = std::filesystem::path(::testing::TempDir()) / "read_test.tsl";
  {
    std::ofstream out(path, std::ios::binary);
    out << "const N = 4;\r\nfn f() -> f32 { return 1.0; }\n";
  }
  std::string error;
  std::optional<SourceFile> file = ReadSourceFile(path.string(), &error);
  ASSERT_TRUE(file.has_value()) << error;
  EXPECT_EQ(file->name(), path.string());
  EXPECT_EQ(file->line_count(), 3u);
  EXPECT_EQ(file->LineText(1), "const N = 4;");
  std::filesystem::remove(path);
}

TEST(ReadSourceFileTest, MissingFileIsAnErrorNamingThePath) {
  std::string error;
  std::optional<SourceFile> file = ReadSourceFile("/no/such/dir/model.tsl", &error);
  EXPECT_FALSE(file.has_value());
  EXPECT_NE(error.find("cannot open '/no/such/dir/model.tsl'"), std::string::npos) << error;
}

}  // namespace
}  // namespace tessel
