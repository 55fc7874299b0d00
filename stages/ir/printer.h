// Prints the IR in its text form (docs/ir.md), which parser.h reads back:
// print(parse(text)) == text for printed text (the round trip tests check it).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "stages/ir/ir.h"

namespace tessel::ir {

/// What the printer adds to the plain text form.
struct PrintOptions {
  /// Each instruction's source location after it, `loc("examples/mlp.tsl":12:5)`, as
  /// MLIR prints debug info (`tessel run --emit ir --locations`). The parser reads it back.
  bool locations = false;
};

/// Every function, separated by a blank line, each ending in "}\n".
std::string PrintModule(const Module& module, const PrintOptions& options = {});
std::string PrintFunction(const Function& function, const PrintOptions& options = {});
/// ` loc("file":line:col)` for a known location, "" otherwise.
std::string LocText(const Loc& loc);
/// One instruction, without indentation or newline: "%3 = add %1, %2 : f32[4]".
/// Inside a function it names values as PrintFunction does (so messages match the printed
/// function); an instruction in no function uses the names as they are ("%?" when empty).
std::string PrintInstr(const Instr& instr);
/// A comprehension body as an S-expression: "(mul (read %x n i) (read %w i o))".
std::string PrintScalarExpr(const ScalarExpr& expr, const Comprehension& comprehension,
                            const Instr& owner);

/// The printed name of every argument and instruction result of `function`, '%' included:
/// its own name where it has one ("%h"), a number in definition order where it has none
/// ("%0", "%1", ...), a suffix on a name used twice ("%h.1"). For tools that print values
/// (DOT output, verifier messages) consistently with PrintFunction.
std::unordered_map<const Value*, std::string> NameValues(const Function& function);

/// How an op's operands and attributes are written; shared by the printer and the parser.
enum class OperandForm {
  kList,           // %a, %b, ...            (elementwise, reductions, ..., ret)
  kConstant,       // a literal              (constant)
  kComprehension,  // (%x, %w) [ranges] kind [ranges] body
  kCall,           // @callee(%a, %b)
  kPhi,            // [%v, label], ...
  kBr,             // label
  kCondBr,         // %c, label, label
};
enum class AttrForm { kNone, kReduce, kTranspose, kConcat, kSlice, kPad };
struct OpTextForm {
  OperandForm operands = OperandForm::kList;
  AttrForm attrs = AttrForm::kNone;
};
/// The text form of `op` (docs/ir.md lists it for every op).
OpTextForm TextFormOf(Op op);

/// A floating-point number as the text form writes it: the shortest decimal that reads back
/// to the same double, always with a '.' or an exponent ("2.0", "0.5", "-1e30"), or inf,
/// -inf, nan. With a float `dtype` (f32, f16), the shortest that reads back to the same value
/// of that dtype: FormatFloat(0.1f, DType::kF32) is "0.1".
std::string FormatFloat(double value, std::optional<DType> dtype = std::nullopt);

}  // namespace tessel::ir
