// NotImplemented: the error every skeleton TODO throws.
#include "stages/common/not_implemented.h"

namespace tessel {

NotImplemented::NotImplemented(std::string task, const std::string& what_to_do,
                               const std::string& where)
    : std::logic_error("not implemented: " + task + ", " + what_to_do + ", see " + where),
      task_(std::move(task)) {}

void Unimplemented(const char* task, const char* what_to_do, const char* where) {
  throw NotImplemented(task, what_to_do, where);
}

}  // namespace tessel
