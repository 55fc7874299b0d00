// Small tools the graph passes share (stage 3): copying instructions, replacing values,
// reading constants. The passes themselves are lab03's (passes.h).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "stages/ir/ir.h"
#include "stages/runtime/tensor.h"

namespace tessel::opt {

/// Maps old values and blocks to their copies while a pass clones code.
struct CloneMap {
  std::unordered_map<const ir::Value*, ir::Value*> values;
  std::unordered_map<const ir::Block*, ir::Block*> blocks;

  /// The copy of `value`, or `value` itself when it was not copied (defined outside).
  ir::Value* Of(ir::Value* value) const;
  ir::Block* Of(ir::Block* block) const;
};

/// A copy of `instr`, not in any block: same op, type, name, attributes and location, its
/// operands and blocks mapped through `map`. Placements are not copied.
std::unique_ptr<ir::Instr> CloneInstr(const ir::Instr& instr, const CloneMap& map);

/// A new `constant` instruction holding `value`, at `loc`.
std::unique_ptr<ir::Instr> MakeConstant(Tensor value, const ir::Loc& loc, std::string name = {});

/// The tensor of a `constant` instruction, or null when `value` is anything else.
const Tensor* ConstantOf(const ir::Value* value);

/// True when every element of the constant `value` equals `x` (false for non-constants).
bool IsSplat(const ir::Value* value, double x);

/// Replaces every use of `instr` by `with` and erases `instr` from its block.
void ReplaceAndErase(ir::Instr* instr, ir::Value* with);

/// The position of `instr` in its block.
size_t PositionOf(const ir::Instr& instr);

/// The users of every value of `function` (one walk; Function::Users walks once per value).
std::unordered_map<const ir::Value*, std::vector<ir::Instr*>> UsersOf(const ir::Function& function);

/// Bytes of a tensor of `type`.
int64_t BytesOf(const ir::Type& type);

}  // namespace tessel::opt
