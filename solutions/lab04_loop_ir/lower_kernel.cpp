// Lowering one kernel to a loop nest (lab04, task t1): LowerKernel of stages/loops/lower.h.
//
// A fused group computes one tensor. Its ops fall in two kinds: pointwise ops (elementwise,
// broadcast, injective), which are inlined into whatever reads them as index arithmetic, and
// reductions, which need loops of their own. So the kernel becomes one nest per reduction
// and one for the result, except that the ops after the reduction that read it element for
// element (bias, activation, residual add) run in the reduction's nest, after its loops:
// the epilogue TVM's fusion was made for. lab04_loop_ir/README.md §3.1.
#include <map>

#include "stages/common/check.h"
#include "stages/common/not_implemented.h"
#include "stages/ir/printer.h"
#include "stages/loops/lower.h"
#include "stages/loops/mutator.h"

namespace tessel::loops {

namespace {

using Index = std::vector<ExprPtr>;

// BEGIN SOLUTION lab04.t1: the kernel's buffers, what is materialized, the nests
// A pointwise op read more than once is recomputed at each read; past this many expression
// nodes it is cheaper (and the printed loop IR more readable) to compute it once into a buffer.
constexpr int64_t kMaxInlinedNodes = 256;

StmtPtr Nest(const std::vector<std::string>& names, const Shape& extents, StmtPtr body) {
  for (size_t d = names.size(); d-- > 0;) body = For(names[d], Int(extents[d]), body);
  return body;
}

class KernelLowering {
 public:
  explicit KernelLowering(const ir::Function& kernel)
      : kernel_(kernel), value_names_(ir::NameValues(kernel)) {}

  LoweredKernel Run() {
    lowered_.function.name = kernel_.name();
    for (const auto& arg : kernel_.args()) {
      BufferPtr b = MakeBuffer(NameOf(arg.get()), arg->type().dtype, arg->type().shape);
      names_.Take(b->name);
      buffers_[arg.get()] = b;
      lowered_.function.inputs.push_back(b);
    }
    const ir::Block& block = *kernel_.entry();
    const ir::Instr* ret = block.terminator();
    TESSEL_CHECK(ret && ret->op() == Op::kRet && ret->operand(0)->kind() == ir::Value::Kind::kInstr,
                 "kernel @" + kernel_.name() + " does not return one of its ops");
    root_ = static_cast<const ir::Instr*>(ret->operand(0));
    output_ = MakeBuffer(NameOf(root_), root_->type().dtype, root_->type().shape);
    names_.Take(output_->name);
    lowered_.function.outputs = {output_};
    ChooseMaterialized(block);

    std::vector<StmtPtr> body;
    for (const auto& instr : block.instrs()) {
      const ir::Instr* v = instr.get();
      if (!materialized_.count(v) || v == merged_) continue;
      if (v != root_) {
        BufferPtr b = MakeBuffer(names_.Fresh(NameOf(v)), v->type().dtype, v->type().shape);
        body.push_back(Allocate(b));
        buffers_[v] = b;
      }
      body.push_back(v == root_ && merged_ ? MergedNest() : NestOf(*v, BufferOf(v)));
    }
    lowered_.function.body = Seq(std::move(body));
    return std::move(lowered_);
  }

 private:
  std::string NameOf(const ir::Value* v) { return value_names_.at(v).substr(1); }
  BufferPtr BufferOf(const ir::Instr* v) { return v == root_ ? output_ : buffers_.at(v); }

  // Reductions and the result get buffers; so does a pointwise op read more than once whose
  // inlined expression grows too large. The last reduction is merged with the result's nest
  // when the result reads it element for element (MergedNest checks).
  void ChooseMaterialized(const ir::Block& block) {
    std::map<const ir::Value*, int> uses;
    std::map<const ir::Instr*, int64_t> nodes;
    const ir::Instr* last_reduction = nullptr;
    for (const auto& instr : block.instrs()) {
      for (const ir::Value* operand : instr->operands()) ++uses[operand];
    }
    for (const auto& instr : block.instrs()) {
      const ir::Instr* v = instr.get();
      if (v->op() == Op::kRet || v->op() == Op::kConstant) continue;
      int64_t size = 1;
      for (const ir::Value* operand : v->operands()) {
        auto it = nodes.find(static_cast<const ir::Instr*>(operand));
        if (operand->kind() == ir::Value::Kind::kInstr && it != nodes.end()) size += it->second;
      }
      if (IsReduction(*v)) last_reduction = v;
      bool big = size > kMaxInlinedNodes && uses[v] > 1;
      if (IsReduction(*v) || v == root_ || big) {
        materialized_.insert(v);
      } else {
        nodes[v] = size;
      }
    }
    // Merge only when nothing but the result is computed after the reduction.
    bool alone = true;
    for (bool after = false; const auto& instr : block.instrs()) {
      if (after && instr.get() != root_ && materialized_.count(instr.get())) alone = false;
      after = after || instr.get() == last_reduction;
    }
    if (last_reduction && last_reduction != root_ && alone &&
        last_reduction->type() == root_->type()) {
      merged_ = last_reduction;
    }
  }

  OperandAt OperandsOf(const ir::Instr& instr) {
    return [this, &instr](size_t k, const Index& index) { return ValueAt(instr.operand(k), index); };
  }

