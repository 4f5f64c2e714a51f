"""Engine benchmarks: the same workloads on autograd_core, PyTorch CPU and a hand-written numpy floor.

Workloads (forward + backward each):
  (a) micrograd-style MLP 2-16-16-1 on 100 points with one scalar Value per weight (as micrograd does);
      also the same MLP batched (one Value per weight matrix);
  (b) a chain of 5,000 scalar ops (mul, add, tanh in turn);
  (c) 50 elementwise ops on a 1,000-vector.
The numpy floor does the same numpy calls by hand (forward, then the backward formulas) with no
graph at all, so ``(ours - numpy) / ops`` is the framework's overhead per op.

Run: python benchmarks/bench_core.py [--quick] [--threads N]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from autograd_core import Value

N_POINTS, CHAIN, N_EW, VEC = 100, 5000, 50, 1000
RNG = np.random.default_rng(0)
XS = RNG.uniform(-1, 1, (N_POINTS, 2))
YS = np.sign(XS[:, 0] * XS[:, 1])
SIZES = [(2, 16), (16, 16), (16, 1)]
WEIGHTS = [(RNG.uniform(-1, 1, (o, i)), np.zeros(o)) for i, o in SIZES]


CLOCK = time.perf_counter


def median_time(fn, repeat, warmup=1):
    """Median time of ``fn()`` in seconds on CLOCK (wall by default; --cpu uses process time)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = CLOCK()
        fn()
        times.append(CLOCK() - t0)
    return statistics.median(times)


# -- (a) scalar MLP ----------------------------------------------------------------------------------
def mlp_scalar_ours():
    params = [([[Value(w) for w in row] for row in W], [Value(v) for v in b]) for W, b in WEIGHTS]
    loss = Value(0.0, requires_grad=False)
    for x, y in zip(XS, YS):
        h = [Value(float(v), requires_grad=False) for v in x]
        for k, (W, b) in enumerate(params):
            h = [sum((wi * hi for wi, hi in zip(row, h)), bi) for row, bi in zip(W, b)]
            if k < len(params) - 1:
                h = [v.relu() for v in h]
        loss = loss + (h[0] - float(y)) ** 2
    loss = loss / N_POINTS
    loss.backward()
    return loss


def mlp_scalar_torch(torch):
    params = [
        (
            [[torch.tensor(w, requires_grad=True) for w in row] for row in W],
            [torch.tensor(v, requires_grad=True) for v in b],
        )
        for W, b in WEIGHTS
    ]
    loss = torch.tensor(0.0, dtype=torch.float64)
    for x, y in zip(XS, YS):
        h = [torch.tensor(float(v), dtype=torch.float64) for v in x]
        for k, (W, b) in enumerate(params):
            h = [sum((wi * hi for wi, hi in zip(row, h)), bi) for row, bi in zip(W, b)]
            if k < len(params) - 1:
                h = [v.relu() for v in h]
        loss = loss + (h[0] - float(y)) ** 2
    loss = loss / N_POINTS
    loss.backward()
    return loss


def mlp_batched_ours():
    params = [(Value(W), Value(b)) for W, b in WEIGHTS]
    h = Value(XS, requires_grad=False)
    for k, (W, b) in enumerate(params):
        h = h @ W.T + b
        if k < len(params) - 1:
            h = h.relu()
    loss = ((h.reshape(-1) - YS) ** 2).mean()
    loss.backward()
    return loss


def mlp_batched_torch(torch):
    params = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in WEIGHTS]
    h = torch.tensor(XS)
    for k, (W, b) in enumerate(params):
        h = h @ W.T + b
        if k < len(params) - 1:
            h = h.relu()
    loss = ((h.reshape(-1) - torch.tensor(YS)) ** 2).mean()
    loss.backward()
    return loss


def mlp_numpy():
    acts = [XS]
    for k, (W, b) in enumerate(WEIGHTS):
        h = acts[-1] @ W.T + b
        if k < len(WEIGHTS) - 1:
            h = np.maximum(h, 0)
        acts.append(h)
    diff = acts[-1].reshape(-1) - YS
    loss = (diff**2).mean()
    g = (2 * diff / N_POINTS).reshape(-1, 1)
    grads = []
    for k in reversed(range(len(WEIGHTS))):
        if k < len(WEIGHTS) - 1:
            g = g * (acts[k + 1] > 0)
        grads.append((g.T @ acts[k], g.sum(axis=0)))
        g = g @ WEIGHTS[k][0]
    return loss


