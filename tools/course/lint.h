// Manifest lint (`tessel grade LAB --lint`): the manifest, the test binary,
// the solution markers and the handout's points table must agree.
#pragma once

#include <string>
#include <vector>

#include "tools/course/manifest.h"

namespace tessel::course {

/// Where the lint looks.
struct LintInputs {
  const Manifest* manifest = nullptr;
  std::vector<std::string> tests;  // every test in the lab's binary, "Suite.Name"
  std::string source_dir;          // the repository
  std::string lab_dir;             // "lab01_lexer_parser"
};

/// Every problem found, one line each; empty when the lab is consistent.
std::vector<std::string> LintLab(const LintInputs& inputs);

/// Rows of a Markdown table whose first cell is a task id: {id, title, points text}.
std::vector<std::vector<std::string>> HandoutTaskRows(const std::string& markdown);

}  // namespace tessel::course
