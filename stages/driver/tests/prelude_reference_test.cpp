// The prelude and the ported primitives against PyTorch (docs/language.md §5): each case of
// stages/driver/tests/prelude_reference/cases.json is a small Tessel program calling one
// function (conv2d with groups, maxpool2d with ceil_mode, gelu, floor_mod, update_slice in a
// loop, ...), compiled as `tessel run` compiles it, run by the reference interpreter on the
// case's inputs and compared with expected.npy, which tools/make_prelude_reference.py computed
// with PyTorch (or NumPy) in float64 from the same float32 inputs.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/driver/run_tsl.h"
#include "stages/ir/interpreter.h"
#include "stages/ir/printer.h"
#include "stages/runtime/compare.h"
#include "stages/runtime/npy.h"

namespace tessel {
namespace {

const std::string kDir = std::string(TESSEL_SOURCE_DIR) + "/stages/driver/tests/prelude_reference";

struct PreludeCase {
  std::string name;
  std::string source;
  std::vector<std::string> inputs;
  Tolerance tolerance;
};

std::vector<PreludeCase> LoadCases() {
  std::ifstream in(kDir + "/cases.json");
  nlohmann::json json = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  std::vector<PreludeCase> cases;
  if (json.is_discarded()) return cases;  // the test below then fails: no cases
  for (const nlohmann::json& entry : json["cases"]) {
    PreludeCase c;
    c.name = entry["name"].get<std::string>();
    c.source = entry["source"].get<std::string>();
    c.inputs = entry["inputs"].get<std::vector<std::string>>();
    c.tolerance = {entry["tolerance"]["abs"].get<double>(),
                   entry["tolerance"]["rel"].get<double>()};
    cases.push_back(std::move(c));
  }
  return cases;
}

const std::vector<PreludeCase>& Cases() {
  static const std::vector<PreludeCase> cases = LoadCases();
  return cases;
}

Tensor ReadCaseNpy(const PreludeCase& c, const std::string& name) {
  std::string error;
  std::optional<Tensor> tensor = ReadNpy(kDir + "/" + c.name + "/" + name + ".npy", &error);
  EXPECT_TRUE(tensor) << error;
  return tensor ? *tensor : Tensor();
}

TEST(PreludeReferenceCasesTest, AreThere) {
  EXPECT_GE(Cases().size(), 40u) << "cannot read " << kDir << "/cases.json";
}

class PreludeReferenceTest : public ::testing::TestWithParam<size_t> {};

TEST_P(PreludeReferenceTest, MatchesPyTorch) {
  const PreludeCase& c = Cases().at(GetParam());
  SourceFile file(c.name + ".tsl", c.source);
  RunOptions options;
  options.file = file.name();
  DiagnosticEngine diags;
  std::string flag_error;
  std::unique_ptr<ir::Module> module = CompileTslFile(file, options, {}, diags, &flag_error);
  std::ostringstream messages;
  diags.Print(messages);
  ASSERT_TRUE(module) << c.source << messages.str() << flag_error;
  std::vector<Tensor> args;
  for (const std::string& input : c.inputs) args.push_back(ReadCaseNpy(c, input));
  std::string error;
  std::optional<Tensor> actual = ir::Interpret(*module, *module->functions().front(), args, &error);
  ASSERT_TRUE(actual) << error << "\n" << c.source;
  Comparison comparison = CompareTensors(*actual, ReadCaseNpy(c, "expected"), c.tolerance);
  EXPECT_TRUE(comparison.equal) << c.source << FormatComparison(comparison, c.tolerance);
}

std::string CaseName(const ::testing::TestParamInfo<size_t>& info) {
  return Cases().at(info.param).name;
}

INSTANTIATE_TEST_SUITE_P(Prelude, PreludeReferenceTest, ::testing::Range<size_t>(0, Cases().size()),
                         CaseName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(PreludeReferenceTest);

}  // namespace
}  // namespace tessel
