#!/usr/bin/env bash
# The course checks that CI runs after the reference build (DESIGN.md §2):
#   reference  (a) every lab scores full marks with the solutions
#   skeleton   (b) the student build compiles warning-free and every graded test fails
#                  with the not-implemented error: each lab scores exactly 0
#   order      (c) for each task k, the solution of tasks <= k with skeletons after
#                  passes exactly the tests of tasks <= k
#   lint       (d) manifests are consistent, the committed skeletons are current, and the
#                  docs cite only what exists (tessel lint-docs)
#   release    (e) the student release (no solutions/, no hidden tests) builds, its own
#                  tests pass, and each lab scores 0
#   attacks    (f) the Gradescope bundle, run as Gradescope runs it, gives honest, broken and
#                  hostile submissions the scores they must get (tools/grading_attacks.sh; lab01
#                  here, TESSEL_ATTACK_LABS="all" for every lab)
#
#   tools/course_checks.sh [BUILD_DIR]     BUILD_DIR: the reference build (build/reference)
#   TESSEL_CHECKS="lint order" tools/course_checks.sh     runs only those steps
#
# Every step runs even when an earlier one failed; the summary lists each with its
# time, and the exit status is 1 when any failed. Scratch builds go to build/course-*.
# shellcheck disable=SC2317  # the steps are called indirectly, as check_<name>
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=$(realpath -m "${1:-$root/build/reference}")
checks=${TESSEL_CHECKS:-reference skeleton order lint release attacks}
skeleton=$build_dir/bin/tessel-skeleton
jobs=2

# The labs in order, filled by read_labs: ids (lab01), folders (lab01_lexer_parser), test targets.
lab_ids=()
lab_dirs=()
test_targets=()

header() { printf '\n==== %s\n' "$*"; }
note() { printf -- '-- %s\n' "$*"; }

# Runs "$@" in a subshell with errexit on and sets last_status. Call it plainly, never as
# `strict cmd || x`: bash ignores `set -e` inside any command whose status is tested.
last_status=0
strict() {
  set +e
  (
    set -e
    "$@"
  )
  last_status=$?
  set -e
}

# Builds only the given targets of a build folder.
build() {
  local dir=$1
  shift
  cmake --build "$dir" -j "$jobs" --target "$@"
}

# Runs `tessel grade LAB ARGS...` with the tessel of build folder DIR for every lab. Every
# lab is graded even when one fails; the status says whether all passed.
grade_each_lab() {
  local dir=$1 title=$2 status=0 lab
  shift 2
  for lab in "${lab_ids[@]}"; do
    header "$lab: $title"
    "$dir/bin/tessel" grade "$lab" "$@" || status=1
  done
  return "$status"
}

check_reference() {
  build "$build_dir" tessel tessel-skeleton "${test_targets[@]}"
  grade_each_lab "$build_dir" "(a) the reference scores full marks" --check full
}

# The student build (every lab from its lab folder) that steps (b) and (c) share: (c) only
# swaps one lab's sources, so the rest of the compiler is compiled once for both.
student_dir=$root/build/course-student
prefix_dir=$root/build/course-prefix

# Configures the student build; arguments are extra -D options. Overrides left by (c) are
# cleared unless the arguments set them again.
configure_student_build() {
  local -a clear=()
  local lab
  for lab in "${lab_ids[@]}"; do clear+=("-DTESSEL_LAB_SOURCE_OVERRIDE_$lab="); done
  cmake -S "$root" -B "$student_dir" -G Ninja -Wno-dev -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTESSEL_SOLUTIONS=none -DTESSEL_WERROR=ON "${clear[@]}" "$@" >/dev/null
}

check_skeleton() {
  note "configuring $student_dir (TESSEL_SOLUTIONS=none, TESSEL_WERROR=ON)"
  configure_student_build
  build "$student_dir" tessel "${test_targets[@]}"
  grade_each_lab "$student_dir" "(b) the skeleton scores 0, every test not implemented" \
    --check skeleton
}

