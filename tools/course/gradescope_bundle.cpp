// The Gradescope autograder bundle: setup.sh and run_autograder (shell, as
// Gradescope requires) plus a README. docs/instructor-guide.md §4 explains the
// design; in short:
//
//  - Two builds. setup.sh builds the *trusted* one as root from the pristine
//    course (the grader and, for a judged lab, the judge with the hidden
//    tests), in a folder only root can read. The *student* build is a copy of
//    the course without the solutions, the hidden tests or the CI, owned by the
//    unprivileged `student` user, which compiles and runs the submission.
//  - run_autograder finds the learner's files anywhere in the submission, builds
//    them as `student` under a time limit, then runs the trusted grader as root.
//    A judged lab's verdicts come from the judge (tools/judge/), which never
//    runs learner code; the runner it calls runs as `student`. Other labs run
//    their test binary as `student`, and the grader probes it for forged verdicts.
//  - The whole run has a deadline, and a results.json is written before anything
//    else and replaced at the end, so a run that is cut short still reports.
#include <sstream>

#include "tools/course/instructor_kit.h"

namespace tessel::course {

const char* const kBuildPackages =
    "cmake ninja-build g++ libgtest-dev libcli11-dev "
    "nlohmann-json3-dev";

namespace {

constexpr char kSetupBody[] = R"SH(
AG=${AUTOGRADER_ROOT:-/autograder}
SRC="$AG/source/tessel"   # the pristine course, from the bundle
TRUSTED="$AG/trusted"     # root's: the grader (and judge) built from $SRC
STUDENT="$AG/student"     # the student user's: the course without solutions and hidden tests
export DEBIAN_FRONTEND=noninteractive

# 1) Packages, only the missing ones (a rebuilt image, or a local trial, installs nothing).
missing=()
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ -n "${TESSEL_SETUP_NO_INSTALL:-}" ]; then  # a sandboxed trial must not touch the host
    echo "setup.sh: error: missing packages: ${missing[*]}" >&2
    exit 1
  fi
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi

# 2) The unprivileged user that compiles and runs submissions. useradd is in every base
#    image (the passwd package); adduser is not in ubuntu:24.04.
id -u student > /dev/null 2>&1 || useradd --create-home --user-group --shell /bin/bash student

# 3) The trusted build: root's alone, like the bundle itself.
chmod 700 "$AG/source"
install -d -m 700 "$TRUSTED"
cmake -S "$SRC" -B "$TRUSTED/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      "-DTESSEL_SOLUTIONS=$SOLUTIONS"
# A judged lab's judge; an in-process lab's tests, built with the skeleton, only to list
# the tests (a learner's binary could leave some out of its own list).
cmake --build "$TRUSTED/build" --target tessel-grade "${JUDGE:-${LAB}_tests}"

# 4) The student build: no solutions (a judged lab needs none; other labs keep the ones of
#    the labs they use, never their own), no hidden tests for a judged lab, no CI.
rm -rf "$STUDENT"
install -d -o student -g student "$STUDENT"
cp -a "$SRC" "$STUDENT/tessel"
rm -rf "$STUDENT/tessel/.ci" "$STUDENT/tessel/solutions/$LAB_DIR"
if [ -n "$JUDGE" ]; then
  rm -rf "$STUDENT/tessel/solutions" "$STUDENT"/tessel/lab*/tests/hidden
  STUDENT_SOLUTIONS=none
else
  STUDENT_SOLUTIONS=$SOLUTIONS
fi
chown -R student:student "$STUDENT"
runuser -u student -- cmake -S "$STUDENT/tessel" -B "$STUDENT/build" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DTESSEL_SOLUTIONS=$STUDENT_SOLUTIONS" \
      -DCMAKE_CXX_FLAGS=-fmax-errors=20
runuser -u student -- cmake --build "$STUDENT/build" --target "$TARGET"
# Each run starts from this state again: nothing a submission leaves in its build (a changed
# build.ninja, a symlink) can reach the next one, even where a container serves several.
rm -rf "$STUDENT.pristine"
cp -a "$STUDENT" "$STUDENT.pristine"
chown root:root "$STUDENT.pristine" && chmod 700 "$STUDENT.pristine"  # root's alone
echo "setup.sh: ready ($LAB, $([ -n "$JUDGE" ] && echo judged || echo in-process tests))"
)SH";

