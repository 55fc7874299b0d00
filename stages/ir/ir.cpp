// The IR's data structures: op properties from ops.def, blocks, functions.
#include "stages/ir/ir.h"

#include <algorithm>
#include <set>

#include "stages/common/check.h"

namespace tessel::ir {

namespace {

struct OpInfo {
  std::string_view mnemonic;
  int arity;
  OpPattern pattern;
};

constexpr OpInfo kOps[] = {
#define OP(name, mnemonic, arity, pattern) {mnemonic, arity, OpPattern::pattern},
#include "stages/ir/ops.def"
};

const OpInfo& Info(Op op) { return kOps[static_cast<int>(op)]; }

}  // namespace

std::string_view OpMnemonic(Op op) { return Info(op).mnemonic; }

std::optional<Op> ParseOpMnemonic(std::string_view mnemonic) {
  for (size_t i = 0; i < std::size(kOps); ++i) {
    if (kOps[i].mnemonic == mnemonic) return static_cast<Op>(i);
  }
  return std::nullopt;
}

int OpArity(Op op) { return Info(op).arity; }
OpPattern OpPatternOf(Op op) { return Info(op).pattern; }

std::string_view OpPatternName(OpPattern pattern) {
  switch (pattern) {
    case OpPattern::kElementwise: return "elementwise";
    case OpPattern::kBroadcast: return "broadcast";
    case OpPattern::kInjective: return "injective";
    case OpPattern::kReduction: return "reduction";
    case OpPattern::kOutFusable: return "out_fusable";
    case OpPattern::kOpaque: return "opaque";
    case OpPattern::kControl: return "control";
  }
  return "?";
}

std::optional<OpPattern> ParseOpPattern(std::string_view name) {
  for (OpPattern pattern : {OpPattern::kElementwise, OpPattern::kBroadcast, OpPattern::kInjective,
                            OpPattern::kReduction, OpPattern::kOutFusable, OpPattern::kOpaque,
                            OpPattern::kControl}) {
    if (OpPatternName(pattern) == name) return pattern;
  }
  return std::nullopt;
}
bool IsTerminator(Op op) { return op == Op::kBr || op == Op::kCondBr || op == Op::kRet; }
bool HasResult(Op op) { return !IsTerminator(op); }

bool IsCommutative(Op op) {
  return op == Op::kAdd || op == Op::kMul || op == Op::kMaximum || op == Op::kMinimum ||
         op == Op::kEq || op == Op::kNe || op == Op::kAnd || op == Op::kOr;
}

std::string FormatType(const Type& type) {
  std::string out(DTypeName(type.dtype));
  if (type.shape.empty()) return out;
  return out + FormatShape(type.shape);
}

std::string_view ReduceKindName(ReduceKind kind) {
  switch (kind) {
    case ReduceKind::kAssign: return "assign";
    case ReduceKind::kSum: return "sum";
    case ReduceKind::kProd: return "prod";
    case ReduceKind::kMax: return "max";
    case ReduceKind::kMin: return "min";
  }
  return "?";
}

ScalarExprPtr MakeScalarConst(DType dtype, double value) {
  auto e = std::make_shared<ScalarExpr>();
  e->kind = ScalarExpr::Kind::kConst;
  e->dtype = dtype;
  e->value = value;
  return e;
}

ScalarExprPtr MakeScalarIndex(int index) {
  TESSEL_CHECK(index >= 0, "index variable position must be >= 0");
  auto e = std::make_shared<ScalarExpr>();
  e->kind = ScalarExpr::Kind::kIndex;
  e->dtype = DType::kI32;
  e->index = index;
  return e;
}

ScalarExprPtr MakeScalarRead(int operand, DType dtype, std::vector<ScalarExprPtr> subscripts) {
  TESSEL_CHECK(operand >= 0, "read of a negative operand position");
  for (const ScalarExprPtr& s : subscripts) TESSEL_CHECK(s != nullptr, "null subscript");
  auto e = std::make_shared<ScalarExpr>();
  e->kind = ScalarExpr::Kind::kRead;
  e->dtype = dtype;
  e->index = operand;
  e->args = std::move(subscripts);
  return e;
}

ScalarExprPtr MakeScalarApply(Op op, DType dtype, std::vector<ScalarExprPtr> args) {
  // Which ops may appear in a body, and with which operands, is a type rule:
  // the verifier checks it (so its tests can build bodies that break it).
  for (const ScalarExprPtr& a : args) TESSEL_CHECK(a != nullptr, "null operand");
  auto e = std::make_shared<ScalarExpr>();
  e->kind = ScalarExpr::Kind::kApply;
  e->op = op;
  e->dtype = dtype;
  e->args = std::move(args);
  return e;
}

std::string Loc::ToString() const {
  if (!known()) return "unknown location";
  return file + ":" + std::to_string(line) + ":" + std::to_string(col);
}

Instr::Instr(Op op, std::vector<Value*> operands, Type type, std::string name)
    : Value(Kind::kInstr, std::move(type), std::move(name)), op_(op),
      operands_(std::move(operands)) {
  int arity = OpArity(op);
  TESSEL_CHECK(arity < 0 || static_cast<int>(operands_.size()) == arity,
               "'" + std::string(OpMnemonic(op)) + "' takes " + std::to_string(arity) +
                   " operands, got " + std::to_string(operands_.size()));
  for (Value* v : operands_) TESSEL_CHECK(v != nullptr, "null operand");
}

void Instr::erase_operand(size_t i) {
  TESSEL_CHECK(i < operands_.size(), "erasing an operand that does not exist");
  operands_.erase(operands_.begin() + static_cast<std::ptrdiff_t>(i));
  if (op_ == Op::kPhi && i < blocks_.size()) {
    blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

Instr* Block::Append(std::unique_ptr<Instr> instr) { return Insert(instrs_.size(), std::move(instr)); }

Instr* Block::Insert(size_t pos, std::unique_ptr<Instr> instr) {
  TESSEL_CHECK(pos <= instrs_.size(), "insert position past the end of the block");
  instr->parent_ = this;
  return instrs_.insert(instrs_.begin() + static_cast<std::ptrdiff_t>(pos), std::move(instr))
      ->get();
}

void Block::Erase(Instr* instr) {
  auto it = std::find_if(instrs_.begin(), instrs_.end(),
                         [&](const std::unique_ptr<Instr>& p) { return p.get() == instr; });
  TESSEL_CHECK(it != instrs_.end(), "erasing an instruction of another block");
  TESSEL_CHECK(parent_->Users(instr).empty(), "erasing an instruction that is still used");
  instrs_.erase(it);
}

std::unique_ptr<Instr> Block::Remove(Instr* instr) {
  auto it = std::find_if(instrs_.begin(), instrs_.end(),
                         [&](const std::unique_ptr<Instr>& p) { return p.get() == instr; });
  TESSEL_CHECK(it != instrs_.end(), "removing an instruction of another block");
  std::unique_ptr<Instr> taken = std::move(*it);
  instrs_.erase(it);
  taken->parent_ = nullptr;
  return taken;
}

Instr* Block::terminator() const {
  if (instrs_.empty() || !IsTerminator(instrs_.back()->op())) return nullptr;
  return instrs_.back().get();
}

std::vector<Block*> Block::successors() const {
  Instr* term = terminator();
  if (!term) return {};
  return term->blocks();
}

Argument* Function::AddArg(Type type, std::string name) {
  int index = static_cast<int>(args_.size());
  args_.push_back(std::make_unique<Argument>(std::move(type), std::move(name), index));
  return args_.back().get();
}

Block* Function::AddBlock(std::string label) {
  blocks_.push_back(std::make_unique<Block>(std::move(label), this));
  return blocks_.back().get();
}

Block* Function::AddBlockAfter(const Block* after, std::string label) {
  auto it = std::find_if(blocks_.begin(), blocks_.end(),
                         [&](const std::unique_ptr<Block>& p) { return p.get() == after; });
  TESSEL_CHECK(it != blocks_.end(), "adding a block after a block of another function");
  return blocks_.insert(it + 1, std::make_unique<Block>(std::move(label), this))->get();
}

void Function::EraseBlock(Block* block) {
  TESSEL_CHECK(Predecessors(block).empty(), "erasing a block that is still a branch target");
  auto it = std::find_if(blocks_.begin(), blocks_.end(),
                         [&](const std::unique_ptr<Block>& p) { return p.get() == block; });
  TESSEL_CHECK(it != blocks_.end(), "erasing a block of another function");
  blocks_.erase(it);
}

void Function::EraseBlocks(const std::vector<Block*>& blocks) {
  std::set<const Block*> doomed(blocks.begin(), blocks.end());
  std::set<const Value*> values;
  for (const Block* block : blocks) {
    for (const auto& instr : block->instrs()) values.insert(instr.get());
  }
  for (const auto& b : blocks_) {
    if (doomed.count(b.get())) continue;
    for (Block* succ : b->successors()) {
      TESSEL_CHECK(!doomed.count(succ), "erasing a block that is still a branch target");
    }
    for (const auto& instr : b->instrs()) {
      for (const Value* operand : instr->operands()) {
        TESSEL_CHECK(!values.count(operand), "erasing a block whose values are still used");
      }
    }
  }
  std::erase_if(blocks_, [&](const std::unique_ptr<Block>& p) { return doomed.count(p.get()); });
}

std::vector<Block*> Function::Predecessors(const Block* block) const {
  std::vector<Block*> preds;
  for (const auto& b : blocks_) {
    for (Block* succ : b->successors()) {
      if (succ == block && std::find(preds.begin(), preds.end(), b.get()) == preds.end()) {
        preds.push_back(b.get());
      }
    }
  }
  return preds;
}

void Function::ReplaceAllUses(Value* from, Value* to) {
  for (const auto& b : blocks_) {
    for (const auto& instr : b->instrs()) {
      for (size_t i = 0; i < instr->operands().size(); ++i) {
        if (instr->operand(i) == from) instr->set_operand(i, to);
      }
    }
  }
}

std::vector<Instr*> Function::Users(const Value* value) const {
  std::vector<Instr*> users;
  for (const auto& b : blocks_) {
    for (const auto& instr : b->instrs()) {
      const auto& ops = instr->operands();
      if (std::find(ops.begin(), ops.end(), value) != ops.end()) users.push_back(instr.get());
    }
  }
  return users;
}

Function* Module::AddFunction(std::string name, Type result) {
  functions_.push_back(std::make_unique<Function>(std::move(name), std::move(result)));
  return functions_.back().get();
}

Function* Module::FindFunction(std::string_view name) const {
  for (const auto& f : functions_) {
    if (f->name() == name) return f.get();
  }
  return nullptr;
}

void Module::RemoveFunction(std::string_view name) {
  std::erase_if(functions_, [&](const std::unique_ptr<Function>& f) { return f->name() == name; });
}

void FillMissingLocations(Function& function) {
  for (const auto& block : function.blocks()) {
    const auto& instrs = block->instrs();
    Loc later;  // the nearest known location at or after position i
    std::vector<Loc> after(instrs.size());
    for (size_t i = instrs.size(); i-- > 0;) {
      if (instrs[i]->loc().known()) later = instrs[i]->loc();
      after[i] = later;
    }
    Loc earlier;
    for (size_t i = 0; i < instrs.size(); ++i) {
      if (instrs[i]->loc().known()) {
        earlier = instrs[i]->loc();
      } else {
        instrs[i]->set_loc(after[i].known() ? after[i] : earlier);
      }
    }
  }
}

}  // namespace tessel::ir
