#!/usr/bin/env bash
# Runs notebooks of this folder headless with nbconvert and the Java kernel; exits non-zero if any cell
# fails. Usage: examples/notebooks/run-headless.sh [notebook.ipynb ...]   (default: every *.ipynb here)
# The executed copies (with outputs) go to examples/notebooks/out/<name>.executed.ipynb.
# Variables: KERNEL_NAME (default rapaio-jupyter-kernel), CELL_TIMEOUT seconds per cell (default 600),
# KERNEL_STARTUP_TIMEOUT seconds for the kernel to answer (default 60), KERNEL_START_TRIES (default 3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
kernel="${KERNEL_NAME:-rapaio-jupyter-kernel}"
outdir="$here/out"
py=/usr/bin/python3; [ -x "$py" ] || py=python3

command -v jupyter >/dev/null 2>&1 || { echo "run-headless: jupyter not found; run $here/install-kernel.sh" >&2; exit 2; }
jupyter kernelspec list 2>/dev/null | awk '{print $1}' | grep -qx "$kernel" \
  || { echo "run-headless: no Jupyter kernel '$kernel'; run $here/install-kernel.sh" >&2; exit 2; }
# the notebooks %jars the shaded jar; bin/koopman4j builds it when it is missing
if [ ! -f "$root/modules/koopman4j-cli/target/koopman4j.jar" ]; then
  "$root/bin/koopman4j" --help >/dev/null
fi

if [ "$#" -eq 0 ]; then set -- "$here"/*.ipynb; fi
mkdir -p "$outdir"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
status=0
for nb in "$@"; do
  name="$(basename "$nb" .ipynb)"
  executed="$outdir/$name.executed.ipynb"
  rm -f "$executed"
  echo "run-headless: executing $nb with kernel $kernel" >&2
  start=$SECONDS
  # nbconvert stops at the first failing cell, prints it and exits non-zero. rapaio-jupyter-kernel 2.3.0
  # sometimes never answers its first request (a start-up race: NullPointerException in
  # Channels.getHandler on thread Shell-0, then "Kernel didn't respond in 60 seconds"); only that
  # start-up failure is retried, with a fresh kernel, never a failing cell.
  log="$outdir/$name.nbconvert.log"
  ok=0
  tries="${KERNEL_START_TRIES:-3}"
  for try in $(seq 1 "$tries"); do
    if jupyter nbconvert --to notebook --execute "$nb" \
          --ExecutePreprocessor.kernel_name="$kernel" \
          --ExecutePreprocessor.timeout="${CELL_TIMEOUT:-600}" \
          --ExecutePreprocessor.startup_timeout="${KERNEL_STARTUP_TIMEOUT:-60}" \
          --output-dir "$outdir" --output "$name.executed.ipynb" 2>&1 | tee "$log" >&2; then
      ok=1
      break
    fi
    grep -q "Kernel didn't respond" "$log" || break
    echo "run-headless: the kernel did not start (try $try of $tries)" >&2
  done
  if [ "$ok" != 1 ]; then
    echo "run-headless: FAILED $nb" >&2
    status=1
    continue
  fi
  # and, to be sure, no error output may be left in the executed copy
  if ! "$py" - "$executed" <<'PY'
import json, sys
nb = json.load(open(sys.argv[1], encoding="utf-8"))
bad = [(i, o.get("ename", ""), o.get("evalue", "")) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
       for o in c.get("outputs", []) if o.get("output_type") == "error"]
for i, name, value in bad:
    print(f"run-headless: cell {i}: {name}: {value}", file=sys.stderr)
sys.exit(1 if bad else 0)
PY
  then
    echo "run-headless: FAILED $nb (error outputs)" >&2
    status=1
    continue
  fi
  echo "run-headless: OK $nb in $((SECONDS - start)) s -> $executed" >&2
done
exit "$status"
