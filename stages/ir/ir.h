// Tessel's SSA IR (stage 2): what lab02 builds from the AST and every later
// stage transforms.
//
//   Module     functions
//   Function   arguments, a result type, basic blocks (the first is the entry)
//   Block      instructions; the last one is a terminator (br, cond_br, ret)
//   Instr      an op from ops.def, operands (Values), attributes, a result type
//
// Every value is a tensor with a concrete type (dtype and shape; rank 0 is a
// scalar): shapes are specialized before lowering, so there are no symbolic
// dimensions here. Control flow is a CFG with phi instructions (LLVM style,
// not MLIR's block arguments; lab02's handout compares the two).
//
// A comprehension (y[i, j] += x[i, k] * w[k, j]) stays one instruction whose
// body is a small scalar expression tree over index variables and element
// reads of its operands (ScalarExpr below); the interpreter evaluates it
// pointwise, later stages lower it to loops.
//
// The text form (printer.h, parser.h, docs/ir.md):
//
//   func @linear(%x: f32[4, 784], %w: f32[784, 128], %b: f32[128]) -> f32[4, 128] {
//   entry:
//     %y = comprehension(%x, %w) [n: 0..4, o: 0..128] sum [i: 0..784] (mul (read %x n i) (read %w i o)) : f32[4, 128]
//     %0 = add %y, %b : f32[4, 128]
//     ret %0
//   }
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stages/common/dtype.h"
#include "stages/runtime/tensor.h"

namespace tessel::ir {

// -------------------------------------------------------------------- ops

enum class Op {
#define OP(name, mnemonic, arity, pattern) name,
#include "stages/ir/ops.def"
};

enum class OpPattern {
  kElementwise, kBroadcast, kInjective, kReduction, kOutFusable, kOpaque, kControl,
};

std::string_view OpMnemonic(Op op);         // "add"
std::optional<Op> ParseOpMnemonic(std::string_view mnemonic);
int OpArity(Op op);                         // -1: any number
OpPattern OpPatternOf(Op op);
std::string_view OpPatternName(OpPattern pattern);  // "elementwise", "out_fusable", ...
std::optional<OpPattern> ParseOpPattern(std::string_view name);
bool IsTerminator(Op op);                   // br, cond_br, ret
bool HasResult(Op op);                      // false for terminators
bool IsCommutative(Op op);                  // add, mul, maximum, minimum, eq, ne, and, or

// ------------------------------------------------------------------ types

/// A tensor type: dtype and concrete shape. Rank 0 is a scalar.
struct Type {
  DType dtype = DType::kF32;
  Shape shape;

  friend bool operator==(const Type&, const Type&) = default;
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
};
/// "f32[4, 784]", "bool" for a scalar.
std::string FormatType(const Type& type);

// -------------------------------------------------------- comprehensions

/// An index variable of a comprehension and its half-open range [lo, hi).
struct IndexVar {
  std::string name;
  int64_t lo = 0, hi = 0;
};

/// How a comprehension combines the values of its reduction indices; each
/// starts from its identity: sum 0, prod 1, max -inf, min +inf.
/// kAssign has no reduction indices.
enum class ReduceKind { kAssign, kSum, kProd, kMax, kMin };
std::string_view ReduceKindName(ReduceKind kind);  // "assign", "sum", ...

struct ScalarExpr;
using ScalarExprPtr = std::shared_ptr<const ScalarExpr>;

/// The body of a comprehension: a scalar expression evaluated at every point
/// of the index space. Text form, S-expressions:
///   1.5  2  -1e30                     constants (kConst; ints are i32, others f32)
///   n                                 an index variable's value, an i32 (kIndex)
///   (read %x n (add h r))             element of operand %x; no subscripts for a scalar
///   (mul a b) (exp a) (select c a b)  elementwise ops from ops.def (kApply)
///   (cast f32 a)                      conversion (kApply with op kCast and dtype)
struct ScalarExpr {
  enum class Kind { kConst, kIndex, kRead, kApply };
  Kind kind = Kind::kConst;
  DType dtype = DType::kF32;  // the expression's element type
  double value = 0;           // kConst
  int index = -1;             // kIndex: position in out ++ reduce; kRead: operand position
  Op op = Op::kAdd;           // kApply: an op of pattern kElementwise or kBroadcast
  std::vector<ScalarExprPtr> args;  // kRead: subscripts (i32); kApply: operands
};

/// Factories for comprehension bodies; each checks its node's structure (no null
/// children, positions >= 0). Whether an op may appear in a body is a type rule (verifier.h).
ScalarExprPtr MakeScalarConst(DType dtype, double value);
/// The value of index variable `index` (a position in out ++ reduce), an i32.
ScalarExprPtr MakeScalarIndex(int index);
/// Element of operand `operand` (of element type `dtype`) at i32 `subscripts`.
ScalarExprPtr MakeScalarRead(int operand, DType dtype, std::vector<ScalarExprPtr> subscripts);
/// `op` (of elementwise or broadcast pattern, or kCast) applied to `args`, giving `dtype`.
ScalarExprPtr MakeScalarApply(Op op, DType dtype, std::vector<ScalarExprPtr> args);

/// y[out...] op body, reducing over `reduce`. The result's shape is the
/// extents of `out`, whose ranges start at 0.
struct Comprehension {
  std::vector<IndexVar> out;
  ReduceKind reduce_kind = ReduceKind::kAssign;
  std::vector<IndexVar> reduce;
  ScalarExprPtr body;
};

// --------------------------------------------------------- values, instrs

class Block;
class Function;

/// Anything an operand can refer to: a function argument or an instruction's result.
class Value {
 public:
  enum class Kind { kArgument, kInstr };
  virtual ~Value() = default;

