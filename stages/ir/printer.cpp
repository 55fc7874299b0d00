// The IR printer: Module -> text (docs/ir.md); parser.cpp reads the text back.
//
// Pipeline: every stage that shows IR (`tessel run --emit ir`, `--print-after`, test failures)
// prints through here. The one hard requirement is the round trip: parsing the output gives a
// structurally identical module that prints identically. Two things need care for that:
//   1) names: values without a name get numbers, names used twice get suffixes, and characters
//      the lexer would not read are replaced (NameValues, UniqueNames);
//   2) literals in comprehension bodies: the parser gives an untyped literal the dtype its
//      context needs, so the printer predicts that dtype (LiteralWants) and writes the explicit
//      form (const DTYPE literal) only where the prediction would be wrong.
#include "stages/ir/printer.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tessel::ir {

namespace {

// ------------------------------------------------------------------ names

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.';
}

// A value or function name the lexer reads after '%' or '@': [A-Za-z0-9_.]+.
std::string SanitizeName(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (!IsNameChar(c)) c = '_';
  }
  return out;
}

// A function name; an empty one prints as "_" so that the text still parses.
std::string FunctionName(std::string_view name) { return name.empty() ? "_" : SanitizeName(name); }

// A label or index variable: an identifier [A-Za-z_][A-Za-z0-9_.]* that is not a literal word.
std::string SanitizeIdent(std::string_view name) {
  std::string out = SanitizeName(name);
  if (out.empty()) return out;
  if ((out[0] >= '0' && out[0] <= '9') || out[0] == '.') out.insert(0, "_");
  if (out == "inf" || out == "nan" || out == "true" || out == "false") out += '_';
  return out;
}

// Makes `bases` unique in order: an empty base gets the next free number, a base seen before
// gets the first free suffix ".1", ".2", ... A name that appears later in the list is never
// taken by a number or a suffix, so printed names read back unchanged.
std::vector<std::string> UniqueNames(const std::vector<std::string>& bases) {
  std::set<std::string> explicit_names(bases.begin(), bases.end());
  std::set<std::string> used;
  std::vector<std::string> out;
  int next_number = 0;
  auto free = [&](const std::string& s) { return !explicit_names.count(s) && !used.count(s); };
  for (const std::string& base : bases) {
    std::string name = base;
    if (base.empty()) {
      while (!free(std::to_string(next_number))) ++next_number;
      name = std::to_string(next_number++);
    } else if (used.count(base)) {
      int k = 1;
      while (!free(base + "." + std::to_string(k))) ++k;
      name = base + "." + std::to_string(k);
    }
    used.insert(name);
    out.push_back(name);
  }
  return out;
}

// The printed names of one function's values and blocks.
struct Names {
  std::unordered_map<const Value*, std::string> values;
  std::unordered_map<const Block*, std::string> labels;

  std::string Of(const Value* value) const {
    if (value == nullptr) return "%<null>";
    auto it = values.find(value);
    if (it != values.end()) return it->second;
    return value->name().empty() ? "%?" : "%" + SanitizeName(value->name());
  }
  std::string Of(const Block* block) const {
    if (block == nullptr) return "<null>";
    auto it = labels.find(block);
    return it != labels.end() ? it->second : SanitizeIdent(block->label());
  }
};

std::unordered_map<const Block*, std::string> NameBlocks(const Function& function) {
  std::vector<std::string> bases;
  for (size_t i = 0; i < function.blocks().size(); ++i) {
    std::string label = SanitizeIdent(function.blocks()[i]->label());
    bases.push_back(label.empty() ? "bb" + std::to_string(i) : label);
  }
  std::vector<std::string> unique = UniqueNames(bases);
  std::unordered_map<const Block*, std::string> labels;
  for (size_t i = 0; i < unique.size(); ++i) labels[function.blocks()[i].get()] = unique[i];
  return labels;
}

Names NamesOf(const Function& function) {
  return Names{NameValues(function), NameBlocks(function)};
}

// ------------------------------------------------------------- literals

