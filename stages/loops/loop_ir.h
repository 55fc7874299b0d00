// Tessel's loop IR (stage 4): what lab04 lowers each kernel to, schedules transform, and the
// back ends (stage 6) render as C, CUDA or TPU programs.
//
//   Module     constant buffers, kernel functions, one host function
//   Function   input and output buffers, a body statement
//   Stmt       for (with a kind), let, if, store, allocate, view, call, a sequence
//   Expr       constants, variables, loads, ops applied to expressions
//
// Expressions and statements are immutable trees shared by pointer (Halide's IR): a rewrite
// builds new nodes where something changed and shares the rest (mutator.h). Factories check
// each node, so an ill-formed node cannot exist; what needs context (a variable defined
// before its use, a buffer in scope) is the verifier's job (verifier.h).
//
// Scalar semantics are the SSA IR's (docs/ir.md): an ir::Op applied to scalars computes what
// that op computes on one element, and every expression's value is rounded to its dtype, so
// an f32 expression is what C computes on floats. Text form: docs/loop-ir.md.
//
//   kernel @fused_matmul_add(%a: f32[4, 64], %b: f32[64, 10], %c: f32[10]) -> (%out: f32[4, 10]) {
//     for i in 0..4 {
//       for j in 0..10 {
//         %out[i, j] = 0.0
//         for k in 0..64 {
//           %out[i, j] = %out[i, j] + %a[i, k] * %b[k, j]
//         }
//         %out[i, j] = %out[i, j] + %c[j]
//       }
//     }
//   }
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stages/common/dtype.h"
#include "stages/ir/ir.h"
#include "stages/runtime/tensor.h"

