// `tessel filecheck CHECKS [--input FILE]`: FileCheck (stages/testing/filecheck.h) as a command,
// so a test's directives can be tried by hand on what `tessel run ... --emit ir` prints:
//
//   tessel run model.tsl --emit ir | tessel filecheck model.checks
#pragma once

#include <string>

namespace tessel {

struct FileCheckCommandOptions {
  std::string checks;  // the file with the directives
  std::string input;   // the file to check; empty: standard input
  std::string prefix = "CHECK";
};

/// Checks the input against the directives. Returns 0 when it passes, 1 (the report on stderr)
/// when it does not or a file cannot be read.
int RunFileCheckCommand(const FileCheckCommandOptions& options);

}  // namespace tessel
