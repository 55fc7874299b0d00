// The cache half of stage 4's cost model (cost_model.h): a CPU's data caches as data, and a
// simulator of them that the loop-IR interpreter's memory accesses are fed to.
//
// A target is a list of cache levels, L1 first (the TPU's Target struct does the same for the
// accelerator). Grading uses one fixed target, so a schedule's miss counts are the same on
// every machine; HostTarget reads this machine's caches for learners who want to compare with
// a real run. The simulator is deliberately simple: each level is its own set-associative
// cache with LRU replacement, and a miss in level n is an access to level n + 1 (no
// inclusion, no prefetching, no write-back traffic), which is enough to rank loop orders and
// tilings the way real hardware does (Hennessy & Patterson, "Computer Architecture", ch. 2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessel::loops {

/// One level of a data cache: `size_bytes` = sets * `ways` * `line_bytes`.
struct CacheLevel {
  std::string name;  // "L1", "L2"
  int64_t size_bytes = 0;
  int64_t line_bytes = 64;
  int64_t ways = 1;
};

/// A CPU as the cost model sees it: its data caches, L1 first, and its vector width.
struct CpuTarget {
  std::string name;
  std::vector<CacheLevel> levels;
  int64_t vector_bytes = 32;  // one vector register (AVX2)
};

/// The fixed target every grade is computed on: L1 32 KiB 8-way, L2 512 KiB 8-way, 64-byte
/// lines, 32-byte vectors. It matches AMD Zen 3 and Zen 4 (32 KiB 8-way L1d; 512 KiB and
/// 1 MiB 8-way L2); Intel's 48 KiB 12-way L1d since Ice Lake is close.
CpuTarget GradingTarget();

/// This machine's level-1 and level-2 data (or unified) caches, read from
/// /sys/devices/system/cpu/cpu0/cache; named "host". Nullopt with *error set when they cannot
/// be read (not Linux, a container hiding sysfs).
std::optional<CpuTarget> HostTarget(std::string* error);

/// HostTarget reading `cache_dir` (a directory laid out as sysfs's index0, index1, ... each
/// with level, type, size, ways_of_associativity and coherency_line_size): for tests.
std::optional<CpuTarget> ReadCpuTarget(const std::string& cache_dir, std::string* error);

/// What is wrong with `target` ("L2: size 1000 is not a multiple of ways * line bytes"), or
/// empty when a simulator can be built from it: at least one level, every size, line and way
/// count positive, each size a whole number of sets.
std::string VerifyCpuTarget(const CpuTarget& target);

/// A set-associative LRU cache hierarchy built from a CpuTarget. Deterministic: the same
/// sequence of accesses gives the same counts on every machine.
class CacheSimulator {
 public:
  /// Requires: VerifyCpuTarget(target) is empty.
  explicit CacheSimulator(const CpuTarget& target);

  /// Touches each line of [address, address + bytes) in turn: the line is looked up in L1,
  /// and a miss in one level looks it up in the next. Adds each level's misses to
  /// `misses_by_level` (one counter per level) when it is given. Returns the deepest level
  /// that missed for any of the lines, or -1 when every line hit in L1.
  int Access(uint64_t address, int64_t bytes, int64_t* misses_by_level = nullptr);

  size_t num_levels() const { return levels_.size(); }
  /// Lines looked up in `level` (an access spanning two lines is two lookups in L1).
  int64_t accesses(size_t level) const { return levels_.at(level).accesses; }
  /// Lookups in `level` that missed.
  int64_t misses(size_t level) const { return levels_.at(level).misses; }

 private:
  // One level: `tags` holds each set's lines, most recently used first (kEmpty when unused).
  struct Level {
    int64_t line_bytes = 0;
    uint64_t num_sets = 0;
    size_t ways = 0;
    std::vector<uint64_t> tags;
    int64_t accesses = 0;
    int64_t misses = 0;
  };

  /// Looks `address`'s line up in `level`, making it the most recently used; true on a hit.
  static bool Lookup(Level& level, uint64_t address);

  std::vector<Level> levels_;
};

}  // namespace tessel::loops
