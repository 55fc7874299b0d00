// Test helpers shared by the labs' graded tests.
#pragma once

#include <string>

namespace tessel::testing {

/// Expected and actual text side by side, with '!' on the lines that differ.
std::string SideBySide(const std::string& expected, const std::string& actual);

}  // namespace tessel::testing
