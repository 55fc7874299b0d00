// Global value numbering (lab03, task t3): NumberValues of stages/opt/passes.h.
//
// Requires: verified IR.
// Preserves: results; every value still dominates its uses (a value is only replaced by one
//            whose definition dominates it).
// Gives: no instruction equal to one that dominates it.
//
// Two instructions are equal when they compute the same function of the same values: same op,
// result type, operands (either order for a commutative op), attributes, and for a
// comprehension the same index ranges, reduction and body. Walking lab02's dominator tree in
// preorder with a scoped table (entries leave the table when the walk leaves the subtree that
// made them) finds, for each instruction, an equal one that dominates it: the dominating
// definitions are exactly the ones on the path from the root. This is the "dominator-based
// value numbering" of Briggs, Cooper and Simpson (1997); Click (1995) is the global version.
// lab03_graph_opts/README.md §3.3.
#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>

#include "stages/common/not_implemented.h"
#include "stages/ir/compute_dominators.h"
#include "stages/opt/passes.h"
#include "stages/opt/rewrite.h"

namespace tessel::opt {

namespace {

void AppendNumbers(std::string& key, const std::vector<int64_t>& numbers) {
  key += '[';
  for (int64_t n : numbers) key.append(std::to_string(n)).append(",");
  key += ']';
}

// A comprehension body as text in which index variables and operands are positions, so that
// two bodies that differ only in their index names have one key.
void AppendBody(std::string& key, const ir::ScalarExpr& e) {
  switch (e.kind) {
    case ir::ScalarExpr::Kind::kConst: {
      char bits[sizeof(double)];
      std::memcpy(bits, &e.value, sizeof bits);
      key.append("c").append(DTypeName(e.dtype)).append(bits, sizeof bits);
      return;
    }
    case ir::ScalarExpr::Kind::kIndex:
      key.append("i").append(std::to_string(e.index));
      return;
    case ir::ScalarExpr::Kind::kRead:
      key.append("r").append(std::to_string(e.index));
      break;
    case ir::ScalarExpr::Kind::kApply:
      key.append("a").append(ir::OpMnemonic(e.op)).append(DTypeName(e.dtype));
      break;
  }
  key += '(';
  for (const auto& arg : e.args) {
    AppendBody(key, *arg);
    key += ' ';
  }
  key += ')';
}

// Everything that decides an instruction's value except its operands.
std::string AttributeKey(const ir::Instr& instr) {
  std::string key(ir::OpMnemonic(instr.op()));
  key += ' ' + ir::FormatType(instr.type());
  const ir::Attrs& a = instr.attrs();
  AppendNumbers(key, a.axes);
  key += a.keepdims ? 'k' : '-';
  AppendNumbers(key, a.begin);
  AppendNumbers(key, a.end);
  AppendNumbers(key, a.step);
  AppendNumbers(key, a.low);
  AppendNumbers(key, a.high);
  char bits[sizeof(double)];
  std::memcpy(bits, &a.pad_value, sizeof bits);
  key.append(bits, sizeof bits).append(a.callee);
  if (a.value) {
    const auto& bytes = a.value->bytes();
    key.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  if (a.comprehension) {
    const ir::Comprehension& c = *a.comprehension;
    for (const ir::IndexVar& v : c.out) AppendNumbers(key, {v.lo, v.hi});
    key.append(ir::ReduceKindName(c.reduce_kind));
    for (const ir::IndexVar& v : c.reduce) AppendNumbers(key, {v.lo, v.hi});
    AppendBody(key, *c.body);
  }
  return key;
}

// The value-numbering key of `instr`: equal keys, equal values.
std::string ValueKey(const ir::Instr& instr,
                     const std::unordered_map<const ir::Value*, int>& numbers) {
  // TODO(lab03.t3): op, type and attributes, then the operands' numbers (sorted if commutative)
  TESSEL_UNIMPLEMENTED("lab03.t3",
                       "op, type and attributes, then the operands' numbers (sorted if commutative)",
                       "lab03_graph_opts/README.md §3.3");
}

}  // namespace

void NumberValues(ir::Module& module, PassContext& context) {
  for (const auto& function : module.functions()) {
    ir::DominatorTree tree = ir::ComputeDominatorTree(*function);
    // Each value's number: arguments and kept instructions get their own; a replaced
    // instruction takes the number of its replacement.
    std::unordered_map<const ir::Value*, int> numbers;
    for (const auto& arg : function->args()) numbers[arg.get()] = static_cast<int>(numbers.size());
    // A phi may use a value of a block visited later (a loop's back edge): give every
    // instruction a number first, then merge numbers as the walk finds equal ones.
    for (const auto& block : function->blocks()) {
      for (const auto& instr : block->instrs()) {
        numbers[instr.get()] = static_cast<int>(numbers.size());
      }
    }
    // TODO(lab03.t3): walk the dominator tree in preorder with a scoped table
    TESSEL_UNIMPLEMENTED("lab03.t3", "walk the dominator tree in preorder with a scoped table",
                         "lab03_graph_opts/README.md §3.3");
  }
}

}  // namespace tessel::opt
