// Serializes a LabGrade for scripts and dashboards (see docs/course.md).
#include "tools/course/json_report.h"

namespace tessel::course {

using nlohmann::json;

namespace {

json TestJson(const TestResult& result, const Task& task) {
  json test = {{"name", result.name},
               {"status", StatusName(result.status)},
               {"hidden", task.IsHidden(result.name)},
               {"seconds", result.seconds},
               {"output", result.output}};
  if (!result.unimplemented.empty()) test["unimplemented_task"] = result.unimplemented;
  if (result.signal != 0) test["signal"] = result.signal;
  return test;
}

json TaskJson(const TaskGrade& grade) {
  json tests = json::array();
  for (const TestResult& r : grade.results) tests.push_back(TestJson(r, *grade.task));
  json task = {{"id", grade.task->id},
               {"title", grade.task->title},
               {"points", grade.task->points},
               {"score", grade.score},
               {"status", TaskStatusName(grade.status)},
               {"passed", grade.passed},
               {"counted", grade.counted},
               {"skipped", grade.skipped},
               {"hidden_passed", grade.hidden_passed},
               {"hidden_counted", grade.hidden_counted},
               {"hidden_absent", grade.hidden_absent},
               {"tests", tests}};
  if (!grade.blocked_by.empty()) task["blocked_by"] = grade.blocked_by;
  return task;
}

json ProvenanceJson(const LabProvenance& p) {
  return {{"lab", p.lab},   {"tree", p.tree},   {"uses_solution", p.uses_solution},
          {"hash", p.hash}, {"stale", p.stale}, {"missing", p.missing}};
}

}  // namespace

json GradeJson(const LabGrade& grade, const std::vector<LabProvenance>& provenance) {
  json tasks = json::array(), compiled = json::array();
  for (const TaskGrade& task : grade.tasks) tasks.push_back(TaskJson(task));
  for (const LabProvenance& p : provenance) compiled.push_back(ProvenanceJson(p));
  const TaskGrade* next = grade.Next();
  return {{"lab", grade.manifest->lab},
          {"title", grade.manifest->title},
          {"score", grade.score},
          {"max_score", grade.max_score},
          {"complete", grade.Complete()},
          {"next", next ? json(next->task->id) : json(nullptr)},
          {"tasks", tasks},
          {"unowned_tests", grade.unowned_tests},
          {"provenance", compiled}};
}

}  // namespace tessel::course
