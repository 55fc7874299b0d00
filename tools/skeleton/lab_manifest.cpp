// Reading lab manifests for the skeleton generator (see lab_manifest.h).
#include "tools/skeleton/lab_manifest.h"

#include <algorithm>

namespace tessel {
namespace fs = std::filesystem;

std::string LabManifest::SectionOf(const std::string& task) const {
  const course::Task* found = FindTask(task);
  return found ? SectionRef(*found) : handout;
}

bool ReadLabManifest(const fs::path& source_dir, const fs::path& json, LabManifest* out,
                     std::string* error) {
  *out = LabManifest{};
  out->dir = fs::relative(json.parent_path(), source_dir).generic_string();
  return course::LoadManifest(json.string(), out, error);
}

bool FindLabs(const fs::path& source_dir, std::vector<LabManifest>* labs, std::string* error) {
  std::error_code ec;
  std::vector<fs::path> manifests;
  for (const fs::directory_entry& entry : fs::directory_iterator(source_dir, ec)) {
    std::string folder = entry.path().filename().string();
    if (folder.starts_with("lab") && fs::exists(entry.path() / "lab.json")) {
      manifests.push_back(entry.path() / "lab.json");
    }
  }
  if (ec) {
    *error = "cannot list " + source_dir.string() + ": " + ec.message();
    return false;
  }
  std::sort(manifests.begin(), manifests.end());
  labs->clear();
  for (const fs::path& json : manifests) {
    labs->emplace_back();
    if (!ReadLabManifest(source_dir, json, &labs->back(), error)) return false;
  }
  return true;
}

bool SelectLabs(const std::vector<LabManifest>& labs, const std::vector<std::string>& names,
                std::vector<LabManifest>* out, std::string* error) {
  if (names.empty()) {
    *out = labs;
    return true;
  }
  out->clear();
  for (const std::string& name : names) {
    auto it = std::find_if(labs.begin(), labs.end(), [&](const LabManifest& lab) {
      return lab.lab == name || lab.dir == name || lab.dir + "/" == name;
    });
    if (it == labs.end()) {
      *error = "no lab '" + name + "' (labs are the folders lab*/ with a lab.json)";
      return false;
    }
    out->push_back(*it);
  }
  return true;
}

}  // namespace tessel
