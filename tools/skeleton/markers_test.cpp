// Unit tests of the solution-marker parser and the skeleton renderer
// (tools/skeleton/markers.h): what a skeleton looks like, that everything
// outside a block survives byte for byte, and every malformed-marker error.
#include "tools/skeleton/markers.h"

#include <gtest/gtest.h>

namespace tessel {
namespace {

const char kSection[] = "lab01_lexer_parser/README.md §4.3";

std::string SectionOf(const std::string&) { return kSection; }
bool KeepNone(const std::string&) { return false; }
bool KeepAll(const std::string&) { return true; }

MarkedFile Parse(const std::string& text) {
  MarkedFile file;
  std::string error;
  EXPECT_TRUE(ParseMarkers(text, "parser.cpp", &file, &error)) << error;
  return file;
}

// The error ParseMarkers reports for `text`, or "" when it parses.
std::string ErrorOf(const std::string& text) {
  MarkedFile file;
  std::string error;
  if (ParseMarkers(text, "parser.cpp", &file, &error)) return "";
  return error;
}

const char kSolution[] =
    "// A header comment.\n"
    "int Add(int a, int b) {\n"
    "  // BEGIN SOLUTION lab01.t3: add the two numbers\n"
    "  return a + b;\n"
    "  // END SOLUTION\n"
    "}\n"
    "\n"
    "int Twice(int a) {\n"
    "  // BEGIN SOLUTION lab01.t4: return twice a\n"
    "  int twice = a * 2;\n"
    "  return twice;\n"
    "  // SKELETON\n"
    "  // return 0;  // replace me\n"
    "  //\n"
    "  //   (indented)\n"
    "  // END SOLUTION\n"
    "}\n";

TEST(ParseMarkersTest, FindsBlocksWithTaskWhatAndLines) {
  MarkedFile file = Parse(kSolution);
  ASSERT_EQ(file.blocks.size(), 2u);
  EXPECT_EQ(file.blocks[0].task, "lab01.t3");
  EXPECT_EQ(file.blocks[0].what, "add the two numbers");
  EXPECT_EQ(file.blocks[0].begin_line, 3);
  EXPECT_EQ(file.blocks[0].end_line, 5);
  EXPECT_TRUE(file.blocks[0].replacement.empty());
  EXPECT_EQ(file.blocks[1].task, "lab01.t4");
  EXPECT_EQ(file.blocks[1].begin_line, 9);
  EXPECT_EQ(file.blocks[1].end_line, 16);
  EXPECT_EQ(file.lines.size(), 17u);
  EXPECT_TRUE(file.ends_with_newline);
}

TEST(ParseMarkersTest, UncommentsSkeletonLinesKeepingTheirIndent) {
  MarkedFile file = Parse(kSolution);
  ASSERT_EQ(file.blocks.size(), 2u);
  std::vector<std::string> expected = {"  return 0;  // replace me", "", "    (indented)"};
  EXPECT_EQ(file.blocks[1].replacement, expected);
}

TEST(RenderFileTest, SkeletonHasTodoAndUnimplementedCall) {
  std::string skeleton = RenderFile(Parse(kSolution), KeepNone, SectionOf);
  EXPECT_EQ(skeleton,
            "// A header comment.\n"
            "int Add(int a, int b) {\n"
            "  // TODO(lab01.t3): add the two numbers\n"
            "  TESSEL_UNIMPLEMENTED(\"lab01.t3\", \"add the two numbers\", "
            "\"lab01_lexer_parser/README.md §4.3\");\n"
            "}\n"
            "\n"
            "int Twice(int a) {\n"
            "  // TODO(lab01.t4): return twice a\n"
            "  return 0;  // replace me\n"
            "\n"
            "    (indented)\n"
            "}\n");
}

TEST(RenderFileTest, KeptBlocksLoseOnlyTheirMarkerLines) {
  std::string solution = RenderFile(Parse(kSolution), KeepAll, SectionOf);
  EXPECT_EQ(solution,
            "// A header comment.\n"
            "int Add(int a, int b) {\n"
            "  return a + b;\n"
            "}\n"
            "\n"
            "int Twice(int a) {\n"
            "  int twice = a * 2;\n"
            "  return twice;\n"
            "}\n");
}

TEST(RenderFileTest, KeepChoosesPerTask) {
  auto keep_t3 = [](const std::string& task) { return task == "lab01.t3"; };
  std::string prefix = RenderFile(Parse(kSolution), keep_t3, SectionOf);
  EXPECT_NE(prefix.find("  return a + b;\n"), std::string::npos);
  EXPECT_EQ(prefix.find("TODO(lab01.t3)"), std::string::npos);
  EXPECT_NE(prefix.find("// TODO(lab01.t4): return twice a\n  return 0;"), std::string::npos);
}

TEST(RenderFileTest, TextWithoutMarkersIsUnchangedByteForByte) {
  const std::string text = "a\r\n\n  \tb  \n\n\nlast line without newline";
  EXPECT_EQ(RenderFile(Parse(text), KeepNone, SectionOf), text);
  EXPECT_EQ(RenderFile(Parse(""), KeepNone, SectionOf), "");
  EXPECT_EQ(RenderFile(Parse("\n\n"), KeepNone, SectionOf), "\n\n");
}

TEST(RenderFileTest, MissingFinalNewlineIsKept) {
  const std::string text = "x\n// BEGIN SOLUTION lab01.t1: do it\ny\n// END SOLUTION";
  EXPECT_EQ(RenderFile(Parse(text), KeepAll, SectionOf), "x\ny");
  EXPECT_EQ(
      RenderFile(Parse(text), KeepNone, SectionOf),
      "x\n// TODO(lab01.t1): do it\n"
      "TESSEL_UNIMPLEMENTED(\"lab01.t1\", \"do it\", \"lab01_lexer_parser/README.md §4.3\");");
}

TEST(RenderFileTest, EscapesWhatInTheStringLiteral) {
  const std::string text =
      "// BEGIN SOLUTION lab01.t2: skip \"//\" and \\ comments\nx;\n// END SOLUTION\n";
  std::string skeleton = RenderFile(Parse(text), KeepNone, [](const std::string&) { return "s"; });
  EXPECT_EQ(skeleton,
            "// TODO(lab01.t2): skip \"//\" and \\ comments\n"
            "TESSEL_UNIMPLEMENTED(\"lab01.t2\", \"skip \\\"//\\\" and \\\\ comments\", \"s\");\n");
}

TEST(RenderFileTest, WrapsALongCallWithinOneHundredColumns) {
  const std::string what(60, 'w');
  const std::string text =
      "    // BEGIN SOLUTION lab01.t5: " + what + "\n    x;\n    // END SOLUTION\n";
  std::string skeleton = RenderFile(Parse(text), KeepNone, SectionOf);
  EXPECT_EQ(skeleton, "    // TODO(lab01.t5): " + what +
                          "\n    TESSEL_UNIMPLEMENTED(\"lab01.t5\", \"" + what +
                          "\",\n                         \"" + kSection + "\");\n");
}

TEST(RenderFileTest, PutsEachArgumentOnItsOwnLineWhenStillTooLong) {
  const std::string what(70, 'w');
  const std::string text = "  // BEGIN SOLUTION lab01.t5: " + what + "\n  x;\n  // END SOLUTION\n";
  std::string skeleton = RenderFile(Parse(text), KeepNone, SectionOf);
  const std::string align(23, ' ');
  EXPECT_EQ(skeleton, "  // TODO(lab01.t5): " + what + "\n  TESSEL_UNIMPLEMENTED(\"lab01.t5\",\n" +
                          align + "\"" + what + "\",\n" + align + "\"" + kSection + "\");\n");
}

TEST(ParseMarkersTest, MentionsOfMarkersInsideOtherTextAreCode) {
  const std::string text =
      "x = 1;  // BEGIN SOLUTION lab01.t1: not a marker\n"
      "// BEGIN SOLUTIONS are described in markers.h\n"
      "// see END SOLUTION\n";
  MarkedFile file = Parse(text);
  EXPECT_TRUE(file.blocks.empty());
  EXPECT_EQ(RenderFile(file, KeepNone, SectionOf), text);
}

TEST(ParseMarkersErrorTest, NestedBegin) {
  EXPECT_EQ(ErrorOf("// BEGIN SOLUTION lab01.t1: a\n"
                    "// BEGIN SOLUTION lab01.t2: b\n"
                    "// END SOLUTION\n"),
            "parser.cpp:2: BEGIN SOLUTION inside the block opened at line 1 (blocks do not nest)");
}

TEST(ParseMarkersErrorTest, EndWithoutBegin) {
  EXPECT_EQ(ErrorOf("x;\n  // END SOLUTION\n"),
            "parser.cpp:2: END SOLUTION without a BEGIN SOLUTION");
}

TEST(ParseMarkersErrorTest, MissingEndIsReportedAtTheBegin) {
  EXPECT_EQ(ErrorOf("x;\n// BEGIN SOLUTION lab01.t3: a\ny;\n"),
            "parser.cpp:2: BEGIN SOLUTION lab01.t3 has no END SOLUTION");
}

TEST(ParseMarkersErrorTest, BadTaskId) {
  for (const char* id : {"lab1.t3", "lab01.3", "lab01.t", "lab01", "Lab01.t3", "lab01.t3x", ""}) {
    std::string text = std::string("// BEGIN SOLUTION ") + id + ": do it\n// END SOLUTION\n";
    EXPECT_EQ(ErrorOf(text), std::string("parser.cpp:1: bad task id '") + id +
                                 "' in BEGIN SOLUTION (expected labNN.tK, e.g. lab01.t3)")
        << text;
  }
}

TEST(ParseMarkersErrorTest, EmptyWhat) {
  const std::string expected =
      "parser.cpp:1: BEGIN SOLUTION lab01.t3 does not say what to do (write '// BEGIN SOLUTION "
      "lab01.t3: <what to do>')";
  EXPECT_EQ(ErrorOf("// BEGIN SOLUTION lab01.t3:\n// END SOLUTION\n"), expected);
  EXPECT_EQ(ErrorOf("// BEGIN SOLUTION lab01.t3:   \n// END SOLUTION\n"), expected);
  EXPECT_EQ(ErrorOf("// BEGIN SOLUTION lab01.t3\n// END SOLUTION\n"), expected);
}

TEST(ParseMarkersErrorTest, SkeletonOutsideABlock) {
  EXPECT_EQ(ErrorOf("// SKELETON\n"),
            "parser.cpp:1: SKELETON outside a BEGIN SOLUTION ... END SOLUTION block");
}

TEST(ParseMarkersErrorTest, SecondSkeleton) {
  EXPECT_EQ(ErrorOf("// BEGIN SOLUTION lab01.t1: a\nx;\n// SKELETON\n// y;\n// SKELETON\n"
                    "// END SOLUTION\n"),
            "parser.cpp:5: second SKELETON in the block opened at line 1");
}

TEST(ParseMarkersErrorTest, CodeAfterSkeleton) {
  EXPECT_EQ(ErrorOf("// BEGIN SOLUTION lab01.t1: a\n// SKELETON\n// y;\nz;\n// END SOLUTION\n"),
            "parser.cpp:4: every line between SKELETON and END SOLUTION must be a '// ' comment");
}

TEST(ParseMarkersErrorTest, EmptySkeleton) {
  EXPECT_EQ(ErrorOf("// BEGIN SOLUTION lab01.t1: a\nx;\n  // SKELETON\n// END SOLUTION\n"),
            "parser.cpp:3: SKELETON has no lines before END SOLUTION (write the skeleton's code "
            "as '// ' comments, or drop SKELETON)");
}

TEST(IsTaskIdTest, AcceptsLabAndTaskNumbers) {
  EXPECT_TRUE(IsTaskId("lab01.t1"));
  EXPECT_TRUE(IsTaskId("lab06.t12"));
  EXPECT_FALSE(IsTaskId("lab01.t"));
  EXPECT_FALSE(IsTaskId("lab001.t1"));
}

}  // namespace
}  // namespace tessel
