// Shared fixtures for the grader's unit tests: a small manifest and results.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "tools/course/manifest.h"
#include "tools/course/test_runner.h"

namespace tessel::course::testing {

/// A three-task lab: t1 (10 pts, LexTest.*), t2 (20 pts, parent t1, ParseTest.* with
/// hidden HiddenParseTest.*), t3 (10 pts, parent t2, CheckTest.*).
inline const char kManifestJson[] = R"({
  "lab": "lab07", "title": "Fake lab", "handout": "lab07_fake/README.md",
  "files": ["fake.cpp"], "total": 40,
  "tasks": [
    {"id": "lab07.t1", "title": "Lexing", "points": 10, "section": "2.1",
     "tests": ["LexTest.*"], "hint": "lex it", "hints": {"LexTest.B": "look at B"}},
    {"id": "lab07.t2", "title": "Parsing", "points": 20, "section": "2.2", "parent": "lab07.t1",
     "tests": ["ParseTest.*", "HiddenParseTest.*"], "hidden": ["HiddenParseTest.*"],
     "hint": "parse it"},
    {"id": "lab07.t3", "title": "Checking", "points": 10, "section": "2.3", "parent": "lab07.t2",
     "tests": ["CheckTest.*"], "hint": "check it"}
  ]
})";

inline Manifest FakeManifest() {
  Manifest manifest;
  std::string error;
  if (!ParseManifest(kManifestJson, "lab07_fake/lab.json", &manifest, &error)) {
    throw std::runtime_error(error);
  }
  return manifest;
}

inline TestResult Result(const std::string& name, TestStatus status) {
  TestResult r;
  r.name = name;
  r.status = status;
  if (status == TestStatus::kNotImplemented) r.unimplemented = "lab07.t1";
  if (status == TestStatus::kFailed) {
    r.output = "[ RUN      ] " + name +
               "\nfake_test.cpp:3: Failure\nExpected equality of these "
               "values:\n  1\n  2\n[  FAILED  ] " +
               name + " (0 ms)\n";
  }
  return r;
}

}  // namespace tessel::course::testing