// `value` with `precision` significant digits (0: the shortest that reads back as the same
// double), written "1e30" rather than printf's "1e+30", and with a '.' or an exponent.
std::string DecimalText(double value, int precision) {
  char buf[64];
  std::to_chars_result r = precision > 0 ? std::to_chars(buf, buf + sizeof buf, value,
                                                         std::chars_format::general, precision)
                                         : std::to_chars(buf, buf + sizeof buf, value);
  std::string text(buf, r.ptr);
  size_t e = text.find('e');
  if (e == std::string::npos) {
    return text.find('.') == std::string::npos ? text + ".0" : text;
  }
  std::string mantissa = text.substr(0, e);
  std::string digits = text.substr(e + 1);
  bool negative = digits[0] == '-';
  if (digits[0] == '+' || digits[0] == '-') digits.erase(0, 1);
  while (digits.size() > 1 && digits[0] == '0') digits.erase(0, 1);
  return mantissa + "e" + (negative ? "-" : "") + digits;
}

// An integer-valued double as an integer ("3"); anything else as a float, which the parser
// rejects where an integer is needed (only ill-formed IR has such a value).
std::string IntegerText(double value) {
  if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 9.2e18) {
    return std::to_string(static_cast<int64_t>(value));
  }
  return FormatFloat(value);
}

// One element of a constant tensor of `dtype`.
std::string ElementText(DType dtype, double value) {
  switch (dtype) {
    case DType::kF32:
    case DType::kF16:
      return FormatFloat(value, dtype);
    case DType::kI32:
    case DType::kI8:
      return IntegerText(value);
    case DType::kBool:
      return value != 0 ? "true" : "false";
  }
  return "?";
}

// Nested lists, one level per dimension, starting at dimension `dim` and element `*flat`.
void AppendElements(const Tensor& t, size_t dim, int64_t* flat, std::string& out) {
  if (dim == t.shape().size()) {
    out += ElementText(t.dtype(), t.Get((*flat)++));
    return;
  }
  out += '[';
  for (int64_t i = 0; i < t.shape()[dim]; ++i) {
    if (i > 0) out += ", ";
    AppendElements(t, dim + 1, flat, out);
  }
  out += ']';
}

// A scalar, a splat (one value for every element of a tensor whose elements are all equal),
// or nested lists.
std::string TensorLiteral(const Tensor& t) {
  int64_t size = t.size();
  bool splat = t.rank() > 0 && size >= 2;
  for (int64_t i = 1; splat && i < size; ++i) {
    splat = t.Get(i) == t.Get(0) || (std::isnan(t.Get(i)) && std::isnan(t.Get(0)));
  }
  if (t.rank() == 0 || splat) return ElementText(t.dtype(), t.Get(0));
  std::string out;
  int64_t flat = 0;
  AppendElements(t, 0, &flat, out);
  return out;
}

// ------------------------------------------------------- scalar exprs

bool IsComparison(Op op) {
  return op == Op::kEq || op == Op::kNe || op == Op::kLt || op == Op::kLe || op == Op::kGt ||
         op == Op::kGe;
}

// The dtype the parser gives a literal of `literal` class (the dtype a plain literal of
// `dtype` is spelled as) where its context wants `want`: an integer literal becomes any
// numeric dtype, a float literal any float dtype, true/false stay bool.
DType LiteralDType(DType literal, std::optional<DType> want) {
  if (literal == DType::kBool) return DType::kBool;
  if (!want || *want == DType::kBool) return literal;
  if (literal == DType::kF32 || literal == DType::kF16) return IsFloat(*want) ? *want : literal;
  return *want;
}

// How a plain literal of `dtype` is spelled: its literal class.
DType SpellingOf(DType dtype) {
  if (dtype == DType::kBool) return DType::kBool;
  return IsFloat(dtype) ? DType::kF32 : DType::kI32;
}

