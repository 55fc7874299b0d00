#!/usr/bin/env bash
# The attack suite (docs/instructor-guide.md §4.4): builds a lab's real Gradescope bundle and
# runs it, the way Gradescope does (setup.sh once, then run_autograder per submission in
# /autograder), on honest, broken and hostile submissions, each with the score and message it
# must get. It runs in a sandbox: private mount and network namespaces, in which /autograder,
# /etc (for the `student` user) and /home are scratch copies and nothing reaches the network;
# setup.sh is told not to install packages (it stops if one is missing), so the machine is left
# as it was.
#
#   tools/grading_attacks.sh BUILD_DIR [LAB...]    default lab01; "all" for every lab
#
# Needs root, or passwordless sudo, and unshare(1); without them it says SKIPPED and exits 0.
# TESSEL_ATTACKS="honest forge" runs only those cases. TESSEL_SUBMISSIONS (folders, one per line) runs
# those submissions instead (tools/gradescope_local.sh: a TA's rerun of real submissions).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# ------------------------------------------------------------------ the cases

# Each case: NAME | what the submission is | the score it must get | text results.json must have
# | text it must not have. "total" is the lab's full marks; "low" is more than 0 and less than
# the total; "zero" is 0.
cases=(
  "skeleton|the untouched skeleton|zero|NOT STARTED|"
  "honest|the reference solution|total||Not submitted"
  "broken|the solution with a syntax error|zero|error:|"
  "nested|the solution inside two folders of a zip|total||Not submitted"
  "extra|the solution, a second copy, forged tests, CMakeLists.txt and lab.json|total|Ignored|"
  "include|files that #include the reference solution|zero|a file the grader keeps|"
  "hang|the solution with a loop that never ends on every input|zero|timed out already|"
  "utf8-crash|the solution, crashing on a few inputs after invalid UTF-8|low||could not run"
  "forge|the skeleton printing a passing verdict and exiting|zero|@forge|"
  "results|the skeleton writing a perfect results.json itself|zero||"
  "signal|the solution killing its parent and init|total||"
  "read|the skeleton reading the judge, the bundle and the build log|zero||LEAKED"
  "spam|the solution printing 32 MiB on the side|total||"
  "memory|the skeleton allocating all the memory there is|zero||could not run"
  "disk|the skeleton filling the disk|zero||could not run"
)

# The submission for case $1 of lab $2 (folder $3, files $4...) in folder $SUB.
make_submission() {
  local name=$1 lab=$2 dir=$3 f first
  shift 3
  local files=("$@")
  first=${files[0]}
  rm -rf "$SUB" && mkdir -p "$SUB"
  case $name in
    given:*) cp -a "${name#given:}/." "$SUB/" ;;
    skeleton) for f in "${files[@]}"; do cp "$SRC/$dir/$f" "$SUB/"; done ;;
    honest | signal | spam | hang | utf8-crash)
      for f in "${files[@]}"; do cp "$SRC/solutions/$dir/$f" "$SUB/"; done ;;
    broken)
      for f in "${files[@]}"; do cp "$SRC/solutions/$dir/$f" "$SUB/"; done
      printf '\nint this_does_not_compile = ;\n' >> "$SUB/$first" ;;
    nested)
      mkdir -p "$SUB/my work/$dir"
      for f in "${files[@]}"; do cp "$SRC/solutions/$dir/$f" "$SUB/my work/$dir/"; done ;;
    extra)
      mkdir -p "$SUB/$dir/tests" "$SUB/old"
      for f in "${files[@]}"; do
        cp "$SRC/solutions/$dir/$f" "$SUB/$dir/"
        cp "$SRC/$dir/$f" "$SUB/old/"  # a stale copy elsewhere: the lab folder's wins
      done
      printf 'TEST(Forged, Passes) {}\n' > "$SUB/$dir/tests/forged_test.cpp"
      printf 'add_executable(x x.cpp)\n' > "$SUB/CMakeLists.txt"
      printf '{"lab": "%s", "tasks": []}\n' "$lab" > "$SUB/$dir/lab.json" ;;
    include)
      for f in "${files[@]}"; do
        printf '#include "../solutions/%s/%s"\n#include "/autograder/source/tessel/solutions/%s/%s"\n' \
          "$dir" "$f" "$dir" "$f" > "$SUB/$f"
      done ;;
    *)
      for f in "${files[@]}"; do cp "$SRC/$dir/$f" "$SUB/"; done ;;
  esac
  case $name in
    hang | utf8-crash | forge | results | signal | read | spam | memory | disk)
      { printf '#define TESSEL_ATTACK "%s"\n' "$name"; cat "$SRC/attack.inc"; } \
        >> "$SUB/$first" ;;
  esac
}

