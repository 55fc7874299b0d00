// tessel-fuzz's C leg (stage 6): the loop-IR leg's scheduled loop IR (default or random
// schedules) rendered as C by lab06's renderer, compiled by the system C compiler (cached),
// run in-process and compared with -O0 with numpy.allclose. With sanitizer flags in `cflags`
// (-fsanitize=address,undefined; the campaign then runs with libasan preloaded) every
// out-of-bounds access or undefined operation of the generated C stops the campaign.
// TESSEL_FUZZ_C_DUMP=PREFIX writes each program's scheduled loop IR and C to PREFIX.loops and
// PREFIX.c (the last one run stays): rerun one failing seed with it to read both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/differential.h"

namespace tessel::fuzz {

/// The configuration "-O2 C": as LoopsConfiguration, then C compiled with `cflags` (empty:
/// -O2 -march=native -fopenmp) and run with 2 threads. A program whose C is over
/// `max_source_bytes` (random schedules can unroll bounds expressions into megabytes, which
/// the C compiler takes minutes over) runs in the loop-IR interpreter instead, and is counted.
Configuration CConfiguration(int random_steps, uint64_t seed, const std::string& cflags,
                             size_t max_source_bytes);

/// How many runs had C over the limit and ran in the loop-IR interpreter instead; the
/// campaign's summary reports it.
int64_t OversizedCPrograms();

}  // namespace tessel::fuzz