class ScalarPrinter {
 public:
  ScalarPrinter(const Comprehension& c, const Instr& owner, const Names& names)
      : comprehension_(c), owner_(owner), names_(names) {
    std::vector<std::string> bases;
    for (const IndexVar& v : c.out) bases.push_back(SanitizeIdent(v.name));
    for (const IndexVar& v : c.reduce) bases.push_back(SanitizeIdent(v.name));
    for (std::string& b : bases) {
      if (b.empty()) b = "i";
    }
    index_names_ = UniqueNames(bases);
  }

  const std::vector<std::string>& index_names() const { return index_names_; }

  void Print(const ScalarExpr& e, std::optional<DType> want, std::string& out) const;

 private:
  void PrintConst(const ScalarExpr& e, std::optional<DType> want, std::string& out) const;
  void PrintRead(const ScalarExpr& e, std::string& out) const;
  void PrintApply(const ScalarExpr& e, std::optional<DType> want, std::string& out) const;
  void PrintArg(const ScalarExprPtr& arg, std::optional<DType> want, std::string& out) const {
    out += ' ';
    if (arg == nullptr) {
      out += "<null>";
    } else {
      Print(*arg, want, out);
    }
  }

  const Comprehension& comprehension_;
  const Instr& owner_;
  const Names& names_;
  std::vector<std::string> index_names_;
};

void ScalarPrinter::Print(const ScalarExpr& e, std::optional<DType> want, std::string& out) const {
  switch (e.kind) {
    case ScalarExpr::Kind::kConst:
      return PrintConst(e, want, out);
    case ScalarExpr::Kind::kIndex:
      out += e.index >= 0 && static_cast<size_t>(e.index) < index_names_.size()
                 ? index_names_[e.index]
                 : "<index " + std::to_string(e.index) + ">";
      return;
    case ScalarExpr::Kind::kRead:
      return PrintRead(e, out);
    case ScalarExpr::Kind::kApply:
      return PrintApply(e, want, out);
  }
}

void ScalarPrinter::PrintConst(const ScalarExpr& e, std::optional<DType> want,
                               std::string& out) const {
  DType spelling = SpellingOf(e.dtype);
  std::string text = spelling == DType::kBool  ? (e.value != 0 ? "true" : "false")
                     : spelling == DType::kI32 ? IntegerText(e.value)
                                               : FormatFloat(e.value);
  if (LiteralDType(spelling, want) == e.dtype) {
    out += text;
  } else {
    out += "(const " + std::string(DTypeName(e.dtype)) + " " + text + ")";
  }
}

void ScalarPrinter::PrintRead(const ScalarExpr& e, std::string& out) const {
  out += "(read ";
  bool valid = e.index >= 0 && static_cast<size_t>(e.index) < owner_.operands().size();
  out += valid ? names_.Of(owner_.operand(e.index)) : "%<operand " + std::to_string(e.index) + ">";
  for (const ScalarExprPtr& arg : e.args) PrintArg(arg, DType::kI32, out);
  out += ')';
}

// The wants of an apply's arguments, as the parser decides them: a comparison wants nothing of
// its operands, other ops pass their own want down; a literal argument takes the dtype of the
// first argument that is not a literal (select's condition wants bool and is not counted).
std::vector<std::optional<DType>> ArgWants(const ScalarExpr& e, std::optional<DType> want) {
  std::optional<DType> inner = IsComparison(e.op) ? std::nullopt : want;
  size_t first = e.op == Op::kSelect ? 1 : 0;
  std::optional<DType> group = inner;
  for (size_t i = first; i < e.args.size(); ++i) {
    if (e.args[i] && e.args[i]->kind != ScalarExpr::Kind::kConst) {
      group = e.args[i]->dtype;
      break;
    }
  }
  std::vector<std::optional<DType>> wants(e.args.size(), inner);
  for (size_t i = first; i < e.args.size(); ++i) {
    if (e.args[i] && e.args[i]->kind == ScalarExpr::Kind::kConst) wants[i] = group;
  }
  if (first == 1 && !wants.empty()) wants[0] = DType::kBool;
  return wants;
}

