// The schedule primitives (lab04.t3, t4) and the default scheduler (lab04.t5): every
// transformation of a loop-IR kernel a schedule can name, each in its own file of lab04, each
// checking that it applies and throwing ScheduleError (schedule.h) with a clear message when
// it does not. ApplySchedule (apply_schedule.cpp) runs them by name and verifies after each.
//
//   primitive        task       what it does
//   split            lab04.t3   i -> io * f + ii; a guard when f does not divide the extent
//   fuse             lab04.t3   two perfectly nested loops -> one of the product extent
//   reorder          lab04.t3   permutes perfectly nested loops, when no dependence reverses
//   distribute       lab04.t3   one loop around n statements -> n loops (loop fission)
//   unroll           lab04.t3   marks a constant-extent loop unrolled
//   vectorize        lab04.t3   marks an innermost constant-extent loop that carries nothing
//   parallel, bind   lab04.t3   marks a loop that carries no dependence parallel (a GPU axis)
//   compute_inline   lab04.t4   replaces a producer buffer's loads by its expression
//   compute_at       lab04.t4   computes the region of a producer a loop's body needs in it
//   cache_read       lab04.t4   copies the region of a buffer a loop reads into a local one
//   cache_write      lab04.t4   accumulates a loop's region of a buffer in a local one
//   tile             (given)    split, split, reorder
//   peel             (given)    a loop's last iteration after it: a split's tail without guards
//   reorder_storage  (given)    lays an allocated buffer's dimensions out in another order
//   split_storage    (given)    splits one dimension of an allocated buffer in two
//   enclose          (given)    a loop of one iteration around a loop
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stages/loops/loop_ir.h"
#include "stages/loops/schedule.h"

