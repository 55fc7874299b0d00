// Assertions for lab02's graded tests on SSA construction (t4) and dominators (t6).
//
// t4 tests build a function through the C++ API of stages/ir the way the
// lowering does (FunctionBuilder) and call SsaBuilder for the variables; a
// failure shows the expected and the actual function as IR text side by side,
// with the verifier's complaints and the interpreter's result.
// t6 tests give a CFG as IR text (ParseCfg) and compare the dominator tree and
// the frontiers with hand-written expectations or with the verifier's plain
// fixpoint (ComputeDominatorSets); a failure shows the numbered IR, then
// expected and actual side by side, one line per block.
//
// The helpers never catch exceptions: a skeleton's NotImplemented escapes to
// GoogleTest, which reports "not implemented: lab02.tK". Each helper takes the
// caller's source location, so a failure points at the test line.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <source_location>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/ir/compute_dominators.h"
#include "stages/ir/interpreter.h"
#include "stages/ir/ir.h"
#include "stages/ir/parser.h"
#include "stages/ir/printer.h"
#include "stages/ir/verifier.h"
#include "stages/runtime/tensor.h"
#include "stages/testing/expect.h"

namespace tessel::testing {

using Where = std::source_location;
using ir::Block;
using ir::Function;
using ir::Type;
using ir::Value;

/// Records a non-fatal failure at the test's own line.
inline void Fail(const Where& where, const std::string& message) {
  ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << message;
}

inline Type I32() { return Type{DType::kI32, {}}; }
inline Type F32() { return Type{DType::kF32, {}}; }
inline Type Bool() { return Type{DType::kBool, {}}; }

// ================================================================ t4: building functions

/// A module with one function, built through the C++ API as the lowering builds
/// one: blocks, instructions and branches. The variables go through an SsaBuilder.
/// An instruction added to a block that already ends in a terminator goes before it.
class FunctionBuilder {
 public:
  FunctionBuilder(Type result, const std::vector<std::pair<std::string, Type>>& args = {})
      : fn_(module_.AddFunction("f", std::move(result))) {
    for (const auto& [name, type] : args) fn_->AddArg(type, name);
  }

  ir::Module& module() { return module_; }
  Function& fn() { return *fn_; }
  ir::Argument* arg(size_t i) const { return fn_->args().at(i).get(); }
  Block* AddBlock(std::string label) { return fn_->AddBlock(std::move(label)); }

  /// `%name = constant value : dtype` at the end of `block`.
  ir::Instr* Const(Block* block, std::string name, double value, DType dtype = DType::kI32) {
    auto instr = std::make_unique<ir::Instr>(ir::Op::kConstant, std::vector<Value*>{},
                                             Type{dtype, {}}, std::move(name));
    instr->attrs().value = std::make_shared<Tensor>(Tensor::Scalar(dtype, value));
    return Add(block, std::move(instr));
  }
  /// `%name = op a, b`: bool for a comparison, else the type of `a`.
  ir::Instr* Binary(Block* block, ir::Op op, std::string name, Value* a, Value* b) {
    bool compare = op == ir::Op::kLt || op == ir::Op::kLe || op == ir::Op::kGt ||
                   op == ir::Op::kGe || op == ir::Op::kEq || op == ir::Op::kNe;
    Type type = compare ? Type{DType::kBool, a->type().shape} : a->type();
    return Add(block,
               std::make_unique<ir::Instr>(op, std::vector<Value*>{a, b}, type, std::move(name)));
  }
  void Br(Block* from, Block* to) { Terminate(from, ir::Op::kBr, {}, {to}); }
  void CondBr(Block* from, Value* cond, Block* if_true, Block* if_false) {
    Terminate(from, ir::Op::kCondBr, {cond}, {if_true, if_false});
  }
  void Ret(Block* from, Value* value) { Terminate(from, ir::Op::kRet, {value}, {}); }

 private:
  static ir::Instr* Add(Block* block, std::unique_ptr<ir::Instr> instr) {
    if (block->terminator() == nullptr) return block->Append(std::move(instr));
    return block->Insert(block->instrs().size() - 1, std::move(instr));
  }
  void Terminate(Block* from, ir::Op op, std::vector<Value*> operands,
                 std::vector<Block*> targets) {
    auto instr = std::make_unique<ir::Instr>(op, std::move(operands), Type{});
    instr->blocks() = std::move(targets);
    from->Append(std::move(instr));
  }

