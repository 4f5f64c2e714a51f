"""The registry-driven sweep over the op database (autograd_core/opdb): every primitive, first and
second derivatives against central finite differences (float64, full Jacobian), values and gradients
against PyTorch float64, float32 preserved, empty inputs."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import Value
from autograd_core.gradcheck import gradcheck, gradgradcheck
from autograd_core.opdb import OPS, coverage

IDS = [c.name for c in OPS]
# second derivatives and dtype checks cost more per example: a fraction of the profile's budget
SECOND_ORDER_EXAMPLES = max(settings.default.max_examples * 2 // 5, 1)  # "ci": 10
DTYPE_EXAMPLES = max(settings.default.max_examples // 5, 1)  # "ci": 5


def test_every_registered_op_has_an_entry():
    """A new primitive cannot skip the sweep: add it to the op database (autograd_core/opdb/)."""
    missing, unregistered = coverage()
    assert not missing, f"ops without an op-database entry (add one in autograd_core/opdb/): {missing}"
    assert not unregistered, f"op-database entries naming no registered op: {unregistered}"


def _call(c, params):
    return c.bind(params)


def _has_empty(xs):
    return any(np.size(x) == 0 for x in xs if np.asarray(x).dtype.kind == "f")


def _check_empty(c, xs, params):
    """Empty inputs (e.g. a zero-length slice scattered back): gradients exist, with the inputs' shapes."""
    vs = [Value(x) for x in xs]
    out = c.call(*vs, **params)
    if out.requires_grad:
        out.backward(np.ones(out.shape))
    for v in vs:
        if v.requires_grad:
            assert v.grad is not None and v.grad.shape == v.shape


@pytest.mark.parametrize("c", OPS, ids=IDS)
@given(data=st.data())
def test_first_derivatives(c, data):
    xs, params = data.draw(c.strategy())
    if _has_empty(xs):
        _check_empty(c, xs, params)
    gradcheck(_call(c, params), xs, **c.tol)


@pytest.mark.parametrize("c", [c for c in OPS if c.second_order], ids=[c.name for c in OPS if c.second_order])
@settings(max_examples=SECOND_ORDER_EXAMPLES)
@given(data=st.data())
def test_second_derivatives(c, data):
    xs, params = data.draw(c.strategy())
    f = _call(c, params)
    if _has_empty(xs) or f(*xs).size == 0:
        return _check_empty(c, xs, params)
    gradgradcheck(f, xs, **c.tol)


def _tensor(x):
    t = torch.from_numpy(np.array(x))
    if t.dtype.is_floating_point:
        t.requires_grad_(True)
    return t


@pytest.mark.parametrize("c", [c for c in OPS if c.torch], ids=[c.name for c in OPS if c.torch])
@given(data=st.data())
def test_against_torch(c, data):
    xs, params = data.draw(c.strategy())
    ts = [_tensor(x) for x in xs]
    expected = c.torch_fn()(*ts, **params)
    if expected is None:  # torch has no twin for these particular parameters
        return
    vs = [Value(x) for x in xs]
    out = c.call(*vs, **params)
    assert out.shape == tuple(expected.shape)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    cot = np.random.default_rng(0).standard_normal(out.shape)
    live = [(v, t) for v, t in zip(vs, ts) if t.requires_grad]
    if not live or not expected.requires_grad:
        return
    got = ag.gradients(out, [v for v, _ in live], cot, allow_unused=True)
    want = torch.autograd.grad(expected, [t for _, t in live], torch.from_numpy(cot), allow_unused=True)
    for g, w, (v, _) in zip(got, want, live):
        w = np.zeros(v.shape) if w is None else w.numpy()
        g = np.zeros(v.shape) if g is None else g.data
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("c", OPS, ids=IDS)
@settings(max_examples=DTYPE_EXAMPLES)
@given(data=st.data())
def test_float32_preserved(c, data):
    """float32 stays float32 through every op's forward and its gradient."""
    xs, params = data.draw(c.strategy())
    vs = [Value(np.asarray(x, np.float32)) if np.asarray(x).dtype.kind == "f" else x for x in xs]
    if c.name == "astype":
        params = {"dtype": np.float32}
    out = c.call(*vs, **params)
    assert out.dtype == np.float32, f"{c.name}: float32 inputs gave {out.dtype}"
    if out.requires_grad:
        out.backward(np.ones(out.shape, np.float32))
    for v in vs:
        if isinstance(v, Value) and v.grad is not None:
            assert v.grad.dtype == np.float32
            assert v.grad.shape == v.shape
