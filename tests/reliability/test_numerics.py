"""Numerics under np.errstate(all raise): stable ops at +-1000 and +-inf, kink conventions, x**2 at 0.

Every test runs with numpy's floating-point warnings turned into errors, so an overflow, a 0/0 or a
log(0) anywhere in a forward or backward fails the test even when the final number looks right.
"""

import numpy as np
import pytest
import torch

import autograd_core as ag
import nn
from autograd_core import Value
from nn import functional as F

INF = np.inf


@pytest.fixture(autouse=True)
def strict_floats():
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        yield


def _grad(f, x, seed=None):
    """Value and gradient of sum(seed * f(x)) (seed defaults to ones)."""
    v = Value(np.array(x, dtype=np.float64))
    out = f(v)
    w = np.ones(out.shape) if seed is None else np.asarray(seed, dtype=np.float64)
    (out * w).sum().backward()
    return out.data, v.grad


def _torch(f, x, seed=None):
    t = torch.tensor(np.array(x, dtype=np.float64), requires_grad=True)
    out = f(t)
    w = torch.ones_like(out) if seed is None else torch.tensor(np.asarray(seed, dtype=np.float64))
    (out * w).sum().backward()
    return out.detach().numpy(), t.grad.numpy()


ROWS = [
    [1000.0, 0.0, -1000.0],
    [-1000.0, -1000.0, 0.0],
    [1000.0, 1000.0, 1000.0],
    [-1000.0, -999.0, -1000.0],
    [-INF, 0.0, 1.0],
    [-INF, -INF, 5.0],
]
SEED = [0.3, -1.2, 2.0]


@pytest.mark.parametrize("row", ROWS, ids=str)
@pytest.mark.parametrize(
    "name, ours, theirs",
    [
        ("softmax", lambda v: F.softmax(v, dim=-1), lambda t: torch.softmax(t, -1)),
        ("log_softmax", lambda v: F.log_softmax(v, dim=-1), lambda t: torch.log_softmax(t, -1)),
        ("ag.softmax", lambda v: ag.ops.special.softmax(v, axis=-1), lambda t: torch.softmax(t, -1)),
        ("logsumexp", lambda v: v.logsumexp(axis=-1), lambda t: torch.logsumexp(t, -1)),
    ],
)
def test_softmax_family_at_extremes(row, name, ours, theirs):
    seed = None if name == "logsumexp" else np.abs(SEED) if -INF in row else SEED  # no -inf * (+-w) in the sum
    out, g = _grad(ours, row, seed)
    t_out, t_g = _torch(theirs, row, seed)
    np.testing.assert_allclose(out, t_out, rtol=1e-12, atol=0)
    assert np.isfinite(g).all()
    np.testing.assert_allclose(g, t_g, rtol=1e-12, atol=1e-300)


def test_softmax_row_with_plus_inf_puts_its_mass_on_the_inf_entries():
    out, g = _grad(lambda v: F.softmax(v, dim=-1), [INF, 0.0, INF], SEED)
    np.testing.assert_array_equal(out, [0.5, 0.0, 0.5])
    assert np.isfinite(g).all()


X_EXT = [-INF, -1000.0, -50.0, 0.0, 50.0, 1000.0, INF]


@pytest.mark.parametrize(
    "name, ours, theirs, finite_out",
    [
        ("sigmoid", lambda v: v.sigmoid(), torch.sigmoid, True),
        ("nn sigmoid", F.sigmoid, torch.sigmoid, True),
        ("tanh", lambda v: v.tanh(), torch.tanh, True),
        ("log_sigmoid", F.log_sigmoid, torch.nn.functional.logsigmoid, False),
        ("softplus", F.softplus, torch.nn.functional.softplus, False),
    ],
)
def test_elementwise_at_extremes(name, ours, theirs, finite_out):
    out, g = _grad(ours, X_EXT)
    t_out, t_g = _torch(theirs, X_EXT)
    np.testing.assert_allclose(out, t_out, rtol=1e-12)
    assert np.isfinite(g).all(), g
    np.testing.assert_allclose(g, t_g, rtol=1e-12, atol=1e-300)
    if finite_out:
        assert np.isfinite(out).all()


@pytest.mark.parametrize("log_sigmoid", [F.log_sigmoid, ag.ops.special.log_sigmoid], ids=["nn", "op"])
@pytest.mark.parametrize("softplus", [F.softplus, ag.ops.special.softplus], ids=["nn", "op"])
def test_log_sigmoid_and_softplus_exact_limits(log_sigmoid, softplus):
    out, g = _grad(log_sigmoid, [-INF, -1000.0, 0.0, 1000.0, INF])
    np.testing.assert_array_equal(out, [-INF, -1000.0, -np.log(2.0), 0.0, 0.0])
    np.testing.assert_array_equal(g, [1.0, 1.0, 0.5, 0.0, 0.0])
    out, g = _grad(softplus, [-INF, -1000.0, 0.0, 1000.0, INF])
    np.testing.assert_array_equal(out, [0.0, 0.0, np.log(2.0), 1000.0, INF])
    np.testing.assert_array_equal(g, [0.0, 0.0, 0.5, 1.0, 1.0])


