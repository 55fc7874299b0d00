// The loop IR's verifier on modules built by code (the parser already refuses these in text).
#include <gtest/gtest.h>

#include "stages/loops/parser.h"
#include "stages/loops/verifier.h"

namespace tessel::loops {
namespace {

std::string Problems(const Module& m) {
  std::string out;
  for (const std::string& p : VerifyModule(m)) out += p + "\n";
  return out;
}

Function Kernel(std::string name, std::vector<BufferPtr> in, std::vector<BufferPtr> out,
                StmtPtr body) {
  Function f;
  f.name = std::move(name);
  f.inputs = std::move(in);
  f.outputs = std::move(out);
  f.body = std::move(body);
  return f;
}

TEST(LoopIrVerifierTest, ParsedModulesVerify) {
  std::string error;
  std::optional<Module> m = ParseModuleText(
      "kernel @k(%x: f32[4]) -> (%y: f32[4]) {\n"
      "  allocate %t: f32[4] local\n"
      "  for i in 0..4 {\n    %t[i] = %x[i]\n    %y[i] = %t[i]\n  }\n}\n",
      &error);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(Problems(*m), "");
}

TEST(LoopIrVerifierTest, UndefinedVariablesAndOutOfScopeBuffersAreFound) {
  BufferPtr x = MakeBuffer("x", DType::kF32, {4}), y = MakeBuffer("y", DType::kF32, {4});
  BufferPtr t = MakeBuffer("t", DType::kF32, {4}, Scope::kLocal);
  Module m;
  // %t is allocated inside the first loop and used after it; j is never defined.
  m.functions.push_back(Kernel(
      "k", {x}, {y},
      Seq({For("i", Int(4), Seq({Allocate(t), Store(t, {Var("i")}, Load(x, {Var("i")}))})),
           For("i2", Int(4), Store(y, {Var("i2")}, Load(t, {Var("j")})))})));
  std::string problems = Problems(m);
  EXPECT_NE(problems.find("@k: store to %y uses %t, which is not in scope"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("@k: store to %y uses undefined variable 'j'"), std::string::npos)
      << problems;
}

TEST(LoopIrVerifierTest, KernelsStoreOnlyToOutputsAndAllocations) {
  BufferPtr x = MakeBuffer("x", DType::kF32, {4}), y = MakeBuffer("y", DType::kF32, {4});
  Module m;
  m.functions.push_back(Kernel("k", {x}, {y}, For("i", Int(4), Store(x, {Var("i")}, Const(DType::kF32, 1)))));
  EXPECT_NE(Problems(m).find("@k: store to %x: a kernel stores only to its outputs"),
            std::string::npos);
}

TEST(LoopIrVerifierTest, VectorizedLoopsNeedConstantExtents) {
  BufferPtr n = MakeBuffer("n", DType::kI32, {}), y = MakeBuffer("y", DType::kF32, {4});
  Module m;
  ExprPtr extent = Load(n, {});
  m.functions.push_back(Kernel("k", {n}, {y},
                               For("i", extent, Store(y, {Var("i")}, Const(DType::kF32, 1)),
                                   ForKind::kVectorized)));
  EXPECT_NE(Problems(m).find("@k: vectorized loop i has extent %n[], not a constant"),
            std::string::npos)
      << Problems(m);
}

TEST(LoopIrVerifierTest, NamesAreDistinctAndCallsMatchTheirKernels) {
  BufferPtr y = MakeBuffer("y", DType::kF32, {4}), z = MakeBuffer("z", DType::kF32, {5});
  Module m;
  m.functions.push_back(Kernel("k", {}, {y},
                               Seq({For("i", Int(2), Store(y, {Var("i")}, Const(DType::kF32, 1))),
                                    For("i", Int(2), Store(y, {Var("i")}, Const(DType::kF32, 2)))})));
  Function host = Kernel("main", {}, {z}, Call("k", {z}));
  host.is_kernel = false;
  m.functions.push_back(host);
  std::string problems = Problems(m);
  EXPECT_NE(problems.find("@k: 'i' is defined twice"), std::string::npos) << problems;
  EXPECT_NE(problems.find("@main: call @k passes %z (%z: f32[5]) for %y (%y: f32[4])"),
            std::string::npos)
      << problems;
}

}  // namespace
}  // namespace tessel::loops
