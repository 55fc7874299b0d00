// Memory planning (lab03, task t6): ComputeLiveness and PlanMemory of stages/opt/passes.h.
//
// Requires: the kernel form's entry (one block of kernel calls; fuse-ops).
// Preserves: results, when the plan is right: the interpreter's execute_memory_plan mode runs
//            every placed tensor in the one arena, so two live tensors that share bytes change
//            the output and the tests see it.
// Gives: a placement (arena 0, a byte offset aligned to 64) on every intermediate tensor of
//        the entry: every kernel result but the one returned.
//
// Liveness on a straight line is an interval per value, from its definition to its last use.
// Offsets come from a first-fit-by-size ("best fit") free list walked in program order, as
// TFLite's and XLA's simplest heap simulators: a tensor takes the smallest free hole it fits in,
// or grows the arena; its bytes return to the list after its last use. An elementwise kernel
// may write its result over an operand whose last use it is (in place), saving the copy.
// lab03_graph_opts/README.md §3.6.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "stages/common/not_implemented.h"
#include "stages/opt/passes.h"
#include "stages/opt/rewrite.h"

namespace tessel::opt {

namespace {

constexpr int64_t kAlignment = 64;

int64_t Aligned(int64_t bytes) { return (bytes + kAlignment - 1) / kAlignment * kAlignment; }

// The free bytes of the arena: holes by offset, coalesced.
class FreeList {
 public:
  // The smallest hole that fits `bytes` (the lowest such on ties), or the top of the arena.
  int64_t Allocate(int64_t bytes) {
    auto best = holes_.end();
    for (auto it = holes_.begin(); it != holes_.end(); ++it) {
      if (it->second >= bytes && (best == holes_.end() || it->second < best->second)) best = it;
    }
    if (best == holes_.end()) {
      // A hole at the top grows into the new bytes.
      if (!holes_.empty() && std::prev(holes_.end())->first + std::prev(holes_.end())->second ==
                                 top_) {
        auto last = std::prev(holes_.end());
        int64_t offset = last->first;
        top_ = offset + bytes;
        holes_.erase(last);
        peak_ = std::max(peak_, top_);
        return offset;
      }
      int64_t offset = top_;
      top_ += bytes;
      peak_ = std::max(peak_, top_);
      return offset;
    }
    int64_t offset = best->first, size = best->second;
    holes_.erase(best);
    if (size > bytes) holes_[offset + bytes] = size - bytes;
    return offset;
  }
  void Free(int64_t offset, int64_t bytes) {
    auto [it, inserted] = holes_.emplace(offset, bytes);
    auto next = std::next(it);
    if (next != holes_.end() && offset + bytes == next->first) {
      it->second += next->second;
      holes_.erase(next);
    }
    if (it != holes_.begin()) {
      auto prev = std::prev(it);
      if (prev->first + prev->second == offset) {
        prev->second += it->second;
        holes_.erase(it);
      }
    }
  }
  int64_t peak() const { return peak_; }

 private:
  std::map<int64_t, int64_t> holes_;
  int64_t top_ = 0, peak_ = 0;
};

// True when `instr` calls a kernel that reads each operand of its own type only at the point
// it writes (elementwise or broadcast), so its result may take such an operand's bytes.
bool MayRunInPlace(const ir::Module& module, const ir::Instr& instr) {
  if (instr.op() != ir::Op::kCall) return false;
  const ir::Function* kernel = module.FindFunction(instr.attrs().callee);
  return kernel != nullptr && kernel->kernel() &&
         kernel->kernel()->pattern <= ir::OpPattern::kBroadcast;
}

}  // namespace

std::vector<LiveInterval> ComputeLiveness(const ir::Block& block) {
  std::vector<LiveInterval> intervals;
  // TODO(lab03.t6): one interval per result but constants and the returned value
  TESSEL_UNIMPLEMENTED("lab03.t6", "one interval per result but constants and the returned value",
                       "lab03_graph_opts/README.md §3.6");
  return intervals;
}

void PlanMemory(ir::Module& module, PassContext& context) {
  ir::Function* entry = module.FindFunction(context.entry);
  if (entry == nullptr || entry->blocks().size() != 1) {
    context.stats.Add("skipped: entry is not one block");
    return;
  }
  ir::Block* block = entry->entry();
  std::vector<LiveInterval> intervals = ComputeLiveness(*block);
  int64_t unplanned = 0;
  for (const LiveInterval& interval : intervals) unplanned += interval.bytes;
  // TODO(lab03.t6): walk the block: place each result (in place or best fit), free at last use
  TESSEL_UNIMPLEMENTED("lab03.t6",
                       "walk the block: place each result (in place or best fit), free at last use",
                       "lab03_graph_opts/README.md §3.6");
  context.stats.Add("bytes unplanned", unplanned);
}

}  // namespace tessel::opt
