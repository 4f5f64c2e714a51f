"""Lesson 10: static versus dynamic computation graphs.

A *dynamic* graph (define-by-run: PyTorch, Chainer, this engine) is built by running Python on
every step, so any Python works, an `if` on the data included; the price is building the graph
again each step. A *static* graph (define-then-run: TensorFlow 1, Theano) is built once and run
many times, cheaply, but it cannot follow Python that depends on the data.

Claim: the same models trained from the same start eagerly (dynamic) and under `ag.trace`
(static: recorded on the first step, replayed afterwards) have bit-identical losses and weights at
every step, for a micrograd-style MLP of scalar Values and for a batched nn MLP; the replayed step
is faster, by far the most where graph building dominates (thousands of scalar ops); and a step
with an `if` on the data is caught by the trace's check instead of being silently replayed.

Writes the time per step of both ways and the loss curves (PNG), and the static graph itself: the
replay program of the scalar MLP (the first lines, as text).
"""

import itertools
import statistics
import time

import numpy as np
from _common import check_claim, make_parser, plt, save_figure

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core import TraceMismatchError, TraceWarning, Value
from nn.datasets import make_moons, make_spirals


class ScalarMLP:
    """micrograd's MLP: every weight a 0-d Value, each neuron sum_i w_i x_i + b, ReLU between layers."""

    def __init__(self, sizes, seed):
        rng = np.random.default_rng(seed)
        self.layers = [
            [([Value(rng.uniform(-1, 1)) for _ in range(i)], Value(0.0)) for _ in range(o)]
            for i, o in itertools.pairwise(sizes)
        ]

    def parameters(self):
        return [p for layer in self.layers for w, b in layer for p in (*w, b)]

    def __call__(self, x):
        for k, layer in enumerate(self.layers):
            x = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in layer]
            if k < len(self.layers) - 1:
                x = [v.relu() for v in x]
        return x[0]


def scalar_step(model, X, y, lr=0.05):
    """One full-batch SGD step on the max-margin loss (micrograd's demo): X, y are Values or arrays."""
    for p in model.parameters():
        p.grad = None
    margins = [(1 - y[i] * model([X[i, 0], X[i, 1]])).relu() for i in range(len(y))]
    loss = sum(margins[1:], margins[0]) * (1.0 / len(margins))
    loss.backward()
    for p in model.parameters():
        p.sub_(p.grad, alpha=lr)
    return loss


def nn_step_fn(model, opt):
    def step(x, y):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step


def race(make_step, batches):
    """Train two identical copies, one eagerly and one traced, step by step; returns times and losses."""
    dynamic, static = make_step(), make_step()
    traced = ag.trace(static[0])
    t_dyn, t_sta, l_dyn, l_sta = [], [], [], []
    for batch in batches:
        t0 = time.perf_counter()
        l_dyn.append(dynamic[0](*batch).item())
        t_dyn.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        l_sta.append(traced(*batch).item())
        t_sta.append(time.perf_counter() - t0)
    same_weights = all(np.array_equal(p.data, q.data) for p, q in zip(dynamic[1], static[1]))
    return {
        "dynamic": t_dyn,
        "static": t_sta,
        "loss dynamic": l_dyn,
        "loss static": l_sta,
        "same": same_weights,
    }, traced


def branch_is_caught():
    """An `if` on a data value: fine eagerly, but the trace cannot follow it, and its check says so."""
    w = Value(np.array([0.5, -0.5]))

    def step(x):
        w.grad = None
        h = w * x
        loss = h.sum() if float(h.sum()) > 0 else (h * h).sum()  # data-dependent: float() on a Value
        loss.backward()
        return loss

    traced = ag.trace(step)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TraceWarning)
        traced(np.array([2.0, 1.0]))  # traced down the first branch
        try:
            traced(np.array([1.0, 2.0]))  # the other branch: the check compares with eager mode
        except TraceMismatchError:
            return True
    return False


