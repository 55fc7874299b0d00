// Course checks (`tessel grade LAB --check ...`), run by CI on the course
// itself rather than on a learner's work:
//   full          the reference scores full marks: every test passes
//   skeleton      the skeleton scores exactly 0 and every graded test fails with
//                 the typed not-implemented error (no crash, hang or other failure)
//   prefix:TASK   the solution of tasks up to TASK (manifest order) with skeletons
//                 after it passes the tests of those tasks and fails every later one
#pragma once

#include <string>
#include <vector>

#include "tools/course/scoring.h"

namespace tessel::course {

/// Parses "full", "skeleton" or "prefix:TASK"; false with *error otherwise.
bool ValidCheck(const std::string& check, const Manifest& manifest, std::string* error);

/// Every violation of `check` in `grade`, one explained line each; empty when it holds.
std::vector<std::string> RunCheck(const std::string& check, const LabGrade& grade);

}  // namespace tessel::course
