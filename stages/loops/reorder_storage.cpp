// Changing the order in which a buffer's dimensions are laid out (primitives.h, given):
// Halide's reorder_storage. A cache keeps the dimension order of the box it copies; a
// micro-kernel that wants the innermost dimension to be the one its vectors run along (the
// output channels of a convolution's weights, 16 at a time) reorders the copy's storage:
//
//   allocate %wp: f32[16, 64, 3, 3]            allocate %wp: f32[64, 3, 3, 16]
//   %wp[k, c, r, s] = %w[...]          ->      %wp[c, r, s, k] = %w[...]
//   ... %wp[ki, c, r, s] ...                   ... %wp[c, r, s, ki] ...
//
// Only where the data lives changes, never a value: every load and store of the buffer
// permutes its subscripts the same way. The buffer must be one the kernel allocates.
#include "stages/loops/loop_utils.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

class Permute : public Mutator {
 public:
  Permute(BufferPtr from, BufferPtr to, std::vector<int64_t> order)
      : from_(std::move(from)), to_(std::move(to)), order_(std::move(order)) {}

 protected:
  BufferPtr MutateBuffer(const BufferPtr& buffer) override { return buffer == from_ ? to_ : buffer; }
  ExprPtr VisitLoad(const ExprPtr& e) override {
    ExprPtr load = Mutator::VisitLoad(e);
    return load->buffer == to_ ? Load(to_, Reordered(load->args)) : load;
  }
  StmtPtr VisitStore(const StmtPtr& s) override {
    StmtPtr store = Mutator::VisitStore(s);
    return store->buffer == to_ ? Store(to_, Reordered(store->args), store->value) : store;
  }

 private:
  std::vector<ExprPtr> Reordered(const std::vector<ExprPtr>& subscripts) const {
    std::vector<ExprPtr> out;
    for (int64_t d : order_) out.push_back(subscripts[static_cast<size_t>(d)]);
    return out;
  }

  BufferPtr from_, to_;
  std::vector<int64_t> order_;
};

}  // namespace

void ReorderStorage(Function& f, const std::string& buffer, const std::vector<int64_t>& order) {
  BufferPtr b = AllocatedBuffer(f, "reorder_storage", buffer);
  std::string usage = " (list each of its " + std::to_string(b->rank()) +
                      " dimensions once, 0-based, outermost first in the new layout)";
  if (static_cast<int64_t>(order.size()) != b->rank()) {
    throw ScheduleError("reorder_storage: %" + b->name + " has " + std::to_string(b->rank()) +
                        " dimensions, the order names " + std::to_string(order.size()) + usage);
  }
  std::vector<bool> seen(order.size(), false);
  for (int64_t d : order) {
    if (d < 0 || d >= b->rank() || seen[static_cast<size_t>(d)]) {
      throw ScheduleError("reorder_storage: " + std::to_string(d) + " is not a dimension of %" +
                          b->name + " left to place" + usage);
    }
    seen[static_cast<size_t>(d)] = true;
  }
  if (!b->row_major()) {
    throw ScheduleError("reorder_storage: %" + b->name + " has strides of its own; only a row-major buffer is reordered");
  }
  Shape shape;
  for (int64_t d : order) shape.push_back(b->shape[static_cast<size_t>(d)]);
  BufferPtr reordered = MakeBuffer(b->name, b->dtype, shape, b->scope);
  f.body = Permute(b, reordered, order).Mutate(f.body);
}

}  // namespace tessel::loops