# -- (b) a 5,000-op scalar chain, (c) 50 elementwise ops on a vector ----------------------------------
def _chain(x, n, tanh):
    for i in range(n):
        r = i % 3
        x = x * 0.999 if r == 0 else (x + 0.01 if r == 1 else tanh(x))
    return x


def chain_ours(x0, n):
    x = Value(x0)
    y = _chain(x, n, Value.tanh)
    (y.sum() if y.ndim else y).backward()
    return x.grad


def chain_torch(torch, x0, n):
    x = torch.tensor(x0, requires_grad=True)
    y = _chain(x, n, torch.tanh)
    (y.sum() if y.ndim else y).backward()
    return x.grad


def chain_numpy(x0, n):
    """The same numpy calls by hand: forward keeping tanh outputs, then the backward formulas."""
    x = np.asarray(x0)
    outs = []
    for i in range(n):
        r = i % 3
        if r == 0:
            x = np.multiply(x, 0.999)
        elif r == 1:
            x = np.add(x, 0.01)
        else:
            x = np.tanh(x)
            outs.append(x)
    g = np.ones_like(x)
    for i in reversed(range(n)):
        r = i % 3
        if r == 0:
            g = np.multiply(g, 0.999)
        elif r == 2:
            t = outs.pop()
            g = g * (1 - t * t)
        # add passes g through unchanged
    return g


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (default 1, like numpy here)")
    ap.add_argument("--cpu", action="store_true", help="time with process CPU time (steadier on a busy machine)")
    args = ap.parse_args()
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
    rep = 3 if args.quick else 15
    try:
        import torch

        torch.set_num_threads(args.threads)
        torch.set_default_dtype(torch.float64)
    except ImportError:  # the table still shows ours vs numpy
        torch = None

    x_scalar, x_vec = np.array(0.5), RNG.uniform(-1, 1, VEC)
    workloads = [
        # name, ops counted for overhead (None = not comparable op for op), ours, torch, numpy floor
        ("(a) MLP 2-16-16-1, scalars", None, mlp_scalar_ours, mlp_scalar_torch, mlp_numpy),
        ("(a') same MLP, batched", None, mlp_batched_ours, mlp_batched_torch, mlp_numpy),
        (
            f"(b) {CHAIN}-op scalar chain",
            CHAIN,
            lambda: chain_ours(x_scalar, CHAIN),
            lambda t: chain_torch(t, x_scalar, CHAIN),
            lambda: chain_numpy(x_scalar, CHAIN),
        ),
        (
            f"(c) {N_EW} ops on a {VEC}-vector",
            N_EW,
            lambda: chain_ours(x_vec, N_EW),
            lambda t: chain_torch(t, x_vec, N_EW),
            lambda: chain_numpy(x_vec, N_EW),
        ),
    ]
    threads = torch.get_num_threads() if torch else "-"
    print(f"numpy {np.__version__}; torch {torch.__version__ if torch else 'not installed'} (CPU, {threads} thread(s))")
    clock = "process CPU time" if args.cpu else "wall time"
    print(f"median of {rep} runs ({clock}); times in ms for forward + backward")
    head = f"{'workload':<32}{'ours':>10}{'torch':>10}{'numpy':>10}{'ours/torch':>12}{'ours/numpy':>12}{'µs/op over numpy':>18}"
    print(head)
    print("-" * len(head))
    for name, ops, ours, tfn, floor in workloads:
        few = max(2, rep // 5) if "scalars" in name else rep
        t_ours = median_time(ours, repeat=few, warmup=1)
        t_torch = median_time(lambda f=tfn: f(torch), repeat=few, warmup=1) if torch else float("nan")
        t_np = median_time(floor, repeat=rep, warmup=1)
        over = f"{(t_ours - t_np) / ops * 1e6:>18.2f}" if ops else f"{'':>18}"
        print(
            f"{name:<32}{t_ours * 1e3:>10.2f}{t_torch * 1e3:>10.2f}{t_np * 1e3:>10.3f}"
            f"{t_ours / t_torch:>12.2f}{t_ours / t_np:>12.1f}{over}"
        )
    print("\n(a) floor: the MLP written batched in numpy by hand; the scalar rows show per-Value overhead.")


if __name__ == "__main__":
    main()