void ScalarPrinter::PrintApply(const ScalarExpr& e, std::optional<DType> want,
                               std::string& out) const {
  if (e.op == Op::kCast) {
    out += "(cast " + std::string(DTypeName(e.dtype));
    for (const ScalarExprPtr& arg : e.args) PrintArg(arg, std::nullopt, out);
    out += ')';
    return;
  }
  out += "(" + std::string(OpMnemonic(e.op));
  std::vector<std::optional<DType>> wants = ArgWants(e, want);
  for (size_t i = 0; i < e.args.size(); ++i) PrintArg(e.args[i], wants[i], out);
  out += ')';
}

// ---------------------------------------------------------- instructions

std::string RangeList(const std::vector<IndexVar>& vars, const std::vector<std::string>& names,
                      size_t first) {
  std::string out = "[";
  for (size_t i = 0; i < vars.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[first + i] + ": " + std::to_string(vars[i].lo) + ".." + std::to_string(vars[i].hi);
  }
  return out + "]";
}

std::string ComprehensionText(const Instr& instr, const Names& names) {
  std::string out = "(";
  for (size_t i = 0; i < instr.operands().size(); ++i) {
    out += (i > 0 ? ", " : "") + names.Of(instr.operand(i));
  }
  out += ")";
  const Comprehension* c = instr.attrs().comprehension.get();
  if (c == nullptr) return out + " <no comprehension>";
  ScalarPrinter printer(*c, instr, names);
  out += " " + RangeList(c->out, printer.index_names(), 0) + " " +
         std::string(ReduceKindName(c->reduce_kind)) + " " +
         RangeList(c->reduce, printer.index_names(), c->out.size()) + " ";
  if (c->body == nullptr) return out + "<no body>";
  printer.Print(*c->body, instr.type().dtype, out);
  return out;
}

std::string OperandList(const Instr& instr, const Names& names) {
  std::string out;
  for (size_t i = 0; i < instr.operands().size(); ++i) {
    out += (i > 0 ? ", " : "") + names.Of(instr.operand(i));
  }
  return out;
}

std::string PhiText(const Instr& instr, const Names& names) {
  std::string out;
  for (size_t i = 0; i < instr.operands().size(); ++i) {
    const Block* block = i < instr.blocks().size() ? instr.blocks()[i] : nullptr;
    out += std::string(i > 0 ? ", " : " ") + "[" + names.Of(instr.operand(i)) + ", " +
           names.Of(block) + "]";
  }
  return out;
}

std::string BlockRef(const Instr& instr, size_t i, const Names& names) {
  return names.Of(i < instr.blocks().size() ? instr.blocks()[i] : nullptr);
}

std::string OperandsText(const Instr& instr, const Names& names) {
  switch (TextFormOf(instr.op()).operands) {
    case OperandForm::kList: {
      std::string list = OperandList(instr, names);
      return list.empty() ? list : " " + list;
    }
    case OperandForm::kConstant: {
      const Tensor* value = instr.attrs().value.get();
      return " " + (value ? TensorLiteral(*value) : std::string("<no value>"));
    }
    case OperandForm::kComprehension:
      return ComprehensionText(instr, names);
    case OperandForm::kCall:
      return " @" + FunctionName(instr.attrs().callee) + "(" + OperandList(instr, names) + ")";
    case OperandForm::kPhi:
      return PhiText(instr, names);
    case OperandForm::kBr:
      return " " + BlockRef(instr, 0, names);
    case OperandForm::kCondBr:
      return " " + OperandList(instr, names) + ", " + BlockRef(instr, 0, names) + ", " +
             BlockRef(instr, 1, names);
  }
  return "";
}

