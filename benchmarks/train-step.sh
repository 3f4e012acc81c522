#!/usr/bin/env bash
# Deep DMD training step, side by side in one sitting: koopman4j's fused step, its SameDiff graph, the
# step's GEMMs alone through ND4J, and the PyTorch peer (benchmarks/peers/torch_train_step.py, needs
# Debian's python3-torch). Prints BENCHMARKS.md's table; raw JSON lines go to $OUT (default train-step.jsonl).
# Usage: benchmarks/train-step.sh [threads …]     (default: 1 2)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${OUT:-train-step.jsonl}"
: > "$out"
batches=256,4096 widths=20,64,256 depths=3,5
for threads in "${@:-1 2}"; do
  for engine in fused gemm samediff; do
    OMP_NUM_THREADS=$threads "$root/bin/koopman4j" bench train-step --json --engine $engine --repeats 100 \
        --batch $batches --width $widths --depth $depths | grep '^{' >> "$out"
  done
  OMP_NUM_THREADS=$threads /usr/bin/python3 "$root/benchmarks/peers/torch_train_step.py" --threads "$threads" \
      --batch ${batches//,/ } --width ${widths//,/ } --depth ${depths//,/ } --steps 100 --warmup 30 >> "$out"
done
/usr/bin/python3 "$root/benchmarks/train_step_table.py" "$out"
