"""How well can a tuned kernel regressor forecast the glycolytic oscillator 100 steps ahead from one
sample, given N training trajectories? A yardstick for Deep DMD's rollout@100 (issue 2).

Kernel ridge regression (Gaussian kernel) maps the z-scored state x_s at sample s (default 0, the
first) straight to its whole future x_{s+1} … x_{s+H}; kernel width and ridge are chosen on a validation
split, the error is ARCHITECTURE.md's rollout_error_pct[H] on held-out test trajectories (original
units, all H steps), for growing numbers of training trajectories.

    bin/koopman4j simulate glycolysis --trajectories 3000 --steps 300 --dt 0.01 --seed 12 --out g.npy
    python3 examples/analysis/rollout_learnability.py g.npy [s]

Needs numpy only. Bad input: one line on stderr, exit code 2.
"""
import sys

import numpy as np


def gaussian_kernel(a, b, width):
    d2 = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T
    return np.exp(-np.maximum(d2, 0) / (2 * width ** 2))


def rollout_error_pct(predicted, truth):
    return 100 * np.linalg.norm(predicted - truth) / np.linalg.norm(truth)


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(2)


def main(path, start, horizon=100, test=500, validation=250):
    try:
        x = np.load(path).astype(np.float64)
    except (OSError, ValueError) as e:
        fail(f"{path}: not a readable NPY array ({e})")
    if x.ndim != 3 or x.shape[1] < start + horizon + 1 or x.shape[0] < test + validation + 150:
        fail(f"{path}: expected [≥ {test + validation + 150} trajectories, ≥ {start + horizon + 1} samples, states], "
             f"got {x.shape}")
    if not np.isfinite(x).all():
        fail(f"{path}: contains NaN or Inf")
    x = x[:, start:start + horizon + 1, :]
    future = x[:, 1:, :].reshape(len(x), -1)
    samples = x.reshape(-1, x.shape[2])
    z0 = (x[:, 0, :] - samples.mean(0)) / samples.std(0)
    test_rows = np.arange(len(x) - test, len(x))
    val_rows = np.arange(len(x) - test - validation, len(x) - test)
    available = len(x) - test - validation
    print(f"{'train':>6} {'width':>6} {'ridge':>7} {'val %':>7} {'test %':>7}")
    for n in [m for m in (150, 300, 600, 1200) if m < available] + [available]:
        train_rows = np.arange(n)
        best = None
        for width in (1.0, 1.5, 2.0, 3.0, 4.0):
            gram = gaussian_kernel(z0[train_rows], z0[train_rows], width)
            cross = gaussian_kernel(z0[val_rows], z0[train_rows], width)
            for ridge in (1e-3, 1e-2, 1e-1):
                alpha = np.linalg.solve(gram + ridge * np.eye(n), future[train_rows])
                val = rollout_error_pct(cross @ alpha, future[val_rows])
                if best is None or val < best[0]:
                    best = (val, width, ridge, alpha)
        val, width, ridge, alpha = best
        tst = rollout_error_pct(gaussian_kernel(z0[test_rows], z0[train_rows], width) @ alpha, future[test_rows])
        print(f"{n:6d} {width:6.1f} {ridge:7.0e} {val:7.2f} {tst:7.2f}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and not sys.argv[2].isdigit()):
        fail("usage: rollout_learnability.py TRAJECTORIES.npy [START_SAMPLE ≥ 0]")
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 0)