  Kind kind() const { return kind_; }
  const Type& type() const { return type_; }
  void set_type(Type type) { type_ = std::move(type); }
  /// The name printed after '%'; may be empty (the printer numbers it).
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

 protected:
  Value(Kind kind, Type type, std::string name)
      : kind_(kind), type_(std::move(type)), name_(std::move(name)) {}

 private:
  Kind kind_;
  Type type_;
  std::string name_;
};

class Argument : public Value {
 public:
  Argument(Type type, std::string name, int index)
      : Value(Kind::kArgument, std::move(type), std::move(name)), index_(index) {}
  int index() const { return index_; }

 private:
  int index_;
};

/// Where an instruction came from in the source, MLIR's `loc("file":line:col)`: the first
/// character of the statement or expression it was lowered from. Unknown (line 0) in IR
/// written by hand without one. Passes keep an instruction's location and give the ones they
/// create the location of what they replace, so every later stage can name a source line.
struct Loc {
  std::string file;  // the source file's name as the user gave it, "examples/mlp.tsl"
  uint32_t line = 0;
  uint32_t col = 0;

  bool known() const { return line > 0; }
  /// "examples/mlp.tsl:12:5", or "unknown location".
  std::string ToString() const;
  friend bool operator==(const Loc&, const Loc&) = default;
};

/// Op-specific attributes; which fields an op uses is in ops.def / docs/ir.md.
struct Attrs {
  std::vector<int64_t> axes;   // reductions: axes; transpose: perm; concat: {axis}
  bool keepdims = false;       // reductions
  std::vector<int64_t> begin, end, step;  // slice
  std::vector<int64_t> low, high;         // pad
  double pad_value = 0;                   // pad
  std::string callee;                     // call
  std::shared_ptr<const Tensor> value;    // constant
  std::shared_ptr<const Comprehension> comprehension;
};

/// Where the memory plan puts an intermediate tensor (the kernel form, docs/ir.md §14): a byte
/// offset in one of the arenas the host allocates (buffer 0 is the one arena today).
struct Placement {
  int64_t buffer = 0;
  int64_t offset = 0;
  friend bool operator==(const Placement&, const Placement&) = default;
};

class Instr : public Value {
 public:
  /// Terminators pass a default Type (it is ignored: HasResult(op) is false).
  Instr(Op op, std::vector<Value*> operands, Type type, std::string name = {});

  Op op() const { return op_; }
  const std::vector<Value*>& operands() const { return operands_; }
  Value* operand(size_t i) const { return operands_.at(i); }
  void set_operand(size_t i, Value* value) { operands_.at(i) = value; }
  void add_operand(Value* value) { operands_.push_back(value); }
  /// Removes operand `i` (and, for a phi, its incoming block with it).
  void erase_operand(size_t i);

  /// br: {target}; cond_br: {if true, if false}; phi: the incoming block of each operand.
  const std::vector<Block*>& blocks() const { return blocks_; }
  std::vector<Block*>& blocks() { return blocks_; }

  const Attrs& attrs() const { return attrs_; }
  Attrs& attrs() { return attrs_; }

  Block* parent() const { return parent_; }

  /// The source location (Loc::known() is false when there is none).
  const Loc& loc() const { return loc_; }
  void set_loc(Loc loc) { loc_ = std::move(loc); }