  ir::Module module_;
  Function* fn_;
};

/// The verifier's messages, one a line, or "(none)".
inline std::string VerifierText(const ir::Module& module, const Function& fn) {
  std::vector<std::string> errors;
  if (ir::VerifyFunction(fn, &module, &errors)) return "(none)\n";
  std::string out;
  for (const std::string& e : errors) out += e + "\n";
  return out;
}

/// How many phis `fn` holds.
inline int CountPhis(const Function& fn) {
  int count = 0;
  for (const auto& block : fn.blocks()) {
    for (const auto& instr : block->instrs()) count += instr->op() == ir::Op::kPhi ? 1 : 0;
  }
  return count;
}

/// Expects the built function to verify and to print as `expected` (PrintFunction's text).
inline void ExpectIr(FunctionBuilder& f, std::string_view expected,
                     Where where = Where::current()) {
  std::string actual = ir::PrintFunction(f.fn());
  std::string verifier = VerifierText(f.module(), f.fn());
  if (actual == expected && verifier == "(none)\n") return;
  Fail(where,
       Section("function after SSA construction", SideBySide(std::string(expected), actual)) +
           Section("verifier (expected none)", verifier));
}

/// Expects the built function to verify and to hold exactly `expected` phis.
inline void ExpectPhiCount(FunctionBuilder& f, int expected, Where where = Where::current()) {
  int actual = CountPhis(f.fn());
  std::string verifier = VerifierText(f.module(), f.fn());
  if (actual == expected && verifier == "(none)\n") return;
  Fail(where, "expected " + std::to_string(expected) + " phis, found " + std::to_string(actual) +
                  "\n" + Section("function after SSA construction", ir::PrintFunction(f.fn())) +
                  Section("verifier (expected none)", verifier));
}

/// Expects the function to verify and, run by the interpreter on `args`, to return the
/// scalar `expected`.
inline void ExpectReturns(FunctionBuilder& f, const std::vector<Tensor>& args, double expected,
                          Where where = Where::current()) {
  std::string verifier = VerifierText(f.module(), f.fn());
  std::string printed = ir::PrintFunction(f.fn());
  if (verifier != "(none)\n") {  // running IR that does not verify could go anywhere
    Fail(where, Section("function", printed) + Section("verifier (expected none)", verifier));
    return;
  }
  std::string error;
  std::optional<Tensor> result = ir::Interpret(f.module(), f.fn(), args, &error);
  if (result && result->size() == 1 && result->Get(0) == expected) return;
  std::string got = result ? (result->size() == 1 ? ir::FormatFloat(result->Get(0))
                                                  : "a tensor of type " + result->TypeString())
                           : "error: " + error;
  Fail(where, Section("function", printed) +
                  Section("result", SideBySide(ir::FormatFloat(expected), got)));
}

// ================================================================ t6: CFGs as IR text

/// A CFG parsed from IR text; `fn` is null after a parse error (the test has failed then).
struct Cfg {
  std::string text;
  std::unique_ptr<SourceFile> file;
  std::unique_ptr<ir::Module> module;
  const Function* fn = nullptr;

