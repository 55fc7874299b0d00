// `tessel labs`: every lab of this build with its score, and how far the
// examples get through the stages you compiled. A progress display, not a
// lock: any lab can be started first.
#pragma once

#include <string>

namespace tessel::course {

/// The flags of `tessel labs`.
struct LabsOptions {
  int jobs = 2;
  double timeout = 30;
};

/// Prints the progress display; returns 0, or 2 when the build cannot be read.
int LabsCommand(const LabsOptions& options);

/// A ten-character bar for `fraction` in [0, 1]: "███░░░░░░░".
std::string ScoreBar(double fraction);

/// The task named in the driver's "the labNN.tK code you compiled is still a skeleton"
/// message, or "" when `output` has none.
std::string SkeletonTask(const std::string& output);

}  // namespace tessel::course
