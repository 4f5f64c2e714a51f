"""The op database (autograd_core/opdb): complete, numpy-only to import, and usable through check_op.

The sweep that draws from each entry's strategy is tests/autograd_core/ops/test_op_sweep.py.
"""

import subprocess
import sys

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import GradcheckError, opdb
from autograd_core.opdb import OpInfo

WITHOUT_TEST_EXTRAS = "import sys; sys.modules['hypothesis'] = None; sys.modules['torch'] = None\n"


def _run(code):
    """Run ``code`` in a fresh interpreter where hypothesis and torch cannot be imported."""
    return subprocess.run([sys.executable, "-c", WITHOUT_TEST_EXTRAS + code], capture_output=True, text=True)


def test_one_entry_per_registered_op():
    missing, unregistered = opdb.coverage()
    assert not missing, f"registered ops without an entry (add one in autograd_core/opdb/): {missing}"
    assert not unregistered, f"entries naming no registered op: {unregistered}"
    assert opdb.names() == sorted(n for n, op in ag.REGISTRY.items() if op.kind != "custom")


def test_coverage_finds_a_missing_entry_a_stray_one_and_a_duplicate(monkeypatch):
    ag.defop("test_opdb_new_op", lambda x: x, lambda g, out, x: g, kind="elementwise")
    try:
        stray = OpInfo("test_opdb_stray", ag.exp, sample=([np.ones(2)], {}), inputs=None)
        monkeypatch.setitem(opdb.BY_NAME, stray.name, stray)
        monkeypatch.setattr(opdb, "OPS", (*opdb.OPS, opdb.BY_NAME["exp"]))
        missing, unregistered = opdb.coverage()
        assert missing == ["test_opdb_new_op"]
        assert unregistered == ["test_opdb_stray", "exp (duplicate)"]
    finally:
        ag.REGISTRY.pop("test_opdb_new_op")


@pytest.mark.parametrize("info", opdb.OPS, ids=[c.name for c in opdb.OPS])
def test_samples_are_small_float64_and_pass(info):
    arrays, params = info.sample
    floats = [x for x in arrays if np.asarray(x).dtype.kind == "f"]
    assert floats and all(np.asarray(x).dtype == np.float64 for x in floats)
    assert sum(np.size(x) for x in arrays) <= 64, "keep samples small: the checks build full Jacobians"
    assert isinstance(params, dict)
    assert opdb.check_op(info.name) is True


def test_check_op_fails_on_a_wrong_gradient_and_names_the_order():
    wrong = ag.defop("test_opdb_wrong_cube", lambda x: x**3, lambda g, out, x: g * 3 * x)  # should be 3x^2
    first_ok = ag.defop("test_opdb_flat_square", lambda x: x * x, lambda g, out, x: g * 2 * np.asarray(x))
    try:
        x = np.array([0.5, -1.5, 2.0])
        with pytest.raises(GradcheckError, match="analytic"):
            opdb.check_op(OpInfo("test_opdb_wrong_cube", wrong, sample=([x], {}), inputs=None))
        flat = OpInfo("test_opdb_flat_square", first_ok, sample=([x], {}), inputs=None)
        assert opdb.check_op(flat, second_order=False)
        with pytest.raises(GradcheckError):  # a vjp through np.asarray is constant: second order is wrong
            opdb.check_op(flat)
    finally:
        ag.REGISTRY.pop("test_opdb_wrong_cube")
        ag.REGISTRY.pop("test_opdb_flat_square")


def test_unknown_names_get_suggestions():
    with pytest.raises(KeyError, match=r"did you mean .*tanh"):
        opdb.check_op("tahn")
    with pytest.raises(KeyError, match="names"):
        opdb.get("no_such_op_anywhere")


def test_torch_twins_resolve_lazily():
    import torch

    assert opdb.get("exp").torch_fn() is torch.exp
    assert opdb.get("softplus").torch_fn() is torch.nn.functional.softplus
    assert opdb.get("fold").torch_fn() is None


def test_malformed_entries_are_refused():
    with pytest.raises(TypeError, match="sample must be"):
        OpInfo("exp", ag.exp, sample=([np.ones(2)], [1]), inputs=None)
    with pytest.raises(TypeError, match="no draw function"):
        OpInfo("exp", ag.exp, sample=([np.ones(2)], {}), inputs=None).strategy()


def test_database_and_cli_need_no_test_extras():
    """Importing the database, check_op and `autograd-core gradcheck` work without hypothesis or torch."""
    proc = _run(
        "from autograd_core import opdb\n"
        "assert all(opdb.check_op(n) for n in opdb.names())\n"
        "from nn.training.cli import main\n"
        "assert main(['gradcheck', '--only', 'conv']) == 0\n"
        "assert not [m for m, v in sys.modules.items() if v and m.split('.')[0] in ('hypothesis', 'torch')]\n"
        "try:\n"
        "    opdb.get('exp').strategy()\n"
        "except ImportError as err:\n"
        "    print('strategy:', err)\n"
    )
    assert proc.returncode == 0, proc.stderr
    assert "Conv2d" in proc.stdout and "0 failed" in proc.stdout
    assert (
        'strategy: the op database\'s strategies and PyTorch twins need hypothesis, a test-only dependency: pip install "autograd-core[test]"'
        in proc.stdout
    )
