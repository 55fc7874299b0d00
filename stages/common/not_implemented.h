// The typed error a lab skeleton throws where the learner has work to do.
//
// The skeleton generator (tools/skeleton) turns every
//   // BEGIN SOLUTION lab01.t3 ... // END SOLUTION
// block of a solution file into a TODO comment and a TESSEL_UNIMPLEMENTED
// call. Tests, `tessel grade` and the driver recognise the error by its
// message prefix "not implemented: <task>" and report the task as NOT STARTED
// instead of as a crash.
#pragma once

#include <stdexcept>
#include <string>

namespace tessel {

class NotImplemented : public std::logic_error {
 public:
  NotImplemented(std::string task, const std::string& what_to_do, const std::string& where);

  /// The task id, e.g. "lab01.t3".
  const std::string& task() const { return task_; }

 private:
  std::string task_;
};

/// Throws NotImplemented("lab01.t3", "what to do", "lab01_lexer_parser/README.md §4.3").
[[noreturn]] void Unimplemented(const char* task, const char* what_to_do, const char* where);

}  // namespace tessel

#define TESSEL_UNIMPLEMENTED(task, what_to_do, where) \
  ::tessel::Unimplemented((task), (what_to_do), (where))
