// A whole loop-IR module as one C file and its header (stage 6): the prelude, the constants,
// every kernel (rendered by lab06's CRenderer), and the entry points of the exported model.
//
//   void mlp(const float *x, const float *w0, ..., float *result);   typed, one pointer each
//   void mlp_packed(void **args);            the same, arguments in an array (for dlsym)
//   void mlp_set_threads(int threads);       OpenMP's thread count (nothing without OpenMP)
//
// Tensors are dense, row-major, of the parameter's dtype; the outputs are written, the inputs
// only read. The file needs nothing but a C compiler with GCC's vector extensions (GCC, Clang).
#pragma once

#include <map>
#include <string>

#include "stages/cpu/c_renderer.h"
#include "stages/loops/loop_ir.h"

namespace tessel::cpu {

struct CSource {
  std::string c;       // the .c file
  std::string header;  // the .h file: the entry points with their tensors' types
  std::string entry;   // the typed entry point's C name; `entry + "_packed"` and "_set_threads"
};

struct CModuleOptions {
  CRenderOptions render;
  std::string entry;   // the function to export (empty: the module's host function)
  std::string header_name = "model.h";
  /// A comment for each kernel, by kernel name (its fused ops and source lines).
  std::map<std::string, std::string> kernel_notes;
  /// The file's first comment (what it was generated from, and how).
  std::string banner;
};

/// Renders `module`. Throws std::invalid_argument when options.entry names no function, and
/// what lab06's renderer throws (NotImplemented in a skeleton).
CSource RenderModuleC(const loops::Module& module, const CModuleOptions& options);

}  // namespace tessel::cpu