@pytest.mark.parametrize(
    "row, value, grad",
    [
        ([INF, 1000.0, INF], INF, [0.5, 0.0, 0.5]),
        ([-INF, -INF, -INF], -INF, [1 / 3, 1 / 3, 1 / 3]),  # the diagonal limit, as logaddexp(-inf, -inf)
        ([1000.0, 0.0, -1000.0], 1000.0, [1.0, 0.0, 0.0]),
        ([-INF, 0.0, 0.0], np.log(2.0), [0.0, 0.5, 0.5]),
    ],
)
def test_logsumexp_limits(row, value, grad):
    out, g = _grad(lambda v: v.logsumexp(axis=-1), row)
    assert out == value
    np.testing.assert_array_equal(g, grad)


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_bce_at_probabilities_exactly_zero_and_one(reduction):
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    t = np.array([0.0, 1.0, 1.0, 0.0, 0.5])
    out, g = _grad(lambda v: F.binary_cross_entropy(v, t, reduction=reduction), p)
    t_out, t_g = _torch(lambda x: torch.nn.functional.binary_cross_entropy(x, torch.tensor(t), reduction=reduction), p)
    assert np.isfinite(out).all() and np.isfinite(g).all()
    np.testing.assert_allclose(out, t_out, rtol=1e-12)
    np.testing.assert_allclose(g, t_g, rtol=1e-12)
    if reduction == "none":
        np.testing.assert_allclose(out[:4], [0.0, 0.0, 100.0, 100.0])  # logs clamped at -100, as PyTorch


LOGITS = np.array([-INF, -1000.0, -1.0, 0.0, 1.0, 1000.0, INF])


@pytest.mark.parametrize("target", [0.0, 1.0, 0.25])
def test_bce_with_logits_at_extremes(target):
    t = np.full(LOGITS.shape, target)
    out, g = _grad(lambda v: F.binary_cross_entropy_with_logits(v, t, reduction="none"), LOGITS)
    t_out, t_g = _torch(
        lambda x: torch.nn.functional.binary_cross_entropy_with_logits(x, torch.tensor(t), reduction="none"), LOGITS
    )
    fin = np.isfinite(LOGITS)
    np.testing.assert_allclose(out[fin], t_out[fin], rtol=1e-12)  # PyTorch is NaN at some infinite logits
    assert np.isfinite(out[fin]).all() and np.isfinite(g).all()
    np.testing.assert_allclose(g[fin], t_g[fin], rtol=1e-12)
    # the limits at -inf and +inf: loss 0 for a certain correct prediction, inf for a wrong one;
    # gradient sigmoid(x) - t, i.e. -t and 1 - t
    expected = {0.0: [0.0, INF], 1.0: [INF, 0.0], 0.25: [INF, INF]}[target]
    np.testing.assert_array_equal(out[~fin], expected)
    np.testing.assert_array_equal(g[~fin], [-target, 1 - target])


def test_bce_with_logits_pos_weight_at_extremes():
    t = np.array([1.0, 0.0, 1.0, 0.0])
    x = np.array([1000.0, -1000.0, -1000.0, 1000.0])
    pw = np.array([3.0])
    out, g = _grad(lambda v: F.binary_cross_entropy_with_logits(v, t, reduction="none", pos_weight=pw), x)
    t_out, t_g = _torch(
        lambda z: torch.nn.functional.binary_cross_entropy_with_logits(
            z, torch.tensor(t), reduction="none", pos_weight=torch.tensor(pw)
        ),
        x,
    )
    np.testing.assert_allclose(out, t_out, rtol=1e-12)
    np.testing.assert_allclose(g, t_g, rtol=1e-12)


@pytest.mark.parametrize(
    "logits, target",
    [
        ([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]], [0, 0]),
        ([[-1000.0, -1000.0, -1000.0]], [2]),
        ([[0.0, -INF, 3.0], [-INF, 1.0, -INF]], [2, 1]),
        ([[1000.0, -INF, -1000.0]], [2]),
    ],
    ids=str,
)
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_cross_entropy_at_extremes(logits, target, reduction):
    y = np.array(target)
    out, g = _grad(lambda v: F.cross_entropy(v, y, reduction=reduction), logits)
    t_out, t_g = _torch(lambda z: torch.nn.functional.cross_entropy(z, torch.tensor(y), reduction=reduction), logits)
    assert np.isfinite(out).all() and np.isfinite(g).all()
    np.testing.assert_allclose(out, t_out, rtol=1e-12)
    np.testing.assert_allclose(g, t_g, rtol=1e-12, atol=1e-300)


