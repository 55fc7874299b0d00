// The given layout primitives (stages/loops/): reorder_storage lays an allocated buffer's
// dimensions out in another order, split_storage splits one in two, enclose wraps a loop in
// one of one iteration. Every access changes alike, so the results do not change.
#include <gtest/gtest.h>

#include <functional>

#include "stages/loops/interpreter.h"
#include "stages/loops/parser.h"
#include "stages/loops/primitives.h"
#include "stages/loops/printer.h"
#include "stages/loops/verifier.h"

namespace tessel::loops {
namespace {

// A transpose through a scratch buffer %t: f32[3, 4], written row by row, read column by column.
const char* kThroughScratch =
    "kernel @k(%a: f32[3, 4]) -> (%b: f32[4, 3]) {\n  allocate %t: f32[3, 4]\n"
    "  for i in 0..3 {\n    for j in 0..4 {\n      %t[i, j] = %a[i, j] * 2.0\n    }\n  }\n"
    "  for q in 0..4 {\n    for p in 0..3 {\n      %b[q, p] = %t[p, q] + 1.0\n    }\n  }\n}\n";

Module MustParse(const std::string& text) {
  std::string error;
  std::optional<Module> module = ParseModuleText(text, &error);
  EXPECT_TRUE(module.has_value()) << error;
  return module ? std::move(*module) : Module{};
}

// Runs the one-input kernel `text` on 0, 1, 2, ... of `shape`, applies `change`, checks that
// the kernel verifies and computes the same outputs, and returns it printed.
std::string ExpectSameResults(const std::string& text, const Shape& shape, const std::function<void(Function&)>& change) {
  Module m = MustParse(text);
  std::vector<double> values(static_cast<size_t>(NumElements(shape)));
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i);
  Tensor a = Tensor::FromValues(DType::kF32, shape, values);
  std::string error;
  auto before = RunFunction(m, m.functions[0], {a}, &error);
  EXPECT_TRUE(before) << error;
  change(m.functions[0]);
  EXPECT_TRUE(VerifyFunction(m, m.functions[0]).empty());
  auto after = RunFunction(m, m.functions[0], {a}, &error);
  EXPECT_TRUE(after) << error;
  if (before && after) {
    for (int64_t i = 0; i < (*before)[0].size(); ++i) EXPECT_EQ((*after)[0].Get(i), (*before)[0].Get(i)) << i;
  }
  return PrintFunction(m.functions[0]);
}

std::string Refusal(const std::string& buffer, const std::vector<int64_t>& order) {
  Module m = MustParse(kThroughScratch);
  try {
    ReorderStorage(m.functions[0], buffer, order);
  } catch (const ScheduleError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ReorderStorageTest, PermutesTheShapeAndEveryAccessAlike) {
  std::string text = ExpectSameResults(kThroughScratch, {3, 4}, [](Function& f) { ReorderStorage(f, "t", {1, 0}); });
  EXPECT_NE(text.find("allocate %t: f32[4, 3]"), std::string::npos) << text;
  EXPECT_NE(text.find("%t[j, i] = %a[i, j] * 2.0"), std::string::npos) << text;
  EXPECT_NE(text.find("%b[q, p] = %t[q, p] + 1.0"), std::string::npos) << text;
}

TEST(ReorderStorageTest, RefusesParametersAndOrdersThatAreNotPermutations) {
  EXPECT_EQ(Refusal("a", {1, 0}),
            "reorder_storage: %a is a parameter of @k; this primitive works on a buffer the kernel allocates");
  EXPECT_EQ(Refusal("t", {0}),
            "reorder_storage: %t has 2 dimensions, the order names 1 (list each of its 2 dimensions "
            "once, 0-based, outermost first in the new layout)");
  EXPECT_EQ(Refusal("t", {1, 1}),
            "reorder_storage: 1 is not a dimension of %t left to place (list each of its 2 "
            "dimensions once, 0-based, outermost first in the new layout)");
  EXPECT_EQ(Refusal("t", {0, 2}).substr(0, 40), "reorder_storage: 2 is not a dimension of");
}

// A buffer written through a split loop (io * 4 + ii) and read through a plain one.
const char* kSplitLoops =
    "kernel @k(%a: f32[10, 3]) -> (%b: f32[10, 3]) {\n  allocate %t: f32[10, 3]\n"
    "  for io in 0..3 {\n    for ii in 0..4 {\n      if io * 4 + ii < 10 {\n        for j in 0..3 {\n"
    "          %t[io * 4 + ii, j] = %a[io * 4 + ii, j] + 1.0\n        }\n      }\n    }\n  }\n"
    "  for i in 0..10 {\n    for q in 0..3 {\n      %b[i, q] = %t[i, q] * 3.0\n    }\n  }\n}\n";

TEST(SplitStorageTest, ASplitLoopsIndexReadsBackAsItsTwoLoops) {
  std::string text = ExpectSameResults(kSplitLoops, {10, 3}, [](Function& f) {
    SplitStorage(f, "t", 0, 4);
    ReorderStorage(f, "t", {0, 2, 1});
  });
  EXPECT_NE(text.find("allocate %t: f32[3, 3, 4]"), std::string::npos) << text;
  EXPECT_NE(text.find("%t[io, j, ii] = %a[io * 4 + ii, j] + 1.0"), std::string::npos) << text;
  EXPECT_NE(text.find("%b[i, q] = %t[i / 4, q, i % 4] * 3.0"), std::string::npos) << text;
}

TEST(SplitStorageTest, RefusesAMissingDimensionAFactorOverTheExtentAndAParameter) {
  Module m = MustParse(kSplitLoops);
  auto refusal = [&](const std::string& buffer, int64_t dim, int64_t factor) -> std::string {
    try {
      SplitStorage(m.functions[0], buffer, dim, factor);
    } catch (const ScheduleError& e) {
      return e.what();
    }
    return "(accepted)";
  };
  EXPECT_EQ(refusal("t", 2, 4), "split_storage: %t has no dimension 2 (it has 2, numbered from 0)");
  EXPECT_EQ(refusal("t", 1, 4), "split_storage: the factor must be between 1 and the dimension's extent 3, found 4");
  EXPECT_EQ(refusal("a", 0, 4),
            "split_storage: %a is a parameter of @k; this primitive works on a buffer the kernel allocates");
}

TEST(EncloseTest, WrapsALoopInOneOfOneIteration) {
  Module m = MustParse(kThroughScratch);
  Enclose(m.functions[0], "q", "once");
  std::string text = PrintFunction(m.functions[0]);
  EXPECT_NE(text.find("for once in 0..1 {\n    for q in 0..4 {"), std::string::npos) << text;
  EXPECT_TRUE(VerifyFunction(m, m.functions[0]).empty());
  try {
    Enclose(m.functions[0], "i", "j");
    ADD_FAILURE() << "a taken name was accepted";
  } catch (const ScheduleError& e) {
    EXPECT_EQ(std::string(e.what()), "enclose: 'j' is already a name in @k");
  }
}

}  // namespace
}  // namespace tessel::loops
