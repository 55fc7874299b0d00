// The cache targets and the LRU cache simulator (cache_model.h).
//
// Each set is `ways` consecutive tags in one flat vector, most recently used first: a hit
// rotates the line to the front, a miss shifts the set right (dropping the least recently
// used line) and puts the new line in front. Ways are few (8 to 16), so this linear scan beats
// any cleverer structure, and a walk over consecutive elements hits the front slot at once.
#include "stages/loops/cache_model.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "stages/common/check.h"

namespace tessel::loops {

namespace {

constexpr uint64_t kEmpty = std::numeric_limits<uint64_t>::max();
constexpr int kMaxCacheIndices = 16;  // sysfs's index0, index1, ... (4 to 6 in practice)

// The first line of `path`, or nullopt when it cannot be read.
std::optional<std::string> ReadLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  return line;
}

// A sysfs number, with an optional K/M/G suffix ("32K", "8"); nullopt when malformed.
std::optional<int64_t> ParseSize(const std::string& text) {
  size_t used = 0;
  int64_t value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string suffix = text.substr(used);
  if (suffix.empty()) return value;
  if (suffix == "K") return value << 10;
  if (suffix == "M") return value << 20;
  if (suffix == "G") return value << 30;
  return std::nullopt;
}

// The data or unified cache of `level` described in `cache_dir`/index<i>, if there is one.
std::optional<CacheLevel> FindDataCache(const std::string& cache_dir, int level) {
  for (int i = 0; i < kMaxCacheIndices; ++i) {
    std::string dir = cache_dir + "/index" + std::to_string(i) + "/";
    std::optional<std::string> found_level = ReadLine(dir + "level");
    std::optional<std::string> type = ReadLine(dir + "type");
    if (!found_level || !type || *found_level != std::to_string(level)) continue;
    if (*type != "Data" && *type != "Unified") continue;
    std::optional<int64_t> size = ParseSize(ReadLine(dir + "size").value_or(""));
    std::optional<int64_t> ways = ParseSize(ReadLine(dir + "ways_of_associativity").value_or(""));
    std::optional<int64_t> line = ParseSize(ReadLine(dir + "coherency_line_size").value_or(""));
    if (!size || !ways || !line) return std::nullopt;
    return CacheLevel{"L" + std::to_string(level), *size, *line, *ways};
  }
  return std::nullopt;
}

std::string VerifyLevel(const CacheLevel& level) {
  if (level.size_bytes <= 0 || level.line_bytes <= 0 || level.ways <= 0) {
    return level.name + ": size, line bytes and ways must be positive, found " +
           std::to_string(level.size_bytes) + ", " + std::to_string(level.line_bytes) + ", " +
           std::to_string(level.ways);
  }
  if (level.size_bytes % (level.ways * level.line_bytes) != 0) {
    return level.name + ": size " + std::to_string(level.size_bytes) +
           " is not a multiple of ways * line bytes (" +
           std::to_string(level.ways * level.line_bytes) + ")";
  }
  return "";
}

}  // namespace

CpuTarget GradingTarget() {
  CpuTarget target;
  target.name = "grading";
  target.levels = {{"L1", 32 << 10, 64, 8}, {"L2", 512 << 10, 64, 8}};
  target.vector_bytes = 32;
  return target;
}

std::optional<CpuTarget> ReadCpuTarget(const std::string& cache_dir, std::string* error) {
  CpuTarget target;
  target.name = "host";
  for (int level = 1; level <= 2; ++level) {
    std::optional<CacheLevel> cache = FindDataCache(cache_dir, level);
    if (!cache) {
      *error = "cannot read the level-" + std::to_string(level) + " data cache from " + cache_dir;
      return std::nullopt;
    }
    target.levels.push_back(*cache);
  }
  std::string problem = VerifyCpuTarget(target);
  if (!problem.empty()) {
    *error = "the cache described in " + cache_dir + " cannot be simulated: " + problem;
    return std::nullopt;
  }
  return target;
}

std::optional<CpuTarget> HostTarget(std::string* error) {
  return ReadCpuTarget("/sys/devices/system/cpu/cpu0/cache", error);
}

std::string VerifyCpuTarget(const CpuTarget& target) {
  if (target.levels.empty()) return "target '" + target.name + "' has no cache levels";
  for (const CacheLevel& level : target.levels) {
    std::string problem = VerifyLevel(level);
    if (!problem.empty()) return problem;
  }
  return "";
}

CacheSimulator::CacheSimulator(const CpuTarget& target) {
  std::string problem = VerifyCpuTarget(target);
  TESSEL_CHECK(problem.empty(), "cache simulator: " + problem);
  for (const CacheLevel& c : target.levels) {
    Level level;
    level.line_bytes = c.line_bytes;
    level.ways = static_cast<size_t>(c.ways);
    level.num_sets = static_cast<uint64_t>(c.size_bytes / (c.ways * c.line_bytes));
    level.tags.assign(level.num_sets * level.ways, kEmpty);
    levels_.push_back(std::move(level));
  }
}

bool CacheSimulator::Lookup(Level& level, uint64_t address) {
  uint64_t line = address / static_cast<uint64_t>(level.line_bytes);
  uint64_t* set = level.tags.data() + (line % level.num_sets) * level.ways;
  ++level.accesses;
  if (set[0] == line) return true;  // the common case: the line used last
  size_t way = 1;
  while (way < level.ways && set[way] != line) ++way;
  bool hit = way < level.ways;
  if (!hit) {
    ++level.misses;
    way = level.ways - 1;  // evict the least recently used line
  }
  std::copy_backward(set, set + way, set + way + 1);
  set[0] = line;
  return hit;
}

int CacheSimulator::Access(uint64_t address, int64_t bytes, int64_t* misses_by_level) {
  // Lines are split by L1's line size; a deeper level maps each to its own (larger) line.
  uint64_t line_bytes = static_cast<uint64_t>(levels_.front().line_bytes);
  uint64_t last = address + static_cast<uint64_t>(std::max<int64_t>(bytes, 1)) - 1;
  int deepest = -1;
  for (uint64_t line = address / line_bytes; line <= last / line_bytes; ++line) {
    uint64_t at = std::max(address, line * line_bytes);
    for (size_t n = 0; n < levels_.size() && !Lookup(levels_[n], at); ++n) {
      if (misses_by_level) ++misses_by_level[n];
      deepest = std::max(deepest, static_cast<int>(n));
    }
  }
  return deepest;
}

}  // namespace tessel::loops
