// The result of one GitHub Classroom grading step, in the form the
// classroom-resources grading reporter reads from a step's `result` output
// (base64 of this JSON): {"version": 1, "status", "max_score", "tests": [{"name",
// "status", "score", "message"}]}. The reporter adds up every test's score, so a
// step can award part of a task's points, as Gradescope does.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tools/course/gradescope.h"
#include "tools/course/scoring.h"

namespace tessel::course {

/// One entry per graded task of `grade` (only `task` when it is set), scored in proportion to
/// the tests passed. `grade` is null when the build failed: every task scores 0 and its
/// message is the build's problem and log excerpt.
nlohmann::json ClassroomResults(const Manifest& manifest, const LabGrade* grade,
                                const std::string& task, const BuildInfo& build);

}  // namespace tessel::course
