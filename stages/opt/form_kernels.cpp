#include "stages/opt/form_kernels.h"

#include <map>
#include <set>
#include <string>

#include "stages/common/check.h"
#include "stages/opt/rewrite.h"

namespace tessel::opt {

namespace {

bool StaysInEntry(const ir::Instr& instr) {
  return instr.op() == ir::Op::kConstant || ir::IsTerminator(instr.op());
}

// "fused_matmul_add_relu": the distinct ops of the group in order, at most four of them.
std::string KernelName(const std::vector<ir::Instr*>& members, const ir::Module& module) {
  std::string base = "fused";
  std::set<ir::Op> seen;
  for (const ir::Instr* member : members) {
    if (member->op() == ir::Op::kConstant || !seen.insert(member->op()).second) continue;
    if (seen.size() > 4) break;
    base.append("_").append(ir::OpMnemonic(member->op()));
  }
  std::string name = base;
  for (int k = 1; module.FindFunction(name) != nullptr; ++k) name = base + "_" + std::to_string(k);
  return name;
}

// Creates the kernel of one group and returns the call that replaces its root.
std::unique_ptr<ir::Instr> Outline(ir::Module& module, const std::vector<ir::Instr*>& members,
                                   ir::Instr* root,
                                   const std::function<ir::OpPattern(const ir::Instr&)>& pattern_of) {
  std::set<const ir::Value*> inside(members.begin(), members.end());
  ir::Function* kernel = module.AddFunction(KernelName(members, module), root->type());
  ir::Block* body = kernel->AddBlock("entry");
  CloneMap map;
  std::vector<ir::Value*> params;
  ir::KernelInfo info{.pattern = ir::OpPattern::kElementwise, .anchor = members.front()->op()};
  bool first = true;
  for (ir::Instr* member : members) {
    for (ir::Value* operand : member->operands()) {
      if (inside.count(operand) || map.values.count(operand)) continue;
      if (ConstantOf(operand) != nullptr) {
        const auto* constant = static_cast<const ir::Instr*>(operand);
        map.values[operand] = body->Append(CloneInstr(*constant, map));
        continue;
      }
      map.values[operand] = kernel->AddArg(operand->type(), operand->name());
      params.push_back(operand);
    }
    map.values[member] = body->Append(CloneInstr(*member, map));
    ir::OpPattern pattern = pattern_of(*member);
    if (first || pattern > info.pattern) info = {.pattern = pattern, .anchor = member->op()};
    first = false;
  }
  body->Append(std::make_unique<ir::Instr>(ir::Op::kRet, std::vector<ir::Value*>{map.Of(root)},
                                           ir::Type{}));
  kernel->set_kernel(info);
  auto call = std::make_unique<ir::Instr>(ir::Op::kCall, params, root->type(), root->name());
  call->attrs().callee = kernel->name();
  call->set_loc(root->loc());
  return call;
}

}  // namespace

int FormKernels(ir::Module& module, ir::Function& entry, const std::vector<int>& groups,
                const std::function<ir::OpPattern(const ir::Instr&)>& pattern_of) {
  TESSEL_CHECK(entry.blocks().size() == 1, "FormKernels: the entry must be one block");
  ir::Block* block = entry.entry();
  std::vector<ir::Instr*> instrs;
  for (const auto& instr : block->instrs()) instrs.push_back(instr.get());
  TESSEL_CHECK(groups.size() == instrs.size(), "FormKernels: one group per instruction");

  std::map<int, std::vector<ir::Instr*>> members;  // root position -> members, in order
  for (size_t i = 0; i < instrs.size(); ++i) {
    if (StaysInEntry(*instrs[i])) continue;
    TESSEL_CHECK(instrs[i]->op() != ir::Op::kCall && instrs[i]->op() != ir::Op::kPhi,
                 "FormKernels: calls and phis cannot be fused (inline first)");
    int root = groups[i];
    TESSEL_CHECK(root >= static_cast<int>(i) && root < static_cast<int>(instrs.size()),
                 "FormKernels: a group's root must follow its members");
    members[root].push_back(instrs[i]);
  }
  int formed = 0;
  for (auto& [position, group] : members) {
    ir::Instr* root = instrs[position];
    TESSEL_CHECK(group.back() == root, "FormKernels: a group must contain its root");
    std::unique_ptr<ir::Instr> call = Outline(module, group, root, pattern_of);
    ir::Instr* placed = block->Insert(PositionOf(*root), std::move(call));
    entry.ReplaceAllUses(root, placed);
    for (auto it = group.rbegin(); it != group.rend(); ++it) {
      TESSEL_CHECK(entry.Users(*it).empty(),
                   "FormKernels: a value other than its group's root is used outside the group");
      block->Erase(*it);
    }
    ++formed;
  }
  std::vector<ir::Instr*> constants;
  for (const auto& instr : block->instrs()) {
    if (instr->op() == ir::Op::kConstant) constants.push_back(instr.get());
  }
  for (ir::Instr* constant : constants) {
    if (entry.Users(constant).empty()) block->Erase(constant);
  }
  return formed;
}

}  // namespace tessel::opt
