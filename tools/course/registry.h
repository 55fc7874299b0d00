// The lab registry, bin/labs.json: which labs this build has, the tree each
// was compiled from, its learner files and its graded test binary.
//
// cmake/TesselLabs.cmake writes it at configure time next to the executables,
// so `tessel` and `tessel-grade` find everything from their own location.
#pragma once

#include <string>
#include <vector>

namespace tessel::course {

/// One lab of this build.
struct LabEntry {
  std::string lab;   // "lab01"
  std::string dir;   // "lab01_lexer_parser"
  std::string tree;  // what was compiled: "lab01_lexer_parser" or "solutions/..."
  bool uses_solution = false;
  std::vector<std::string> files;  // the learner's files, relative to `tree`
  std::string tests;               // the test binary's name, "lab01_tests"
  std::string judge;   // a judged lab's judge, "lab01_judge" ("": graded in-process)
  std::string runner;  // and its runner, the one program linked with the learner's code
};

/// The whole registry plus the folder it was read from.
struct Registry {
  std::string bin_dir;     // where labs.json, tessel and the test binaries live
  std::string source_dir;  // the repository
  std::string build_dir;   // the CMake build folder
  std::string solutions;   // TESSEL_SOLUTIONS as configured
  std::vector<LabEntry> labs;

  /// The lab named `lab` ("lab01", or its folder "lab01_lexer_parser"), or nullptr.
  const LabEntry* Find(const std::string& lab) const;
  /// `<source_dir>/<dir>/lab.json`
  std::string ManifestPath(const LabEntry& lab) const;
  /// `<bin_dir>/<tests>`
  std::string TestBinary(const LabEntry& lab) const;
  /// The names of every lab, "lab01, lab02".
  std::string LabNames() const;
};

/// The folder holding the running executable (from /proc/self/exe).
std::string ExecutableDir();

/// Parses labs.json text; `bin_dir` is recorded as the registry's folder.
bool ParseRegistry(const std::string& text, const std::string& bin_dir, Registry* out,
                   std::string* error);

/// Reads `<bin_dir>/labs.json`.
bool LoadRegistry(const std::string& bin_dir, Registry* out, std::string* error);

}  // namespace tessel::course