constexpr char kRunBody[] = R"SH(
AG=${AUTOGRADER_ROOT:-/autograder}
DEADLINE=${TESSEL_DEADLINE:-480}  # seconds for the whole run: inside Gradescope's default 600
BUILD_LIMIT=${TESSEL_BUILD_TIMEOUT:-240}  # seconds for compiling the submission
TEST_TIMEOUT=${TESSEL_TEST_TIMEOUT:-30}  # seconds per test (a judged lab's runner: TESSEL_RUNNER_TIMEOUT)
SRC="$AG/source/tessel"
SUBMISSION="$AG/submission"
TRUSTED="$AG/trusted"
STUDENT="$AG/student"
RESULTS="$AG/results/results.json"
LOG="$TRUSTED/build.log"
NOTES="$TRUSTED/notes.txt"
START=$SECONDS

# A results.json from the shell alone: first a provisional one, so that a run cut short still
# reports; again at the end if the grader wrote none. Only printable ASCII reaches the JSON.
write_fallback() {
  local message=$1 tail
  tail=$(tail -n 40 "$LOG" 2> /dev/null | LC_ALL=C tr -cd '\11\12\40-\176' |
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/ /g' | awk '{printf "%s\\n", $0}')
  cat > "$RESULTS" << JSON
{"score": 0, "output_format": "text", "stdout_visibility": "hidden",
 "output": "$message",
 "tests": [{"name": "Build", "status": "failed", "visibility": "visible", "output": "$tail"}]}
JSON
}
note() { echo "$*" | tee -a "$NOTES"; }
# A submitted file's name as the results show it: printable, no Markdown or control characters.
shown() { printf '%s' "$1" | LC_ALL=C tr -c 'A-Za-z0-9._/ +-' '_' | head -c 200; }
stop_student_processes() { runuser -u student -- kill -KILL -1 > /dev/null 2>&1 || true; }

install -d -m 755 "$AG/results"
rm -f "$RESULTS"
stop_student_processes
rm -rf "$STUDENT" && cp -a "$STUDENT.pristine" "$STUDENT"
chown student:student "$STUDENT" && chmod 755 "$STUDENT"
: > "$LOG"
: > "$NOTES"
write_fallback "The grader did not finish in time: no test result is available. Ask your instructor."

# 1) The learner's files, found anywhere in the submission (a zip may hold them in a folder).
#    Each lab file starts from its skeleton, so a file not submitted grades as the skeleton.
declare -A taken=()
GRADED="$TRUSTED/graded"   # root's copy of the files graded: what the Build entry's hash names
rm -rf "$GRADED"
for f in "${FILES[@]}"; do
  install -o student -g student -m 644 "$SRC/$LAB_DIR/$f" "$STUDENT/tessel/$LAB_DIR/$f"
  install -D -m 600 "$SRC/$LAB_DIR/$f" "$GRADED/$LAB_DIR/$f"
  mapfile -d '' found < <(find "$SUBMISSION" -type f -name "$f" -not -path '*/__MACOSX/*' -print0 2> /dev/null | sort -z)
  if ((${#found[@]} == 0)); then
    note "Not submitted: $f (the skeleton's $f was graded instead)."
    continue
  fi
  pick=${found[0]}
  for candidate in "${found[@]}"; do  # the lab folder wins over other folders, the top over both
    [ "${candidate#"$SUBMISSION"/}" = "$LAB_DIR/$f" ] && pick=$candidate
  done
  for candidate in "${found[@]}"; do
    [ "${candidate#"$SUBMISSION"/}" = "$f" ] && pick=$candidate
  done
  if ((${#found[@]} > 1)); then
    note "Several files named $f: graded $(shown "${pick#"$SUBMISSION"/}"), ignored the other $((${#found[@]} - 1))."
  fi
  if (($(stat -c %s "$pick") > 1048576)); then
    note "Not graded: $(shown "${pick#"$SUBMISSION"/}") is larger than 1 MiB (the skeleton's $f was graded instead)."
    continue
  fi
  install -o student -g student -m 644 "$pick" "$STUDENT/tessel/$LAB_DIR/$f"
  install -m 600 "$pick" "$GRADED/$LAB_DIR/$f"
  taken[$pick]=1
  echo "graded: your $(shown "${pick#"$SUBMISSION"/}")"
done
extra=()
while IFS= read -r -d '' file; do
  [ -n "${taken[$file]:-}" ] || extra+=("$(shown "${file#"$SUBMISSION"/}")")
done < <(find "$SUBMISSION" \( -type f -o -type l \) -not -path '*/__MACOSX/*' -print0 2> /dev/null | sort -z)
if ((${#extra[@]})); then
  list=$(printf '%s, ' "${extra[@]:0:8}")
  note "Ignored ${#extra[@]} other submitted files (only ${FILES[*]} are graded): ${list%, }$( ((${#extra[@]} > 8)) && echo ", ...")."
fi

# 2) Build the submission as the student user, with limits on time, memory and file size.
rm -f "$STUDENT/build/bin/$TARGET"
runuser -u student -- bash -c "ulimit -v 8388608 -f 1048576; exec timeout -k 5 $BUILD_LIMIT \
  cmake --build '$STUDENT/build' --target '$TARGET'" 2>&1 | head -c 4194304 >> "$LOG"
build_status=${PIPESTATUS[0]}
stop_student_processes
if [ $build_status -eq 124 ] || [ $build_status -eq 137 ]; then
  note "The build ran past ${BUILD_LIMIT} s and was stopped."
fi
if grep -E "error:" "$LOG" | grep -qE "solutions/|/autograder/(source|trusted)|tests/hidden"; then
  note "Your code tried to use a file the grader keeps from submissions (the solutions, the hidden tests or the grader's files); only your own files are compiled."
fi
chmod 600 "$LOG"

# 3) Grade with the trusted grader, as root, in the time that is left. What it runs is a
#    root-owned copy of what the student built: running code cannot swap the file.
RUN="$AG/run"
rm -rf "$RUN" && install -d -m 755 "$RUN"
built="$STUDENT/build/bin/$TARGET"
if [ -f "$built" ] && [ ! -L "$built" ]; then install -m 755 "$built" "$RUN/$TARGET"; fi
left=$((DEADLINE - (SECONDS - START) - 15))
((left < 30)) && left=30
GRADE=("$TRUSTED/build/bin/tessel-grade" grade "$LAB" --gradescope "$TRUSTED/results.json"
       --build-log "$LOG" --notes "$NOTES" --deadline "$left" --timeout "$TEST_TIMEOUT"
       --graded-sources "$GRADED")
rm -f "$TRUSTED/results.json"
if [ -n "$JUDGE" ]; then
  TESSEL_RUNNER="$RUN/$TARGET" TESSEL_RUNNER_USER=student \
    timeout -k 5 $((left + 10)) "${GRADE[@]}" --test-binary "$TRUSTED/build/bin/$JUDGE" \
    --built "$RUN/$TARGET"
else
  TESSEL_GRADE_AS_USER=student \
    timeout -k 5 $((left + 10)) "${GRADE[@]}" --test-binary "$RUN/$TARGET" \
    --list-tests-from "$TRUSTED/build/bin/${LAB}_tests"
fi
stop_student_processes
if [ -s "$TRUSTED/results.json" ]; then
  cp "$TRUSTED/results.json" "$RESULTS"
else
  write_fallback "The grader could not run, so no test ran: see the Build entry."
fi
)SH";

// The variables both scripts start with.
std::string Variables(const Manifest& manifest, const LabEntry& lab, const std::string& solutions) {
  std::ostringstream out;
  out << "LAB=" << manifest.lab << "\n"
      << "LAB_DIR=" << lab.dir << "\n"
      << "FILES=(";
  for (size_t i = 0; i < manifest.files.size(); ++i) out << (i ? " " : "") << manifest.files[i];
  out << ")   # the only files taken from a submission\n"
      << "SOLUTIONS='" << solutions << "'   # the other labs the tests use, from their solutions\n"
      << "JUDGE=" << lab.judge << "   # the judge built from pristine sources (empty: none)\n"
      << "TARGET=" << (lab.judge.empty() ? lab.tests : lab.runner)
      << "   # what a submission builds: the judge's runner, or the test binary\n"
      << "PACKAGES='" << kBuildPackages << "'\n";
  return out.str();
}

}  // namespace

std::string GradescopeSetupScript(const Manifest& manifest, const LabEntry& lab,
                                  const std::string& solutions) {
  return "#!/usr/bin/env bash\n"
         "# Gradescope runs this once, as root, when it builds the autograder image\n"
         "# (base image Ubuntu 24.04: Tessel needs CMake >= 3.25). Any failure stops it,\n"
         "# so a broken image fails here, loudly, and never grades. Generated by\n"
         "# `tessel instructor gradescope " +
         manifest.lab + "`; see docs/instructor-guide.md.\nset -euo pipefail\n" +
         Variables(manifest, lab, solutions) + kSetupBody;
}

std::string RunAutograderScript(const Manifest& manifest, const LabEntry& lab,
                                const std::string& solutions) {
  return "#!/usr/bin/env bash\n"
         "# Gradescope runs this for every submission, as root. Generated by\n"
         "# `tessel instructor gradescope " +
         manifest.lab + "`; see docs/instructor-guide.md.\nset -uo pipefail\n" +
         Variables(manifest, lab, solutions) + kRunBody;
}

std::string GradescopeReadme(const Manifest& m, const LabEntry& lab) {
  std::ostringstream out;
  out << "# Gradescope autograder for " << m.lab << " (" << m.title << ")\n\n"
      << "Generated by `tessel instructor gradescope " << m.lab << "`.\n\n"
      << "- `setup.sh`: installs the missing build packages, adds the unprivileged `student` "
         "user, builds the\n  trusted grader"
      << (lab.judge.empty() ? "" : " and judge") << " (root only) and the student build "
         "(the course without solutions or hidden tests).\n"
      << "- `run_autograder`: finds the learner files (";
  for (size_t i = 0; i < m.files.size(); ++i) out << (i ? ", " : "") << "`" << m.files[i] << "`";
  out << ") anywhere in the\n  submission, builds them as `student`, and grades with the "
         "trusted `tessel-grade`"
      << (lab.judge.empty() ? " (tests run as `student`)" : " and judge (learner code runs as "
                                                            "`student`)")
      << ".\n  The run has a deadline (TESSEL_DEADLINE, 480 s) and always leaves a "
         "results.json.\n"
      << "- `tessel/`: this course, with its solutions and hidden tests.\n\n"
      << "Zip the contents of this folder (setup.sh must be at the zip's root):\n\n"
      << "    cd <this folder> && zip -qr ../" << m.lab << "-autograder.zip "
      << "setup.sh run_autograder tessel\n\n"
      << "Upload the zip as a Gradescope programming assignment with the Ubuntu 24.04 base "
         "image,\nworth "
      << FormatPoints(m.total)
      << " points, then test it with a passing and a failing submission\n"
         "(docs/instructor-guide.md, \"Testing the autograder\").\n";
  return out.str();
}

}  // namespace tessel::course
