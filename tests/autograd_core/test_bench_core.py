"""The benchmark's three implementations do the same work (same values and gradients); no timing here."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_core.py"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(_PATH.parent))
    spec = importlib.util.spec_from_file_location("bench_core", _PATH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    yield mod
    sys.path.remove(str(_PATH.parent))


@pytest.mark.parametrize("x0", [np.array(0.5), np.linspace(-1, 1, 7)])
def test_chain_gradients_agree(bench, x0):
    n = 60
    ours = bench.chain_ours(x0, n)
    np.testing.assert_allclose(ours, bench.chain_numpy(x0, n), rtol=1e-12)
    np.testing.assert_allclose(ours, bench.chain_torch(torch, x0, n).numpy(), rtol=1e-12)


def test_mlp_losses_agree(bench):
    floor = bench.mlp_numpy()
    assert bench.mlp_batched_ours().item() == pytest.approx(floor, rel=1e-12)
    assert bench.mlp_batched_torch(torch).item() == pytest.approx(floor, rel=1e-12)
