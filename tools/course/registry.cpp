// Reads bin/labs.json (written by cmake/TesselLabs.cmake).
#include "tools/course/registry.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace tessel::course {

namespace fs = std::filesystem;
using nlohmann::json;

const LabEntry* Registry::Find(const std::string& lab) const {
  for (const LabEntry& entry : labs) {
    if (entry.lab == lab || entry.dir == lab) return &entry;
  }
  return nullptr;
}

std::string Registry::ManifestPath(const LabEntry& lab) const {
  return (fs::path(source_dir) / lab.dir / "lab.json").string();
}

std::string Registry::TestBinary(const LabEntry& lab) const {
  return (fs::path(bin_dir) / lab.tests).string();
}

std::string Registry::LabNames() const {
  std::string names;
  for (const LabEntry& entry : labs) names += (names.empty() ? "" : ", ") + entry.lab;
  return names.empty() ? "none" : names;
}

std::string ExecutableDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return fs::current_path().string();
  return exe.parent_path().string();
}

namespace {

LabEntry ReadEntry(const json& obj) {
  LabEntry entry;
  entry.lab = obj.at("lab").get<std::string>();
  entry.dir = obj.at("dir").get<std::string>();
  entry.tree = obj.at("tree").get<std::string>();
  entry.uses_solution = obj.at("uses_solution").get<bool>();
  entry.files = obj.at("files").get<std::vector<std::string>>();
  entry.tests = obj.at("tests").get<std::string>();
  entry.judge = obj.value("judge", "");
  entry.runner = obj.value("runner", "");
  return entry;
}

}  // namespace

bool ParseRegistry(const std::string& text, const std::string& bin_dir, Registry* out,
                   std::string* error) {
  try {
    json doc = json::parse(text);
    Registry registry;
    registry.bin_dir = bin_dir;
    registry.source_dir = doc.at("source_dir").get<std::string>();
    registry.build_dir = doc.at("build_dir").get<std::string>();
    registry.solutions = doc.value("solutions", "");
    for (const json& lab : doc.at("labs")) registry.labs.push_back(ReadEntry(lab));
    *out = std::move(registry);
    return true;
  } catch (const json::exception& e) {
    *error = bin_dir + "/labs.json is malformed (" + e.what() + "); re-run cmake to rewrite it";
    return false;
  }
}

bool LoadRegistry(const std::string& bin_dir, Registry* out, std::string* error) {
  std::string path = (fs::path(bin_dir) / "labs.json").string();
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read " + path +
             ": run this program from a configured build folder (cmake "
             "writes labs.json next to the executables)";
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseRegistry(text.str(), bin_dir, out, error);
}

}  // namespace tessel::course
