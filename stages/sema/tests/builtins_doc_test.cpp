// The primitives and the docs agree: every primitive of builtins.cpp is described in
// docs/language.md §5.2 (a reviewer found `prod` missing there), and every primitive the
// section names as a call exists.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "stages/sema/builtins.h"

namespace tessel::sema {
namespace {

// The text of docs/language.md from "### 5.2" up to the next heading of that level.
std::string PrimitivesSection() {
  std::ifstream in(TESSEL_SOURCE_DIR "/docs/language.md");
  std::ostringstream text;
  text << in.rdbuf();
  std::string doc = text.str();
  size_t begin = doc.find("### 5.2 ");
  size_t end = doc.find("\n### ", begin + 1);
  return begin == std::string::npos ? "" : doc.substr(begin, end - begin);
}

TEST(BuiltinsDocTest, EveryPrimitiveIsDescribedInTheLanguageReference) {
  std::string section = PrimitivesSection();
  ASSERT_FALSE(section.empty()) << "docs/language.md has no §5.2";
  for (const Builtin& builtin : AllBuiltins()) {
    std::string call = "`" + std::string(builtin.name) + "`";
    std::string with_args = "`" + std::string(builtin.name) + "(";
    EXPECT_TRUE(section.find(call) != std::string::npos ||
                section.find(with_args) != std::string::npos)
        << builtin.name << " is a primitive but docs/language.md §5.2 does not describe it";
  }
}

TEST(BuiltinsDocTest, EveryCallTheSectionShowsIsAPrimitive) {
  static const std::regex kCall(R"(`([a-z_]+)\()");
  std::string section = PrimitivesSection();
  for (auto it = std::sregex_iterator(section.begin(), section.end(), kCall);
       it != std::sregex_iterator(); ++it) {
    std::string name = (*it)[1].str();
    EXPECT_NE(FindBuiltin(name), nullptr)
        << "docs/language.md §5.2 shows " << name << "(...), which is not a primitive";
  }
}

}  // namespace
}  // namespace tessel::sema
