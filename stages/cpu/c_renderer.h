// The C renderer (stage 6): loop IR to C with GCC vector types and OpenMP.
//
// One renderer for the C family, after tinygrad's CStyleLanguage: the class walks the loop IR
// and writes C; the parts that differ between C and CUDA (a kernel's signature, what a
// parallel or GPU-bound loop becomes, where a buffer of each memory scope lives, barriers) are
// virtual, so a CUDA renderer overrides those and keeps the rest.
//
//   kernel @scale(%x: f32[4, 64]) -> (%y: f32[4, 64]) {      void scale(const float *x, float *y) {
//     parallel for i in 0..4 {                                 #pragma omp parallel for
//       vectorized for j in 0..64 {                             for (int i = 0; i < 4; ++i) {
//         %y[i, j] = %x[i, j] * 2.0                               for (int j = 0; j < 64; j += 8) {
//       }                                                            tsl_storeu_f32x8(&y[i * 64 + j],
//     }                                                                 tsl_loadu_f32x8(&x[i * 64 + j]) * 2.0f);
//   }                                                             } } }
//
// What lab06 writes (lab06_backends/render_c_*.cpp): expressions and statements with the loop
// IR's exact semantics (lab06.t6) and vectorized loops as vector code (lab06.t7). What is
// given (stages/cpu/c_renderer.cpp): the output buffer with indentation, C names for IR
// names, kernel signatures, and the prelude of types and helpers (c_prelude.cpp) that the
// rendered code calls. The module around the kernels (constants, the host function, the
// exported entry points) is render_module.h's.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "stages/loops/loop_ir.h"

namespace tessel::cpu {

using ir::Op;
using loops::BufferPtr;
using loops::Expr;
using loops::ExprPtr;
using loops::ForKind;
using loops::Stmt;
using loops::StmtPtr;

struct CRenderOptions {
  /// The widest vector register in bytes: 32 (AVX2), 64 (AVX-512), 16 (SSE, NEON). A
  /// vectorized loop uses the widest vector of 4, 8 or 16 lanes that fits both this and its
  /// extent.
  int vector_bytes = 32;
  /// Parallel loops as OpenMP `parallel for` (off: serial loops, for a build without OpenMP).
  bool openmp = true;
};

/// C identifiers for loop IR names: '.' becomes '_', a leading digit or a C keyword gets a
/// prefix, and a name already taken gets a suffix, so two IR names never meet in C.
class CNames {
 public:
  /// The C name of buffer or variable `ir_name`, chosen on first use.
  const std::string& Of(const std::string& ir_name);
  /// A fresh name that no IR name maps to, built from `hint`.
  std::string Fresh(const std::string& hint);
  /// Takes `name` (a C name the file defines itself, as an entry point's NAME_packed).
  void Reserve(const std::string& name) { taken_.insert(name); }

 private:
  std::string Unique(std::string base);
  std::map<std::string, std::string> names_;
  std::set<std::string> taken_;
};

class CRenderer {
 public:
  explicit CRenderer(CRenderOptions options = {});
  virtual ~CRenderer() = default;

  /// One kernel as a C function: signature, then its body.
  std::string RenderKernel(const loops::Function& kernel);
  /// One statement's C, as RenderKernel writes it (for tests), at indentation 0.
  std::string RenderStatement(const StmtPtr& stmt);

  // ----------------------------------------------------- lab06.t6 (render_c_scalar.cpp)

  /// A scalar expression as C. In an index (`index` true: subscripts and loop extents) i32
  /// arithmetic is plain C; in a value (stored values, lets, conditions), i32 +, -, * wrap (tsl_wrap_*_i32) and
  /// division by zero gives 0 instead of a trap; floor_div and floor_mod call tsl_floordiv_*
  /// and tsl_floormod_*; maximum, minimum and relu propagate NaN; i8 and f16 results are cast
  /// back to their type after each op so that each op rounds as the interpreter's does.
  virtual std::string Scalar(const ExprPtr& e, bool index);
  /// The element offset of buffer[subscripts]: sum of subscript * stride (index context).
  virtual std::string Offset(const BufferPtr& buffer, const std::vector<ExprPtr>& subscripts);
  /// Writes statement `s` (and what it contains) at the current indentation.
  virtual void Statement(const StmtPtr& s);
  /// Writes a loop of any kind but vectorized: serial, parallel (OpenMP), unrolled (one copy
  /// of the body per iteration, the variable replaced by its constant).
  virtual void Loop(const Stmt& loop);

  // ----------------------------------------------------- lab06.t7 (render_c_vector.cpp)

