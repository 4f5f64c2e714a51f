"""The speed table compares like with like: every engine of a workload computes the same numbers.

No timing here: the engines' losses, gradients and updates agree (so a ratio is a price, not a
different computation), the numpy floors do the maths our nn does, and the table is assembled
from per-round medians as documented.
"""

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCH))
    mods = {name: importlib.import_module(name) for name in ("workloads", "floors", "micrograd_ref", "speed_table")}
    yield mods
    sys.path.remove(str(BENCH))


@pytest.mark.parametrize("x0", [np.array(0.5), np.linspace(-1, 1, 7)])
def test_chain_gradients_agree(bench, x0):
    w, f = bench["workloads"], bench["floors"]
    ours = w.chain_ours(x0, 60)
    np.testing.assert_allclose(ours, f.chain_numpy(x0, 60), rtol=1e-12)
    np.testing.assert_allclose(ours, w.chain_torch(x0, 60).numpy(), rtol=1e-12)


def test_scalar_mlp_engines_take_the_same_steps(bench):
    w = bench["workloads"]
    losses = {}
    for engine in ("ours", "traced", "torch", "micrograd"):
        step = w.build("scalar_mlp", engine)
        losses[engine] = [_number(step.run()) for _ in range(4)]
    assert losses["traced"] == losses["ours"]  # replay is bit-identical to eager
    np.testing.assert_allclose(losses["micrograd"], losses["ours"], rtol=1e-12)
    np.testing.assert_allclose(losses["torch"], losses["ours"], rtol=1e-12)


def _number(loss):
    return float(loss.item()) if hasattr(loss, "item") else float(loss.data)


def test_micrograd_reference_gradients_match_ours(bench):
    from autograd_core import Value

    m = bench["micrograd_ref"]
    a, b = m.Value(0.7), Value(0.7)
    for x in (a, b):
        y = ((x * 3 + 1).relu() * x - 2).tanh() ** 2 + (-x + 4) * 0.5
        y.backward()
    assert a.grad == pytest.approx(b.grad.item(), rel=1e-12)


@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_numpy_floors_do_our_maths(bench, kind):
    """Given our model's weights, the floor's loss and updated weights are ours (float32 rounding apart)."""
    w, f = bench["workloads"], bench["floors"]
    rng = np.random.default_rng(0)
    shape = (8, 784) if kind == "mlp" else (4, 1, 28, 28)
    x, y = w.nn_batch(shape)
    model = w.ours_mlp(rng) if kind == "mlp" else w.ours_cnn(rng)
    params = [p.data.copy() for p in model.parameters()]
    if kind == "mlp":
        floor = f.NumpyMLP(w.MLP_SIZES, rng)
        floor.W, floor.b = [p.copy() for p in params[0::2]], [p.copy() for p in params[1::2]]
        after = lambda: [a for pair in zip(floor.W, floor.b) for a in pair]
    else:
        floor = f.NumpyCNN(rng)
        names = ("w1", "b1", "w2", "b2", "w3", "b3")
        for n, p in zip(names, params):
            setattr(floor, n, p.copy())
        after = lambda: [getattr(floor, n) for n in names]
    loss_floor = floor.step(x, y)
    loss_ours = w.ours_train_step(model)(x, y)
    assert float(loss_floor) == pytest.approx(loss_ours.item(), rel=1e-5)
    for a, p in zip(after(), model.parameters()):
        np.testing.assert_allclose(a, p.data, rtol=1e-4, atol=1e-6)


def test_torch_steps_run(bench):
    step = bench["workloads"].build("mlp16", "torch")
    assert torch.isfinite(step.run())


def test_table_uses_per_round_ratios_and_goals(bench):
    st = bench["speed_table"]
    results = {
        "chain": {"ours": [1.0, 2.0, 3.0], "torch": [4.0, 2.0, 4.0], "numpy": [0.1, 0.1, 0.1]},
        "vector_ops": {"ours": [0.0005, 0.0004, 0.0006], "torch": [1.0, 1.0, 1.0], "numpy": [0.0001] * 3},
    }
    text = st.table(results, None, None, 12.5)
    chain = next(line for line in text.splitlines() if "chain" in line)
    assert "| 0.75 |" in chain and "0.25-1.00" in chain and "| no |" in chain  # ratios 0.25, 1.0, 0.75
    overhead = next(line for line in text.splitlines() if "µs per op" in line)
    assert "| 8.00 |" in overhead and "| no |" in overhead  # (ours - numpy) / 50 ops, in µs
    assert "| 12.5 |" in text and "| yes |" in text.splitlines()[-1]