# The top-level score of results.json (indented by at most 2, or on the shell fallback's line).
score_of() {
  sed -nE 's/^(\{| {0,2})"score": ([0-9.]+).*/\2/p' "$1" | head -n 1
}

# Runs every case of lab $1 inside the sandbox; prints one line per case; status 1 if any failed.
run_cases() {
  local lab=$1 dir total status=0 line name what want has hasnt
  dir=$(sed -nE 's/.*"handout": "([^/]*)\/.*/\1/p' "$SRC/lab$(echo "$lab" | tr -dc 0-9)"*/lab.json | head -n 1)
  total=$(sed -nE 's/^  "total": ([0-9.]+).*/\1/p' "$SRC/$dir/lab.json")
  mapfile -t files < <(sed -n '/"files": \[/,/\]/p' "$SRC/$dir/lab.json" | sed -nE 's/^ *"([^"]+)",?$/\1/p')
  judged=$(grep -q "^JUDGE=${lab}_judge" /autograder/source/run_autograder && echo yes || echo no)
  for line in "${cases[@]}"; do
    IFS='|' read -r name what want has hasnt <<< "$line"
    if [ -n "${TESSEL_ATTACKS:-}" ] && [[ " $TESSEL_ATTACKS " != *" $name "* ]]; then continue; fi
    make_submission "$name" "$lab" "$dir" "${files[@]}"
    [[ $name == given:* ]] && name=given-$(basename "${name#given:}")
    rm -f /autograder/results/results.json
    local start=$SECONDS env=()
    if [ "$name" = hang ]; then env=(TESSEL_RUNNER_TIMEOUT=3 TESSEL_TEST_TIMEOUT=5); fi
    env "${env[@]}" /autograder/run_autograder > "$WORK/$lab-$name.log" 2>&1
    local seconds=$((SECONDS - start)) results=/autograder/results/results.json score problems=()
    cp "$results" "$WORK/$lab-$name.json" 2> /dev/null || true
    score=$(score_of "$results" 2> /dev/null || true)
    [ -n "$score" ] || problems+=("no results.json with a score")
    if ! iconv -f UTF-8 -t UTF-8 "$results" > /dev/null 2>&1; then problems+=("results.json is not UTF-8"); fi
    case $want in
      zero) awk -v s="$score" 'BEGIN { exit !(s + 0 == 0) }' || problems+=("score $score, not 0") ;;
      total) awk -v s="$score" -v t="$total" 'BEGIN { exit !(s + 0 == t + 0) }' || problems+=("score $score, not $total") ;;
      low) awk -v s="$score" -v t="$total" 'BEGIN { exit !(s > 0 && s < t) }' || problems+=("score $score, not between 0 and $total") ;;
    esac
    if [ "$has" = "@forge" ]; then  # the judge finds no result; an in-process lab is probed
      if [ "$judged" = yes ]; then has="before it returned a result"; else has="printed test verdicts itself"; fi
    fi
    if [ -n "$has" ] && ! grep -qF -- "$has" "$results" 2> /dev/null; then problems+=("no \"$has\" in results.json"); fi
    if [ -n "$hasnt" ] && grep -qF -- "$hasnt" "$results" 2> /dev/null; then problems+=("\"$hasnt\" in results.json"); fi
    if ((seconds > ${TESSEL_DEADLINE:-480} + 30)); then problems+=("took ${seconds} s, past the deadline"); fi
    if [[ $name == given-* ]]; then
      printf '  %-24s score %-7s %4ss  results: %s\n' "$name" "$score" "$seconds" "$WORK/$lab-$name.json"
      continue
    fi
    if ((${#problems[@]})); then
      printf '  FAIL %-11s %-5s %4ss  %s: %s\n' "$name" "$score" "$seconds" "$what" "$(IFS=';'; echo "${problems[*]}")"
      status=1
    else
      printf '  ok   %-11s %-5s %4ss  %s\n' "$name" "$score" "$seconds" "$what"
    fi
  done
  return $status
}

# ------------------------------------------------------------------ inside the sandbox

if [ "${1:-}" = --inside ]; then
  WORK=$2 lab=$3
  SUB=/autograder/submission
  # What the cases need from the repository, copied before the repository is hidden: code run
  # in the sandbox must not see the instructor's solutions, hidden tests or builds.
  SRC=$WORK/src
  mkdir -p "$SRC/solutions"
  cp -a "$root"/lab[0-9][0-9]_* "$SRC/"
  cp -a "$root"/solutions/lab[0-9][0-9]_* "$SRC/solutions/"
  cp "$root/tools/grading_attacks/attack.inc" "$SRC/"
  if [ -n "${TESSEL_SUBMISSIONS:-}" ]; then  # a TA's folders: copied before /home is replaced
    n=0
    cases=()
    while IFS= read -r given; do
      [ -n "$given" ] || continue
      n=$((n + 1))
      mkdir -p "$WORK/given/$n-$(basename "$given")"
      cp -a "$given/." "$WORK/given/$n-$(basename "$given")/"
      cases+=("given:$WORK/given/$n-$(basename "$given")|$given|any||")
    done <<< "$TESSEL_SUBMISSIONS"
  fi
  mount -t tmpfs -o mode=700 tmpfs "$root"
  cp -a /etc "$WORK/etc" && mount --bind "$WORK/etc" /etc
  mkdir -p "$WORK/home" && mount --bind "$WORK/home" /home
  # The student user gets a uid no one on this machine has: run_autograder ends by killing
  # every process of that uid, which must never reach the host's own users.
  uid=$((47000 + RANDOM % 2000))
  while getent passwd "$uid" > /dev/null || getent group "$uid" > /dev/null; do uid=$((uid + 1)); done
  groupadd --gid "$uid" student && useradd --uid "$uid" --gid "$uid" --create-home student
  mkdir -p "$WORK/autograder/source" && mount --bind "$WORK/autograder" /autograder
  cp -a "$WORK/bundle/." /autograder/source/
  echo "-- setup.sh (log: $WORK/$lab-setup.log)"
  start=$SECONDS
  if ! TESSEL_SETUP_NO_INSTALL=1 bash /autograder/source/setup.sh > "$WORK/$lab-setup.log" 2>&1; then
    tail -n 30 "$WORK/$lab-setup.log"
    echo "  FAIL setup.sh failed"
    exit 1
  fi
  echo "   setup.sh took $((SECONDS - start)) s"
  cp /autograder/source/run_autograder /autograder/run_autograder
  run_cases "$lab"
  status=$?
  # Keep the logs and results.json files (a few MB), not the builds (hundreds).
  rm -rf /autograder/* "$WORK/src" "$WORK/given" "$WORK/bundle"
  exit $status
fi

# ------------------------------------------------------------------ outside: one sandbox per lab

build=$(realpath "${1:?usage: tools/grading_attacks.sh BUILD_DIR [LAB...]}")
shift
labs=("${@:-lab01}")
if [ "${labs[0]}" = all ]; then
  mapfile -t labs < <(sed -nE 's/.*"lab": "(lab[0-9]+)".*/\1/p' "$root"/lab*/lab.json)
fi
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2> /dev/null; then exec sudo -n -E bash "$0" "$build" "${labs[@]}"; fi
  echo "grading attacks: SKIPPED: needs root or passwordless sudo (the sandbox adds a user)"
  exit 0
fi
if ! unshare --mount --net --propagation private true 2> /dev/null; then
  echo "grading attacks: SKIPPED: no private namespaces here (unshare --mount --net failed)"
  exit 0
fi
# The mount point, left in place afterwards: removing it would unmount /autograder in the
# sandbox of any other run of this script still going (Linux detaches such mounts).
mkdir -p /autograder
status=0
for lab in "${labs[@]}"; do
  WORK=$(mktemp -d /tmp/tessel-attacks-"$lab".XXXXXX)
  echo "== $lab: the Gradescope bundle against ${#cases[@]} submissions (logs: $WORK)"
  "$build/bin/tessel" instructor gradescope "$lab" --out "$WORK/bundle" 2> /dev/null
  if unshare --mount --net --propagation private bash "$0" --inside "$WORK" "$lab"; then
    [ -n "${TESSEL_SUBMISSIONS:-}" ] || rm -rf "$WORK"  # all passed: nothing to look at
  else
    status=1
  fi
done
exit $status
