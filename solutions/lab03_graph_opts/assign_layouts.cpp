// Layout assignment (lab03, task t4): AssignLayouts of stages/opt/passes.h.
//
// Requires: verified IR.
// Preserves: results, exactly (a transpose moves elements; a comprehension that reads its
//            operands through permuted subscripts computes the same sums in the same order).
// Gives: every rank-4 reduction comprehension (convolution, pooling) computes in the target's
//        layout L (NHWC for the CPU target): it reads transpose(x, L) and writes its result in L,
//        followed by a conversion back, transpose(y, inverse(L)). Conversions then move down
//        through elementwise ops and meet the next convolution's conversion, where the pair
//        cancels: a chain conv -> relu -> conv keeps one conversion at each end of the chain.
//
// Layouts are ordinary transposes here (TVM's layout_transform, XLA's copy with a new
// layout): the IR's values stay logical, the layout is which transposes surround an op.
// lab03_graph_opts/README.md §3.4 walks through the ResNet block.
#include "stages/common/not_implemented.h"
#include "stages/opt/passes.h"
#include "stages/opt/rewrite.h"

namespace tessel::opt {

namespace {

using Perm = std::vector<int64_t>;

Perm Inverse(const Perm& p) {
  Perm inverse(p.size());
  for (size_t d = 0; d < p.size(); ++d) inverse[p[d]] = static_cast<int64_t>(d);
  return inverse;
}

// The shape of transpose(x: shape, p).
Shape Permute(const Shape& shape, const Perm& p) {
  Shape out;
  for (int64_t d : p) out.push_back(shape[d]);
  return out;
}

// transpose(value, p) just before `at`.
ir::Instr* Convert(ir::Instr& at, ir::Value* value, const Perm& p) {
  ir::Type type{value->type().dtype, Permute(value->type().shape, p)};
  auto instr = std::make_unique<ir::Instr>(ir::Op::kTranspose, std::vector<ir::Value*>{value},
                                           type);
  instr->attrs().axes = p;
  instr->set_loc(at.loc());
  return at.parent()->Insert(PositionOf(at), std::move(instr));
}

// The conversion `value` is when it is transpose(v, p); else null.
ir::Instr* ConversionBy(ir::Value* value, const Perm& p) {
  if (value->kind() != ir::Value::Kind::kInstr) return nullptr;
  auto* instr = static_cast<ir::Instr*>(value);
  return instr->op() == ir::Op::kTranspose && instr->attrs().axes == p ? instr : nullptr;
}

// `body` with index k renamed index_map[k], and the subscripts of every read of an operand
// in `permuted` reordered by `p` (a read of transpose(x, p) at s' is a read of x at s).
ir::ScalarExprPtr Rewrite(const ir::ScalarExprPtr& body, const std::vector<int>& index_map,
                          const std::vector<bool>& permuted, const Perm& p) {
  switch (body->kind) {
    case ir::ScalarExpr::Kind::kConst:
      return body;
    case ir::ScalarExpr::Kind::kIndex:
      return ir::MakeScalarIndex(index_map[body->index]);
    case ir::ScalarExpr::Kind::kRead: {
      std::vector<ir::ScalarExprPtr> subscripts;
      for (const auto& s : body->args) subscripts.push_back(Rewrite(s, index_map, permuted, p));
      if (permuted[body->index]) {
        std::vector<ir::ScalarExprPtr> reordered;
        for (int64_t d : p) reordered.push_back(subscripts[d]);
        subscripts = std::move(reordered);
      }
      return ir::MakeScalarRead(body->index, body->dtype, std::move(subscripts));
    }
    case ir::ScalarExpr::Kind::kApply: {
      std::vector<ir::ScalarExprPtr> args;
      for (const auto& a : body->args) args.push_back(Rewrite(a, index_map, permuted, p));
      return ir::MakeScalarApply(body->op, body->dtype, std::move(args));
    }
  }
  return body;
}

bool IsLayoutSensitive(const ir::Instr& instr) {
  return instr.op() == ir::Op::kComprehension && instr.type().rank() == 4 &&
         instr.attrs().comprehension->reduce_kind != ir::ReduceKind::kAssign;
}

// Rewrites a rank-4 reduction comprehension to compute in layout `p`.
void ConvertComprehension(ir::Instr& instr, const Perm& p, PassContext& context) {
  // BEGIN SOLUTION lab03.t4: read transpose(x, p), write in p, convert the result back
  const ir::Comprehension& old = *instr.attrs().comprehension;
  std::vector<ir::Value*> operands;
  std::vector<bool> permuted;
  for (ir::Value* operand : instr.operands()) {
    bool rank4 = operand->type().rank() == 4;
    permuted.push_back(rank4);
    operands.push_back(rank4 ? Convert(instr, operand, p) : operand);
    if (rank4) context.stats.Add("conversions inserted");
  }
  Perm inverse = Inverse(p);
  auto c = std::make_shared<ir::Comprehension>(old);
  std::vector<int> index_map;
  for (size_t k = 0; k < old.out.size() + old.reduce.size(); ++k) {
    index_map.push_back(k < 4 ? static_cast<int>(inverse[k]) : static_cast<int>(k));
  }
  for (size_t d = 0; d < 4; ++d) c->out[d] = old.out[p[d]];
  c->body = Rewrite(old.body, index_map, permuted, p);
  ir::Type type{instr.type().dtype, Permute(instr.type().shape, p)};
  auto computed = std::make_unique<ir::Instr>(ir::Op::kComprehension, operands, type,
                                              instr.name());
  computed->attrs().comprehension = c;
  computed->set_loc(instr.loc());
  ir::Instr* in_layout = instr.parent()->Insert(PositionOf(instr), std::move(computed));
  ir::Instr* back = Convert(instr, in_layout, inverse);
  ReplaceAndErase(&instr, back);
  context.stats.Add("ops converted");
  context.stats.Add("conversions inserted");
  // END SOLUTION
}

// An elementwise op (or pointwise comprehension) one of whose operands comes back from layout p
// moves into p, so that the conversion moves past it:
//   op(transpose(a', q), b) -> transpose(op(a', transpose(b, p)), q)     q = inverse(p)
// Only small operands (that broadcast) get new conversions; one of lower rank (a bias
// [K, 1, 1]) is first given its leading 1s, as broadcasting would. pad moves too, its widths
// permuted.
bool SinkConversion(ir::Instr& instr, const Perm& p, PassContext& context) {
  // BEGIN SOLUTION lab03.t4: move a conversion back to the logical layout below an elementwise op
  ir::OpPattern pattern = ir::OpPatternOf(instr.op());
  bool pointwise = instr.op() == ir::Op::kComprehension &&
                   instr.attrs().comprehension->reduce_kind == ir::ReduceKind::kAssign;
  if ((pattern != ir::OpPattern::kElementwise && pattern != ir::OpPattern::kBroadcast &&
       instr.op() != ir::Op::kPad && !pointwise) ||
      instr.op() == ir::Op::kBroadcast || instr.type().rank() != 4) {
    return false;
  }
  Perm inverse = Inverse(p);
  bool any = false;
  for (ir::Value* operand : instr.operands()) {
    int64_t rank = operand->type().rank();
    if (ConversionBy(operand, inverse) != nullptr) {
      any = true;
    } else if (rank > 0 &&
               NumElements(operand->type().shape) == NumElements(instr.type().shape)) {
      return false;  // a full-size tensor in the logical layout: converting it costs as much
    }
  }
  if (!any) return false;
  if (pointwise) {  // its reads can be permuted like a convolution's; the pairs cancel later
    ConvertComprehension(instr, p, context);
    return true;
  }
  std::vector<ir::Value*> operands;
  for (ir::Value* operand : instr.operands()) {
    if (ir::Instr* conversion = ConversionBy(operand, inverse)) {
      operands.push_back(conversion->operand(0));
    } else if (operand->type().rank() == 4) {
      operands.push_back(Convert(instr, operand, p));
      context.stats.Add("conversions inserted");
    } else if (operand->type().rank() > 0) {  // [K, 1, 1] -> [1, K, 1, 1] -> layout p
      Shape shape(4 - operand->type().shape.size(), 1);
      shape.insert(shape.end(), operand->type().shape.begin(), operand->type().shape.end());
      auto reshape = std::make_unique<ir::Instr>(
          ir::Op::kReshape, std::vector<ir::Value*>{operand},
          ir::Type{operand->type().dtype, shape}, "");
      reshape->set_loc(instr.loc());
      ir::Instr* expanded = instr.parent()->Insert(PositionOf(instr), std::move(reshape));
      operands.push_back(Convert(instr, expanded, p));
      context.stats.Add("conversions inserted");
    } else {
      operands.push_back(operand);
    }
  }
  ir::Type type{instr.type().dtype, Permute(instr.type().shape, p)};
  auto moved = std::make_unique<ir::Instr>(instr.op(), operands, type, instr.name());
  moved->attrs() = instr.attrs();
  if (instr.op() == ir::Op::kPad) {  // the widths follow their dimensions
    moved->attrs().low = Permute(instr.attrs().low, p);
    moved->attrs().high = Permute(instr.attrs().high, p);
  }
  moved->set_loc(instr.loc());
  ir::Instr* in_layout = instr.parent()->Insert(PositionOf(instr), std::move(moved));
  ReplaceAndErase(&instr, Convert(instr, in_layout, inverse));
  return true;
  // END SOLUTION
}

// transpose(transpose(x, p), q) where q undoes p is x.
bool CancelPair(ir::Instr& instr, PassContext& context) {
  // BEGIN SOLUTION lab03.t4: a conversion of a conversion that undoes it is its input
  if (instr.op() != ir::Op::kTranspose) return false;
  ir::Value* input = instr.operand(0);
  if (input->kind() != ir::Value::Kind::kInstr) return false;
  auto* inner = static_cast<ir::Instr*>(input);
  if (inner->op() != ir::Op::kTranspose || instr.attrs().axes != Inverse(inner->attrs().axes)) {
    return false;
  }
  ReplaceAndErase(&instr, inner->operand(0));
  if (inner->parent()->parent()->Users(inner).empty()) inner->parent()->Erase(inner);
  context.stats.Add("conversions cancelled");
  return true;
  // END SOLUTION
}

}  // namespace

void AssignLayouts(ir::Module& module, PassContext& context) {
  const Perm& p = context.layouts.conv_layout;
  if (p.size() != 4) return;  // the target has no preference
  for (const auto& function : module.functions()) {
    for (const auto& block : function->blocks()) {
      std::vector<ir::Instr*> sensitive;
      for (const auto& instr : block->instrs()) {
        if (IsLayoutSensitive(*instr)) sensitive.push_back(instr.get());
      }
      for (ir::Instr* instr : sensitive) ConvertComprehension(*instr, p, context);
      // Sink conversions in program order (a chain moves all the way in one walk), then cancel.
      for (size_t i = 0; i < block->instrs().size(); ++i) {
        SinkConversion(*block->instrs()[i], p, context);
      }
      bool changed = true;
      while (changed) {
        changed = false;
        for (size_t i = 0; i < block->instrs().size(); ++i) {
          changed = CancelPair(*block->instrs()[i], context) || changed;
        }
      }
    }
  }
}

}  // namespace tessel::opt
