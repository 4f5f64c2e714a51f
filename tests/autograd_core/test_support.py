"""Structural zeros (autograd_core/support.py): a gradient that is exactly zero because the output does
not depend on an input there stays zero through elementwise ops whose derivative is inf or NaN."""

import numpy as np
import pytest
import torch

import autograd_core as ag
import nn.functional as F
from autograd_core import Value


def _grad(f, x, create_graph=False):
    v = Value(np.asarray(x, dtype=np.float64))
    with np.errstate(all="ignore"):  # the unselected branches warn in numpy; their values are discarded
        (g,) = ag.gradients(f(v).sum(), [v], create_graph=create_graph)
    return v, g


@pytest.mark.parametrize(
    ("f", "x", "want"),
    [
        (lambda x: ag.where(x.data > 0, ag.sqrt(x), x), [-1.0, 0.0, 4.0], [1.0, 1.0, 0.25]),  # the case
        (lambda x: ag.where(x.data > 0, ag.log(x), 0.0), [0.0, -2.0, 2.0], [0.0, 0.0, 0.5]),
        (lambda x: ag.where(x.data < 30, ag.exp(x * 30), 0.0), [100.0, 0.0], [0.0, 30.0]),  # exp overflowed
        (lambda x: ag.where(x.data > 0, ag.arcsin(x - 1), x), [-3.0, 1.0], [1.0, 1.0]),  # arcsin of -4: NaN
        (lambda x: ag.where(x.data != 0, 1 / x, 0.0), [0.0, 2.0], [0.0, -0.25]),
        (lambda x: ag.log(x)[1:], [0.0, 1.0], [0.0, 1.0]),  # indexing picks the finite part
        (lambda x: ag.index_put(ag.log(x), (np.array([0]),), 0.0), [0.0, 1.0], [0.0, 1.0]),  # log(0) overwritten
        (lambda x: ag.maximum(ag.log(x), -10.0), [0.0, 1.0], [0.0, 1.0]),
        (lambda x: ag.log(x).max(), [0.0, 1.0], [0.0, 1.0]),
        (lambda x: ag.clip(ag.sqrt(x), 1.0, 2.0), [0.0, 2.25], [0.0, 1 / 3]),
        (lambda x: ag.where(x.data > 0, ag.sqrt(x) * 2 + 1, x).tanh(), [-1.0], [1 - np.tanh(-1.0) ** 2]),  # a chain
    ],
)
def test_unselected_branches_and_picks_have_exactly_zero_gradient(f, x, want):
    _, g = _grad(f, x)
    np.testing.assert_allclose(g.data, want, rtol=1e-12)


def test_pytorch_gives_nan_for_the_same_where():
    """The behaviour we change (PyTorch and JAX document it as a gotcha), so the test above means something."""
    t = torch.tensor([-1.0, 4.0], dtype=torch.float64, requires_grad=True)
    torch.where(t > 0, torch.sqrt(t), t).sum().backward()
    assert torch.isnan(t.grad[0])


def test_relu_declares_no_support():
    """Left out for speed (support.py): relu(sqrt(x) - 1) at 0 is NaN, as in PyTorch; the double where fixes it."""
    x = Value(np.array([0.0, 4.0]))
    ag.relu(ag.sqrt(x) - 1).sum().backward()
    assert np.isnan(x.grad[0]) and x.grad[1] == 0.25
    y = Value(np.array([0.0, 4.0]))
    safe = ag.where(y.data > 1, y, 1.0)
    ag.where(y.data > 1, ag.sqrt(safe) - 1, 0.0).sum().backward()
    np.testing.assert_array_equal(y.grad, [0.0, 0.25])


def test_a_support_ends_at_a_non_elementwise_op():
    """A matmul between the selection and the inf derivative passes the NaN through, as documented."""
    x = Value(np.array([-1.0, 4.0]))
    with np.errstate(invalid="ignore"):
        s = ag.sqrt(x)
        y = ag.where(x.data > 0, ag.matmul(np.eye(2), s), x)
    y.sum().backward()
    assert np.isnan(x.grad[0]) and x.grad[1] == pytest.approx(0.25)


def test_contributions_with_and_without_a_support_add_up():
    """d feeds a where's unselected branch (support: nowhere) and, elsewhere, an unrestricted path: the
    second contribution must survive (a stale support would zero it). Both orders of arrival."""
    for first in (True, False):
        x = Value(np.array([3.0]))
        d = x * 1.0
        sel = ag.where(np.array([False]), d * d, 0.0)
        other = ag.abs(d)
        loss = (sel + other).sum() if first else (other + sel).sum()
        loss.backward()
        np.testing.assert_array_equal(x.grad, [1.0])


def test_broadcast_condition_and_branch():
    x = Value(np.array([-1.0, 4.0]))  # (2,) against a (3, 2) condition
    cond = np.array([[True, True], [False, True], [True, True]])
    with np.errstate(invalid="ignore"):
        y = ag.where(cond & (x.data > 0), ag.sqrt(x), 2 * x)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [6.0, 0.75])


def test_second_derivatives_through_a_support():
    v, g = _grad(lambda x: ag.where(x.data > 0, ag.sqrt(x), x * x), [-1.0, 4.0], create_graph=True)
    np.testing.assert_allclose(g.data, [-2.0, 0.25])
    (h,) = ag.gradients(g.sum(), [v])
    np.testing.assert_allclose(h.data, [2.0, -1 / 32])


def test_anomaly_mode_is_quiet_where_the_support_applies():
    """The NaN of the unselected branch is in forward (made outside the mode here); backward makes none."""
    x = Value(np.array([-1.0, 4.0]))
    with np.errstate(invalid="ignore"):
        y = ag.where(x.data > 0, ag.sqrt(x), x)
    with ag.detect_anomaly():
        y.sum().backward()  # no NaN is produced in backward
    np.testing.assert_allclose(x.grad, [1.0, 0.25])


def test_normalize_of_a_zero_vector_matches_pytorch():
    """F.normalize divides by max(norm, eps): at 0 the norm's branch is unselected, so its inf derivative
    no longer turns the gradient into NaN."""
    x = Value(np.zeros((2, 3)))
    F.normalize(x, dim=1).sum().backward()
    t = torch.zeros(2, 3, dtype=torch.float64, requires_grad=True)
    torch.nn.functional.normalize(t, dim=1).sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy())


@pytest.mark.parametrize("e", [np.float32(0), np.array(0.0), Value(0.0), 0.0, 0])
def test_x_to_the_zero_at_zero_has_gradient_zero(e):
    """The issue's instances: x ** e at x = 0 for every spelling of a zero exponent (NaN before)."""
    x = Value(0.0)
    (x**e).backward()
    assert x.grad == 0.0
    if isinstance(e, Value):
        assert e.grad == 0.0  # d/de 0 ** e at e = 0: PyTorch's 0


@pytest.mark.parametrize("tracked", [False, True])
def test_clip_with_equal_bounds_is_constant(tracked):
    """clip(x, 1, 1) is 1 whatever x is: gradient 0 for x (it was 1 at x = 1); with bounds that require
    grad, the output follows max (numpy's order), so max gets the gradient."""
    x = Value(np.array([0.5, 1.0, 2.0]))
    lo, hi = (Value(1.0), Value(1.0)) if tracked else (1.0, 1.0)
    ag.clip(x, lo, hi).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 0.0])
    if tracked:
        assert lo.grad in (None, 0.0) and hi.grad == 3.0
