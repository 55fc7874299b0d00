// Reading lab manifests for the skeleton generator (see lab_manifest.h).
#include "tools/skeleton/lab_manifest.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

namespace tessel {
namespace fs = std::filesystem;

std::string LabManifest::SectionOf(const std::string& task) const {
  int index = TaskIndex(task);
  if (index < 0 || tasks[index].section.empty()) return handout;
  return handout + " §" + tasks[index].section;
}

int LabManifest::TaskIndex(const std::string& task) const {
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (tasks[i].id == task || tasks[i].id == lab + "." + task) return static_cast<int>(i);
  }
  return -1;
}

namespace {

// Copies the manifest's fields into *out; throws nlohmann::json::exception on a wrong type.
void FillManifest(const nlohmann::json& json, LabManifest* out) {
  out->lab = json.at("lab").get<std::string>();
  out->files = json.at("files").get<std::vector<std::string>>();
  out->handout = json.value("handout", out->dir + "/README.md");
  for (const nlohmann::json& task : json.at("tasks")) {
    std::string section;
    if (task.contains("section")) {
      const nlohmann::json& value = task.at("section");
      section = value.is_string() ? value.get<std::string>() : value.dump();
    }
    out->tasks.push_back({task.at("id").get<std::string>(), section});
  }
}

}  // namespace

bool ReadLabManifest(const fs::path& source_dir, const fs::path& json, LabManifest* out,
                     std::string* error) {
  std::string name = fs::relative(json, source_dir).generic_string();
  std::ifstream in(json);
  if (!in) {
    *error = "cannot read " + name;
    return false;
  }
  *out = LabManifest{};
  out->dir = fs::relative(json.parent_path(), source_dir).generic_string();
  try {
    FillManifest(nlohmann::json::parse(in), out);
  } catch (const nlohmann::json::exception& e) {
    *error = name + ": " + e.what();
    return false;
  }
  return true;
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
