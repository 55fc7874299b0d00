// Helpers for lab02's graded tests that start from Tessel source (t1, t2, t3,
// t5): parse a program with the lab01 parser (the solution where present), parse
// the prelude, and check the diagnostics a stage reports. A failure shows the
// numbered source and every diagnostic printed as the user would see it.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/frontend/ast.h"
#include "stages/frontend/parser.h"
#include "stages/sema/compile.h"
#include "stages/sema/typecheck.h"

namespace tessel::testing {

/// A parsed Tessel program. The test fails (fatally for the caller's use) if it
/// does not parse: these tests are about stage 2, not the parser.
struct ParsedSource {
  std::unique_ptr<SourceFile> file;
  std::unique_ptr<ast::Module> module;

  sema::SourceModule source() const { return {file.get(), module.get()}; }
  /// The function named `name` (aborts the test if there is none).
  const ast::FnItem& Fn(const std::string& name) const {
    for (const ast::ItemPtr& item : module->items) {
      if (item->kind == ast::ItemKind::kFn && item->name == name) return item->As<ast::FnItem>();
    }
    ADD_FAILURE() << "no function '" << name << "' in the test program";
    std::abort();
  }
};

/// The source with numbered lines, for failure messages.
inline std::string NumberedSource(const SourceFile& file) {
  std::ostringstream out;
  for (uint32_t line = 1; line <= file.line_count(); ++line) {
    out << (line < 10 ? "   " : "  ") << line << " | " << file.LineText(line) << "\n";
  }
  return out.str();
}

/// Every diagnostic, formatted as `tessel run` prints it.
inline std::string DiagnosticsText(const DiagnosticEngine& diags) {
  std::ostringstream out;
  diags.Print(out);
  return out.str();
}

inline ParsedSource ParseSource(const std::string& text, const std::string& name = "test.tsl") {
  ParsedSource parsed;
  parsed.file = std::make_unique<SourceFile>(name, text);
  DiagnosticEngine diags;
  parsed.module = ast::ParseModule(*parsed.file, diags);
  if (diags.has_errors() || !parsed.module) {
    ADD_FAILURE() << "the test program does not parse (a bug in the test):\n"
                  << NumberedSource(*parsed.file) << DiagnosticsText(diags);
    parsed.module = std::make_unique<ast::Module>();
  }
  return parsed;
}

/// The prelude, parsed once.
inline const ParsedSource& Prelude() {
  static const ParsedSource prelude = [] {
    ParsedSource parsed;
    parsed.file = std::make_unique<SourceFile>(sema::PreludeFile());
    DiagnosticEngine diags;
    parsed.module = ast::ParseModule(*parsed.file, diags);
    if (diags.has_errors()) {
      ADD_FAILURE() << "the prelude does not parse:\n" << DiagnosticsText(diags);
      parsed.module = std::make_unique<ast::Module>();
    }
    return parsed;
  }();
  return prelude;
}

/// What to compile: the entry, its shape variables and its scalar arguments.
inline sema::EntryRequest Request(std::string entry, std::map<std::string, int64_t> shapes = {},
                                  std::map<std::string, sema::ConstValue> args = {}) {
  sema::EntryRequest request;
  request.entry = std::move(entry);
  request.shapes = std::move(shapes);
  request.args = std::move(args);
  return request;
}

}  // namespace tessel::testing