  /// Writes `vectorized for v in 0..E` as vector code: loads and stores contiguous in v as
  /// vector loads and stores, values that do not depend on v broadcast, other lanes gathered
  /// one by one, a scalar tail for E % lanes; a body it cannot vectorize runs as a plain loop.
  virtual void VectorLoop(const Stmt& loop);
  /// The vector of `lanes` lanes whose lane l is `e` at `var` = (the C variable's value) + l:
  /// tsl_f32xN for f32, tsl_i32xN for i32 and for bool (a mask: -1 true, 0 false). Nullopt
  /// when `e` has no vector form (a load of i8, say): the caller then computes its own lanes
  /// one by one.
  virtual std::optional<std::string> VectorValue(const ExprPtr& e, const std::string& var, int lanes);

  // ---------------------------------------------- the parts a CUDA renderer overrides

  /// `void name(const float *x, ..., float *y)`: inputs const, outputs writable, no restrict
  /// (an output may be an input's memory: in-place reuse).
  virtual std::string KernelSignature(const loops::Function& kernel);
  /// A buffer of `scope` allocated for the rest of the enclosing block: global scratch on the
  /// heap (64-byte aligned, freed at the block's end), local and shared arrays on the stack.
  virtual void Allocate(const loops::Buffer& buffer);
  /// What a parallel loop's header is preceded by: OpenMP's pragma on the CPU, or a comment
  /// when the loop runs fewer than kMinParallelWork statements (its constant trip counts
  /// multiplied out), since a fork and join costs more than that much work.
  virtual std::string ParallelPragma(const Stmt& loop);
  static constexpr double kMinParallelWork = 4096;
  /// A barrier between the threads of a block (CUDA's __syncthreads; none on the CPU).
  virtual std::string Barrier() { return ""; }

  // ------------------------------------------------- given: vector registers (scalar replacement)

  /// The vector variable that holds `buffer`[subscripts...] for the lanes of a vectorized loop
  /// over `var`, when the kernel keeps `buffer` in vector variables (FindVectorRegisters):
  /// "acc_v3". Nullopt for every other buffer. VectorValue and VectorLoop (lab06.t7) call it for
  /// each load and store before anything else.
  std::optional<std::string> VectorRegister(const loops::Buffer& buffer,
                                            const std::vector<ExprPtr>& subscripts,
                                            const std::string& var, int lanes);

  // ------------------------------------------------------------- given helpers

  /// The C name of an IR buffer or variable (a function: "@name").
  const std::string& CName(const std::string& ir_name) { return names_.Of(ir_name); }
  /// Takes a C name the file defines itself (an entry point's NAME_packed), so no IR name gets it.
  void Reserve(const std::string& c_name) { names_.Reserve(c_name); }

  /// The C type of a dtype: float, int32_t, int8_t, _Float16, bool.
  static std::string CType(DType dtype);
  /// A constant as a C literal of its dtype (floats as the shortest decimal that reads back as the
/// same float; inf and nan by name).
  static std::string Literal(DType dtype, double value);
  /// How many lanes a vectorized loop of `extent` over `dtype` uses (0: too few, run scalar).
  int Lanes(DType dtype, int64_t extent) const;

 protected:
  /// Appends one line at the current indentation.
  void Line(const std::string& text);
  /// Opens a block: the line (e.g. "for (...) {") then one more level of indentation.
  void Open(const std::string& header);
  /// Closes the innermost block (writes what Defer queued for it first).
  void Close();
  /// Closes the innermost block and opens the next with `header` (an `} else {`).
  void Reopen(const std::string& header);
  /// Queues a line to write when the innermost open block closes (a free() of its scratch).
  void Defer(const std::string& text);
  /// The C name of an IR buffer or variable.
  const std::string& Name(const std::string& ir_name) { return names_.Of(ir_name); }

  CRenderOptions options_;
  CNames names_;
  std::string out_;
  int indent_ = 0;
  std::vector<std::vector<std::string>> deferred_;  // one list per open block
  int parallel_depth_ = 0;                          // open parallel loops
  std::set<std::string> aligned_;                   // buffers the code allocates (64-byte aligned)
  std::map<std::string, int> registers_;            // buffers kept in vector variables: lanes
  std::map<std::string, std::vector<std::string>> register_names_;  // their variables' C names

 private:
  /// Scalar replacement, decided before a kernel is rendered: a small (at most 256 elements)
  /// f32 or i32 buffer the kernel allocates, of any scope (lab04 makes a cache of more than 64
  /// elements global, a 6 x 16 register tile included), that is only ever read and written as whole vectors, in vectorized loops of one vector
  /// each, at offsets that are constants once the unrolled loops around them are (a
  /// micro-kernel's accumulators), becomes one vector variable per vector. GCC keeps such
  /// variables in registers; it keeps an array in memory, reloading and storing it each time.
  void FindVectorRegisters(const loops::Function& kernel);
};

/// The prelude every rendered file starts with: includes, vector types (tsl_f32x4/x8/x16,
/// tsl_i32x..., up to `vector_bytes` wide), loads and stores, and the scalar and vector helpers
/// the renderer calls.
std::string CPrelude(int vector_bytes);

}  // namespace tessel::cpu