std::string AttrsText(const Instr& instr) {
  const Attrs& a = instr.attrs();
  switch (TextFormOf(instr.op()).attrs) {
    case AttrForm::kNone:
      return "";
    case AttrForm::kReduce:
      return " {axes = " + FormatShape(a.axes) + (a.keepdims ? ", keepdims = true}" : "}");
    case AttrForm::kTranspose:
      return " {perm = " + FormatShape(a.axes) + "}";
    case AttrForm::kConcat:
      return " {axis = " +
             (a.axes.size() == 1 ? std::to_string(a.axes[0]) : FormatShape(a.axes)) + "}";
    case AttrForm::kSlice:
      return " {begin = " + FormatShape(a.begin) + ", end = " + FormatShape(a.end) +
             ", step = " + FormatShape(a.step) + "}";
    case AttrForm::kPad:
      return " {low = " + FormatShape(a.low) + ", high = " + FormatShape(a.high) +
             ", value = " + FormatFloat(a.pad_value) + "}";
  }
  return "";
}

std::string InstrText(const Instr& instr, const Names& names) {
  std::string out;
  if (HasResult(instr.op())) out += names.Of(&instr) + " = ";
  out += std::string(OpMnemonic(instr.op())) + OperandsText(instr, names) + AttrsText(instr);
  if (HasResult(instr.op())) out += " : " + FormatType(instr.type());
  return out;
}

}  // namespace

std::unordered_map<const Value*, std::string> NameValues(const Function& function) {
  std::vector<const Value*> values;
  std::vector<std::string> bases;
  for (const auto& arg : function.args()) {
    values.push_back(arg.get());
    bases.push_back(SanitizeName(arg->name()));
  }
  for (const auto& block : function.blocks()) {
    for (const auto& instr : block->instrs()) {
      if (!HasResult(instr->op())) continue;
      values.push_back(instr.get());
      bases.push_back(SanitizeName(instr->name()));
    }
  }
  std::vector<std::string> unique = UniqueNames(bases);
  std::unordered_map<const Value*, std::string> names;
  for (size_t i = 0; i < values.size(); ++i) names[values[i]] = "%" + unique[i];
  return names;
}

OpTextForm TextFormOf(Op op) {
  // One row per form; no default, so a new op in ops.def must be given its text form here.
  // clang-format off
  switch (op) {
    case Op::kNeg: case Op::kNot: case Op::kAbs: case Op::kExp: case Op::kLog: case Op::kSqrt:
    case Op::kRsqrt: case Op::kTanh: case Op::kSigmoid: case Op::kRelu: case Op::kCast:
    case Op::kErf: case Op::kSin: case Op::kCos: case Op::kFloor: case Op::kCeil: case Op::kRound:
    case Op::kSign: case Op::kFloorDiv: case Op::kFloorMod: case Op::kUpdateSlice:
    case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: case Op::kMod: case Op::kPow:
    case Op::kMaximum: case Op::kMinimum: case Op::kEq: case Op::kNe: case Op::kLt:
    case Op::kLe: case Op::kGt: case Op::kGe: case Op::kAnd: case Op::kOr: case Op::kSelect:
    case Op::kMatMul: case Op::kReshape: case Op::kBroadcast: case Op::kTake: case Op::kRet:
      return {OperandForm::kList, AttrForm::kNone};
    case Op::kReduceSum: case Op::kReduceProd: case Op::kReduceMax: case Op::kReduceMin:
    case Op::kReduceMean: case Op::kArgMax: case Op::kArgMin:
      return {OperandForm::kList, AttrForm::kReduce};
    case Op::kTranspose: return {OperandForm::kList, AttrForm::kTranspose};
    case Op::kConcat: return {OperandForm::kList, AttrForm::kConcat};
    case Op::kSlice: return {OperandForm::kList, AttrForm::kSlice};
    case Op::kPad: return {OperandForm::kList, AttrForm::kPad};
    case Op::kConstant: return {OperandForm::kConstant, AttrForm::kNone};
    case Op::kComprehension: return {OperandForm::kComprehension, AttrForm::kNone};
    case Op::kCall: return {OperandForm::kCall, AttrForm::kNone};
    case Op::kPhi: return {OperandForm::kPhi, AttrForm::kNone};
    case Op::kBr: return {OperandForm::kBr, AttrForm::kNone};
    case Op::kCondBr: return {OperandForm::kCondBr, AttrForm::kNone};
  }
  // clang-format on
  return {};
}