  /// The block labelled `label` (null if there is none).
  const Block* operator[](std::string_view label) const {
    for (const auto& block : fn->blocks()) {
      if (block->label() == label) return block.get();
    }
    return nullptr;
  }
};

/// Parses `blocks` as the body of `func @f(%c: bool, %x: f32) -> f32 { ... }`: blocks that
/// only branch (`br a`, `cond_br %c, a, b`, `ret %x`).
inline Cfg ParseCfg(std::string_view blocks, Where where = Where::current()) {
  Cfg cfg;
  std::string body(blocks);
  if (!body.ends_with('\n')) body += '\n';
  cfg.text = "func @f(%c: bool, %x: f32) -> f32 {\n" + body + "}\n";
  cfg.file = std::make_unique<SourceFile>("cfg.ir", cfg.text);
  DiagnosticEngine diags;
  cfg.module = ir::ParseModule(*cfg.file, diags);
  if (cfg.module == nullptr) {
    std::ostringstream out;
    diags.Print(out);
    Fail(where, "the test's IR does not parse:\n" + out.str());
    return cfg;
  }
  cfg.fn = cfg.module->functions().front().get();
  return cfg;
}

/// The IR of the CFG, numbered, under the title "input IR".
inline std::string InputSection(const Cfg& cfg) {
  return Section("input IR", NumberedSource(cfg.text));
}

/// Position of every block in the function's block order (the text order).
inline std::map<const Block*, size_t> BlockOrder(const Function& fn) {
  std::map<const Block*, size_t> order;
  for (const auto& block : fn.blocks()) order.emplace(block.get(), order.size());
  return order;
}

/// "{a, b}": labels in block order.
inline std::string LabelSet(const Function& fn, const std::set<const Block*>& blocks) {
  std::map<const Block*, size_t> order = BlockOrder(fn);
  std::vector<const Block*> sorted(blocks.begin(), blocks.end());
  std::sort(sorted.begin(), sorted.end(),
            [&](const Block* a, const Block* b) { return order.at(a) < order.at(b); });
  std::string out;
  for (const Block* b : sorted) out += (out.empty() ? "" : ", ") + b->label();
  return "{" + out + "}";
}

/// "idom(b) = a" for every block that has an idom in `idom`, in block order.
inline std::string IdomLines(const Function& fn, const std::map<const Block*, const Block*>& idom) {
  std::string out;
  for (const auto& block : fn.blocks()) {
    auto it = idom.find(block.get());
    if (it != idom.end()) out += "idom(" + block->label() + ") = " + it->second->label() + "\n";
  }
  return out.empty() ? "(no idoms)\n" : out;
}

/// "DF(b) = {...}" for every block that has an entry in `frontiers`, in block order.
inline std::string FrontierLines(const Function& fn,
                                 const std::map<const Block*, std::set<const Block*>>& frontiers) {
  std::string out;
  for (const auto& block : fn.blocks()) {
    auto it = frontiers.find(block.get());
    if (it != frontiers.end())
      out += "DF(" + block->label() + ") = " + LabelSet(fn, it->second) + "\n";
  }
  return out.empty() ? "(no frontiers)\n" : out;
}

/// The labels of the tree's reverse postorder, separated by spaces.
inline std::string RpoText(const ir::DominatorTree& tree) {
  std::string out;
  for (const Block* b : tree.rpo) out += (out.empty() ? "" : " ") + b->label();
  return out;
}

/// Idoms from the oracle: the strict dominator of b that every other strict dominator
/// dominates, i.e. the one with the most dominators of its own.
inline std::map<const Block*, const Block*> OracleIdoms(const Function& fn) {
  std::map<const Block*, std::set<const Block*>> dom = ir::ComputeDominatorSets(fn);
  std::map<const Block*, const Block*> idom;
  for (const auto& [block, dominators] : dom) {
    const Block* best = nullptr;
    for (const Block* d : dominators) {
      if (d != block && (best == nullptr || dom.at(d).size() > dom.at(best).size())) best = d;
    }
    if (best != nullptr) idom[block] = best;
  }
  return idom;
}

/// Frontiers from the definition over the oracle's sets: y is in DF(x) when x dominates a
/// reachable predecessor of y and does not strictly dominate y.
inline std::map<const Block*, std::set<const Block*>> OracleFrontiers(const Function& fn) {
  std::map<const Block*, std::set<const Block*>> dom = ir::ComputeDominatorSets(fn);
  std::map<const Block*, std::set<const Block*>> frontiers;
  for (const auto& [block, dominators] : dom) frontiers[block];
  for (const auto& [pred, pred_doms] : dom) {
    for (const Block* y : pred->successors()) {
      for (const Block* x : pred_doms) {
        if (x == y || !dom.at(y).count(x)) frontiers[x].insert(y);
      }
    }
  }
  return frontiers;
}

/// Expects these idoms ({block, idom} for every reachable block but the entry) and, if
/// `rpo` is not empty, this reverse postorder (labels separated by spaces).
inline void ExpectIdoms(const Cfg& cfg,
                        const std::vector<std::pair<std::string, std::string>>& idoms,
                        std::string_view rpo = "", Where where = Where::current()) {
  if (cfg.fn == nullptr) return;
  std::map<const Block*, const Block*> expected;
  for (const auto& [block, idom] : idoms) expected[cfg[block]] = cfg[idom];
  ir::DominatorTree tree = ir::ComputeDominatorTree(*cfg.fn);
  std::string want = IdomLines(*cfg.fn, expected), got = IdomLines(*cfg.fn, tree.idom);
  std::string got_rpo = RpoText(tree);
  if (want == got && (rpo.empty() || rpo == got_rpo)) return;
  std::string rpo_text = rpo.empty() ? got_rpo + "\n" : SideBySide(std::string(rpo), got_rpo);
  Fail(where, InputSection(cfg) + Section("immediate dominators", SideBySide(want, got)) +
                  Section("reverse postorder", rpo_text));
}

/// Expects these frontiers ({block, {blocks}}); reachable blocks not listed expect {}.
inline void ExpectFrontiers(const Cfg& cfg,
                            const std::vector<std::pair<std::string, std::vector<std::string>>>& df,
                            Where where = Where::current()) {
  if (cfg.fn == nullptr) return;
  std::map<const Block*, std::set<const Block*>> expected;
  for (const auto& [block, dominators] : ir::ComputeDominatorSets(*cfg.fn)) expected[block];
  for (const auto& [block, members] : df) {
    for (const std::string& m : members) expected[cfg[block]].insert(cfg[m]);
  }
  ir::DominatorTree tree = ir::ComputeDominatorTree(*cfg.fn);
  std::string idoms = IdomLines(*cfg.fn, tree.idom);
  std::string oracle_idoms = IdomLines(*cfg.fn, OracleIdoms(*cfg.fn));
  if (idoms != oracle_idoms) {  // the runner walk could loop forever on a wrong tree
    Fail(where,
         InputSection(cfg) + Section("immediate dominators (the frontiers need them right first)",
                                     SideBySide(oracle_idoms, idoms)));
    return;
  }
  auto actual = ir::ComputeDominanceFrontiers(*cfg.fn, tree);
  std::string want = FrontierLines(*cfg.fn, expected), got = FrontierLines(*cfg.fn, actual);
  if (want == got) return;
  Fail(where, InputSection(cfg) + Section("dominance frontiers", SideBySide(want, got)) +
                  Section("immediate dominators", idoms));
}

}  // namespace tessel::testing
