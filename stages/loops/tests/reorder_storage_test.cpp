// reorder_storage (given, stages/loops/reorder_storage.cpp): an allocated buffer's dimensions
// are laid out in another order; every access permutes alike, so the results do not change.
#include <gtest/gtest.h>

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
  Module m = MustParse(kThroughScratch);
  Tensor a = Tensor::FromValues(DType::kF32, {3, 4}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  std::string error;
  auto before = RunFunction(m, m.functions[0], {a}, &error);
  ASSERT_TRUE(before) << error;
  ReorderStorage(m.functions[0], "t", {1, 0});
  std::string text = PrintFunction(m.functions[0]);
  EXPECT_NE(text.find("allocate %t: f32[4, 3]"), std::string::npos) << text;
  EXPECT_NE(text.find("%t[j, i] = %a[i, j] * 2.0"), std::string::npos) << text;
  EXPECT_NE(text.find("%b[q, p] = %t[q, p] + 1.0"), std::string::npos) << text;
  EXPECT_TRUE(VerifyFunction(m, m.functions[0]).empty());
  auto after = RunFunction(m, m.functions[0], {a}, &error);
  ASSERT_TRUE(after) << error;
  for (int64_t i = 0; i < 12; ++i) EXPECT_EQ((*after)[0].Get(i), (*before)[0].Get(i)) << i;
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

}  // namespace
}  // namespace tessel::loops
