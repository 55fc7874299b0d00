// Hashes the files a lab was compiled from and compares their times with the
// lab's test binary.
#include "tools/course/provenance.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tessel::course {

namespace fs = std::filesystem;

uint64_t Fnv1a64(std::string_view data, uint64_t hash) {
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string ShortHash(uint64_t hash) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return std::string(text, 7);
}

LabProvenance ComputeProvenance(const Registry& registry, const LabEntry& lab) {
  LabProvenance out{lab.lab, lab.tree, lab.uses_solution, "", {}, {}};
  std::error_code ec;
  fs::path tree = fs::path(registry.source_dir) / lab.tree;
  auto binary_time = fs::last_write_time(registry.TestBinary(lab), ec);
  bool have_binary = !ec;
  uint64_t hash = Fnv1a64("");
  for (const std::string& file : lab.files) {
    std::ifstream in(tree / file, std::ios::binary);
    if (!in) {
      out.missing.push_back(file);
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    hash = Fnv1a64(file + '\0', hash);
    hash = Fnv1a64(text.str() + '\0', hash);
    auto file_time = fs::last_write_time(tree / file, ec);
    if (have_binary && !ec && file_time > binary_time) out.stale.push_back(file);
  }
  out.hash = ShortHash(hash);
  return out;
}

std::vector<LabProvenance> ComputeProvenance(const Registry& registry) {
  std::vector<LabProvenance> all;
  for (const LabEntry& lab : registry.labs) all.push_back(ComputeProvenance(registry, lab));
  return all;
}

std::string DescribeProvenance(const LabProvenance& p) {
  std::string text = "compiled from " + p.tree + "/ (" +
                     (p.uses_solution ? "the reference solution" : "your files") + ", hash " +
                     p.hash + ")";
  if (!p.missing.empty()) text += "; unreadable: " + p.missing.front();
  return text;
}

}  // namespace tessel::course