def test_cross_entropy_with_probability_targets_and_minus_inf_logits():
    """0 * log(0) counts as 0 (PyTorch returns NaN here): loss and gradient softmax - q are finite."""
    x = [[0.0, -INF, 2.0]]
    q = np.array([[0.5, 0.0, 0.5]])
    out, g = _grad(lambda v: F.cross_entropy(v, q), x)
    lse = np.log1p(np.exp(2.0))
    np.testing.assert_allclose(out, 0.5 * lse + 0.5 * (lse - 2.0), rtol=1e-12)
    p = np.array([1.0, 0.0, np.exp(2.0)]) / (1 + np.exp(2.0))
    np.testing.assert_allclose(g, [p - q[0]], rtol=1e-12)


# -- kink conventions (shared/DESIGN.md) -------------------------------------------------------------


def test_relu_and_abs_derivative_at_zero_is_zero():
    _, g = _grad(lambda v: v.relu(), [-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(g, [0.0, 0.0, 1.0])
    _, g = _grad(lambda v: abs(v), [-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(g, [-1.0, 0.0, 1.0])
    _, g = _grad(F.relu, [0.0])
    np.testing.assert_array_equal(g, [0.0])


def test_max_min_reductions_split_ties_evenly():
    _, g = _grad(lambda v: v.max(), [1.0, 3.0, 3.0, 3.0])
    np.testing.assert_allclose(g, [0.0, 1 / 3, 1 / 3, 1 / 3])
    _, g = _grad(lambda v: v.min(axis=1), [[2.0, 2.0], [1.0, 5.0]])
    np.testing.assert_allclose(g, [[0.5, 0.5], [1.0, 0.0]])
    _, g = _grad(lambda v: ag.maximum(v, 2.0), [1.0, 2.0, 3.0])
    np.testing.assert_allclose(g, [0.0, 0.5, 1.0])
    _, g = _grad(lambda v: ag.minimum(v, 2.0), [1.0, 2.0, 3.0])
    np.testing.assert_allclose(g, [1.0, 0.5, 0.0])


def test_max_pooling_routes_to_the_first_maximum():
    x = np.array([[[[1.0, 1.0], [1.0, 1.0]]]])
    _, g = _grad(lambda v: F.max_pool2d(v, 2), x)
    np.testing.assert_array_equal(g, [[[[1.0, 0.0], [0.0, 0.0]]]])


def test_clip_boundary_passes_the_gradient_like_pytorch():
    x = [-1.0, 0.0, 0.5, 1.0, 2.0]
    _, g = _grad(lambda v: v.clip(0.0, 1.0), x)
    _, t_g = _torch(lambda t: t.clamp(0.0, 1.0), x)
    np.testing.assert_array_equal(g, t_g)


@pytest.mark.parametrize(
    "f, expected",
    [
        (lambda v: v**2, 0.0),
        (lambda v: v**3, 0.0),
        (lambda v: v**1, 1.0),
        (lambda v: v**0, 0.0),
        (lambda v: v ** Value(2.0, requires_grad=False), 0.0),
        (lambda v: v * v, 0.0),
        (lambda v: ag.pow(v, 2.0), 0.0),
    ],
    ids=["**2", "**3", "**1", "**0", "**Value(2)", "x*x", "ag.pow"],
)
def test_power_at_zero_has_exact_gradient_and_no_nan(f, expected):
    out, g = _grad(f, [0.0, 0.0])
    assert np.isfinite(out).all()
    np.testing.assert_array_equal(g, [expected, expected])


def test_power_with_value_exponent_at_zero_base():
    x = Value(np.array([0.0, 2.0]))
    y = Value(np.array(2.0))
    (x**y).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 4.0])
    np.testing.assert_allclose(y.grad, 4 * np.log(2.0))  # d(0**y)/dy taken as 0, not NaN


def test_second_derivative_of_square_at_zero():
    x = Value(0.0)
    (g,) = ag.gradients(x**2, x, create_graph=True)
    g.backward()
    assert g.item() == 0.0 and x.grad == 2.0


def test_nn_linear_relu_model_is_finite_at_extreme_inputs():
    model = nn.Sequential(nn.Linear(3, 4, dtype=np.float64, seed=0), nn.Linear(4, 2, dtype=np.float64, seed=1))
    x = np.array([[1000.0, -1000.0, 0.0]])
    loss = F.cross_entropy(model(x).relu() * 100, np.array([1]))
    loss.backward()
    assert np.isfinite(loss.item())
    assert all(np.isfinite(p.grad).all() for p in model.parameters())
