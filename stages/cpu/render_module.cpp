// RenderModuleC (render_module.h): the file around lab06's kernels. Compiled with lab06
// (STAGE_SOURCES), as it calls the learner's renderer.
#include "stages/cpu/render_module.h"

#include <stdexcept>

namespace tessel::cpu {

namespace {

std::string ShapeComment(const loops::Buffer& b) {
  std::string text = std::string(DTypeName(b.dtype)) + "[";
  for (size_t i = 0; i < b.shape.size(); ++i) text += (i ? ", " : "") + std::to_string(b.shape[i]);
  return text + "]";
}

std::string Comment(const std::string& text, const std::string& indent = "") {
  std::string out = indent + "/* ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent + " * ";
  }
  return out + " */\n";
}

std::string Constant(CRenderer& r, const loops::Buffer& c) {
  std::string text = "static const " + CRenderer::CType(c.dtype) + " " + r.CName(c.name) + "[" +
                     std::to_string(std::max<int64_t>(c.data->size(), 1)) +
                     "] __attribute__((aligned(64))) = {";
  for (int64_t i = 0; i < c.data->size(); ++i) {
    text += (i % 8 == 0 ? "\n  " : " ") + CRenderer::Literal(c.dtype, c.data->Get(i)) + ",";
  }
  return text + "\n};  /* " + ShapeComment(c) + " */\n";
}

std::string Prototype(CRenderer& r, const loops::Function& f, const std::string& name) {
  std::string text = "void " + name + "(";
  std::vector<loops::BufferPtr> params = f.params();
  for (size_t i = 0; i < params.size(); ++i) {
    const loops::Buffer& p = *params[i];
    bool input = i < f.inputs.size();
    text += std::string(i ? ",\n    " : "\n    ") + (input ? "const " : "") +
            CRenderer::CType(p.dtype) + " *" + r.CName(p.name) + "  /* " +
            (input ? "in " : "out ") + ShapeComment(p) + " */";
  }
  if (params.empty()) text += "void";
  return text + ")";
}

}  // namespace

CSource RenderModuleC(const loops::Module& module, const CModuleOptions& options) {
  const loops::Function* entry =
      options.entry.empty() ? module.Entry() : module.FindFunction(options.entry);
  if (!entry) {
    throw std::invalid_argument(options.entry.empty() ? "the module has no entry function"
                                                      : "no function @" + options.entry);
  }
  CRenderer renderer(options.render);
  // The entry points first, then the other functions, so that no buffer or kernel takes the
  // name of a function the file defines.
  CSource out;
  out.entry = renderer.CName("@" + entry->name);
  renderer.Reserve(out.entry + "_packed");
  renderer.Reserve(out.entry + "_set_threads");
  for (const loops::Function& f : module.functions) renderer.CName("@" + f.name);

  std::string& c = out.c;
  if (!options.banner.empty()) c += Comment(options.banner) + "\n";
  c += "#include \"" + options.header_name + "\"\n\n";
  c += CPrelude(options.render.vector_bytes) + "\n";
  if (!module.constants.empty()) c += "/* Constants of the model. */\n";
  for (const loops::BufferPtr& constant : module.constants) c += Constant(renderer, *constant);
  // Prototypes first: the host calls kernels that may come after it in the module.
  bool any = false;
  for (const loops::Function& f : module.functions) {
    if (&f == entry) continue;
    c += std::string(any ? "" : "\n") + "static " + renderer.KernelSignature(f) + ";\n";
    any = true;
  }
  for (const loops::Function& f : module.functions) {
    if (&f == entry) continue;
    c += "\n";
    auto note = options.kernel_notes.find(f.name);
    c += Comment("@" + f.name + (note != options.kernel_notes.end() ? ": " + note->second : ""));
    c += "static " + renderer.RenderKernel(f);
  }
  c += "\n" + Comment("The model's entry point: see " + options.header_name + ".");
  c += renderer.RenderKernel(*entry);
  std::string name = out.entry;
  c += "\nvoid " + name + "_packed(void **args) {\n  " + name + "(";
  std::vector<loops::BufferPtr> params = entry->params();
  for (size_t i = 0; i < params.size(); ++i) {
    c += std::string(i ? ", " : "") + "(" + (i < entry->inputs.size() ? "const " : "") +
         CRenderer::CType(params[i]->dtype) + " *)args[" + std::to_string(i) + "]";
  }
  c += ");\n}\n";
  c += "\n#ifdef _OPENMP\n#include <omp.h>\n#endif\n";
  c += "void " + name + "_set_threads(int threads) {\n#ifdef _OPENMP\n"
       "  if (threads > 0) omp_set_num_threads(threads);\n#else\n  (void)threads;\n#endif\n}\n";

  std::string guard = "TESSEL_" + name + "_H";
  for (char& ch : guard) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  std::string& h = out.header;
  if (!options.banner.empty()) h += Comment(options.banner) + "\n";
  h += "#ifndef " + guard + "\n#define " + guard + "\n\n#include <stdbool.h>\n#include <stdint.h>\n\n";
  h += "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  h += Comment("Runs the model: every tensor dense, row-major, of the type shown; the inputs are\n"
               "only read, the outputs written. Thread-safe: each call allocates its own scratch.");
  h += Prototype(renderer, *entry, name) + ";\n\n";
  h += Comment("The same, with the pointers in an array: the inputs, then the outputs.");
  h += "void " + name + "_packed(void **args);\n\n";
  h += Comment("How many threads parallel loops use (OpenMP; 0 keeps its default).");
  h += "void " + name + "_set_threads(int threads);\n\n";
  h += "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
  return out;
}

}  // namespace tessel::cpu
