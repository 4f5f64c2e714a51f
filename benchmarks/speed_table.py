"""The speed table in one run: every workload on every engine, each in its own plain process.

Headline numbers are what a user gets from ``python train.py``: a fresh process per (workload,
engine), default BLAS and PyTorch threads, glibc's malloc untouched. Rounds are interleaved (every
workload on every engine, then again, the engine order rotated each round), so a burst of load on
a shared machine hits all engines alike; a ratio is computed within each round and the table gives
the median over rounds with the spread (lowest and highest round).

``--tuned`` adds a labelled column for the nn rows measured with one BLAS/PyTorch thread and
glibc told to keep freed blocks (``MALLOC_MMAP_THRESHOLD_``/``MALLOC_TRIM_THRESHOLD_``): what a
user can set in the shell, never what the headline assumes.

Run: python benchmarks/speed_table.py [--rounds 3] [--quick] [--tuned] [--skip-example] [--json out.json]
"""

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
TUNED_ENV = {
    **dict.fromkeys(_THREAD_VARS, "1"),
    "MALLOC_MMAP_THRESHOLD_": str(128 * 2**20),
    "MALLOC_TRIM_THRESHOLD_": str(256 * 2**20),
}
NN_ROWS = ("mlp16", "mlp128", "mlp1024", "cnn")

# (workload, label, [(measure, numerator, denominator or "overhead", goal or None)])
ROWS = [
    (
        "scalar_mlp",
        "scalar MLP 2-16-16-1, 32 points, train step",
        [
            ("ours / PyTorch", "ours", "torch", 0.5),
            ("ours / micrograd", "ours", "micrograd", 2.0),
            ("traced / micrograd", "traced", "micrograd", 1.2),
        ],
    ),
    ("chain", "5,000-op scalar chain, fwd + bwd", [("ours / PyTorch", "ours", "torch", 0.5)]),
    (
        "vector_ops",
        "50 elementwise ops on a 1,000-vector",
        [("µs per op above numpy", "ours", "overhead", 2.0), ("ours / PyTorch", "ours", "torch", None)],
    ),
    (
        "mlp16",
        "MLP 784-256-128-10 step, batch 16",
        [
            ("traced / numpy floor", "traced", "numpy", 1.1),
            ("ours / numpy floor", "ours", "numpy", None),
            ("ours / PyTorch", "ours", "torch", None),
        ],
    ),
    (
        "mlp128",
        "MLP 784-256-128-10 step, batch 128",
        [
            ("ours / numpy floor", "ours", "numpy", 1.1),
            ("ours / PyTorch", "ours", "torch", None),
            ("traced / numpy floor", "traced", "numpy", None),
        ],
    ),
    (
        "mlp1024",
        "MLP 784-256-128-10 step, batch 1024",
        [
            ("ours / numpy floor", "ours", "numpy", 1.05),
            ("ours / PyTorch", "ours", "torch", None),
            ("traced / numpy floor", "traced", "numpy", None),
        ],
    ),
    (
        "cnn",
        "CNN step, batch 64x1x28x28",
        [
            ("ours / PyTorch", "ours", "torch", 1.2),
            ("ours / numpy floor", "ours", "numpy", None),
            ("traced / PyTorch", "traced", "torch", None),
        ],
    ),
]
MEMORY = ("mlp1024", ("numpy", "ours", "traced"), 1.1)  # peak memory of the step, goal for traced / floor
EXAMPLE = ("examples/01_micrograd_moons.py", 20.0)


# -- the worker: one workload on one engine, in this process -------------------------------------------
def time_step(step, budget, min_n=3, max_n=1000, warmup=2):
    """Seconds per call of ``step.run``: warm-up calls, then calls until ``budget`` seconds have passed."""
    for _ in range(warmup):
        step.run()
    times = []
    start = time.perf_counter()
    while len(times) < min_n or (time.perf_counter() - start < budget and len(times) < max_n):
        if step.before is not None:
            step.before()
        if step.gc_off:
            gc.disable()
        t0 = time.perf_counter()
        step.run()
        times.append(time.perf_counter() - t0)
        if step.gc_off:
            gc.enable()
    return times


def peak_step_memory(workload, engine):
    """Bytes (tracemalloc) allocated at the peak of one step beyond the model and data built before it.

    Persistent allocations made by warm-up steps (a trace's program and buffers, gradients kept
    between steps) count; numpy reports its buffers to tracemalloc, PyTorch does not.
    """
    from workloads import build

    tracemalloc.start()
    step = build(workload, engine)
    base = tracemalloc.get_traced_memory()[0]
    step.run()
    step.run()
    tracemalloc.reset_peak()
    step.run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def worker(workload, engine, budget, mem):
    from workloads import build

    if mem:
        return {"peak": peak_step_memory(workload, engine)}
    return {"times": time_step(build(workload, engine), budget)}


