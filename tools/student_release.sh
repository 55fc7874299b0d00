#!/usr/bin/env bash
# Writes the student release of this repository: every file git knows about
# (tracked, plus untracked files that are not ignored) except the reference
# solutions (solutions/), the hidden graded tests (labNN_*/tests/hidden/) and
# the course's own CI (.ci/, which checks the solutions).
# The copy builds with `cmake --preset student` (every lab from its skeleton).
#
#   tools/student_release.sh OUT
#
# OUT must be empty or a release written earlier by this script; in that case
# the release is updated in place: its files are replaced, and what is not the
# release's is kept: version control (.git/), the instructor's workflows
# (.github/) and build/, so rebuilds are quick and `git diff` shows what changed.
set -euo pipefail

usage() {
  echo "usage: tools/student_release.sh OUT" >&2
  echo "  writes a copy of the repository without solutions/ and labNN_*/tests/hidden/" >&2
  exit 2
}

[[ $# -eq 1 && $1 != -* ]] || usage
out=$1
root=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
stamp=.tessel-release

# The files of the release, NUL-separated; what is left out goes to $left_out.
list_files() {
  git -C "$root" ls-files -z --cached --others --exclude-standard | sort -zu |
    while IFS= read -r -d '' file; do
      [[ -f $root/$file ]] || continue  # deleted in the working tree
      if [[ $file == solutions/* || $file == .ci/* ||
        $file =~ ^lab[0-9][0-9]_[^/]*/tests/hidden/ ]]; then
        echo "$file" >>"$left_out"
      else
        printf '%s\0' "$file"
      fi
    done
}

# What an update in place never touches: version control, workflows, builds.
kept=(.git .github build)

# Empties OUT (keeping $kept) when it holds an earlier release; refuses anything else.
prepare_out() {
  if [[ -d $out && -n $(ls -A "$out") ]]; then
    if [[ ! -f $out/$stamp ]]; then
      echo "student_release: error: $out is not empty and is not an earlier release" \
        "(no $stamp); give an empty or new folder" >&2
      exit 1
    fi
    local -a keep=()
    for name in "${kept[@]}"; do keep+=(! -name "$name"); done
    find "$out" -mindepth 1 -maxdepth 1 "${keep[@]}" -exec rm -rf {} +
    for name in "${kept[@]}"; do
      if [[ -e $out/$name ]]; then echo "kept: $name/ (not part of the release)"; fi
    done
  fi
  mkdir -p "$out"
}

# Prints each left-out folder (solutions/, a lab's tests/hidden/) once, with its file count.
report_left_out() {
  if [[ ! -s $left_out ]]; then
    echo "left out: nothing (no solutions/ or tests/hidden/ found)"
    return
  fi
  sed -E 's#^(solutions|\.ci)/.*#\1/#; s#^(lab[0-9][0-9]_[^/]*/tests/hidden)/.*#\1/#' "$left_out" |
    uniq -c | while read -r count folder; do echo "left out: $folder ($count files)"; done
}

main() {
  local abs_out
  abs_out=$(realpath -m "$out")
  if [[ $abs_out/ == "$root"/* ]] && ! git -C "$root" check-ignore -q "$abs_out"; then
    echo "student_release: error: $out is inside the repository and not ignored by git;" \
      "write the release outside it or under build/" >&2
    exit 1
  fi
  left_out=$(mktemp)
  trap 'rm -f "$left_out"' EXIT
  prepare_out
  list_files | tar -C "$root" --null -T - -cf - | tar -C "$out" -xf -
  local commit
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "no commit")
  echo "student release of Tessel, written by tools/student_release.sh from $commit" >"$out/$stamp"
  echo "wrote $(find "$out" -path "$out/build" -prune -o -type f -print | wc -l) files to $out"
  report_left_out
  echo "next: cd $out && cmake --preset student && cmake --build --preset student --target lab01"
}

main