  ExprPtr ValueAt(const ir::Value* value, const Index& index) {
    if (value->kind() == ir::Value::Kind::kArgument) return Load(buffers_.at(value), index);
    const auto* instr = static_cast<const ir::Instr*>(value);
    if (instr == merged_) {
      for (size_t d = 0; d < index.size(); ++d) {
        merge_ok_ = merge_ok_ && Equal(index[d], merge_index_[d]);
      }
      return Load(output_, index);
    }
    if (materialized_.count(instr)) return Load(BufferOf(instr), index);
    if (instr->op() == Op::kConstant) return ConstantAt(*instr, index);
    return PointwiseAt(*instr, index, OperandsOf(*instr));
  }

  // A scalar or a tensor whose elements are all one value is a number; any other tensor is
  // a module constant.
  ExprPtr ConstantAt(const ir::Instr& instr, const Index& index) {
    const Tensor& t = *instr.attrs().value;
    bool splat = true;
    for (int64_t i = 1; i < t.size() && splat; ++i) splat = t.Get(i) == t.Get(0);
    if (splat && t.size() > 0) return Const(t.dtype(), t.Get(0));
    BufferPtr& b = constants_[&instr];
    if (!b) {
      b = MakeConstantBuffer(kernel_.name() + ".c" + std::to_string(constants_.size() - 1),
                             instr.attrs().value);
      lowered_.constants.push_back(b);
    }
    return Load(b, index);
  }

  Index FreshVars(const std::vector<std::string>& bases, std::vector<std::string>* names) {
    Index vars;
    for (const std::string& base : bases) {
      names->push_back(names_.Fresh(base));
      vars.push_back(Var(names->back()));
    }
    return vars;
  }

  StmtPtr Body(const ir::Instr& v, const BufferPtr& out, const Index& index) {
    if (!IsReduction(v)) return Store(out, index, PointwiseAt(v, index, OperandsOf(v)));
    std::vector<std::string> reduce_names;
    FreshVars(ReduceLoopNames(v), &reduce_names);
    return ReductionAt(v, out, index, reduce_names, OperandsOf(v), names_);
  }

  StmtPtr NestOf(const ir::Instr& v, const BufferPtr& out) {
    std::vector<std::string> loop_names;
    Index index = FreshVars(OutputLoopNames(v), &loop_names);
    return Nest(loop_names, v.type().shape, Body(v, out, index));
  }

  // The last reduction computed into the output, then the result's ops on it at the same
  // index. When the result reads the reduction elsewhere than at its own index (a transpose
  // after it), the reduction gets a buffer and a nest of its own after all.
  StmtPtr MergedNest() {
    std::vector<std::string> loop_names;
    merge_index_ = FreshVars(OutputLoopNames(*merged_), &loop_names);
    merge_ok_ = true;
    ExprPtr epilogue = PointwiseAt(*root_, merge_index_, OperandsOf(*root_));
    if (merge_ok_) {
      StmtPtr body = Seq({Body(*merged_, output_, merge_index_), Store(output_, merge_index_, epilogue)});
      return Nest(loop_names, root_->type().shape, body);
    }
    const ir::Instr* reduction = merged_;
    merged_ = nullptr;
    BufferPtr b = MakeBuffer(names_.Fresh(NameOf(reduction)), reduction->type().dtype,
                             reduction->type().shape);
    buffers_[reduction] = b;
    return Seq({Allocate(b), NestOf(*reduction, b), NestOf(*root_, output_)});
  }

  const ir::Function& kernel_;
  std::unordered_map<const ir::Value*, std::string> value_names_;
  LoweredKernel lowered_;
  NameGenerator names_;
  std::map<const ir::Value*, BufferPtr> buffers_;
  std::map<const ir::Instr*, BufferPtr> constants_;
  std::set<const ir::Instr*> materialized_;
  const ir::Instr* root_ = nullptr;
  const ir::Instr* merged_ = nullptr;  // the reduction whose nest the result's ops join
  BufferPtr output_;
  Index merge_index_;
  bool merge_ok_ = true;
};
// SKELETON
// // Your lowering's state and helpers go here.
// END SOLUTION

std::vector<std::string> Numbered(const std::string& prefix, size_t count) {
  std::vector<std::string> names;
  for (size_t d = 0; d < count; ++d) names.push_back(prefix + std::to_string(d));
  return names;
}

}  // namespace

std::vector<std::string> OutputLoopNames(const ir::Instr& instr) {
  size_t rank = instr.type().shape.size();
  if (instr.op() == Op::kComprehension) {
    std::vector<std::string> names;
    for (const ir::IndexVar& v : instr.attrs().comprehension->out) names.push_back(v.name);
    return names;
  }
  if (instr.op() == Op::kMatMul) {
    bool a_vector = instr.operand(0)->type().rank() == 1;
    bool b_vector = instr.operand(1)->type().rank() == 1;
    size_t batch = rank - (a_vector ? 0 : 1) - (b_vector ? 0 : 1);
    std::vector<std::string> names = Numbered("b", batch);
    if (!a_vector) names.push_back("i");
    if (!b_vector) names.push_back("j");
    return names;
  }
  return Numbered("i", rank);
}

std::vector<std::string> ReduceLoopNames(const ir::Instr& instr) {
  if (instr.op() == Op::kComprehension) {
    std::vector<std::string> names;
    for (const ir::IndexVar& v : instr.attrs().comprehension->reduce) names.push_back(v.name);
    return names;
  }
  if (instr.op() == Op::kMatMul) return {"k"};
  return Numbered("r", instr.attrs().axes.size());
}

LoweredKernel LowerKernel(const ir::Function& kernel) {
  // BEGIN SOLUTION lab04.t1: lower the kernel's ops into nests
  return KernelLowering(kernel).Run();
  // END SOLUTION
}

}  // namespace tessel::loops