def run(samples=32, hidden=(16, 16), steps=20, batch=64, seed=0, out="out", plot=True, check_timing=True):
    X, y01 = make_moons(samples, noise=0.1, seed=seed)
    y = (2 * y01 - 1).astype(np.float64)

    def make_scalar():
        model = ScalarMLP([2, *hidden, 1], seed)
        return (lambda X_, y_: scalar_step(model, X_, y_)), model.parameters()

    scalar, scalar_traced = race(make_scalar, [(X, y)] * steps)

    Xs, ys = make_spirals(600, seed=seed, dtype=np.float32)
    rng = np.random.default_rng(seed)
    order = [rng.choice(len(ys), batch, replace=False) for _ in range(steps)]

    def make_nn():
        r = np.random.default_rng(seed)
        model = nn.Sequential(
            nn.Linear(2, 64, rng=r), nn.ReLU(), nn.Linear(64, 64, rng=r), nn.ReLU(), nn.Linear(64, 3, rng=r)
        )
        return nn_step_fn(model, nn.optim.Adam(model.parameters(), lr=0.01)), list(model.parameters())

    batched, _ = race(make_nn, [(Xs[i], ys[i]) for i in order])

    def per_step(r):  # the first call traces and the second is checked (both eager); replays after
        return statistics.median(r["dynamic"][2:]), statistics.median(r["static"][2:])

    (sd, ss), (bd, bs) = per_step(scalar), per_step(batched)
    identical = all(r["loss dynamic"] == r["loss static"] and r["same"] for r in (scalar, batched))
    caught = branch_is_caught()
    program = scalar_traced.source.splitlines()
    files = []
    import os

    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "10_static_program.txt")
    with open(path, "w") as fh:
        fh.write("\n".join(program[:60] + [f"    ... ({len(program)} lines in all)"]) + "\n")
    files.append(path)
    if plot:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
        names = ["scalar MLP\n(micrograd style)", "nn MLP\n(batched)"]
        ax1.bar([0, 3], [sd * 1e3, bd * 1e3], label="dynamic (eager)")
        ax1.bar([1, 4], [ss * 1e3, bs * 1e3], label="static (ag.trace)")
        ax1.set_xticks([0.5, 3.5], names)
        ax1.set_yscale("log")
        ax1.set_ylabel("ms per training step (median)")
        ax1.legend()
        for r, name in ((scalar, "scalar"), (batched, "nn")):
            ax2.plot(r["loss dynamic"], label=f"{name}: dynamic")
            ax2.plot(r["loss static"], "--", label=f"{name}: static")
        ax2.set_xlabel("step")
        ax2.set_ylabel("loss")
        ax2.legend()
        files.append(save_figure(fig, out, "10_static_vs_dynamic.png"))
    faster = ss < sd and bs < bd
    return {
        "claim_holds": bool(identical and caught and (faster or not check_timing)),
        "bit-identical losses and weights (both models)": identical,
        "scalar MLP ms/step (dynamic, static)": [sd * 1e3, ss * 1e3],
        "nn MLP ms/step (dynamic, static)": [bd * 1e3, bs * 1e3],
        "speed-up (scalar, nn)": [sd / ss, bd / bs],
        "first call (traces), second (checked), ms": [scalar["static"][0] * 1e3, scalar["static"][1] * 1e3],
        "lines in the scalar MLP's static program": len(program),
        "data-dependent branch caught by the check": caught,
        "files": files,
    }


def main(argv=None):
    p = make_parser(__doc__)
    p.add_argument("--steps", type=int, default=20, help="training steps of each model (default 20)")
    p.add_argument("--samples", type=int, default=32, help="points for the scalar MLP (default 32)")
    a = p.parse_args(argv)
    res = run(samples=a.samples, steps=a.steps, seed=a.seed, out=a.out)
    return check_claim(res, "static and dynamic graphs train identically; the static one is faster per step")


if __name__ == "__main__":
    main()
