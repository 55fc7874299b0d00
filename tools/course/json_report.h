// The machine-readable grade (`tessel grade --json FILE`): per task its score
// and status, per test its name, status and output; plus provenance.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "tools/course/provenance.h"
#include "tools/course/scoring.h"

namespace tessel::course {

/// The --json document for `grade`.
nlohmann::json GradeJson(const LabGrade& grade, const std::vector<LabProvenance>& provenance);

}  // namespace tessel::course
