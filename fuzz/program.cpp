// Printing the fuzzer's program model as Tessel source (program.h).
#include "fuzz/program.h"

#include <sstream>

namespace tessel::fuzz {

int64_t TensorType::elements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string TensorType::str() const {
  if (shape.empty()) return dtype;
  std::string out = dtype + "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

namespace {

void PrintStmts(std::ostream& out, const std::vector<Stmt>& stmts, int depth) {
  std::string indent(2 * depth, ' ');
  for (const Stmt& s : stmts) {
    switch (s.kind) {
      case Stmt::Kind::kLine:
        out << indent << s.text << "\n";
        break;
      case Stmt::Kind::kFor:
        out << indent << s.header << " {\n";
        PrintStmts(out, s.body, depth + 1);
        out << indent << "}\n";
        break;
      case Stmt::Kind::kIf:
        out << indent << s.header << " {\n";
        PrintStmts(out, s.body, depth + 1);
        out << indent << "} else {\n";
        PrintStmts(out, s.orelse, depth + 1);
        out << indent << "}\n";
        break;
    }
  }
}

// The entry's parameter types name the shape variables: a dim equal to a variable's value is
// written as the variable (S4 for 4), so the front end binds and checks them.
std::string ParamType(const TensorType& type, const std::map<std::string, int64_t>& vars) {
  if (type.shape.empty()) return type.dtype;
  std::string out = type.dtype + "[";
  for (size_t i = 0; i < type.shape.size(); ++i) {
    if (i > 0) out += ", ";
    std::string dim = std::to_string(type.shape[i]);
    for (const auto& [name, value] : vars) {
      if (value == type.shape[i]) dim = name;
    }
    out += dim;
  }
  return out + "]";
}

void PrintSignature(std::ostream& out, const Function& f,
                    const std::map<std::string, int64_t>& vars,
                    const std::map<std::string, std::string>& args) {
  out << "fn " << f.name << "(";
  const char* separator = "";
  for (const Param& p : f.params) {
    out << separator << p.name << ": " << ParamType(p.type, vars);
    separator = ", ";
  }
  for (const auto& [name, value] : args) {
    out << separator << name << ": " << (value == "true" || value == "false" ? "bool" : "i32");
    separator = ", ";
  }
  out << ") -> " << f.result_type.str() << " {\n";
}

// "//! KEY: a=1, b=2", nothing for an empty map.
template <typename Map>
void PrintDirective(std::ostream& out, const char* key, const Map& values) {
  if (values.empty()) return;
  out << "//! " << key << ": ";
  bool first = true;
  for (const auto& [name, value] : values) {
    out << (first ? "" : ", ") << name << "=" << value;
    first = false;
  }
  out << "\n";
}

}  // namespace

std::string Program::Source() const {
  std::ostringstream out;
  out << "// A program of tessel-fuzz (fuzz/README.md): random, well-typed, every value compared.\n";
  out << "//! entry: " << entry.name << "\n";
  // Only the variables some parameter still mentions (the shrinker removes parameters).
  std::map<std::string, int64_t> vars;
  for (const auto& [name, value] : shape_vars) {
    for (const Param& p : entry.params) {
      for (int64_t d : p.type.shape) {
        if (d == value) vars[name] = value;
      }
    }
  }
  PrintDirective(out, "shapes", vars);
  PrintDirective(out, "args", args);
  for (const Function& helper : helpers) {
    out << "\n";
    PrintSignature(out, helper, {}, {});
    PrintStmts(out, helper.body, 1);
    out << "  return " << helper.result << ";\n}\n";
  }
  out << "\n";
  Function printed = entry;
  TensorType result{"f32", {0}};
  std::string joined;
  for (const auto& [name, type] : terms) {
    result.shape[0] += type.elements();
    joined += (joined.empty() ? "" : ", ") + std::string("reshape(") + name + ", [" +
              std::to_string(type.elements()) + "])";
  }
  printed.result_type = result;
  PrintSignature(out, printed, vars, args);
  PrintStmts(out, entry.body, 1);
  out << "  return concat([" << joined << "], axis=0);\n}\n";
  return out.str();
}

namespace {

int64_t Count(const std::vector<Stmt>& stmts) {
  int64_t n = 0;
  for (const Stmt& s : stmts) n += 1 + Count(s.body) + Count(s.orelse);
  return n;
}

}  // namespace

int64_t Program::StatementCount() const {
  int64_t n = Count(entry.body);
  for (const Function& helper : helpers) n += Count(helper.body);
  return n;
}

}  // namespace tessel::fuzz
