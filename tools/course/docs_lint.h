// The docs lint (`tessel lint-docs`): every claim the course's documents make
// that a program can check, checked, so the docs cannot drift from the code.
//
// It reads README.md, docs/*.md, every lab handout and manifest, and the
// comments and strings of the C++ sources, and reports:
//  1) a `tessel ...` command (in a code block or a code span) that the real
//     command line rejects: an unknown subcommand or flag, a value outside an
//     option's choices (`--emit c` before the C back end exists); alternatives
//     written `a|b` are each checked, ALL-CAPS words are placeholders;
//  2) a test name (`Suite.Name`, or a glob `Suite.*`) that no test has;
//  3) a repository path (in a code span or a link) that does not exist;
//  4) a section reference (`docs/ir.md` §10, lab01 §4.6, README §4.3, or a
//     bare §2.1 meaning the same file) that names no heading of that file, and
//     a manifest task or challenge section that is not a heading of its handout;
//  5) an example output marked `<!-- output: tessel ... -->` whose fenced
//     block differs from what the command prints now (`--update` rewrites it);
//  6) a row of the status table (docs/course.md) that says a lab is available
//     when its folder is missing, or planned when it exists; or a back end row
//     whose probe command parses while it says planned, or fails while available.
// A line that describes a command as planned (it contains "planned") is not
// checked for 1), so the docs may show what will come.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tessel::course {

/// What the lint needs besides the files.
struct DocsLintInputs {
  std::string source_dir;  // the repository
  /// Parses a `tessel` command line (without "tessel") as the real CLI would, without
  /// running it: the CLI's message when it is rejected, nullopt when it parses. Null: skip 1).
  std::function<std::optional<std::string>(const std::vector<std::string>& args)> check_command;
  /// Every test name of the build ("Suite.Name"). Empty: skip 2).
  std::set<std::string> tests;
  /// Runs a marked command from the repository root and returns what it prints (stdout and
  /// stderr), or nullopt when it cannot be run. Null: skip 5).
  std::function<std::optional<std::string>(const std::string& command)> run_output;
  bool update = false;  // rewrite stale output blocks instead of reporting them
};

/// Every problem found, one line each ("docs/ir.md:12: ..."); empty when the docs hold.
std::vector<std::string> LintDocs(const DocsLintInputs& inputs);

// The pieces, exposed for the unit tests.

/// The section numbers of a Markdown file's numbered headings: "4", "4.3", "A", "A.1", "3.4.1".
std::set<std::string> HeadingNumbers(const std::string& markdown);

/// The words of a shell command line, quotes removed: `a "b c"` -> {a, b c}.
std::vector<std::string> SplitCommand(const std::string& line);

/// The variants of a documented command: `a|b` alternatives expanded (first token-wise),
/// `[` `]` and `...` dropped, ALL-CAPS placeholders replaced by "1".
std::vector<std::vector<std::string>> CommandVariants(const std::vector<std::string>& words);

}  // namespace tessel::course
