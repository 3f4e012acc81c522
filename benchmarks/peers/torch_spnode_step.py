#!/usr/bin/python3
"""PyTorch CPU twin of koopman4j's structure-preserving NODE training step (`bench spnode-step`).

Model (seed 001, Alvarez Loya et al., arXiv:2503.01775): du/dt = A_L u + g(u) with
A_L = (-L_G L_G^T + L_U - L_U^T) L_S L_S^T + mu I (eq. 3-5, triangles as parameters), a Lipschitz g
(eq. 7-8: B_i = L^(1/p) W_i / max(1, sqrt(||W_i||_1 ||W_i||_inf))), an optional autoencoder, ETD1 (eq. 17)
as u+ = u E^T + g(u) P^T with [[E, P], [0, I]] = torch.matrix_exp(h [[A, I], [0, 0]]) -- the dense
propagator koopman4j's fused step uses -- and the time-integrated loss of eq. 20 (trapezoid weights).
float64, Adam (lr 1e-3), random windows. Problems (the same as koopman4j's):
  transient-growth: n = 2, g 2 -> 100 -> 2 (tanh, affine output), batch 720, 5 steps of 0.4
  ks: autoencoder 64 -> 200 -> 20 (ELU), g 20 -> 200 -> 200 -> 20 (tanh), batch 2000, 8 steps of 1.0
Prints one JSON line per problem: {"name": "spnode-step", "params": {...}, "median_ms": ..}.

Needs Debian's PyTorch: apt-get install -y python3-torch (then run with /usr/bin/python3).
Usage: torch_spnode_step.py [--problem transient-growth ks] [--threads 1] [--warmup 10] [--steps 30]
"""
import argparse, json, os, time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402

torch.set_default_dtype(torch.float64)

PROBLEMS = {
    "transient-growth": dict(m=2, n=2, ae=None, g=[100], bound=2.0, batch=720, steps=5, h=0.4),
    "ks": dict(m=64, n=20, ae=[200], g=[200, 200], bound=5.0, batch=2000, steps=8, h=1.0),
}


def triangle(v, n, strict):
    rows, cols = torch.tril_indices(n, n, offset=-1 if strict else 0)  # row by row, as koopman4j stores them
    t = torch.zeros(n, n)
    return t.index_put((rows, cols), v)


class SpNode(torch.nn.Module):
    def __init__(self, m, n, ae, g, bound):
        super().__init__()
        self.n, self.bound = n, bound
        self.lS = torch.nn.Parameter(torch.eye(n)[tuple(torch.tril_indices(n, n))] + 0.05 * torch.randn(n * (n + 1) // 2))
        self.lG = torch.nn.Parameter(torch.eye(n)[tuple(torch.tril_indices(n, n))] + 0.05 * torch.randn(n * (n + 1) // 2))
        self.lU = torch.nn.Parameter(0.05 * torch.randn(n * (n - 1) // 2))
        widths = [n] + g + [n]
        self.gw = torch.nn.ParameterList([torch.nn.Parameter(torch.randn(a, b) * (2 / (a + b)) ** 0.5) for a, b in zip(widths, widths[1:])])
        self.gb = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(b)) for b in widths[1:]])
        if ae:
            enc = [m] + ae + [n]
            dec = [n] + ae[::-1] + [m]
            self.enc = torch.nn.Sequential(*sum([[torch.nn.Linear(a, b), torch.nn.ELU()] for a, b in zip(enc, enc[1:])], [])[:-1])
            self.dec = torch.nn.Sequential(*sum([[torch.nn.Linear(a, b), torch.nn.ELU()] for a, b in zip(dec, dec[1:])], [])[:-1])
        else:
            self.enc = self.dec = torch.nn.Identity()

    def a(self):
        n = self.n
        ls, lg, lu = triangle(self.lS, n, False), triangle(self.lG, n, False), triangle(self.lU, n, True)
        return (-lg @ lg.T + lu - lu.T) @ (ls @ ls.T)

    def g(self, u):
        z, layers = u, len(self.gw)
        c = self.bound ** (1.0 / layers)
        for i, (w, b) in enumerate(zip(self.gw, self.gb)):
            norm = torch.sqrt(w.abs().sum(0).max() * w.abs().sum(1).max())
            z = z @ (c * w / torch.clamp(norm, min=1.0)) + b
            if i < layers - 1:
                z = torch.tanh(z)
        return z


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--problem", nargs="+", default=list(PROBLEMS))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--steps", type=int, default=30)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    for name in a.problem:
        p = PROBLEMS[name]
        n, batch, steps, h = p["n"], p["batch"], p["steps"], p["h"]
        model = SpNode(p["m"], n, p["ae"], p["g"], p["bound"])
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        x = torch.randn(steps + 1, batch, p["m"])
        w = torch.full((steps + 1,), h)  # trapezoid weights of a uniform grid
        w[0] = w[-1] = h / 2
        c = w / (batch * p["m"])

        def step():
            opt.zero_grad(set_to_none=True)
            aug = torch.zeros(2 * n, 2 * n)
            aug[:n, :n] = h * model.a()
            aug[:n, n:] = h * torch.eye(n)
            f = torch.matrix_exp(aug)
            e, prop = f[:n, :n], f[:n, n:]
            u = model.enc(x[0])
            states = [u]
            for _ in range(steps):
                u = u @ e.T + model.g(u) @ prop.T
                states.append(u)
            pred = model.dec(torch.cat(states)).reshape(steps + 1, batch, -1)
            loss = (c * ((pred - x) ** 2).sum((1, 2))).sum()
            loss.backward()
            opt.step()

        for _ in range(a.warmup):
            step()
        times = []
        for _ in range(a.steps):
            t = time.perf_counter(); step(); times.append((time.perf_counter() - t) * 1e3)
        times.sort()
        q = lambda f: times[min(len(times) - 1, int(f * len(times)))]
        print(json.dumps({"name": "spnode-step", "peer": "pytorch-" + torch.__version__,
                          "params": {"problem": name, "batch": batch, "steps": steps, "threads": a.threads},
                          "median_ms": round(q(0.5), 3), "p10_ms": round(q(0.1), 3), "p90_ms": round(q(0.9), 3)}), flush=True)


if __name__ == "__main__":
    main()
