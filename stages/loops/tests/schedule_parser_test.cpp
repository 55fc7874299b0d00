// The schedule syntax: what parses, what prints back, and located errors for what does not.
#include <gtest/gtest.h>

#include <sstream>

#include "stages/loops/schedule.h"

namespace tessel::loops {
namespace {

std::optional<Schedule> Parse(const std::string& text, std::string* errors) {
  SourceFile file("s.sched", text);
  DiagnosticEngine diags;
  std::optional<Schedule> schedule = ParseSchedule(file, diags);
  std::ostringstream out;
  diags.Print(out);
  *errors = out.str();
  return schedule;
}

std::string Error(const std::string& text) {
  std::string errors;
  EXPECT_FALSE(Parse(text, &errors)) << text;
  return errors;
}

TEST(ScheduleParserTest, KernelsStepsCommentsAndSemicolons) {
  std::string errors;
  std::optional<Schedule> s = Parse(
      "# tile the GEMM\n@matmul:\n  tile i j 32 32 -> io jo ii ji   // blocks\n"
      "  split k 4 -> ko ki; reorder io jo ko ii ki ji\n\n@fused_add:\n  vectorize i1\n", &errors);
  ASSERT_TRUE(s) << errors;
  ASSERT_EQ(s->kernels.size(), 2u);
  EXPECT_EQ(s->kernels[0].kernel, "matmul");
  ASSERT_EQ(s->kernels[0].steps.size(), 3u);
  EXPECT_EQ(FormatStep(s->kernels[0].steps[1]), "split k 4 -> ko ki");
  EXPECT_EQ(s->kernels[0].steps[2].loc.line, 4u);
  EXPECT_EQ(s->kernels[0].steps[2].loc.col, 23u);
  EXPECT_EQ(FormatSchedule(*s),
            "@matmul:\n  tile i j 32 32 -> io jo ii ji\n  split k 4 -> ko ki\n"
            "  reorder io jo ko ii ki ji\n@fused_add:\n  vectorize i1\n");
}

TEST(ScheduleParserTest, StepsWithoutAKernelLine) {
  std::string errors;
  std::optional<Schedule> s = Parse("split i 8 -> io ii; vectorize ii\ncache_write %C j -> %acc\n", &errors);
  ASSERT_TRUE(s) << errors;
  ASSERT_EQ(s->kernels.size(), 1u);
  EXPECT_EQ(s->kernels[0].kernel, "");
  EXPECT_EQ(s->kernels[0].steps.size(), 3u);
  EXPECT_EQ(s->kernels[0].steps[2].operands, (std::vector<std::string>{"%C", "j"}));
  EXPECT_EQ(s->kernels[0].steps[2].results, (std::vector<std::string>{"%acc"}));
}

TEST(ScheduleParserTest, ErrorsPointAtTheWrongWord) {
  EXPECT_NE(Error("split i x -> a b\n").find("s.sched:1:9: error: split: expected a positive integer "
                                             "factor, found 'x' (usage: split LOOP FACTOR -> OUTER INNER)"),
            std::string::npos);
  EXPECT_NE(Error("@k:\n  splt i 4 -> a b\n").find("s.sched:2:3: error: unknown schedule primitive 'splt'"),
            std::string::npos);
  EXPECT_NE(Error("vectorize i -> v\n").find("s.sched:1:13: error: vectorize names 0 new loops"),
            std::string::npos);
  EXPECT_NE(Error("compute_at t i\n").find("s.sched:1:12: error: compute_at: expected a buffer (%name), found 't'"),
            std::string::npos);
  EXPECT_NE(Error("bind i gpu.warp\n").find("bind: expected a loop kind"), std::string::npos);
  EXPECT_NE(Error("reorder i\n").find("reorder takes at least 2 operands, found 1"), std::string::npos);
  EXPECT_NE(Error("@k split i 4 -> a b\n").find("expected ':' after the kernel name @k"), std::string::npos);
  EXPECT_NE(Error("@ :\n").find("expected a kernel name after '@'"), std::string::npos);
  EXPECT_NE(Error("split i 4 -> a 7\n").find("split: '7' is not a valid loop name"), std::string::npos);
}

}  // namespace
}  // namespace tessel::loops
