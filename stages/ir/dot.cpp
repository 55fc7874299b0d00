// Graphviz DOT output of a function (dot.h): the CFG, one record node per
// block holding its instructions exactly as the printer writes them, and the
// dataflow graph, one node per value with blocks drawn as clusters. Used by
// `tessel run --emit ir --dot` and for the pictures in lab02's handout.
#include "stages/ir/dot.h"

#include <map>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "stages/common/check.h"
#include "stages/ir/printer.h"

namespace tessel::ir {
namespace {

// `text` with a backslash before each character of `special`.
std::string Escape(const std::string& text, std::string_view special) {
  std::string out;
  for (char c : text) {
    if (special.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// A quoted DOT label showing `text` literally: Graphviz reads backslash escapes in labels.
std::string Quote(const std::string& text) { return "\"" + Escape(text, "\\\"") + "\""; }

// One field of a record label: the record syntax characters escaped too. The result goes
// between quotes as it is.
std::string RecordField(const std::string& text) { return Escape(text, "\\\"{}|<>"); }

// Each block's header line and instruction lines, cut out of the printed function, so the
// graph shows the IR text (with the printer's numbering of unnamed values) exactly.
struct PrintedBlock {
  std::string header;
  std::vector<std::string> lines;
};

std::vector<PrintedBlock> PrintedBlocks(const Function& function) {
  std::string text = PrintFunction(function);
  std::vector<PrintedBlock> blocks;
  size_t start = text.find('\n');  // skip the "func @f(...) -> T {" line
  while (start != std::string::npos && start + 1 < text.size()) {
    size_t end = text.find('\n', start + 1);
    std::string line = text.substr(start + 1, end == std::string::npos ? end : end - start - 1);
    start = end;
    if (line.empty() || line == "}") continue;
    size_t indent = line.find_first_not_of(' ');
    if (indent == 0) {
      blocks.push_back({line, {}});
    } else if (indent != std::string::npos && !blocks.empty()) {
      blocks.back().lines.push_back(line.substr(indent));
    }
  }
  TESSEL_CHECK(blocks.size() == function.blocks().size(),
               "dot: the printed function of @" + function.name() + " has " +
                   std::to_string(blocks.size()) + " blocks, the function " +
                   std::to_string(function.blocks().size()));
  return blocks;
}

// "{entry:|%0 = add %x, %x : f32[4]\l|ret %0\l}", quoted: the label on top, one
// left-aligned field per instruction.
std::string BlockRecord(const PrintedBlock& block) {
  std::string label = "{" + RecordField(block.header);
  for (const std::string& line : block.lines) label += "|" + RecordField(line) + "\\l";
  return "\"" + label + "}\"";
}

std::map<const Block*, std::string> BlockIds(const Function& function) {
  std::map<const Block*, std::string> ids;
  for (size_t i = 0; i < function.blocks().size(); ++i) {
    ids[function.blocks()[i].get()] = "b" + std::to_string(i);
  }
  return ids;
}

// Edges out of `block`: cond_br's labelled true and false; targets outside the function skipped.
std::string SuccessorEdges(const Block& block, const std::map<const Block*, std::string>& ids) {
  Instr* term = block.terminator();
  if (!term) return "";
  std::string out;
  for (size_t i = 0; i < term->blocks().size(); ++i) {
    auto target = ids.find(term->blocks()[i]);
    if (target == ids.end()) continue;
    out += "  " + ids.at(&block) + " -> " + target->second;
    if (term->op() == Op::kCondBr) out += i == 0 ? " [label=\"true\"]" : " [label=\"false\"]";
    out += ";\n";
  }
  return out;
}

// "%y = matmul : f32[4, 10]", "ret", "%x: f32[4, 784]".
std::string ValueLabel(const Value& value,
                       const std::unordered_map<const Value*, std::string>& names) {
  if (value.kind() == Value::Kind::kArgument) {
    return names.at(&value) + ": " + FormatType(value.type());
  }
  const auto& instr = static_cast<const Instr&>(value);
  std::string mnemonic(OpMnemonic(instr.op()));
  if (!HasResult(instr.op())) return mnemonic;
  if (instr.op() == Op::kCall) mnemonic += " @" + instr.attrs().callee;
  return names.at(&value) + " = " + mnemonic + " : " + FormatType(value.type());
}

// Node ids: a0, a1 for arguments, v0, v1 for instructions in order.
std::map<const Value*, std::string> ValueIds(const Function& function) {
  std::map<const Value*, std::string> ids;
  for (const auto& arg : function.args()) ids[arg.get()] = "a" + std::to_string(arg->index());
  int next = 0;
  for (const auto& block : function.blocks()) {
    for (const auto& instr : block->instrs()) ids[instr.get()] = "v" + std::to_string(next++);
  }
  return ids;
}

// An edge from each operand to its user; a phi's edges name the incoming block.
std::string OperandEdges(const Instr& instr, const std::map<const Value*, std::string>& ids) {
  std::string out;
  for (size_t i = 0; i < instr.operands().size(); ++i) {
    auto from = ids.find(instr.operand(i));
    if (from == ids.end()) continue;  // not of this function: the verifier reports it
    out += "  " + from->second + " -> " + ids.at(&instr);
    if (instr.op() == Op::kPhi && i < instr.blocks().size() && instr.blocks()[i]) {
      out += " [label=" + Quote(instr.blocks()[i]->label()) + "]";
    }
    out += ";\n";
  }
  return out;
}

}  // namespace

std::string CfgToDot(const Function& function) {
  std::vector<PrintedBlock> printed = PrintedBlocks(function);
  std::map<const Block*, std::string> ids = BlockIds(function);
  std::string out = "digraph " + Quote("@" + function.name()) + " {\n";
  out += "  node [shape=record, fontname=\"monospace\"];\n";
  for (size_t i = 0; i < printed.size(); ++i) {
    out += "  b" + std::to_string(i) + " [label=" + BlockRecord(printed[i]) + "];\n";
  }
  for (const auto& block : function.blocks()) out += SuccessorEdges(*block, ids);
  return out + "}\n";
}

std::string DataflowToDot(const Function& function) {
  std::unordered_map<const Value*, std::string> names = NameValues(function);
  std::map<const Value*, std::string> ids = ValueIds(function);
  std::string out = "digraph " + Quote("@" + function.name() + " dataflow") + " {\n";
  out += "  node [shape=box, fontname=\"monospace\"];\n";
  for (const auto& arg : function.args()) {
    out += "  " + ids.at(arg.get()) + " [shape=ellipse, label=" + Quote(ValueLabel(*arg, names)) +
           "];\n";
  }
  for (size_t b = 0; b < function.blocks().size(); ++b) {
    const Block& block = *function.blocks()[b];
    out += "  subgraph cluster_" + std::to_string(b) + " {\n";
    out += "    label=" + Quote(block.label()) + ";\n";
    for (const auto& instr : block.instrs()) {
      out += "    " + ids.at(instr.get()) + " [label=" + Quote(ValueLabel(*instr, names)) + "];\n";
    }
    out += "  }\n";
  }
  for (const auto& block : function.blocks()) {
    for (const auto& instr : block->instrs()) out += OperandEdges(*instr, ids);
  }
  return out + "}\n";
}

std::string KernelsToDot(const Module& module, const Function& entry) {
  std::unordered_map<const Value*, std::string> names = NameValues(entry);
  std::string out = "digraph " + Quote("@" + entry.name() + " kernels") + " {\n";
  out += "  compound=true;\n  node [shape=box, fontname=\"monospace\"];\n";
  std::map<const Value*, std::string> node;  // entry value -> the node that produces it
  for (const auto& arg : entry.args()) {
    node[arg.get()] = "a" + std::to_string(arg->index());
    out += "  " + node[arg.get()] + " [shape=ellipse, label=" + Quote(ValueLabel(*arg, names)) +
           "];\n";
  }
  std::string edges;
  int call_number = 0;
  for (const auto& block : entry.blocks()) {
    for (const auto& instr : block->instrs()) {
      const Function* kernel =
          instr->op() == Op::kCall ? module.FindFunction(instr->attrs().callee) : nullptr;
      std::string id = "v" + std::to_string(node.size());
      if (kernel == nullptr || !kernel->kernel() || kernel->blocks().size() != 1) {
        node[instr.get()] = id;
        out += "  " + id + " [label=" + Quote(ValueLabel(*instr, names)) + "];\n";
        for (const Value* operand : instr->operands()) {
          if (node.count(operand)) edges += "  " + node.at(operand) + " -> " + id + ";\n";
        }
        continue;
      }
      // The kernel's ops inside a cluster; its arguments stand for the call's operands.
      std::string prefix = "k" + std::to_string(call_number) + "_";
      std::unordered_map<const Value*, std::string> kernel_names = NameValues(*kernel);
      std::map<const Value*, std::string> inner;
      for (const auto& arg : kernel->args()) {
        const Value* operand = instr->operand(static_cast<size_t>(arg->index()));
        if (node.count(operand)) inner[arg.get()] = node.at(operand);
      }
      std::string label = names.at(instr.get()) + " = @" + kernel->name() + " (" +
                          std::string(OpPatternName(kernel->kernel()->pattern)) + ")";
      if (instr->placement()) {
        label += " place(" + std::to_string(instr->placement()->buffer) + ", " +
                 std::to_string(instr->placement()->offset) + ")";
      }
      out += "  subgraph cluster_" + std::to_string(call_number) + " {\n";
      out += "    label=" + Quote(label) + ";\n    style=rounded;\n";
      int op_number = 0;
      for (const auto& op : kernel->entry()->instrs()) {
        if (op->op() == Op::kRet) {
          if (inner.count(op->operand(0))) node[instr.get()] = inner.at(op->operand(0));
          continue;
        }
        std::string op_id = prefix + std::to_string(op_number++);
        inner[op.get()] = op_id;
        out += "    " + op_id + " [label=" + Quote(ValueLabel(*op, kernel_names)) + "];\n";
        for (const Value* operand : op->operands()) {
          if (inner.count(operand)) edges += "  " + inner.at(operand) + " -> " + op_id + ";\n";
        }
      }
      out += "  }\n";
      ++call_number;
    }
  }
  return out + edges + "}\n";
}

}  // namespace tessel::ir
