// Unit tests of FileCheck (stages/testing/filecheck.h): each directive passing and failing on a
// small printed-IR-like input, patterns with regexes and variables, and the exact report a
// failure prints.
#include "stages/testing/filecheck.h"

#include <gtest/gtest.h>

#include <string>

namespace tessel::testing {
namespace {

const char kIr[] = R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %0 = add %x, %x : f32[4]
  %1 = mul %0, %0 : f32[4]
  %2 = call @relu(%1) : f32[4]
  ret %2
}

func @relu(%y: f32[4]) -> f32[4] {
entry:
  %0 = relu %y : f32[4]
  ret %0
}
)";

bool Passes(const std::string& checks, const std::string& input = kIr) {
  FileCheckResult r = FileCheck(checks, input);
  EXPECT_EQ(r.ok, r.report.empty()) << r.report;
  return r.ok;
}

std::string Report(const std::string& checks, const std::string& input = kIr) {
  FileCheckResult r = FileCheck(checks, input);
  EXPECT_FALSE(r.ok);
  return r.report;
}

TEST(FileCheckTest, ChecksMatchInOrder) {
  EXPECT_TRUE(Passes("CHECK: add\nCHECK: mul\nCHECK: ret"));
  EXPECT_FALSE(Passes("CHECK: mul\nCHECK: add"));  // add comes before mul
  EXPECT_TRUE(Passes("CHECK: %0 = add\n// not a directive\nCHECK: call @relu"));
}

TEST(FileCheckTest, TwoChecksMayMatchOnOneLine) {
  EXPECT_TRUE(Passes("CHECK: %1 = mul\nCHECK: %0, %0"));
}

TEST(FileCheckTest, NextMustBeOnTheFollowingLine) {
  EXPECT_TRUE(Passes("CHECK: add\nCHECK-NEXT: mul\nCHECK-NEXT: call"));
  EXPECT_FALSE(Passes("CHECK: add\nCHECK-NEXT: call"));
  EXPECT_FALSE(Passes("CHECK: %1 = mul\nCHECK-NEXT: %0, %0"));  // the same line
}

TEST(FileCheckTest, NotMustStayOutOfTheRangeBetweenMatches) {
  EXPECT_TRUE(Passes("CHECK: add\nCHECK-NOT: relu\nCHECK: mul"));
  EXPECT_FALSE(Passes("CHECK: mul\nCHECK-NOT: relu\nCHECK: ret"));  // call @relu is in between
  EXPECT_FALSE(Passes("CHECK: func @relu\nCHECK-NOT: ret"));        // up to the end
  EXPECT_TRUE(Passes("CHECK-NOT: sub\nCHECK: add"));
}

TEST(FileCheckTest, DagMatchesInAnyOrderWithoutOverlap) {
  EXPECT_TRUE(Passes("CHECK-DAG: mul\nCHECK-DAG: add\nCHECK: call"));
  EXPECT_TRUE(Passes("CHECK-DAG: %0\nCHECK-DAG: %0\nCHECK-NEXT: call"));  // two distinct %0
  EXPECT_FALSE(Passes("CHECK-DAG: sub\nCHECK-DAG: add"));
  // After the group, the next directive continues after the last of its matches.
  EXPECT_FALSE(Passes("CHECK-DAG: mul\nCHECK-DAG: add\nCHECK: %0 = add"));
}

TEST(FileCheckTest, LabelsCutTheInputIntoBlocks) {
  EXPECT_TRUE(
      Passes("CHECK-LABEL: func @main\nCHECK: ret %2\nCHECK-LABEL: func @relu\n"
             "CHECK: relu %y"));
  // `relu %y` is not in @main's block, although it is later in the input.
  EXPECT_FALSE(Passes("CHECK-LABEL: func @main\nCHECK: relu %y\nCHECK-LABEL: func @relu"));
  EXPECT_FALSE(Passes("CHECK-LABEL: func @relu\nCHECK-LABEL: func @main"));
  EXPECT_TRUE(Passes("CHECK-LABEL: func @relu\nCHECK-NEXT: entry:"));
}