namespace tessel::loops {

// ---------------------------------------------------------------- lab04.t3

/// How the iterations of one loop relate when two accesses touch the same element:
/// '=' the same iteration, '<' the second access in a later iteration, '>' in an earlier
/// one, '*' unknown (any of them).
using Direction = char;

/// Two accesses to one buffer, at least one a store, that may touch the same element.
struct Dependence {
  std::string buffer;
  /// One direction per loop of the band the analysis was asked about, outermost first,
  /// oriented from the access that runs first (the first entry that is not '=' is not '>').
  std::vector<Direction> directions;
  /// Both accesses belong to one reduction update `B[x] = B[x] op e` (op +, *, max or min,
  /// e not reading B): its iterations may run in any order, but not at the same time.
  bool reduction = false;
  /// The statements the two accesses belong to (the store, or the statement reading).
  const Stmt* first = nullptr;
  const Stmt* second = nullptr;
};

/// The dependences among the accesses inside `band` (loops, outermost first, each the only
/// statement of the previous one's body... or just one loop), with directions for each loop
/// of the band. Indices are compared as linear forms (arith.h); what cannot be analyzed is
/// assumed dependent with direction '*'. dependences.cpp.
std::vector<Dependence> ComputeDependences(const std::vector<const Stmt*>& band);

/// `loop` (serial) becomes `for outer in 0..ceil(E / factor) { for inner in 0..factor { ... } }`
/// with `loop` replaced by `outer * factor + inner`, and the body under
/// `if outer * factor + inner < E` when factor does not divide E (or E is not a constant).
/// The new names must be free. The new nest is simplified with its enclosing loops' ranges.
void Split(Function& f, const std::string& loop, int64_t factor, const std::string& outer,
           const std::string& inner);
/// `outer`, whose whole body is the loop `inner` (whose extent does not use outer), becomes
/// one loop `fused` of the product extent: outer = fused / E_inner, inner = fused % E_inner.
void Fuse(Function& f, const std::string& outer, const std::string& inner, const std::string& fused);
/// The named loops, a perfectly nested band (each loop from the outermost named down is the
/// whole body of the one before), take the given order in the positions they occupy; the
/// band's other loops stay. Refused when an extent would use a variable of a loop inside it,
/// or a dependence (other than a reduction's) would run backwards.
void Reorder(Function& f, const std::vector<std::string>& order);
/// `for l { S1; ...; Sn }` becomes n loops `l`, `l.1`, ... (NameGenerator), one per statement.
/// Refused when a statement is a let or an allocation, or a dependence between statements
/// crosses iterations from a later statement back to an earlier one (or in an unknown
/// direction).
void Distribute(Function& f, const std::string& loop);
/// Marks a serial loop of constant extent unrolled.
void Unroll(Function& f, const std::string& loop);
/// Marks a serial, innermost (no loop or allocation inside) loop of constant extent
/// vectorized, when it carries no dependence (a reduction's included).
void Vectorize(Function& f, const std::string& loop);
/// Marks a serial loop parallel, when it carries no dependence (a reduction's included) and
/// no parallel loop encloses it.
void Parallel(Function& f, const std::string& loop);
/// Marks `loop` with a GPU kind (gpu.block.x, ...) or parallel: the legality of parallel.
void Bind(Function& f, const std::string& loop, ForKind kind);

/// Given (peel.cpp): `loop` (serial or parallel, constant extent E >= 2) runs E - 1
/// iterations, simplified with `loop` in [0, E - 2] (so a split's guard `io * f + ii < E'`
/// is proven true and removed), and its last iteration follows as a copy of the body with
/// loop = E - 1, each loop and let in it renamed NAME.tail, and a loop whose whole body is a
/// guard `w + c < K` shortened to its K - c iterations. Refused when the body allocates.
void Peel(Function& f, const std::string& loop);
/// Given (reorder_storage.cpp): the row-major buffer `buffer` that `f` allocates is laid out
/// with its dimensions in `order` (old dimensions, 0-based, outermost first): its shape and
/// every load's and store's subscripts are permuted alike, so no value changes.
void ReorderStorage(Function& f, const std::string& buffer, const std::vector<int64_t>& order);
/// Given (split_storage.cpp): dimension `dim` (extent E) of the row-major buffer `buffer` that
/// `f` allocates becomes two, [ceil(E / factor)][factor]; every subscript x there becomes
/// x / factor, x % factor, and the kernel is simplified (lab04.t2). 1 <= factor <= E; when it
/// does not divide E the padding is never written, so copy the buffer before splitting it.
void SplitStorage(Function& f, const std::string& buffer, int64_t dim, int64_t factor);
/// Given (enclose.cpp): `loop` is wrapped in a new loop `outer` of one iteration.
void Enclose(Function& f, const std::string& loop, const std::string& outer);

// ---------------------------------------------------------------- lab04.t4

/// A box of a buffer: per dimension, its first index and its extent, clipped to the buffer:
/// min = maximum(lo, 0) and extent = minimum(hi, n - 1) - maximum(lo, 0) + 1, simplified,
/// where lo and hi are the extreme indices of the accesses.
struct Region {
  std::vector<ExprPtr> min;
  std::vector<ExprPtr> extent;
  /// The largest value each extent takes (what a cache of the box must hold): the upper
  /// bound of the unclipped hi - lo + 1, where lo and hi share their terms and cancel, capped
  /// by the buffer's dimension and by the clipped extent's own bound; unset when unbounded.
  std::vector<std::optional<int64_t>> max_extent;
};

/// Bounds inference: the box of `buffer` that one iteration of `loop` accesses (its loads
/// when `reads`, its stores when `writes`), in terms of `loop`'s variable and the variables
/// around it. Each index must be affine in the loops inside `loop` (their extents bounded);
/// otherwise ScheduleError, the message starting with `primitive`. The box is clipped to the
/// buffer's shape. bounds_inference.cpp.
Region InferRegion(const Function& f, const Stmt& loop, const std::string& buffer, bool reads,
                   bool writes, const std::string& primitive);

/// `buffer` (allocated by `f`, stored to once, at its loops' variables, by an expression not
/// reading it) disappears: each load of it becomes that expression at the load's index, and
/// its loops and allocation are removed.
void ComputeInline(Function& f, const std::string& buffer);
/// The loops computing `buffer` (allocated by `f`; all its stores inside one perfect chain of
/// loops over its dimensions, storing nothing else) move to the start of `loop`'s body,
/// which must come after them and be the only reader: each keeps its name, runs over the
/// box of `buffer` one iteration of `loop` reads (InferRegion), and its variable is offset by
/// the box's minimum. The buffer keeps its size and place.
void ComputeAt(Function& f, const std::string& buffer, const std::string& loop);
/// `copy` holds the box of `buffer` one iteration of `loop` reads: filled at the start of
/// the body by loops `copy.i0`, `copy.i1`, ... (guarded where the box can be smaller than the
/// cache), and every load of `buffer` in the body reads `copy` at the index minus the box's
/// minimum. A cache of at most 64 elements is local, allocated in the body; a larger one is
/// global, allocated once at the kernel's top (in the body when the loop, or one around it,
/// runs in parallel: one copy per iteration).
void CacheRead(Function& f, const std::string& buffer, const std::string& loop,
               const std::string& copy);
/// The body of `loop` accesses `local` instead of `buffer` (the box of its loads and stores,
/// sizes and names as for CacheRead); `local` is filled from `buffer` first when the body's
/// first access to `buffer` is a load, and written back after the body. Refused when a store
/// is under a condition, or when nothing is read first and the stores do not cover the box.
void CacheWrite(Function& f, const std::string& buffer, const std::string& loop,
                const std::string& local);

// ---------------------------------------------------------------- lab04.t5

/// The steps the default scheduler picks for kernel `f` when no tuned schedule exists:
/// parallelize the outer loops, vectorize the inner contiguous loop, tile reductions for the
/// cache. ApplySchedule applies them like any schedule.
std::vector<Step> DefaultSchedule(const Function& f);

}  // namespace tessel::loops
