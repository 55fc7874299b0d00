// The instructor kit: what a course needs to hand a lab out and grade it.
//
//   tessel instructor classroom LAB [--out FILE] [--solutions LIST]
//       a GitHub Classroom workflow (.github/workflows/classroom.yml) with one
//       all-or-nothing grader step per task, worth the task's points
//   tessel instructor gradescope LAB --out DIR
//       a Gradescope autograder: setup.sh, run_autograder, README.md and a copy
//       of this repository in DIR/tessel; zip the contents of DIR and upload
//
// docs/instructor-guide.md explains both, with the student release.
#pragma once

#include <string>
#include <vector>

#include "tools/course/manifest.h"
#include "tools/course/registry.h"

namespace tessel::course {

/// The Debian/Ubuntu packages a build of Tessel needs.
extern const char* const kBuildPackages;

/// The flags of `tessel instructor`.
struct InstructorOptions {
  std::string kind;       // "classroom" or "gradescope"
  std::string lab;        // "lab01"
  std::string out;        // a file (classroom; stdout when empty) or a folder (gradescope)
  std::string solutions;  // classroom: TESSEL_SOLUTIONS for the student repository
  std::string scoring = "partial";  // classroom: "partial" (per test) or "task" (all or nothing)
};

/// Runs `tessel instructor` and returns its exit status.
int InstructorCommand(const InstructorOptions& options);

/// The GitHub Classroom workflow for `manifest`'s lab; `solutions` is passed to CMake. With
/// `scoring` "partial" each task's step earns points per test passed (the step writes its own
/// result for the reporter); with "task" a step earns the task's points only when every test
/// of the task passes (GitHub's command grader).
std::string ClassroomWorkflow(const Manifest& manifest, const std::string& solutions,
                              const std::string& scoring = "partial");

/// Gradescope's setup.sh for `lab`: installs the missing packages, adds the unprivileged
/// `student` user, builds the trusted grader (and judge) as root and the student build (no
/// solutions, no hidden tests for a judged lab) as `student`. `solutions` is TESSEL_SOLUTIONS
/// for the other labs.
std::string GradescopeSetupScript(const Manifest& manifest, const LabEntry& lab,
                                  const std::string& solutions);

/// Gradescope's run_autograder for `lab`: finds the learner files in the submission, builds
/// them as `student` and grades with the trusted grader under a deadline
/// (docs/instructor-guide.md §4).
std::string RunAutograderScript(const Manifest& manifest, const LabEntry& lab,
                                const std::string& solutions);

/// The README of the bundle folder: how to zip, upload and test it.
std::string GradescopeReadme(const Manifest& manifest, const LabEntry& lab);

/// TESSEL_SOLUTIONS selecting every lab but `lab` that has a solution in `source_dir`, or "none".
std::string OtherLabSolutions(const Registry& registry, const std::string& lab);

/// Copies the files of the repository at `source_dir` (git ls-files: tracked and untracked but
/// not ignored; every file but build folders and .git when it is not a git checkout) to `dest`.
bool CopyRepository(const std::string& source_dir, const std::string& dest, size_t* copied,
                    std::string* error);

}  // namespace tessel::course
