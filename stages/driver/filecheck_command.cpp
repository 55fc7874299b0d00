// `tessel filecheck` (filecheck_command.h): read both texts, run FileCheck, print the report.
#include "stages/driver/filecheck_command.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>

#include "stages/driver/run_command.h"
#include "stages/testing/filecheck.h"

namespace tessel {

namespace {

std::optional<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

int RunFileCheckCommand(const FileCheckCommandOptions& options) {
  std::optional<std::string> checks = ReadText(options.checks);
  if (!checks) return ReportUserError("cannot open '" + options.checks + "'");
  std::string input;
  if (options.input.empty()) {
    std::ostringstream text;
    text << std::cin.rdbuf();
    input = text.str();
  } else {
    std::optional<std::string> text = ReadText(options.input);
    if (!text) return ReportUserError("cannot open '" + options.input + "'");
    input = *text;
  }
  testing::FileCheckOptions check_options;
  check_options.checks_name = options.checks;
  check_options.input_name = options.input.empty() ? "<stdin>" : options.input;
  check_options.prefix = options.prefix;
  testing::FileCheckResult result = testing::FileCheck(*checks, input, check_options);
  if (result.ok) return 0;
  std::cerr << result.report;
  return 1;
}

}  // namespace tessel
