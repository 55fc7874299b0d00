// The kernel form's invariants (verify_kernel_form.h): 1) a kernel's body, 2) the placements of
// a straight-line function: each placed result's bytes and live range, then every pair in one
// buffer compared.
#include "stages/ir/verify_kernel_form.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <vector>

#include "stages/ir/printer.h"

namespace tessel::ir {

namespace {

void CheckKernelBody(const Function& function, const KernelInfo& kernel,
                     const KernelFormReport& report) {
  if (function.blocks().size() != 1) {
    report(nullptr, nullptr,
           "a kernel has one block, found " + std::to_string(function.blocks().size()));
  }
  if (kernel.pattern == OpPattern::kControl) {
    report(nullptr, nullptr, "a kernel's pattern cannot be 'control'");
  }
  bool has_anchor = false;
  for (const auto& block : function.blocks()) {
    for (const auto& instr : block->instrs()) {
      Op op = instr->op();
      has_anchor = has_anchor || op == kernel.anchor;
      if (op == Op::kCall || op == Op::kPhi || op == Op::kBr || op == Op::kCondBr) {
        report(block.get(), instr.get(),
               "a kernel holds no '" + std::string(OpMnemonic(op)) +
                   "' (its ops are primitives and comprehensions, in one block)");
      }
    }
  }
  if (!has_anchor) {
    report(nullptr, nullptr,
           "the anchor op '" + std::string(OpMnemonic(kernel.anchor)) + "' is not in the kernel");
  }
}

struct Placed {
  const Instr* instr;
  int64_t begin, end;    // bytes [begin, end) of the buffer
  size_t def, last_use;  // positions in the block
};

void CheckPlacements(const Function& function, const KernelFormReport& report) {
  std::vector<const Instr*> placed_instrs;
  for (const auto& block : function.blocks()) {
    for (const auto& instr : block->instrs()) {
      if (instr->placement()) placed_instrs.push_back(instr.get());
    }
  }
  if (placed_instrs.empty()) return;
  if (function.blocks().size() != 1) {
    return report(nullptr, placed_instrs.front(),
                  "placements need a straight-line function (one block), found " +
                      std::to_string(function.blocks().size()) + " blocks");
  }
  const Block& block = *function.entry();
  std::map<const Value*, size_t> position;
  for (size_t i = 0; i < block.instrs().size(); ++i) position[block.instrs()[i].get()] = i;
  std::map<int64_t, std::vector<Placed>> buffers;
  for (const Instr* instr : placed_instrs) {
    size_t def = position.at(instr), last_use = def;
    for (const Instr* user : function.Users(instr))
      last_use = std::max(last_use, position.at(user));
    int64_t bytes =
        NumElements(instr->type().shape) * static_cast<int64_t>(DTypeSize(instr->type().dtype));
    const Placement& p = *instr->placement();
    buffers[p.buffer].push_back({instr, p.offset, p.offset + bytes, def, last_use});
  }
  std::unordered_map<const Value*, std::string> names = NameValues(function);
  auto describe = [&](const Placed& p) {
    return names.at(p.instr) + " (bytes " + std::to_string(p.begin) + ".." + std::to_string(p.end) +
           ", live from instruction " + std::to_string(p.def) + " to " +
           std::to_string(p.last_use) + ")";
  };
  for (const auto& [buffer, values] : buffers) {
    for (size_t i = 0; i < values.size(); ++i) {
      for (size_t j = i + 1; j < values.size(); ++j) {
        const Placed &a = values[i], &b = values[j];  // a is defined first
        bool share_bytes = a.begin < b.end && b.begin < a.end;
        bool both_live = b.def < a.last_use;  // b may reuse a at a's last use
        if (!share_bytes || !both_live) continue;
        report(&block, b.instr,
               "its placement in buffer " + std::to_string(buffer) + " overlaps " + describe(a) +
                   " while both are live: " + describe(b));
      }
    }
  }
}

}  // namespace

void CheckKernelForm(const Function& function, const KernelFormReport& report) {
  if (function.kernel()) CheckKernelBody(function, *function.kernel(), report);
  CheckPlacements(function, report);
}

}  // namespace tessel::ir
