// Solution markers: the one source of truth for a lab's skeleton files.
//
// A solution file in solutions/labNN_*/ marks each part the learner writes:
//
//     // BEGIN SOLUTION lab01.t3: parse a binary expression by precedence climbing
//     ...the reference code...
//     // SKELETON                      (optional: what the skeleton has instead)
//     // return nullptr;               (each line loses its leading "// ")
//     // END SOLUTION
//
// The skeleton generator (tessel-skeleton) renders the file with every block
// replaced by a TODO comment and either the SKELETON lines or a
// TESSEL_UNIMPLEMENTED call, which throws the typed not-implemented error of
// stages/common/not_implemented.h. Outside the blocks the skeleton is
// byte-identical to the solution, so a diff of the two shows only the TODOs.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace tessel {

/// One BEGIN SOLUTION ... END SOLUTION block.
struct MarkerBlock {
  std::string task;                      // "lab01.t3"
  std::string what;                      // what to do, from the BEGIN line
  int begin_line;                        // 1-based line of "// BEGIN SOLUTION"
  int end_line;                          // 1-based line of "// END SOLUTION"
  std::vector<std::string> replacement;  // SKELETON lines, uncommented; empty if none
};

/// A solution file split into lines, with its blocks in file order.
struct MarkedFile {
  std::vector<std::string> lines;  // without their '\n'
  std::vector<MarkerBlock> blocks;
  bool ends_with_newline = true;  // false when the last line has no '\n'
};

/// Parses solution text; returns false and sets *error ("file:line: ...") on malformed markers.
bool ParseMarkers(const std::string& text, const std::string& filename, MarkedFile* out,
                  std::string* error);

/// Renders the file keeping the solution of tasks for which keep(task) is true and the
/// skeleton of the others. `section_of(task)` gives the handout reference, e.g.
/// "lab01_lexer_parser/README.md §4.3".
std::string RenderFile(const MarkedFile& file, const std::function<bool(const std::string&)>& keep,
                       const std::function<std::string(const std::string&)>& section_of);

/// True for a well-formed task id: "lab" two digits ".t" and a number, e.g. "lab01.t3".
bool IsTaskId(const std::string& id);

}  // namespace tessel
