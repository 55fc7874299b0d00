// A small FileCheck (after LLVM's FileCheck): checks that a text, usually printed IR, contains
// what a list of directives says, in order. The graded tests of lab03 and the labs after it
// state what a pass must produce this way, rather than comparing whole printouts, so that a
// test pins the part that matters (the fused kernel, the folded constant) and nothing else.
//
// The directives are lines of a check text that contain `CHECK:` and its variants; what follows
// the colon is the pattern. Everything else in the check text is ignored, so the directives can
// live in comments of the IR file they check:
//
//   // CHECK-LABEL: func @main
//   // CHECK:       %[[X:[0-9]+]] = add
//   // CHECK-NEXT:  mul %[[X]], %[[X]]
//   // CHECK-NOT:   call
//
//   CHECK:        the pattern occurs after the previous match (on the same line or a later one)
//   CHECK-NEXT:   it occurs on the line right after the previous match
//   CHECK-NOT:    it does not occur between the previous match and the next one
//   CHECK-DAG:    consecutive DAG patterns occur after the previous match, in any order, without
//                 overlapping; the next directive continues after the last of them
//   CHECK-LABEL:  it occurs exactly once in order; labels are found first and cut the input into
//                 blocks, and the directives after a label match inside its block only
//
// A pattern matches within one line. Its text is literal, except:
//   {{regex}}      an ECMAScript regular expression
//   [[NAME:regex]] matches regex and defines the variable NAME as the matched text
//   [[NAME]]       the text NAME was defined as (in this pattern or an earlier match)
// and a run of spaces matches any run of spaces and tabs. Leading and trailing spaces of a
// pattern do not count.
#pragma once

#include <string>
#include <string_view>

namespace tessel::testing {

struct FileCheckOptions {
  std::string checks_name = "checks";  // how the report names the check text
  std::string input_name = "input";    // and the checked text
  std::string prefix = "CHECK";        // the directive prefix (CHECK, CHECK-O2, ...)
};

struct FileCheckResult {
  bool ok = false;
  /// Empty when ok. Otherwise, like LLVM's: the failing directive with its location in the
  /// checks, where the search started (or what was found, for CHECK-NOT) with a caret, and the
  /// numbered input lines around it.
  std::string report;
};

/// Checks `input` against the directives of `checks`. A check text without any directive, an
/// empty pattern, an unterminated {{ or [[, a bad regex or a use of an undefined variable is
/// reported as a failure too, at the directive.
FileCheckResult FileCheck(std::string_view checks, std::string_view input,
                          const FileCheckOptions& options = {});

}  // namespace tessel::testing
