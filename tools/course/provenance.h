// Provenance: which tree each lab of this build was compiled from, a short
// hash of the compiled files, and whether they changed since the build.
//
// It answers "did the grader test my code?" (the build may use solutions/) and
// "did I rebuild?" (a file newer than the test binary).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tools/course/registry.h"

namespace tessel::course {

/// One lab's provenance.
struct LabProvenance {
  std::string lab;
  std::string tree;  // "lab01_lexer_parser" or "solutions/lab01_lexer_parser"
  bool uses_solution = false;
  std::string hash;                  // 7 hex digits over the compiled files
  std::vector<std::string> stale;    // files newer than the lab's test binary
  std::vector<std::string> missing;  // files that cannot be read
};

/// FNV-1a, 64 bits, continuing from `hash`.
uint64_t Fnv1a64(std::string_view data, uint64_t hash = 0xcbf29ce484222325ULL);

/// The first 7 hex digits of `hash`.
std::string ShortHash(uint64_t hash);

/// The provenance of `lab`.
LabProvenance ComputeProvenance(const Registry& registry, const LabEntry& lab);

/// The provenance of every lab in the registry.
std::vector<LabProvenance> ComputeProvenance(const Registry& registry);

/// "compiled from lab01_lexer_parser/ (your files, hash 3f2a91c)".
std::string DescribeProvenance(const LabProvenance& provenance);

}  // namespace tessel::course
