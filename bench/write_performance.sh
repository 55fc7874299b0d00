#!/usr/bin/env bash
# Runs the C back end's benchmarks on this machine and writes their tables into
# docs/performance.md §2 (between the c-backend markers), with the machine, the compiler and
# the commands: bench/c_backend (SGEMM, conv, FMA peak) and bench/models_vs_pytorch.py (whole
# models against PyTorch eager). Takes a few minutes; run it on a quiet machine.
#
#   bash bench/write_performance.sh [build/reference]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/reference}
cmake --build "$build" --target c_backend tessel >/dev/null
kernels=$(mktemp) models=$(mktemp)
"$build/bin/c_backend" > "$kernels"
/usr/bin/python3 bench/models_vs_pytorch.py --tessel "$build/bin/tessel" > "$models"
/usr/bin/python3 - "$kernels" "$models" <<'PY'
import datetime, sys
kernels, models = (open(p).read().strip() for p in sys.argv[1:3])
section = f"""<!-- c-backend: begin (bench/write_performance.sh writes this part) -->
Measured {datetime.date.today()} with `bash bench/write_performance.sh`
(`build/reference/bin/c_backend`, then `/usr/bin/python3 bench/models_vs_pytorch.py`).

### 2.1 SGEMM and a ResNet convolution

{kernels}

### 2.2 Whole models against PyTorch eager

{models}
<!-- c-backend: end -->"""
path = "docs/performance.md"
text = open(path).read()
begin, end = text.index("<!-- c-backend: begin"), text.index("<!-- c-backend: end -->") + len("<!-- c-backend: end -->")
open(path, "w").write(text[:begin] + section + text[end:])
PY
rm -f "$kernels" "$models"
echo "wrote docs/performance.md §2"
