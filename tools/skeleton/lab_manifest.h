// Finding and reading the labs' manifests (labNN_*/lab.json) for the skeleton
// generator: the manifest itself (course::Manifest, shared with the grader)
// and the folder it lives in.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tools/course/manifest.h"

namespace tessel {

/// A lab's manifest (read by course::LoadManifest, the one manifest reader)
/// plus the lab's folder relative to the source folder.
struct LabManifest : course::Manifest {
  std::string dir;  // "lab01_lexer_parser"

  /// The handout reference of a task, e.g. "lab01_lexer_parser/README.md §4.3".
  std::string SectionOf(const std::string& task) const;
};

/// Reads one manifest; returns false and sets *error on a missing file or field.
bool ReadLabManifest(const std::filesystem::path& source_dir, const std::filesystem::path& json,
                     LabManifest* out, std::string* error);

/// Reads every lab*/lab.json under source_dir, ordered by folder name.
bool FindLabs(const std::filesystem::path& source_dir, std::vector<LabManifest>* labs,
              std::string* error);

/// Keeps the labs named in `names` (by id, "lab01", or folder, "lab01_lexer_parser"), in the
/// order given; all labs when `names` is empty. False with *error on an unknown name.
bool SelectLabs(const std::vector<LabManifest>& labs, const std::vector<std::string>& names,
                std::vector<LabManifest>* out, std::string* error);

}  // namespace tessel