std::string FormatFloat(double value, std::optional<DType> dtype) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string text;
  if (dtype && IsFloat(*dtype)) {
    // The parser reads a double and stores it as the dtype (Tensor::Set); the first precision
    // whose text comes back as the same value is the shortest (f32 needs at most 9 digits).
    value = Tensor::Scalar(*dtype, value).Get(0);
    for (int precision = 1; precision <= 9 && text.empty(); ++precision) {
      std::string candidate = DecimalText(value, precision);
      double parsed = 0;
      std::from_chars(candidate.data(), candidate.data() + candidate.size(), parsed);
      if (Tensor::Scalar(*dtype, parsed).Get(0) == value) text = candidate;
    }
  }
  if (text.empty()) text = DecimalText(value, 0);
  // "65504.0" reads better than "6.55e4": such a value is an integer, exact in fixed notation.
  double magnitude = std::fabs(value);
  if (text.find('e') != std::string::npos && magnitude >= 1e-4 && magnitude < 1e7) {
    char buf[64];
    std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
    text.assign(buf, r.ptr);
    if (text.find('.') == std::string::npos) text += ".0";
  }
  return text;
}

std::string PrintScalarExpr(const ScalarExpr& expr, const Comprehension& comprehension,
                            const Instr& owner) {
  Names names;
  if (owner.parent() && owner.parent()->parent()) names = NamesOf(*owner.parent()->parent());
  ScalarPrinter printer(comprehension, owner, names);
  std::string out;
  printer.Print(
      expr,
      &expr == comprehension.body.get() ? std::optional<DType>(owner.type().dtype) : std::nullopt,
      out);
  return out;
}

std::string PrintInstr(const Instr& instr) {
  Names names;
  if (instr.parent() && instr.parent()->parent()) names = NamesOf(*instr.parent()->parent());
  return InstrText(instr, names);
}

std::string LocText(const Loc& loc) {
  if (!loc.known()) return "";
  std::string file;
  for (char c : loc.file) file += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return " loc(\"" + file + "\":" + std::to_string(loc.line) + ":" + std::to_string(loc.col) + ")";
}

namespace {

// " place(0, 1024)": the memory plan's placement of a result (the kernel form).
std::string PlacementText(const std::optional<Placement>& placement) {
  if (!placement) return "";
  return " place(" + std::to_string(placement->buffer) + ", " +
         std::to_string(placement->offset) + ")";
}

}  // namespace

std::string PrintFunction(const Function& function, const PrintOptions& options) {
  Names names = NamesOf(function);
  const std::optional<KernelInfo>& kernel = function.kernel();
  std::string out = (kernel ? "kernel @" : "func @") + FunctionName(function.name()) + "(";
  for (size_t i = 0; i < function.args().size(); ++i) {
    const Argument* arg = function.args()[i].get();
    out += (i > 0 ? ", " : "") + names.Of(arg) + ": " + FormatType(arg->type());
  }
  out += ") -> " + FormatType(function.result());
  if (kernel) {
    out += " {pattern = " + std::string(OpPatternName(kernel->pattern)) +
           ", anchor = " + std::string(OpMnemonic(kernel->anchor)) + "}";
  }
  out += " {\n";
  for (const auto& block : function.blocks()) {
    out += names.Of(block.get()) + ":\n";
    for (const auto& instr : block->instrs()) {
      out += "  " + InstrText(*instr, names) + PlacementText(instr->placement()) +
             (options.locations ? LocText(instr->loc()) : "") + "\n";
    }
  }
  return out + "}\n";
}

std::string PrintModule(const Module& module, const PrintOptions& options) {
  std::string out;
  for (size_t i = 0; i < module.functions().size(); ++i) {
    if (i > 0) out += "\n";
    out += PrintFunction(*module.functions()[i], options);
  }
  return out;
}

}  // namespace tessel::ir
