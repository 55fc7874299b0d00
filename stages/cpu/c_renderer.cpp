// The given parts of the C renderer (c_renderer.h): names, output, signatures, allocation,
// literals. Compiled with lab06 (STAGE_SOURCES), whose files write expressions, statements
// and vector loops.
#include "stages/cpu/c_renderer.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tessel::cpu {

namespace {

// C keywords and the names of the C library the rendered code calls or includes.
const std::set<std::string>& ReservedNames() {
  static const std::set<std::string> names = {
      "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
      "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
      "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
      "typedef", "union", "unsigned", "void", "volatile", "while", "bool", "true", "false",
      "_Bool", "_Float16", "main", "NAN", "INFINITY",
      // <math.h>
      "acos", "asin", "atan", "atan2", "cos", "sin", "tan", "cosh", "sinh", "tanh", "acosh",
      "asinh", "atanh", "exp", "exp2", "expm1", "frexp", "ldexp", "log", "log10", "log1p", "log2",
      "logb", "modf", "scalbn", "cbrt", "fabs", "hypot", "pow", "sqrt", "erf", "erfc", "lgamma",
      "tgamma", "ceil", "floor", "nearbyint", "rint", "lrint", "round", "lround", "trunc", "fmod",
      "remainder", "remquo", "copysign", "nan", "nextafter", "fdim", "fmax", "fmin", "fma",
      "isnan", "isinf", "isfinite", "isnormal", "signbit", "fpclassify", "gamma", "y0", "y1",
      "yn", "j0", "j1", "jn", "drem", "significand", "finite",
      // <stdlib.h>, <string.h>, <omp.h>
      "abs", "labs", "llabs", "div", "ldiv", "lldiv", "rand", "srand", "random", "srandom",
      "atoi", "atol", "atoll", "atof", "strtod", "strtof", "strtol", "strtoul", "malloc",
      "calloc", "realloc", "free", "aligned_alloc", "posix_memalign", "abort", "exit", "_Exit",
      "atexit", "getenv", "system", "qsort", "bsearch", "memcpy", "memmove", "memset", "memcmp",
      "memchr", "strlen", "strcpy", "strncpy", "strcat", "strcmp", "strncmp", "strchr",
      "strstr", "strdup", "fabsf", "expf", "logf", "sqrtf", "tanhf", "erff", "sinf", "cosf",
      "floorf", "ceilf", "powf", "fmodf", "nearbyintf", "truncf",
      // <stdint.h>, <stddef.h>, GCC's predefined macros and keywords
      "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
      "size_t", "ptrdiff_t", "intptr_t", "uintptr_t", "NULL", "linux", "unix", "i386",
      "typeof", "asm", "alignof", "alignas", "static_assert", "noreturn", "complex",
      "imaginary", "offsetof", "errno"};
  return names;
}

std::string Sanitize(const std::string& name) {
  std::string out;
  for (char c : name.substr(name.rfind('@', 0) == 0 ? 1 : 0)) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "t" + out;
  // The prelude's names (tsl_, TSL_), OpenMP's (omp_), and the implementation's (_X, __x).
  bool implementation = out.size() > 1 && out[0] == '_' && (out[1] == '_' || std::isupper(static_cast<unsigned char>(out[1])));
  if (out.rfind("tsl_", 0) == 0 || out.rfind("TSL_", 0) == 0 || out.rfind("omp_", 0) == 0 ||
      implementation || ReservedNames().count(out)) {
    out = "v_" + out;
  }
  return out;
}

}  // namespace

// ------------------------------------------------------------------------- names

std::string CNames::Unique(std::string base) {
  std::string name = base;
  for (int n = 1; taken_.count(name); ++n) name = base + "_" + std::to_string(n);
  taken_.insert(name);
  return name;
}

const std::string& CNames::Of(const std::string& ir_name) {
  auto it = names_.find(ir_name);
  if (it != names_.end()) return it->second;
  return names_[ir_name] = Unique(Sanitize(ir_name));
}

std::string CNames::Fresh(const std::string& hint) { return Unique(Sanitize(hint)); }

// ---------------------------------------------------------------------- renderer

CRenderer::CRenderer(CRenderOptions options) : options_(options) {}

void CRenderer::Line(const std::string& text) {
  out_ += std::string(static_cast<size_t>(indent_) * 2, ' ') + text + "\n";
}

void CRenderer::Open(const std::string& header) {
  Line(header);
  ++indent_;
  deferred_.emplace_back();
}

void CRenderer::Defer(const std::string& text) {
  if (deferred_.empty()) deferred_.emplace_back();
  deferred_.back().push_back(text);
}

void CRenderer::Close() {
  if (!deferred_.empty()) {
    for (const std::string& text : deferred_.back()) Line(text);
    deferred_.pop_back();
  }
  --indent_;
  Line("}");
}

void CRenderer::Reopen(const std::string& header) {
  if (!deferred_.empty()) {
    for (const std::string& text : deferred_.back()) Line(text);
    deferred_.back().clear();
  }
  --indent_;
  Line(header);
  ++indent_;
}

std::string CRenderer::RenderStatement(const StmtPtr& stmt) {
  std::string saved = std::move(out_);
  out_.clear();
  int saved_indent = indent_;
  indent_ = 0;
  Statement(stmt);
  std::string text = std::move(out_);
  out_ = std::move(saved);
  indent_ = saved_indent;
  return text;
}

std::string CRenderer::RenderKernel(const loops::Function& kernel) {
  std::string saved = std::move(out_);
  out_.clear();
  aligned_.clear();
  parallel_depth_ = 0;
  FindVectorRegisters(kernel);
  Open(KernelSignature(kernel) + " {");
  if (kernel.body) Statement(kernel.body);
  Close();
  std::string text = std::move(out_);
  out_ = std::move(saved);
  return text;
}