TEST(FileCheckTest, RegexesAndVariables) {
  EXPECT_TRUE(Passes("CHECK: %{{[0-9]+}} = mul"));
  EXPECT_TRUE(Passes("CHECK: %[[A:[0-9]+]] = add\nCHECK-NEXT: mul %[[A]], %[[A]]"));
  EXPECT_FALSE(
      Passes("CHECK: %[[A:[0-9]+]] = mul\nCHECK: call @relu(%[[A]]) : f32[4]\n"
             "CHECK: ret %[[A]]"));
  EXPECT_TRUE(Passes("CHECK: mul %[[B:[0-9]+]], %[[B]]"));  // a use in the defining pattern
  EXPECT_TRUE(Passes("CHECK: [[T:f32\\[[0-9]+\\]]] {\nCHECK: %0 = add %x, %x : [[T]]"));
  EXPECT_TRUE(Passes("CHECK: %{{[0-9]{1}}} = add"));
}

TEST(FileCheckTest, SpacesMatchAnyRunOfSpaces) {
  EXPECT_TRUE(Passes("CHECK:    %0   =   add   %x, %x"));
  EXPECT_TRUE(Passes("CHECK: a b", "a \t  b\n"));
  EXPECT_FALSE(Passes("CHECK: a b", "ab\n"));
}

TEST(FileCheckTest, PunctuationIsLiteral) {
  EXPECT_TRUE(Passes("CHECK: call @relu(%1) : f32[4]"));
  EXPECT_FALSE(Passes("CHECK: f32[5]"));
  EXPECT_TRUE(Passes("CHECK: a.b+c?", "a.b+c?\n"));
  EXPECT_FALSE(Passes("CHECK: a.b", "axb\n"));
}

TEST(FileCheckTest, AnotherPrefix) {
  FileCheckOptions options;
  options.prefix = "O2";
  EXPECT_TRUE(FileCheck("CHECK: sub\nO2: add\nO2-NEXT: mul", kIr, options).ok);
}

TEST(FileCheckTest, ProblemsWithTheChecksThemselves) {
  EXPECT_EQ(Report("// nothing to check"),
            "checks: error: no directives found (CHECK:, CHECK-NEXT:, ...)\n");
  EXPECT_EQ(Report("CHECK:   "),
            "checks:1: error: CHECK: the pattern is empty\nCHECK:   \n"
            "         ^\n");
  EXPECT_NE(Report("CHECK: {{[0-9]").find("unterminated '{{'"), std::string::npos);
  EXPECT_NE(Report("CHECK: [[A]]").find("uses the variable 'A', which no earlier match defined"),
            std::string::npos);
  EXPECT_NE(Report("CHECK-NEXT: add").find("there is no match before it"), std::string::npos);
  EXPECT_NE(Report("CHECK: {{(}}").find("bad regular expression"), std::string::npos);
}

TEST(FileCheckTest, ANotFoundReportShowsWhereTheSearchStarted) {
  EXPECT_EQ(Report("// CHECK: mul\n// CHECK-NEXT: sub %0"),
            "checks:2: error: CHECK-NEXT: expected string not found in input\n"
            "// CHECK-NEXT: sub %0\n"
            "               ^\n"
            "input:4:11: note: scanning from here\n"
            "      2 | entry:\n"
            "      3 |   %0 = add %x, %x : f32[4]\n"
            ">     4 |   %1 = mul %0, %0 : f32[4]\n"
            "                    ^\n"
            "      5 |   %2 = call @relu(%1) : f32[4]\n"
            "      6 |   ret %2\n");
}

TEST(FileCheckTest, AnExcludedStringReportShowsWhereItWasFound) {
  EXPECT_EQ(Report("CHECK: mul\nCHECK-NOT: call\nCHECK: ret"),
            "checks:2: error: CHECK-NOT: excluded string found in input\n"
            "CHECK-NOT: call\n"
            "           ^\n"
            "input:5:8: note: found here\n"
            "      3 |   %0 = add %x, %x : f32[4]\n"
            "      4 |   %1 = mul %0, %0 : f32[4]\n"
            ">     5 |   %2 = call @relu(%1) : f32[4]\n"
            "                 ^~~~\n"
            "      6 |   ret %2\n"
            "      7 | }\n");
}

TEST(FileCheckTest, ANextOnALaterLineSaysSo) {
  EXPECT_NE(Report("CHECK: add\nCHECK-NEXT: call")
                .find("CHECK-NEXT: is not on the line after the previous match"),
            std::string::npos);
}

}  // namespace
}  // namespace tessel::testing
