// Gradescope's results.json for one lab (written by `tessel grade
// --gradescope FILE` inside run_autograder).
//
// Follows the autograder spec: a top-level score, a Markdown summary, and one
// test entry per task; hidden tests get their own entries, visible after the
// due date; a "Build" entry says what was compiled, or why nothing was.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tools/course/provenance.h"
#include "tools/course/scoring.h"

namespace tessel::course {

/// How the build went, as far as the grader can tell.
struct BuildInfo {
  bool ok = true;           // the test binary exists and could be listed
  std::string problem;      // why not, in one line
  std::string log_excerpt;  // the interesting part of the build log (see BuildLogExcerpt)
  /// Lines shown first in the summary: the autograder's checks of the submission (missing or
  /// extra files) and what the grader noticed (forged verdicts, tests stopped).
  std::vector<std::string> notes;
};

/// The first error lines and the last lines of the build log at `path` ("" if unreadable).
std::string BuildLogExcerpt(const std::string& path);

/// The results.json document. `grade` is null when the build failed: every task scores 0.
/// `rerun_dir` is the build folder named in rerun commands (the learner's, not the grader's).
/// `public_grade`, the grade of the public tests alone, sets what is visible before the due
/// date (each task's status line, the next task), so that it tells nothing of hidden tests.
nlohmann::json GradescopeResults(const Manifest& manifest, const LabGrade* grade,
                                 const BuildInfo& build, const LabProvenance* provenance,
                                 double seconds, const std::string& rerun_dir = "build/student",
                                 const LabGrade* public_grade = nullptr);

}  // namespace tessel::course
