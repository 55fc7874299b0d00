#include "stages/opt/rewrite.h"

#include "stages/common/check.h"

namespace tessel::opt {

ir::Value* CloneMap::Of(ir::Value* value) const {
  auto it = values.find(value);
  return it == values.end() ? value : it->second;
}

ir::Block* CloneMap::Of(ir::Block* block) const {
  auto it = blocks.find(block);
  return it == blocks.end() ? block : it->second;
}

std::unique_ptr<ir::Instr> CloneInstr(const ir::Instr& instr, const CloneMap& map) {
  std::vector<ir::Value*> operands;
  for (ir::Value* operand : instr.operands()) operands.push_back(map.Of(operand));
  auto copy = std::make_unique<ir::Instr>(instr.op(), std::move(operands), instr.type(),
                                          instr.name());
  copy->attrs() = instr.attrs();
  for (ir::Block* block : instr.blocks()) copy->blocks().push_back(map.Of(block));
  copy->set_loc(instr.loc());
  return copy;
}

std::unique_ptr<ir::Instr> MakeConstant(Tensor value, const ir::Loc& loc, std::string name) {
  ir::Type type{value.dtype(), value.shape()};
  auto instr = std::make_unique<ir::Instr>(ir::Op::kConstant, std::vector<ir::Value*>{}, type,
                                           std::move(name));
  instr->attrs().value = std::make_shared<const Tensor>(std::move(value));
  instr->set_loc(loc);
  return instr;
}

const Tensor* ConstantOf(const ir::Value* value) {
  if (value->kind() != ir::Value::Kind::kInstr) return nullptr;
  const auto* instr = static_cast<const ir::Instr*>(value);
  if (instr->op() != ir::Op::kConstant) return nullptr;
  return instr->attrs().value.get();
}

bool IsSplat(const ir::Value* value, double x) {
  const Tensor* tensor = ConstantOf(value);
  if (tensor == nullptr) return false;
  for (int64_t i = 0; i < tensor->size(); ++i) {
    if (tensor->Get(i) != x) return false;
  }
  return true;
}

void ReplaceAndErase(ir::Instr* instr, ir::Value* with) {
  ir::Block* block = instr->parent();
  TESSEL_CHECK(block != nullptr, "ReplaceAndErase: the instruction is in no block");
  block->parent()->ReplaceAllUses(instr, with);
  block->Erase(instr);
}

size_t PositionOf(const ir::Instr& instr) {
  const auto& instrs = instr.parent()->instrs();
  for (size_t i = 0; i < instrs.size(); ++i) {
    if (instrs[i].get() == &instr) return i;
  }
  TESSEL_CHECK(false, "PositionOf: the instruction is not in its block");
  return 0;
}

std::unordered_map<const ir::Value*, std::vector<ir::Instr*>> UsersOf(
    const ir::Function& function) {
  std::unordered_map<const ir::Value*, std::vector<ir::Instr*>> users;
  for (const auto& block : function.blocks()) {
    for (const auto& instr : block->instrs()) {
      for (ir::Value* operand : instr->operands()) {
        std::vector<ir::Instr*>& list = users[operand];
        if (list.empty() || list.back() != instr.get()) list.push_back(instr.get());
      }
    }
  }
  return users;
}

int64_t BytesOf(const ir::Type& type) {
  return NumElements(type.shape) * static_cast<int64_t>(DTypeSize(type.dtype));
}

}  // namespace tessel::opt