std::string CRenderer::KernelSignature(const loops::Function& kernel) {
  std::string text = "void " + Name("@" + kernel.name) + "(";
  std::vector<BufferPtr> params = kernel.params();
  for (size_t i = 0; i < params.size(); ++i) {
    bool input = i < kernel.inputs.size();
    const loops::Buffer& p = *params[i];
    text += (i ? ", " : "") + std::string(input ? "const " : "") + CType(p.dtype) + " *" +
            Name(p.name);
  }
  if (params.empty()) text += "void";
  return text + ")";
}

void CRenderer::Allocate(const loops::Buffer& buffer) {
  std::string type = CType(buffer.dtype), name = Name(buffer.name);
  int64_t elements = buffer.SpanElements();
  int64_t bytes = elements * static_cast<int64_t>(DTypeSize(buffer.dtype));
  aligned_.insert(buffer.name);
  if (auto it = registers_.find(buffer.name); it != registers_.end()) {
    // Kept in vector variables (FindVectorRegisters): one per vector of lanes.
    std::string vector_type = std::string(buffer.dtype == DType::kF32 ? "tsl_f32x" : "tsl_i32x") +
                              std::to_string(it->second);
    std::string line = vector_type + " ";
    const std::vector<std::string>& vars = register_names_.at(buffer.name);
    for (size_t v = 0; v < vars.size(); ++v) line += (v ? ", " : "") + vars[v] + " = {0}";
    Line(line + ";  /* %" + buffer.name + " in vector registers */");
    return;
  }
  // Small local and shared buffers live on the stack, where the C compiler can keep them in
  // registers; anything else (global scratch, big arrays) on the heap.
  if (buffer.scope != loops::Scope::kGlobal && bytes <= 64 * 1024) {
    Line(type + " " + name + "[" + std::to_string(std::max<int64_t>(elements, 1)) +
         "] __attribute__((aligned(64)));  /* " + std::string(loops::ScopeName(buffer.scope)) +
         " */");
    return;
  }
  Line(type + " *" + name + " = (" + type + " *)tsl_alloc(" + std::to_string(bytes) + ");");
  Defer("free(" + name + ");");
}

namespace {

// Roughly how many statements a loop runs: constant trip counts multiplied out (an unknown
// one counts as 256), the larger branch of an if.
double Work(const StmtPtr& s) {
  if (!s) return 0;
  switch (s->kind) {
    case Stmt::Kind::kFor: {
      std::optional<int64_t> extent = loops::AsInt(s->extent);
      return static_cast<double>(extent ? *extent : 256) * Work(s->body);
    }
    case Stmt::Kind::kSeq: {
      double total = 0;
      for (const StmtPtr& stmt : s->stmts) total += Work(stmt);
      return total;
    }
    case Stmt::Kind::kIf: return std::max(Work(s->body), Work(s->else_body));
    case Stmt::Kind::kStore: case Stmt::Kind::kLet: case Stmt::Kind::kCall: return 1;
    case Stmt::Kind::kAllocate: case Stmt::Kind::kView: return 0;
  }
  return 0;
}

}  // namespace

std::string CRenderer::ParallelPragma(const Stmt& loop) {
  // Waking the threads and joining them costs microseconds: thousands of statements. A loop
  // with less work than that runs faster on one thread (a batch-1 layer's 64 outputs inside a
  // loop of 784 would otherwise fork and join 784 times per call).
  double work = Work(std::make_shared<Stmt>(loop));
  if (work < kMinParallelWork) {
    return "/* parallel: about " + std::to_string(static_cast<int64_t>(work)) +
           " statements, too few to pay for waking threads: run serially */";
  }
  return "#pragma omp parallel for schedule(static)";
}

std::string CRenderer::CType(DType dtype) {
  switch (dtype) {
    case DType::kF32: return "float";
    case DType::kF16: return "_Float16";
    case DType::kI32: return "int32_t";
    case DType::kI8: return "int8_t";
    case DType::kBool: return "bool";
  }
  return "void";
}

std::string CRenderer::Literal(DType dtype, double value) {
  switch (dtype) {
    case DType::kBool: return value != 0 ? "true" : "false";
    case DType::kI32:
      if (value == -2147483648.0) return "(-2147483647 - 1)";
      return std::to_string(static_cast<int64_t>(value));
    case DType::kI8: return "(int8_t)" + std::to_string(static_cast<int64_t>(value));
    case DType::kF32:
    case DType::kF16: {
      std::string text;
      if (std::isnan(value)) {
        text = "NAN";
      } else if (std::isinf(value)) {
        text = value < 0 ? "(-INFINITY)" : "INFINITY";
      } else {
        // The shortest decimal that reads back as the same float.
        float f = static_cast<float>(value);
        char buffer[64];
        for (int digits = 1; digits <= 9; ++digits) {
          std::snprintf(buffer, sizeof buffer, "%.*g", digits, static_cast<double>(f));
          if (std::strtof(buffer, nullptr) == f) break;
        }
        text = buffer;
        if (text.find_first_of(".en") == std::string::npos) text += ".0";
        text += "f";
        if (text[0] == '-') text = "(" + text + ")";
      }
      return dtype == DType::kF16 ? "(_Float16)" + text : text;
    }
  }
  return "0";
}

int CRenderer::Lanes(DType dtype, int64_t extent) const {
  if (dtype != DType::kF32 && dtype != DType::kI32) return 0;
  int widest = options_.vector_bytes / 4;
  for (int lanes : {16, 8, 4}) {
    if (lanes <= widest && lanes <= extent) return lanes;
  }
  return 0;
}

}  // namespace tessel::cpu
