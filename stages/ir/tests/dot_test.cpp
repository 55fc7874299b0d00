// Unit tests of the Graphviz output (dot.h): the CFG and dataflow graphs of
// small functions written in IR text, compared whole, and checked by running
// Graphviz itself (`dot -Tsvg`) where it is installed.
#include "stages/ir/dot.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/ir/parser.h"

namespace tessel::ir {
namespace {

// Parses `text`; the test fails (printing the diagnostics) if it does not parse.
std::unique_ptr<Module> Parse(const std::string& text) {
  SourceFile file("test.ir", text);
  DiagnosticEngine diags;
  std::unique_ptr<Module> module = ParseModule(file, diags);
  std::ostringstream printed;
  diags.Print(printed);
  EXPECT_TRUE(module != nullptr && !diags.has_errors()) << printed.str();
  return module;
}

const Function& OnlyFunction(const Module& module) { return *module.functions().at(0); }

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) {
    ++count;
  }
  return count;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// What Graphviz says about `graph` ("" when it renders it silently), or nullopt when no
// `dot` is installed.
std::optional<std::string> GraphvizComplaints(const std::string& graph) {
  if (std::system("dot -V > /dev/null 2>&1") != 0) return std::nullopt;
  const testing::TestInfo* test = testing::UnitTest::GetInstance()->current_test_info();
  std::string base = testing::TempDir() + "tessel_dot_" + test->name();
  std::ofstream(base + ".dot") << graph;
  std::string command = "dot -Tsvg '" + base + ".dot' -o '" + base + ".svg' 2> '" + base + ".err'";
  int status = std::system(command.c_str());
  std::string complaints = ReadFile(base + ".err");
  if (status != 0 && complaints.empty())
    complaints = "dot exited with status " + std::to_string(status);
  return complaints;
}

void ExpectGraphvizAccepts(const std::string& graph) {
  std::optional<std::string> complaints = GraphvizComplaints(graph);
  if (!complaints) GTEST_SKIP() << "Graphviz (dot) is not installed; checked the text only";
  EXPECT_EQ(*complaints, "") << graph;
}

constexpr const char* kCountLoop = R"(func @count(%n: i32) -> i32 {
entry:
  %zero = constant 0 : i32
  %one = constant 1 : i32
  br loop
loop:
  %i = phi [%zero, entry], [%next, body] : i32
  %c = lt %i, %n : bool
  cond_br %c, body, exit
body:
  %next = add %i, %one : i32
  br loop
exit:
  ret %i
}
)";

TEST(CfgToDotTest, OneRecordPerBlockAndLabelledBranches) {
  auto module = Parse(kCountLoop);
  ASSERT_TRUE(module);
  EXPECT_EQ(CfgToDot(OnlyFunction(*module)),
            R"(digraph "@count" {
  node [shape=record, fontname="monospace"];
  b0 [label="{entry:|%zero = constant 0 : i32\l|%one = constant 1 : i32\l|br loop\l}"];
  b1 [label="{loop:|%i = phi [%zero, entry], [%next, body] : i32\l|%c = lt %i, %n : bool\l|cond_br %c, body, exit\l}"];
  b2 [label="{body:|%next = add %i, %one : i32\l|br loop\l}"];
  b3 [label="{exit:|ret %i\l}"];
  b0 -> b1;
  b1 -> b2 [label="true"];
  b1 -> b3 [label="false"];
  b2 -> b1;
}
)");
}

TEST(CfgToDotTest, GraphvizAcceptsTheLoop) {
  auto module = Parse(kCountLoop);
  ASSERT_TRUE(module);
  ExpectGraphvizAccepts(CfgToDot(OnlyFunction(*module)));
}

// Attributes print in braces and comparisons use '<'-free mnemonics, but names may hold
// anything when built with the C++ API: every record character must be escaped.
TEST(CfgToDotTest, EscapesRecordCharacters) {
  auto module = Parse(R"(func @sum(%x: f32[2, 3]) -> f32[2] {
entry:
  %s = reduce_sum %x {axes = [1]} : f32[2]
  ret %s
}
)");
  ASSERT_TRUE(module);
  std::string dot = CfgToDot(OnlyFunction(*module));
  EXPECT_NE(dot.find(R"(%s = reduce_sum %x \{axes = [1]\} : f32[2]\l)"), std::string::npos) << dot;
  ExpectGraphvizAccepts(dot);
}