# Task order for one lab: the lab is compiled from a prefix tree, which is rewritten for each
# task in turn (only the files that change are rewritten, so each rebuild is small).
check_lab_order() {
  local lab=$1 folder=$2 status=0 task
  local src=$prefix_dir/$folder
  local -a tasks
  mapfile -t tasks < <("$skeleton" tasks "$lab" --source-dir "$root")
  # The override folder must hold the lab's files before CMake looks at it.
  "$skeleton" prefix "$lab" "${tasks[0]}" --out "$src" --source-dir "$root" >/dev/null
  note "configuring $student_dir with $lab compiled from $src"
  configure_student_build "-DTESSEL_LAB_SOURCE_OVERRIDE_$lab=$src"
  for task in "${tasks[@]}"; do
    header "$lab: (c) task order, the solution up to $task and skeletons after"
    "$skeleton" prefix "$lab" "$task" --out "$src" --source-dir "$root"
    build "$student_dir" "${lab}_tests" tessel
    "$student_dir/bin/tessel" grade "$lab" --check "prefix:$task" || status=1
  done
  return "$status"
}

check_order() {
  local status=0 i
  for i in "${!lab_ids[@]}"; do
    strict check_lab_order "${lab_ids[i]}" "${lab_dirs[i]}"
    ((last_status == 0)) || status=1
  done
  return "$status"
}

check_lint() {
  local status=0
  grade_each_lab "$build_dir" "(d) manifest lint" --lint || status=1
  header "(d) lint: the committed skeletons are current"
  "$skeleton" check --source-dir "$root" || status=1
  header "(d) lint: the docs cite only commands, flags, tests, paths and sections that exist"
  "$build_dir/bin/tessel" lint-docs || status=1
  return "$status"
}

check_release() {
  local copy=$root/build/course-release status=0
  "$root/tools/student_release.sh" "$copy"
  cd "$copy"
  note "configuring the release with its student preset (and TESSEL_WERROR=ON)"
  cmake --preset student -DTESSEL_WERROR=ON >/dev/null
  cmake --build --preset student
  header "(e) the release's own tests pass (all but the graded labs, which must score 0)"
  ctest --test-dir build/student -LE '^lab[0-9]+$' -j "$jobs" --output-on-failure || status=1
  grade_each_lab "$copy/build/student" "(e) the release scores 0" --check skeleton || status=1
  header "(e) the release's docs cite only what the release has"
  "$copy/build/student/bin/tessel" lint-docs || status=1
  return "$status"
}

check_attacks() {
  build "$build_dir" tessel
  # shellcheck disable=SC2086  # a list of labs
  bash "$root/tools/grading_attacks.sh" "$build_dir" ${TESSEL_ATTACK_LABS:-lab01}
}

# Runs one step and records its result and time for the summary.
summary=()
failed=0
run_step() {
  local name=$1 start=$EPOCHREALTIME seconds
  header "step: $name"
  strict "check_$name"
  seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  if ((last_status == 0)); then
    summary+=("$(printf 'ok      %-10s %7ss' "$name" "$seconds")")
  else
    summary+=("$(printf 'FAILED  %-10s %7ss' "$name" "$seconds")")
    failed=1
  fi
}

# Reads the labs' ids and folders with the reference build's tessel-skeleton.
read_labs() {
  local lab folder
  while read -r lab folder; do
    lab_ids+=("$lab")
    lab_dirs+=("$folder")
    test_targets+=("${lab}_tests")
  done < <("$skeleton" labs --dirs --source-dir "$root")
}

main() {
  if [[ ! -d $root/solutions ]]; then
    echo "course_checks: no solutions/ here (a student release): nothing to check"
    exit 0
  fi
  if [[ ! -x $skeleton ]]; then
    echo "course_checks: error: $build_dir has no bin/tessel-skeleton; build the reference" \
      "first: cmake --workflow --preset reference" >&2
    exit 1
  fi
  read_labs
  note "reference build: $build_dir; labs: ${lab_ids[*]}; checks: $checks"
  local name
  for name in $checks; do
    if ! declare -F "check_$name" >/dev/null; then
      echo "course_checks: error: unknown check '$name' (the checks: reference skeleton" \
        "order lint release attacks)" >&2
      exit 2
    fi
    run_step "$name"
  done
  header "summary"
  printf '%s\n' "${summary[@]}"
  exit "$failed"
}

main
