// Failure-message helpers shared by every lab's graded tests (stages/testing).
//
// Graded tests compare text: token lists, printed ASTs, printed IR. When a
// comparison fails, the learner needs the input, what was expected and what
// came out, with the differing lines marked. These functions format that
// text; each lab's test utilities build their assertions on them.
#pragma once

#include <string>
#include <string_view>

namespace tessel::testing {

/// Expected and actual text in two columns with '!' on the lines that differ,
/// then the first differing line. When the lines are too long for two columns
/// (100 characters in all), the two texts are printed one after the other.
std::string SideBySide(const std::string& expected, const std::string& actual);

/// The text with numbered lines ("   3 | let x = 1;") for showing a test's
/// input; a carriage return shows as "\r", a final newline adds no line.
std::string NumberedSource(std::string_view text);

/// A titled block: "title:\n" then every line of `body` indented by two spaces.
std::string Section(std::string_view title, std::string_view body);

}  // namespace tessel::testing
