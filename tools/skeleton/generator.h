// The commands of tessel-skeleton: generate the learner's skeleton files of a
// lab from solutions/, check that the committed ones are current, write
// task-prefix trees for the course checks, and list markers and tasks.
//
// Every command prints what it did to `out`, problems to `err` (one line each,
// prefixed "tessel-skeleton: "), and returns the process exit code.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "tools/skeleton/lab_manifest.h"

namespace tessel {

/// Where the commands run: the source folder and the streams they print to.
struct SkeletonContext {
  std::filesystem::path source_dir;
  std::ostream& out;
  std::ostream& err;
};

/// `write`: regenerates `<lab dir>/<file>` from `solutions/<lab dir>/<file>` for every file of
/// every lab in `labs`. Files whose content is already right are left untouched.
int WriteSkeletons(const SkeletonContext& context, const std::vector<LabManifest>& labs);

/// `check`: 0 when every committed skeleton equals what `write` would produce and markers and
/// manifest name the same tasks; 1 otherwise, naming each problem. 0 without solutions/.
int CheckSkeletons(const SkeletonContext& context, const std::vector<LabManifest>& labs);

/// `prefix`: writes the lab's files into out_dir with the solution of every task up to and
/// including `task` (manifest order) and the skeleton of the others.
int WritePrefix(const SkeletonContext& context, const LabManifest& lab, const std::string& task,
                const std::filesystem::path& out_dir);

/// `markers`: prints "task file:line" for every block in the lab's solution files.
int PrintMarkers(const SkeletonContext& context, const LabManifest& lab);

}  // namespace tessel