TEST(CfgToDotTest, UnnamedValuesAndBlocksAreNumberedAsPrinted) {
  Function fn("f", Type{DType::kF32, {}});
  Argument* x = fn.AddArg(Type{DType::kF32, {}}, "");
  Block* entry = fn.AddBlock("");
  Instr* y = entry->Append(std::make_unique<Instr>(Op::kNeg, std::vector<Value*>{x}, x->type()));
  entry->Append(std::make_unique<Instr>(Op::kRet, std::vector<Value*>{y}, Type{}));
  std::string dot = CfgToDot(fn);
  EXPECT_NE(dot.find(R"(b0 [label="{bb0:|%1 = neg %0 : f32\l|ret %1\l}"];)"), std::string::npos)
      << dot;
  EXPECT_NE(DataflowToDot(fn).find(R"(v0 [label="%1 = neg : f32"];)"), std::string::npos);
}

constexpr const char* kBranchy = R"(func @g(%x: f32[4], %c: bool) -> f32[4] {
entry:
  cond_br %c, then, else
then:
  %a = exp %x : f32[4]
  br join
else:
  %b = neg %x : f32[4]
  br join
join:
  %r = phi [%a, then], [%b, else] : f32[4]
  %s = add %r, %x : f32[4]
  ret %s
}
)";

TEST(DataflowToDotTest, ANodePerValueAnEdgePerUseAClusterPerBlock) {
  auto module = Parse(kBranchy);
  ASSERT_TRUE(module);
  EXPECT_EQ(DataflowToDot(OnlyFunction(*module)),
            R"(digraph "@g dataflow" {
  node [shape=box, fontname="monospace"];
  a0 [shape=ellipse, label="%x: f32[4]"];
  a1 [shape=ellipse, label="%c: bool"];
  subgraph cluster_0 {
    label="entry";
    v0 [label="cond_br"];
  }
  subgraph cluster_1 {
    label="then";
    v1 [label="%a = exp : f32[4]"];
    v2 [label="br"];
  }
  subgraph cluster_2 {
    label="else";
    v3 [label="%b = neg : f32[4]"];
    v4 [label="br"];
  }
  subgraph cluster_3 {
    label="join";
    v5 [label="%r = phi : f32[4]"];
    v6 [label="%s = add : f32[4]"];
    v7 [label="ret"];
  }
  a1 -> v0;
  a0 -> v1;
  a0 -> v3;
  v1 -> v5 [label="then"];
  v3 -> v5 [label="else"];
  v5 -> v6;
  a0 -> v6;
  v6 -> v7;
}
)");
}

TEST(DataflowToDotTest, GraphvizAcceptsIt) {
  auto module = Parse(kBranchy);
  ASSERT_TRUE(module);
  ExpectGraphvizAccepts(DataflowToDot(OnlyFunction(*module)));
}

TEST(DataflowToDotTest, CallsNameTheirCallee) {
  auto module = Parse(R"(func @id(%x: f32) -> f32 {
entry:
  ret %x
}

func @main(%x: f32) -> f32 {
entry:
  %y = call @id(%x) : f32
  ret %y
}
)");
  ASSERT_TRUE(module);
  std::string dot = DataflowToDot(*module->functions().at(1));
  EXPECT_NE(dot.find(R"(v0 [label="%y = call @id : f32"];)"), std::string::npos) << dot;
}

// Labels and names with quotes, braces and backslashes (possible through the C++ API) come
// out escaped, and Graphviz renders them.
TEST(DotTest, EscapesQuotesAndBackslashes) {
  Type f32{DType::kF32, {}};
  Function fn("odd\"name", f32);
  Argument* x = fn.AddArg(f32, "x");
  Block* entry = fn.AddBlock("say \"hi\" {\\}");
  entry->Append(std::make_unique<Instr>(Op::kRet, std::vector<Value*>{x}, Type{}));
  std::string dataflow = DataflowToDot(fn);
  EXPECT_NE(dataflow.find(R"(label="say \"hi\" {\\}";)"), std::string::npos) << dataflow;
  EXPECT_EQ(Count(dataflow, "digraph \"@odd\\\"name dataflow\""), 1u) << dataflow;
  ExpectGraphvizAccepts(dataflow);
  ExpectGraphvizAccepts(CfgToDot(fn));
}

TEST(DotTest, ComprehensionsRender) {
  auto module = Parse(R"(func @linear(%x: f32[4, 8], %w: f32[8, 3]) -> f32[4, 3] {
entry:
  %y = comprehension(%x, %w) [n: 0..4, o: 0..3] sum [i: 0..8] (mul (read %x n i) (read %w i o)) : f32[4, 3]
  ret %y
}
)");
  ASSERT_TRUE(module);
  std::string cfg = CfgToDot(OnlyFunction(*module));
  EXPECT_EQ(Count(cfg, "comprehension(%x, %w) [n: 0..4, o: 0..3] sum [i: 0..8]"), 1u) << cfg;
  ExpectGraphvizAccepts(cfg);
}

}  // namespace
}  // namespace tessel::ir
