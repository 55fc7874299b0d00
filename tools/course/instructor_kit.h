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
};

/// Runs `tessel instructor` and returns its exit status.
int InstructorCommand(const InstructorOptions& options);

/// The GitHub Classroom workflow for `manifest`'s lab; `solutions` is passed to CMake.
std::string ClassroomWorkflow(const Manifest& manifest, const std::string& solutions);

/// Gradescope's setup.sh: installs the packages, adds the unprivileged `student` user and
/// prebuilds the course with TESSEL_SOLUTIONS=`solutions`.
std::string GradescopeSetupScript(const std::string& solutions);

/// Gradescope's run_autograder for `lab`: overlays the submitted learner files on a pristine copy,
/// builds, and grades as `student`. `solutions` is TESSEL_SOLUTIONS for that build.
std::string RunAutograderScript(const Manifest& manifest, const LabEntry& lab,
                                const std::string& solutions);

/// The README of the bundle folder: how to zip, upload and test it.
std::string GradescopeReadme(const Manifest& manifest);

/// TESSEL_SOLUTIONS selecting every lab but `lab` that has a solution in `source_dir`, or "none".
std::string OtherLabSolutions(const Registry& registry, const std::string& lab);

/// Copies the files of the repository at `source_dir` (git ls-files: tracked and untracked but
/// not ignored; every file but build folders and .git when it is not a git checkout) to `dest`.
bool CopyRepository(const std::string& source_dir, const std::string& dest, size_t* copied,
                    std::string* error);

}  // namespace tessel::course