# -- the driver ---------------------------------------------------------------------------------------
def plain_env():
    """The environment a user's shell gives: no thread or malloc settings of ours."""
    env = {k: v for k, v in os.environ.items() if k not in _THREAD_VARS and not k.startswith("MALLOC_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return env


def spawn(workload, engine, budget, env, mem=False):
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", workload, engine, "--budget", str(budget)]
    if mem:
        cmd.append("--mem")
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise RuntimeError(f"worker {workload}/{engine} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def run_rounds(workloads, rounds, budget, env, log):
    """{workload: {engine: [median seconds per round]}}, engines interleaved and rotated per round."""
    from workloads import WORKLOADS

    out = {w: {e: [] for e in WORKLOADS[w][0]} for w in workloads}
    for r in range(rounds):
        for w in workloads:
            engines = WORKLOADS[w][0]
            k = r % len(engines)
            for e in engines[k:] + engines[:k]:
                times = spawn(w, e, budget, env)["times"]
                out[w][e].append(statistics.median(times))
                log(
                    f"  round {r + 1}/{rounds} {w:<11} {e:<10} {statistics.median(times) * 1e3:10.3f} ms  (n={len(times)})"
                )
    return out


def ratios(t, num, den):
    """Per-round values of one measure: num/den, or (num - numpy) per op in µs for 'overhead'."""
    from workloads import VECTOR_OPS

    if den == "overhead":
        return [(a - b) / VECTOR_OPS * 1e6 for a, b in zip(t[num], t["numpy"])]
    return [a / b for a, b in zip(t[num], t[den])]


def _fmt(vals):
    med = statistics.median(vals)
    return f"{med:.2f}", f"{min(vals):.2f}-{max(vals):.2f}"


def table(results, tuned, memory, example):
    lines = [
        "| workload | measure | median | spread | goal | met |",
        "|---|---|---|---|---|---|",
    ]
    for w, label, measures in ROWS:
        if w not in results:
            continue
        for i, (name, num, den, goal) in enumerate(measures):
            vals = ratios(results[w], num, den)
            med, spread = _fmt(vals)
            if tuned and w in tuned:
                tmed, tspread = _fmt(ratios(tuned[w], num, den))
                spread += f" (tuned: {tmed}, {tspread})"
            met = "" if goal is None else ("yes" if statistics.median(vals) <= goal else "no")
            lines.append(
                f"| {label if i == 0 else ''} | {name} | {med} | {spread} | {'≤ ' + str(goal) if goal else ''} | {met} |"
            )
    if memory:
        floor = memory["numpy"]
        for e in ("ours", "traced"):
            if e in memory:
                goal = MEMORY[2] if e == "traced" else None
                met = "" if goal is None else ("yes" if memory[e] <= goal * floor else "no")
                lines.append(
                    f"| peak memory, MLP step batch 1024 | {e} / numpy floor | {memory[e] / floor:.2f} | "
                    f"{memory[e] / 2**20:.2f} vs {floor / 2**20:.2f} MiB | {'≤ ' + str(goal) if goal else ''} | {met} |"
                )
    if example is not None:
        lines.append(
            f"| {EXAMPLE[0]} | wall time, s | {example:.1f} | one run | ≤ {EXAMPLE[1]:.0f} | "
            f"{'yes' if example <= EXAMPLE[1] else 'no'} |"
        )
    return "\n".join(lines)


def times_table(results):
    engines = ("ours", "traced", "torch", "numpy", "micrograd")
    lines = ["| workload | " + " | ".join(f"{e} ms" for e in engines) + " |", "|---" * (len(engines) + 1) + "|"]
    for w, t in results.items():
        cells = [f"{statistics.median(t[e]) * 1e3:.3f}" if e in t else "" for e in engines]
        lines.append(f"| {w} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def time_example(env, log):
    import tempfile

    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        res = subprocess.run(
            [sys.executable, str(ROOT / EXAMPLE[0]), "--out", out], env=env, capture_output=True, text=True, check=False
        )
        wall = time.perf_counter() - t0
    if res.returncode != 0:
        raise RuntimeError(f"{EXAMPLE[0]} failed:\n{res.stdout[-2000:]}{res.stderr[-2000:]}")
    log(f"  {EXAMPLE[0]}: {wall:.1f} s")
    return wall


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    ap.add_argument("--budget", type=float, default=0.6, help="seconds of timed calls per worker (default 0.6)")
    ap.add_argument("--quick", action="store_true", help="one round, short budgets, no example: a smoke run")
    ap.add_argument("--only", nargs="+", help="workloads to run (default: all)")
    ap.add_argument("--tuned", action="store_true", help="also measure the nn rows tuned (labelled column)")
    ap.add_argument("--skip-example", action="store_true", help=f"do not time {EXAMPLE[0]}")
    ap.add_argument("--json", help="also write the raw medians to this file")
    ap.add_argument("--worker", nargs=2, metavar=("WORKLOAD", "ENGINE"), help=argparse.SUPPRESS)
    ap.add_argument("--mem", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(*args.worker, args.budget, args.mem)))
        return None
    from workloads import WORKLOADS

    if args.quick:
        args.rounds, args.budget, args.skip_example = 1, 0.2, True
    workloads = args.only or list(WORKLOADS)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    env = plain_env()
    log(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; Python {platform.python_version()}")
    results = run_rounds(workloads, args.rounds, args.budget, env, log)
    tuned = None
    if args.tuned:
        tuned = run_rounds([w for w in workloads if w in NN_ROWS], args.rounds, args.budget, {**env, **TUNED_ENV}, log)
    memory = None
    if MEMORY[0] in workloads:
        memory = {e: spawn(MEMORY[0], e, args.budget, env, mem=True)["peak"] for e in MEMORY[1]}
    example = None if args.skip_example else time_example(env, log)
    print(f"\n{args.rounds} interleaved round(s), plain processes; median over rounds, spread = lowest-highest round\n")
    print(table(results, tuned, memory, example))
    print("\nMedian times per engine (ms):\n")
    print(times_table(results))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"times": results, "tuned": tuned, "memory": memory, "example_s": example})
        )
    return results


if __name__ == "__main__":
    main()
