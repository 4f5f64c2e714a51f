"""Lesson 9: forward mode pays per input, reverse mode pays per output.

Claim: building the m x n Jacobian of f: R^n -> R^m takes one Jacobian-vector product (jvp, forward
mode) per INPUT, n of them, or one vector-Jacobian product (vjp, reverse mode) per OUTPUT, m of
them. So reverse mode wins for many inputs and few outputs (a loss and its parameters: the reason
backpropagation is reverse mode), and forward mode wins for few inputs and many outputs.

Measured: the number of products, f evaluations and backward sweeps (counted inside the engine),
the wall time of each way as n and m grow, and that both give the same Jacobian as the analytic
one. Note: this engine builds jvp by the double-vjp construction (J v = d/du <J^T u, v>), so one
jvp costs about two backward sweeps plus a forward pass; the crossover moves, the scaling does not.

Writes time-versus-size curves for both modes (PNG).
"""

import time

import numpy as np
from _common import check_claim, make_parser, plt, save_figure

import autograd_core.engine as engine
from autograd_core.functional import jacobian, jvp, vjp


class Counter:
    """Counts f evaluations and the engine's backward sweeps (by wrapping engine.sweep)."""

    def __init__(self):
        self.f_evals = 0
        self.sweeps = 0
        self._orig = engine.sweep

    def __enter__(self):
        def counted(*args, **kwargs):
            self.sweeps += 1
            return self._orig(*args, **kwargs)

        engine.sweep = counted
        return self

    def __exit__(self, *exc):
        engine.sweep = self._orig


def make_f(n, m, hidden, rng, counter):
    W1 = rng.standard_normal((hidden, n)) / np.sqrt(n)
    W2 = rng.standard_normal((m, hidden)) / np.sqrt(hidden)

    def f(x):
        if counter is not None:
            counter.f_evals += 1
        return W2 @ (W1 @ x).tanh()

    def analytic(x):
        return W2 @ np.diag(1 - np.tanh(W1 @ x) ** 2) @ W1

    return f, analytic


def jacobian_forward(f, x):
    """One jvp per input direction e_j gives column j."""
    basis = np.eye(x.size)
    cols = [jvp(f, (x,), (e,))[1] for e in basis]
    return np.stack(cols, axis=1)


def jacobian_reverse(f, x, m):
    """One forward pass, then one vjp per output direction e_i gives row i."""
    _, vjp_fn = vjp(f, x)
    return np.stack([vjp_fn(e)[0] for e in np.eye(m)], axis=0)


def measure(n, m, hidden, seed, repeats=3):
    rng = np.random.default_rng(seed)
    counter = Counter()
    f, analytic = make_f(n, m, hidden, rng, counter)
    x = rng.standard_normal(n)
    row = {"n": n, "m": m}
    for mode, build in (("forward", lambda: jacobian_forward(f, x)), ("reverse", lambda: jacobian_reverse(f, x, m))):
        counter.f_evals = counter.sweeps = 0
        with counter:
            J = build()
        row[f"{mode} f evals"], row[f"{mode} sweeps"] = counter.f_evals, counter.sweeps
        best = np.inf
        for _ in range(repeats):
            t0 = time.perf_counter()
            build()
            best = min(best, time.perf_counter() - t0)
        row[f"{mode} seconds"] = best
        row[f"{mode} error"] = float(np.max(np.abs(J - analytic(x))))
    jac_lib = jacobian(f)(x)
    row["jacobian() error"] = float(np.max(np.abs(jac_lib - analytic(x))))
    return row


def run(sizes=(1, 4, 16, 64, 256), fixed=2, hidden=32, seed=0, out="out", plot=True, check_timing=True, repeats=3):
    """Sweep n (inputs) with m = ``fixed`` outputs, and m with n = ``fixed``."""
    wide = [measure(n, fixed, hidden, seed, repeats) for n in sizes]  # many inputs, few outputs
    tall = [measure(fixed, m, hidden, seed, repeats) for m in sizes]  # few inputs, many outputs
    rows = wide + tall
    counts_ok = all(
        r["forward f evals"] == r["n"]
        and r["forward sweeps"] == 2 * r["n"]
        and r["reverse f evals"] == 1
        and r["reverse sweeps"] == r["m"]
        for r in rows
    )
    err = max(max(r["forward error"], r["reverse error"], r["jacobian() error"]) for r in rows)
    big_wide, big_tall = wide[-1], tall[-1]
    reverse_wins_wide = big_wide["reverse seconds"] < big_wide["forward seconds"]
    forward_wins_tall = big_tall["forward seconds"] < big_tall["reverse seconds"]
    holds = counts_ok and err < 1e-10 and (not check_timing or (reverse_wins_wide and forward_wins_tall))

    files = []
    if plot:
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
        for ax, rs, key, title in (
            (a1, wide, "n", f"many inputs: n grows, m = {fixed}"),
            (a2, tall, "m", f"many outputs: m grows, n = {fixed}"),
        ):
            xs = [r[key] for r in rs]
            ax.loglog(xs, [r["forward seconds"] for r in rs], "o-", label="forward (jvp per input)")
            ax.loglog(xs, [r["reverse seconds"] for r in rs], "s-", label="reverse (vjp per output)")
            ax.set_xlabel(key)
            ax.set_title(title, fontsize=10)
        a1.set_ylabel("seconds for the full Jacobian")
        a1.legend()
        fig.suptitle("cost of a Jacobian: forward mode scales with inputs, reverse with outputs")
        files.append(save_figure(fig, out, "09_forward_vs_reverse.png"))

    return {
        "claim_holds": bool(holds),
        "counts (jvp: n f-evals, 2n sweeps; vjp: 1 f-eval, m sweeps)": counts_ok,
        "max Jacobian error vs analytic": err,
        f"n={big_wide['n']}, m={big_wide['m']}: forward s, reverse s": (
            big_wide["forward seconds"],
            big_wide["reverse seconds"],
        ),
        f"n={big_tall['n']}, m={big_tall['m']}: forward s, reverse s": (
            big_tall["forward seconds"],
            big_tall["reverse seconds"],
        ),
        "reverse wins many-inputs / forward wins many-outputs": (reverse_wins_wide, forward_wins_tall),
        "_rows": rows,
        "files": files,
    }


def main(argv=None):
    p = make_parser(__doc__)
    p.add_argument(
        "--sizes", type=int, nargs="+", default=[1, 4, 16, 64, 256], help="n and m values (default 1 4 16 64 256)"
    )
    p.add_argument("--fixed", type=int, default=2, help="the other dimension while one grows (default 2)")
    a = p.parse_args(argv)
    res = run(sizes=tuple(a.sizes), fixed=a.fixed, seed=a.seed, out=a.out)
    for r in res["_rows"]:
        print(
            f"  n={r['n']:4d} m={r['m']:4d}  forward {r['forward seconds'] * 1e3:8.2f} ms ({r['forward sweeps']} sweeps)"
            f"  reverse {r['reverse seconds'] * 1e3:8.2f} ms ({r['reverse sweeps']} sweeps)"
        )
    return check_claim(res, "Jacobian cost: forward mode ~ inputs, reverse mode ~ outputs")


if __name__ == "__main__":
    main()
