#!/usr/bin/env python3
"""BENCHMARKS.md's train-step table from the JSON lines benchmarks/train-step.sh collects.

One row per (threads, depth, width, batch): median milliseconds of koopman4j's fused step, of the
step's GEMMs alone through ND4J, of the SameDiff graph and of PyTorch, and the ratios fused/PyTorch
and fused/GEMMs."""
import json
import sys


def main(path):
    rows = {}
    for line in open(path):
        r = json.loads(line)
        p = r["params"]
        key = (p["threads"], p["depth"], p["width"], p["batch"])
        engine = p.get("engine") or "pytorch"
        rows.setdefault(key, {})[engine] = r["median_ms"]
    print("| threads | depth | width | batch | fused ms | GEMMs alone ms | SameDiff ms | PyTorch ms | fused / PyTorch | fused / GEMMs |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for key in sorted(rows):
        e = rows[key]
        fused, gemm, sd, torch = (e.get(k, float("nan")) for k in ("fused", "gemm", "samediff", "pytorch"))
        print(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | {fused:.2f} | {gemm:.2f} | {sd:.2f} | {torch:.2f} "
              f"| {fused / torch:.2f} | {fused / gemm:.2f} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: train_step_table.py FILE.jsonl")
    main(sys.argv[1])
