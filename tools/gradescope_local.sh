#!/usr/bin/env bash
# Runs real submissions through a lab's Gradescope bundle on this machine, exactly as Gradescope
# does (setup.sh once, then run_autograder per submission in /autograder), in the sandbox of the
# attack suite (tools/grading_attacks.sh): private mount and network namespaces, so /autograder,
# /etc and /home stay as they were and the submissions reach no network. Prints each
# submission's score and where its results.json is.
#
#   sudo tools/gradescope_local.sh BUILD_DIR LAB SUBMISSION_DIR...
#
# A SUBMISSION_DIR is what Gradescope would unpack into /autograder/submission (a student's
# download from "Download submission", unzipped). Needs root and unshare(1).
set -euo pipefail
[[ $# -ge 3 ]] || { echo "usage: tools/gradescope_local.sh BUILD_DIR LAB SUBMISSION_DIR..." >&2; exit 2; }
build=$1 lab=$2
shift 2
dirs=()
for d in "$@"; do dirs+=("$(realpath "$d")"); done
export TESSEL_SUBMISSIONS
TESSEL_SUBMISSIONS=$(printf "%s\n" "${dirs[@]}")
exec bash "$(dirname "${BASH_SOURCE[0]}")/grading_attacks.sh" "$build" "$lab"
