// The parts of a lab manifest (labNN_*/lab.json) that the skeleton generator
// needs: the lab's id and folder, its learner files, and its tasks in order
// with their handout sections. The grader reads the rest of the manifest.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tessel {

struct LabTask {
  std::string id;       // "lab01.t3"
  std::string section;  // "4.3", a section of the handout
};

struct LabManifest {
  std::string lab;                 // "lab01"
  std::string dir;                 // "lab01_lexer_parser", relative to the source folder
  std::string handout;             // "lab01_lexer_parser/README.md"
  std::vector<std::string> files;  // learner files, e.g. "lexer.cpp"
  std::vector<LabTask> tasks;      // in manifest order

  /// The handout reference of a task, e.g. "lab01_lexer_parser/README.md §4.3".
  std::string SectionOf(const std::string& task) const;
  /// The position of a task ("lab01.t3" or just "t3") in manifest order, or -1.
  int TaskIndex(const std::string& task) const;
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
