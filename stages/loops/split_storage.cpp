// Splitting one dimension of a buffer's storage in two (primitives.h, given): TVM's
// transform_layout for the common case. With reorder_storage it turns a copy into the packed
// micro-panels a GEMM kernel wants: A's copy [M][K], split by 6 and reordered, is [M/6][K][6],
// so the 6 values a micro-kernel broadcasts at each k are adjacent instead of a row apart.
//
//   allocate %Ap: f32[1024, 1024]             allocate %Ap: f32[171, 6, 1024]
//   ... %Ap[io * 6 + ii, k] ...        ->     ... %Ap[io, ii, k] ...
//
// Every access x in the dimension becomes (x / F, x % F), simplified with the ranges of the
// loops around it (lab04's Simplify): a split loop's io * F + ii reads back as io, ii.
// When F does not divide the extent, the last block has padding nothing writes: a copy of the
// buffer made afterwards (cache_read's box is in the split coordinates) would read it, which
// the loop-IR interpreter reports as a read of unwritten memory; cache before splitting.
#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

class SplitDimension : public Mutator {
 public:
  SplitDimension(BufferPtr from, BufferPtr to, size_t dim, int64_t factor)
      : from_(std::move(from)), to_(std::move(to)), dim_(dim), factor_(factor) {}

 protected:
  BufferPtr MutateBuffer(const BufferPtr& buffer) override { return buffer == from_ ? to_ : buffer; }
  // A load or store of the buffer changes rank: rebuilt here, not by the base's hooks.
  ExprPtr VisitLoad(const ExprPtr& e) override {
    if (e->buffer != from_) return Mutator::VisitLoad(e);
    bool changed = false;
    return Load(to_, Split(MutateAll(e->args, &changed)));
  }
  StmtPtr VisitStore(const StmtPtr& s) override {
    if (s->buffer != from_) return Mutator::VisitStore(s);
    bool changed = false;
    std::vector<ExprPtr> args = MutateAll(s->args, &changed);
    return Store(to_, Split(std::move(args)), Mutate(s->value));
  }

 private:
  std::vector<ExprPtr> Split(std::vector<ExprPtr> subscripts) const {
    ExprPtr x = subscripts[dim_];
    subscripts[dim_] = Div(x, Int(factor_));
    subscripts.insert(subscripts.begin() + static_cast<std::ptrdiff_t>(dim_) + 1, Mod(x, Int(factor_)));
    return subscripts;
  }

  BufferPtr from_, to_;
  size_t dim_;
  int64_t factor_;
};

}  // namespace

void SplitStorage(Function& f, const std::string& buffer, int64_t dim, int64_t factor) {
  BufferPtr b = AllocatedBuffer(f, "split_storage", buffer);
  if (dim < 0 || dim >= b->rank()) {
    throw ScheduleError("split_storage: %" + b->name + " has no dimension " + std::to_string(dim) + " (it has " +
                        std::to_string(b->rank()) + ", numbered from 0)");
  }
  int64_t extent = b->shape[static_cast<size_t>(dim)];
  if (factor < 1 || factor > extent) {
    throw ScheduleError("split_storage: the factor must be between 1 and the dimension's extent " +
                        std::to_string(extent) + ", found " + std::to_string(factor));
  }
  if (!b->row_major()) {
    throw ScheduleError("split_storage: %" + b->name + " has strides of its own; only a row-major buffer is split");
  }
  Shape shape = b->shape;
  shape[static_cast<size_t>(dim)] = (extent + factor - 1) / factor;
  shape.insert(shape.begin() + dim + 1, factor);
  BufferPtr split = MakeBuffer(b->name, b->dtype, shape, b->scope);
  f.body = Simplify(SplitDimension(b, split, static_cast<size_t>(dim), factor).Mutate(f.body));
}

}  // namespace tessel::loops
