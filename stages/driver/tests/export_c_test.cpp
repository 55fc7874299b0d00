// The exported model (`tessel run M.tsl --emit c --output-dir DIR`): DIR/M.c and DIR/M.h build
// with a C compiler and nothing of Tessel (strict C11, every warning an error), and a plain C
// program that calls the documented entry point computes what the interpreter computes.
//
// The C program reads each input as raw floats (in the header's parameter order), calls
// NAME_packed, and writes the output raw; the test writes the inputs from the interpreter's
// own run (--output-dir) and compares. GCC always; Clang where it is installed (else the
// test says it skipped).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "stages/driver/run_command.h"
#include "stages/runtime/compare.h"
#include "stages/runtime/npy.h"

namespace tessel {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int Shell(const std::string& command) { return std::system((command + " > /dev/null 2>&1").c_str()); }

constexpr const char* kMain = R"(#include <stdio.h>
#include <stdlib.h>
#include "MODEL.h"

/* argv: the inputs (raw float files, in the entry's order), then the output file and its
   element count. */
int main(int argc, char **argv) {
  int inputs = argc - 3;
  void *args[64];
  for (int i = 0; i < inputs; ++i) {
    FILE *f = fopen(argv[1 + i], "rb");
    if (!f) return 2;
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    args[i] = malloc((size_t)bytes);
    if (fread(args[i], 1, (size_t)bytes, f) != (size_t)bytes) return 3;
    fclose(f);
  }
  long count = atol(argv[argc - 1]);
  float *out = calloc((size_t)count, sizeof(float));
  args[inputs] = out;
  ENTRY_packed(args);
  FILE *f = fopen(argv[argc - 2], "wb");
  if (!f || fwrite(out, sizeof(float), (size_t)count, f) != (size_t)count) return 4;
  fclose(f);
  return 0;
}
)";

void ExpectExportBuildsAndRuns(const std::string& name, const std::string& compiler) {
  fs::path dir = fs::temp_directory_path() / ("tessel_export_" + name + "_" + compiler);
  fs::remove_all(dir);
  fs::create_directories(dir / "model");
  RunOptions run;
  run.file = std::string(TESSEL_SOURCE_DIR) + "/examples/" + name + ".tsl";
  run.output_dir = (dir / "interp").string();
  testing::internal::CaptureStdout();
  ASSERT_EQ(RunCommand(run), 0);
  RunOptions emit;
  emit.file = run.file;
  emit.emit = "c";
  emit.output_dir = (dir / "model").string();
  ASSERT_EQ(RunCommand(emit), 0);
  testing::internal::GetCapturedStdout();

  // The entry's inputs in the header's order: "const float *x  /* in f32[4, 784] */".
  std::string header = ReadText(dir / "model" / (name + ".h"));
  std::regex param(R"(const float \*(\w+)  /\* in )");
  std::string inputs;
  for (std::sregex_iterator it(header.begin(), header.end(), param), end; it != end; ++it) {
    std::string input = (*it)[1];
    std::string error;
    std::optional<Tensor> tensor = ReadNpy((dir / "interp" / ("input_" + input + ".npy")).string(), &error);
    ASSERT_TRUE(tensor) << error;
    std::ofstream raw(dir / (input + ".raw"), std::ios::binary);
    raw.write(reinterpret_cast<const char*>(tensor->bytes().data()),
              static_cast<std::streamsize>(tensor->bytes().size()));
    inputs += " " + (dir / (input + ".raw")).string();
  }
  ASSERT_FALSE(inputs.empty()) << header;
  std::smatch entry;
  ASSERT_TRUE(std::regex_search(header, entry, std::regex(R"(void (\w+)_packed\(void \*\*args\);)"))) << header;
  std::string main = std::regex_replace(std::regex_replace(kMain, std::regex("MODEL"), name),
                                        std::regex("ENTRY"), entry[1].str());
  std::ofstream(dir / "main.c") << main;

  std::string build = compiler + " -std=c11 -O2 -march=native -fopenmp -Wall -Wextra -Werror -I" +
                      (dir / "model").string() + " " + (dir / "main.c").string() + " " +
                      (dir / "model" / (name + ".c")).string() + " -lm -o " + (dir / "prog").string();
  ASSERT_EQ(Shell(build + " 2> " + (dir / "build.log").string()), 0)
      << build << "\n" << ReadText(dir / "build.log");
  std::string error;
  std::optional<Tensor> expected = ReadNpy((dir / "interp" / "output.npy").string(), &error);
  ASSERT_TRUE(expected) << error;
  std::string command = (dir / "prog").string() + inputs + " " + (dir / "out.raw").string() + " " +
                        std::to_string(expected->size());
  ASSERT_EQ(Shell(command), 0) << command;
  Tensor actual(DType::kF32, expected->shape());
  std::ifstream raw(dir / "out.raw", std::ios::binary);
  raw.read(reinterpret_cast<char*>(actual.bytes().data()), static_cast<std::streamsize>(actual.bytes().size()));
  Comparison c = CompareTensors(actual, *expected);
  EXPECT_TRUE(c.equal) << name << " built with " << compiler << ": " << FormatComparison(c);
}

TEST(ExportedModel, TransformerBuildsWithGccAndRuns) { ExpectExportBuildsAndRuns("transformer", "gcc"); }
TEST(ExportedModel, MlpBuildsWithGccAndRuns) { ExpectExportBuildsAndRuns("mlp", "gcc"); }
TEST(ExportedModel, CnnBuildsWithGccAndRuns) { ExpectExportBuildsAndRuns("cnn", "gcc"); }

TEST(ExportedModel, TransformerBuildsWithClangAndRuns) {
  if (Shell("clang --version") != 0) GTEST_SKIP() << "clang is not installed: only GCC was tried";
  ExpectExportBuildsAndRuns("transformer", "clang");
}

}  // namespace
}  // namespace tessel
