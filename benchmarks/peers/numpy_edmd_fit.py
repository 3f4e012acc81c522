#!/usr/bin/python3
"""NumPy/SciPy peer of koopman4j's `bench edmd-fit`: one least-squares E-DMD fit (seed 000, eq. 4-6) with a
total-degree Legendre dictionary, timed from states to K:

  psi = [1, x, prod_i P_{a_i}(z_i) for 2 <= |a| <= p],  z = (x - centre)/half-range  (C(n+p, p) functions)
  G = Psi_p^T Psi_p, C = Psi_f^T Psi_p over all one-step pairs, K^T = (G)^{-1} C^T by Cholesky after Jacobi scaling

on the same data as koopman4j: 100 trajectories of 501 samples of x+ = 0.97 Q x + 0.05 xi, n = 7 (numbers
differ, sizes and work are the same). Prints one JSON line per degree.
Needs Debian's python3-scipy. Usage: numpy_edmd_fit.py [--degree 3 4 5] [--repeats 5] [--threads 1]
"""
import argparse, itertools, json, os, time

ap = argparse.ArgumentParser()
ap.add_argument("--degree", type=int, nargs="+", default=[3, 4, 5])
ap.add_argument("--repeats", type=int, default=5)
ap.add_argument("--threads", type=int, default=1)
a = ap.parse_args()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(a.threads)
import numpy as np  # noqa: E402  (after the thread settings)
import scipy.linalg  # noqa: E402


def data(n=7, trajectories=100, samples=501, seed=0):
    rng = np.random.default_rng(seed)
    q = 0.9 * np.eye(n) + 0.1 * rng.standard_normal((n, n)) / np.sqrt(n)
    x = np.empty((trajectories, samples, n))
    x[:, 0] = rng.uniform(-1, 1, (trajectories, n))
    for k in range(1, samples):
        x[:, k] = 0.97 * x[:, k - 1] @ q.T + 0.05 * rng.standard_normal((trajectories, n))
    return x


def legendre_table(z, p):
    """P_0 ... P_p at every entry of z: shape (p+1,) + z.shape, by the three-term recurrence."""
    t = [np.ones_like(z), z]
    for k in range(1, p):
        t.append(((2 * k + 1) * z * t[k] - k * t[k - 1]) / (k + 1))
    return np.stack(t[: p + 1])


def fit(x, p):
    n = x.shape[-1]
    lo, hi = x.reshape(-1, n).min(0), x.reshape(-1, n).max(0)
    centre, half = (hi + lo) / 2, (hi - lo) / 2
    terms = [c for d in range(2, p + 1) for c in itertools.combinations_with_replacement(range(n), d)]

    def lift(s):
        table = legendre_table((s - centre) / half, p)
        cols = [np.ones(len(s)), *s.T]
        for vars_ in terms:
            col = np.ones(len(s))
            for v in set(vars_):
                col = col * table[vars_.count(v), :, v]
            cols.append(col)
        return np.stack(cols, 1)

    past = lift(x[:, :-1].reshape(-1, n))
    future = lift(x[:, 1:].reshape(-1, n))
    g = past.T @ past
    c = future.T @ past
    d = np.sqrt(np.diag(g))
    kt = scipy.linalg.cho_solve(scipy.linalg.cho_factor(g / np.outer(d, d)), c.T / d[:, None]) / d[:, None]
    return kt.T


x = data()
for p in a.degree:
    k = fit(x, p)
    times = []
    for _ in range(a.repeats):
        t = time.perf_counter(); fit(x, p); times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    q = lambda f: times[min(len(times) - 1, int(f * len(times)))]
    print(json.dumps({"name": "edmd-fit", "peer": "numpy-" + np.__version__,
                      "params": {"dictionary": "legendre", "degree": p, "functions": k.shape[0], "pairs": 100 * 500,
                                 "threads": a.threads},
                      "median_ms": round(q(0.5), 3), "p10_ms": round(q(0.1), 3), "p90_ms": round(q(0.9), 3)}), flush=True)
