// The lab manifest (labNN_*/lab.json): a lab's tasks, their points, the tests
// that make up each task, hints, handout sections, parents and visibility.
//
// It is the single source of points: `tessel grade`, the lint, the Gradescope
// and GitHub Classroom generators and the test binaries' failure hints all
// read it. docs/course.md describes the format.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tessel::course {

/// One graded task of a lab.
struct Task {
  std::string id;     // "lab01.t3"
  std::string title;  // "Expressions and precedence"
  double points = 0;
  std::string section;                       // handout section, "4.3"
  std::string parent;                        // task to finish first; empty if none
  std::vector<std::string> tests;            // globs over "Suite.Name"
  std::vector<std::string> hidden;           // globs: the hidden part of `tests`
  std::string hint;                          // shown for any failing test of the task
  std::map<std::string, std::string> hints;  // "Suite.Name" -> a hint for that test

  /// True when `test` is one of this task's tests.
  bool Owns(std::string_view test) const;
  /// True when `test` is one of this task's hidden tests.
  bool IsHidden(std::string_view test) const;
  /// The hint for `test`: its own from `hints`, else the task's hint.
  const std::string& HintFor(const std::string& test) const;
};

/// An optional extension of a lab (ungraded): a harder variant of a task, named in the
/// handout's challenge section and listed by `tessel grade` after the score.
struct Challenge {
  std::string id;       // "lab02.c1"
  std::string title;    // "Lengauer-Tarjan dominators"
  std::string section;  // handout section, "8.2"
};

/// A lab's manifest, validated.
struct Manifest {
  std::string lab;                 // "lab01"
  std::string title;               // "Lexer and parser"
  std::string handout;             // "lab01_lexer_parser/README.md", relative to the source dir
  std::vector<std::string> files;  // the learner's files, "lexer.cpp"
  double total = 0;
  std::vector<Task> tasks;            // in handout order
  std::vector<Challenge> challenges;  // ungraded extensions, in handout order

  /// The task with this id ("lab01.t3", or just "t3"), or nullptr.
  const Task* FindTask(std::string_view id) const;
  /// The position of a task in manifest order, or -1.
  int TaskIndex(std::string_view id) const;
  /// The first task that owns `test`, or nullptr.
  const Task* TaskForTest(std::string_view test) const;
  /// "lab01_lexer_parser/README.md §4.3".
  std::string SectionRef(const Task& task) const;
};

/// Parses and validates manifest text. On failure returns false and sets *error to every
/// problem found, one per line, each prefixed with `path`.
bool ParseManifest(const std::string& text, const std::string& path, Manifest* out,
                   std::string* error);

/// Reads and parses the manifest at `path`, and adds the hints of hidden tests from
/// tests/hidden/hints.json next to it when that file exists (a student release leaves it out).
/// A hint for a hidden test in lab.json itself is an error: every copy would show it.
bool LoadManifest(const std::string& path, Manifest* out, std::string* error);

/// Shell-style match of `text` against `pattern`: '*' is any run of characters, '?' any one.
bool GlobMatch(std::string_view pattern, std::string_view text);

/// `ctest --test-dir BUILD_DIR -R '^Suite\.Name$' --output-on-failure`: reruns one test.
std::string RerunCommand(const std::string& build_dir, const std::string& test);

/// The number printed for a lab or task: "15", "7.5", "3.33".
std::string FormatPoints(double points);

}  // namespace tessel::course