  /// The memory plan's placement of the result, if it has one (the kernel form).
  const std::optional<Placement>& placement() const { return placement_; }
  void set_placement(std::optional<Placement> placement) { placement_ = placement; }

 private:
  friend class Block;
  Op op_;
  std::vector<Value*> operands_;
  std::vector<Block*> blocks_;
  Attrs attrs_;
  std::optional<Placement> placement_;
  Block* parent_ = nullptr;
  Loc loc_;
};

class Block {
 public:
  Block(std::string label, Function* parent) : label_(std::move(label)), parent_(parent) {}

  const std::string& label() const { return label_; }
  void set_label(std::string label) { label_ = std::move(label); }
  Function* parent() const { return parent_; }

  const std::vector<std::unique_ptr<Instr>>& instrs() const { return instrs_; }
  /// Appends `instr` and returns it.
  Instr* Append(std::unique_ptr<Instr> instr);
  /// Inserts `instr` before position `pos` (0 = first) and returns it.
  Instr* Insert(size_t pos, std::unique_ptr<Instr> instr);
  /// Removes and destroys `instr`, which must have no remaining uses.
  void Erase(Instr* instr);
  /// Takes `instr` out of the block without destroying it (its uses stay), to be inserted
  /// into another block (splitting a block when inlining).
  std::unique_ptr<Instr> Remove(Instr* instr);
  /// The last instruction if it is a terminator, else null.
  Instr* terminator() const;
  /// Successors, from the terminator (empty without one).
  std::vector<Block*> successors() const;

 private:
  std::string label_;
  Function* parent_;
  std::vector<std::unique_ptr<Instr>> instrs_;
};

/// What makes a function a kernel (the kernel form, docs/ir.md §14): one fused group of
/// primitive ops, its fusion pattern (the most general of its ops') and the op it was grown
/// from (TVM's "master" op: the matmul of matmul + bias + relu).
struct KernelInfo {
  OpPattern pattern = OpPattern::kElementwise;
  Op anchor = Op::kAdd;
  friend bool operator==(const KernelInfo&, const KernelInfo&) = default;
};

class Function {
 public:
  Function(std::string name, Type result) : name_(std::move(name)), result_(std::move(result)) {}

  const std::string& name() const { return name_; }
  const Type& result() const { return result_; }

  /// Set when the function is a kernel; printed `kernel @name(...)` instead of `func`.
  const std::optional<KernelInfo>& kernel() const { return kernel_; }
  void set_kernel(std::optional<KernelInfo> kernel) { kernel_ = kernel; }

  const std::vector<std::unique_ptr<Argument>>& args() const { return args_; }
  Argument* AddArg(Type type, std::string name);

  const std::vector<std::unique_ptr<Block>>& blocks() const { return blocks_; }
  Block* entry() const { return blocks_.empty() ? nullptr : blocks_.front().get(); }
  Block* AddBlock(std::string label);
  /// Adds a block right after `after` in the block order (the order printing follows).
  Block* AddBlockAfter(const Block* after, std::string label);
  /// Removes and destroys `block` (no branch may still target it).
  void EraseBlock(Block* block);
  /// Removes and destroys `blocks` together: branches and uses among them are allowed (a loop
  /// being deleted), but no other block may branch to them or use their values.
  void EraseBlocks(const std::vector<Block*>& blocks);

  /// Predecessors of every block, in block order, computed from terminators.
  std::vector<Block*> Predecessors(const Block* block) const;
  /// Replaces every use of `from` as an operand by `to`.
  void ReplaceAllUses(Value* from, Value* to);
  /// Instructions that use `value` as an operand.
  std::vector<Instr*> Users(const Value* value) const;

 private:
  std::string name_;
  Type result_;
  std::optional<KernelInfo> kernel_;
  std::vector<std::unique_ptr<Argument>> args_;
  std::vector<std::unique_ptr<Block>> blocks_;
};

class Module {
 public:
  const std::vector<std::unique_ptr<Function>>& functions() const { return functions_; }
  Function* AddFunction(std::string name, Type result);
  Function* FindFunction(std::string_view name) const;
  /// Removes and destroys the function `name` (nothing may still call it).
  void RemoveFunction(std::string_view name);

 private:
  std::vector<std::unique_ptr<Function>> functions_;
};

/// Gives each instruction of `function` that has no location one from its block: the next
/// instruction's that has one (a phi at the top of a join block takes the location of the code
/// after the if or loop it joins), else the previous one's. Stages that create instructions
/// without a source of their own (SSA construction's phis) call it when they are done.
void FillMissingLocations(Function& function);

}  // namespace tessel::ir
