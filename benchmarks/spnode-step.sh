#!/usr/bin/env bash
# SP-NODE training step, side by side in one sitting: koopman4j's fused float64 step, its SameDiff graph,
# and the PyTorch twin (benchmarks/peers/torch_spnode_step.py, needs Debian's python3-torch), for the
# transient-growth and Kuramoto–Sivashinsky-sized problems. Prints BENCHMARKS.md's table; raw JSON lines go
# to $OUT (default spnode-step.jsonl).
# Usage: benchmarks/spnode-step.sh [threads …]     (default: 1 2)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${OUT:-spnode-step.jsonl}"
: > "$out"
for threads in "${@:-1 2}"; do
  OMP_NUM_THREADS=$threads "$root/bin/koopman4j" bench spnode-step --json --engine fused --repeats 30 | grep '^{' >> "$out"
  OMP_NUM_THREADS=$threads /usr/bin/python3 "$root/benchmarks/peers/torch_spnode_step.py" --threads "$threads" --steps 30 >> "$out"
  OMP_NUM_THREADS=$threads "$root/bin/koopman4j" bench spnode-step --json --engine samediff --repeats 5 | grep '^{' >> "$out"
done
/usr/bin/python3 - "$out" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    p = r["params"]
    rows.setdefault((p["threads"], p["problem"]), {})[p.get("engine") or "pytorch"] = r["median_ms"]
print("| threads | problem | fused ms | SameDiff ms | PyTorch ms | fused / PyTorch | SameDiff / fused |")
print("|---|---|---|---|---|---|---|")
for (threads, problem), e in sorted(rows.items()):
    f, s, t = (e.get(k, float("nan")) for k in ("fused", "samediff", "pytorch"))
    print(f"| {threads} | {problem} | {f:.2f} | {s:.2f} | {t:.2f} | {f / t:.2f} | {s / f:.1f} |")
PY