namespace tessel::loops {

using ir::Op;

/// The type of loop variables, `let` indices and buffer subscripts.
inline constexpr DType kIndexType = DType::kI32;

// ---------------------------------------------------------------- buffers

/// Where a buffer lives. Global: main memory (kernel parameters, the host's arena). Local: a
/// thread's registers or stack (an accumulator). Shared: memory shared by a GPU block.
enum class Scope { kGlobal, kLocal, kShared };
std::string_view ScopeName(Scope scope);  // "global", "local", "shared"
std::optional<Scope> ParseScope(std::string_view name);

/// A multi-dimensional array of one dtype. Element [i0, i1, ...] lives at element offset
/// i0 * strides[0] + i1 * strides[1] + ... from the buffer's start; strides are row-major
/// unless a buffer says otherwise (a view with padding). A constant buffer (module-level)
/// carries its elements in `data`.
struct Buffer {
  std::string name;  // without the '%'
  DType dtype = DType::kF32;
  Shape shape;
  std::vector<int64_t> strides;  // elements, one per dimension
  Scope scope = Scope::kGlobal;
  std::shared_ptr<const Tensor> data;  // constants only

  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  /// Elements spanned from the first to one past the last: what must be allocated.
  int64_t SpanElements() const;
  bool row_major() const { return strides == RowMajorStrides(shape); }
};
using BufferPtr = std::shared_ptr<const Buffer>;

/// A buffer named `name` (a valid identifier: letters, digits, '_' and '.'; not empty),
/// row-major unless `strides` are given (one per dimension, each >= 0). Every dimension >= 0.
BufferPtr MakeBuffer(std::string name, DType dtype, Shape shape, Scope scope = Scope::kGlobal,
                     std::vector<int64_t> strides = {});
/// A module constant holding `data` (its dtype and shape).
BufferPtr MakeConstantBuffer(std::string name, std::shared_ptr<const Tensor> data);

// ------------------------------------------------------------ expressions

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

/// A scalar expression.
///   kConst  a number of `dtype` (`value` holds it exactly)
///   kVar    the value of a loop variable or a `let` named `name`
///   kLoad   element `args` (one i32 subscript per dimension) of `buffer`
///   kApply  `op` (an elementwise or broadcast op of the SSA IR, or kCast) applied to `args`;
///           select(c, a, b) evaluates both a and b (so an index must be safe either way)
struct Expr {
  enum class Kind { kConst, kVar, kLoad, kApply };
  Kind kind = Kind::kConst;
  DType dtype = DType::kF32;
  double value = 0;          // kConst
  std::string name;          // kVar
  BufferPtr buffer;          // kLoad
  Op op = Op::kAdd;          // kApply
  std::vector<ExprPtr> args;  // kLoad: subscripts; kApply: operands
};

/// A constant of `dtype`; `value` is rounded to the dtype (an i32 constant is an integer).
ExprPtr Const(DType dtype, double value);
/// An i32 constant: the common case of index arithmetic.
ExprPtr Int(int64_t value);
/// The variable `name` of type `dtype` (i32 for loop variables).
ExprPtr Var(std::string name, DType dtype = kIndexType);
/// buffer[subscripts...]: one i32 subscript per dimension of `buffer`.
ExprPtr Load(BufferPtr buffer, std::vector<ExprPtr> subscripts);
/// `op` applied to `args`: the arity of `op`, operands of one dtype (select: a bool condition,
/// then two of one dtype; comparisons, and, or, not give bool; kCast converts to `cast_to`).
ExprPtr Apply(Op op, std::vector<ExprPtr> args, DType cast_to = DType::kF32);
ExprPtr Cast(DType dtype, ExprPtr value);

// Shorthands for index arithmetic (both operands of one dtype).
ExprPtr Add(ExprPtr a, ExprPtr b);
ExprPtr Sub(ExprPtr a, ExprPtr b);
ExprPtr Mul(ExprPtr a, ExprPtr b);
ExprPtr Div(ExprPtr a, ExprPtr b);       // truncates toward zero, as C
ExprPtr Mod(ExprPtr a, ExprPtr b);       // sign of the dividend, as C
ExprPtr FloorDiv(ExprPtr a, ExprPtr b);  // rounds toward -infinity
ExprPtr FloorMod(ExprPtr a, ExprPtr b);  // sign of the divisor
ExprPtr Min(ExprPtr a, ExprPtr b);
ExprPtr Max(ExprPtr a, ExprPtr b);
ExprPtr Lt(ExprPtr a, ExprPtr b);
ExprPtr And(ExprPtr a, ExprPtr b);
ExprPtr Select(ExprPtr cond, ExprPtr a, ExprPtr b);

/// Whether `e` is the constant `value`.
bool IsConst(const ExprPtr& e, double value);
/// The integer value of a constant expression, if `e` is one.
std::optional<int64_t> AsInt(const ExprPtr& e);
/// Structural equality (same tree; buffers by identity).
bool Equal(const ExprPtr& a, const ExprPtr& b);

// ------------------------------------------------------------- statements

struct Stmt;
using StmtPtr = std::shared_ptr<const Stmt>;

/// How the iterations of a loop run. A serial loop runs them in order; the others promise
/// more, and schedules only set them where that is legal (lab04.t3):
///   kParallel    iterations on different threads (OpenMP), in any order
///   kVectorized  iterations as the lanes of vector instructions; the extent is a constant
///   kUnrolled    the body repeated, one copy per iteration; the extent is a constant
///   kGpuBlock*   one GPU block per iteration, kGpuThread*: one thread of the block
enum class ForKind {
  kSerial, kParallel, kVectorized, kUnrolled,
  kGpuBlockX, kGpuBlockY, kGpuBlockZ, kGpuThreadX, kGpuThreadY, kGpuThreadZ,
};
std::string_view ForKindName(ForKind kind);  // "serial", "parallel", ..., "gpu.thread.x"
std::optional<ForKind> ParseForKind(std::string_view name);
/// Whether a loop of this kind needs a compile-time-constant extent.
bool NeedsConstantExtent(ForKind kind);

/// A statement.
///   kFor       for `var` in 0..`extent` (an i32 expression evaluated once), `body`
///   kLet       `var` = `value` for the rest of the enclosing sequence
///   kIf        if `cond` then `body` else `else_body` (may be null)
///   kStore     `buffer`[`args`] = `value`
///   kAllocate  `buffer` exists (uninitialized) for the rest of the enclosing sequence
///   kView      `buffer` is the bytes of `base` from byte `offset` on (the host's arena)
///   kCall      runs kernel `callee` on `args` (its inputs, then its outputs); host only
///   kSeq       `stmts` in order
struct Stmt {
  enum class Kind { kFor, kLet, kIf, kStore, kAllocate, kView, kCall, kSeq };
  Kind kind = Kind::kSeq;
  std::string var;              // kFor, kLet
  ForKind for_kind = ForKind::kSerial;
  ExprPtr extent;               // kFor
  ExprPtr value;                // kLet, kStore
  ExprPtr cond;                 // kIf
  StmtPtr body, else_body;      // kFor, kIf
  BufferPtr buffer;             // kStore, kAllocate, kView
  std::vector<ExprPtr> args;    // kStore: subscripts
  BufferPtr base;               // kView
  int64_t offset = 0;           // kView: bytes
  std::string callee;           // kCall
  std::vector<BufferPtr> call_args;  // kCall
  std::vector<StmtPtr> stmts;   // kSeq
};

StmtPtr For(std::string var, ExprPtr extent, StmtPtr body, ForKind kind = ForKind::kSerial);
StmtPtr Let(std::string var, ExprPtr value);
StmtPtr If(ExprPtr cond, StmtPtr then_body, StmtPtr else_body = nullptr);
StmtPtr Store(BufferPtr buffer, std::vector<ExprPtr> subscripts, ExprPtr value);
StmtPtr Allocate(BufferPtr buffer);
StmtPtr View(BufferPtr buffer, BufferPtr base, int64_t byte_offset);
StmtPtr Call(std::string callee, std::vector<BufferPtr> args);
/// A sequence; nested sequences are flattened into it.
StmtPtr Seq(std::vector<StmtPtr> stmts);

// ------------------------------------------------------- functions, module

/// A kernel (one fused group of the SSA IR's kernel form) or the host function that calls
/// the kernels. Outputs are written; inputs are only read (an output may be the same memory
/// as an input: the memory plan's in-place reuse).
struct Function {
  std::string name;  // without the '@'
  bool is_kernel = true;
  std::vector<BufferPtr> inputs;
  std::vector<BufferPtr> outputs;
  StmtPtr body;

  /// inputs ++ outputs: the order of a call's arguments.
  std::vector<BufferPtr> params() const;
};

struct Module {
  std::vector<BufferPtr> constants;
  std::vector<Function> functions;

  Function* FindFunction(std::string_view name);
  const Function* FindFunction(std::string_view name) const;
  /// The host function (the one `func`), or the only function; null when there is neither.
  const Function* Entry() const;
};

}  // namespace tessel::loops
