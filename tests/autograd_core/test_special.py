"""ops.special at the extremes: +-1000 and +-inf under np.errstate(raise), dtypes, empty inputs.

(Finite differences and PyTorch float64 over hypothesis-drawn inputs are in the op sweep,
tests/autograd_core/ops/test_op_sweep.py, driven by autograd_core/opdb/.)
"""

import numpy as np
import pytest
import scipy.special
import torch
import torch.nn.functional as F

import autograd_core as ag
from autograd_core import Value

INF = np.inf
EXTREMES = np.array([-INF, -1000.0, -30.0, -1.0, 0.0, 1.0, 30.0, 1000.0, INF])
RAISE = {"over": "raise", "invalid": "raise", "divide": "raise"}


def value_and_grad(op, x, *rest, **params):
    v = Value(x)
    with np.errstate(**RAISE):
        out = op(v, *rest, **params)
        out.backward(np.ones(out.shape))
    return out.data, v.grad


def _ref_softplus(x):
    return np.where(x > 0, x + np.log1p(np.exp(-np.abs(x))), np.log1p(np.exp(-np.abs(x))))


def _ref_sigmoid(x):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


@pytest.mark.parametrize(
    "op, value, grad",
    [
        (ag.softplus, _ref_softplus, _ref_sigmoid),
        (ag.log_sigmoid, lambda x: -_ref_softplus(-x), lambda x: _ref_sigmoid(-x)),
        (ag.erf, scipy.special.erf, lambda x: 2 / np.sqrt(np.pi) * np.exp(-np.minimum(x * x, 1e4))),
    ],
    ids=["softplus", "log_sigmoid", "erf"],
)
def test_elementwise_extremes(op, value, grad):
    out, g = value_and_grad(op, EXTREMES)
    with np.errstate(over="ignore", invalid="ignore"):
        np.testing.assert_allclose(out, value(EXTREMES), rtol=1e-12)
        np.testing.assert_allclose(g, grad(EXTREMES), rtol=1e-12, atol=1e-300)
    assert np.all(np.isfinite(g))
    finite = np.isfinite(EXTREMES)
    assert np.all(np.isfinite(out[finite]))


def test_softplus_and_log_sigmoid_limits():
    out, _ = value_and_grad(ag.softplus, EXTREMES)
    assert out[0] == 0 and out[-1] == INF and out[-2] == 1000.0
    out, _ = value_and_grad(ag.log_sigmoid, EXTREMES)
    assert out[0] == -INF and out[1] == -1000.0 and out[-1] == 0


def test_expm1_log1p_on_their_domains():
    x = np.array([-INF, -1000.0, -1e-10, 0.0, 1e-10, 1.0])
    out, g = value_and_grad(ag.expm1, x)
    np.testing.assert_allclose(out, np.expm1(x), rtol=1e-15)
    np.testing.assert_allclose(g, np.exp(x), rtol=1e-15)
    y = np.array([-0.5, -1e-12, 0.0, 1e-12, 1000.0, INF])
    out, g = value_and_grad(ag.log1p, y)
    np.testing.assert_allclose(out, np.log1p(y), rtol=1e-15)
    np.testing.assert_allclose(g, 1 / (1 + y), rtol=1e-15)


def _torch_softmax_ref(x, axis, log=False):
    t = torch.tensor(x)
    return (torch.log_softmax if log else torch.softmax)(t, dim=axis).numpy()


@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
def test_softmax_family_at_1000(log):
    x = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0], [1000.0, 999.0, 1000.0]])
    op = ag.log_softmax if log else ag.softmax
    w = np.arange(9.0).reshape(3, 3)
    v = Value(x)
    with np.errstate(**RAISE):
        out = op(v, axis=1)
        (out * w).sum().backward()
    np.testing.assert_allclose(out.data, _torch_softmax_ref(x, 1, log), rtol=1e-12, atol=1e-300)
    t = torch.tensor(x, requires_grad=True)
    ((torch.log_softmax if log else torch.softmax)(t, dim=1) * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(v.grad, t.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_softmax_with_infinities():
    # -inf entries are masked out; a row with +inf entries shares its mass evenly among them (the limit).
    x = np.array([[0.0, -INF, 0.0], [INF, 5.0, -INF], [INF, INF, 0.0]])
    out, g = value_and_grad(ag.softmax, x, axis=1)
    np.testing.assert_array_equal(out, [[0.5, 0, 0.5], [1, 0, 0], [0.5, 0.5, 0]])
    assert np.all(np.isfinite(g))
    out, g = value_and_grad(ag.log_softmax, x, axis=1)
    assert out[0, 1] == -INF and out[1, 0] == 0 and out[1, 1] == -INF
    np.testing.assert_allclose(out[0, [0, 2]], np.log(0.5))
    np.testing.assert_allclose(out[2, :2], np.log(0.5))
    assert np.all(np.isfinite(g))


def test_softmax_row_of_only_minus_inf_is_nan_like_pytorch():
    x = np.array([[-INF, -INF], [0.0, 1.0]])
    out, _ = value_and_grad(ag.softmax, x, axis=1)
    assert np.isnan(out[0]).all() and np.isfinite(out[1]).all()
    assert torch.softmax(torch.tensor(x), dim=1)[0].isnan().all()


def test_softmax_of_empty_and_float32():
    out = ag.softmax(Value(np.zeros((0, 3))), axis=1)
    assert out.shape == (0, 3)
    x32 = Value(np.array([[1000.0, 0.0], [1.0, 2.0]], dtype=np.float32))
    for op in (ag.softmax, ag.log_softmax):
        y = op(x32, axis=-1)
        y.sum().backward()
        assert y.dtype == np.float32 and x32.grad.dtype == np.float32
        x32.grad = None
    for op in (ag.softplus, ag.log_sigmoid, ag.erf, ag.expm1, ag.log1p):
        assert op(Value(np.ones(2, dtype=np.float32))).dtype == np.float32


def test_erf_gradient_does_not_overflow_in_float32():
    x = Value(np.array([-1e30, 1e20, 0.0], dtype=np.float32))
    with np.errstate(**RAISE):
        ag.erf(x).sum().backward()
    np.testing.assert_allclose(x.grad, [0, 0, 2 / np.sqrt(np.pi)], rtol=1e-6)


def test_softmax_cross_entropy_gradient_is_softmax_minus_onehot():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, 4)) * 3
    onehot = np.eye(4)[rng.integers(0, 4, 5)]
    v = Value(x)
    ag.softmax_cross_entropy(v, onehot, axis=1).sum().backward()
    np.testing.assert_allclose(v.grad, scipy.special.softmax(x, axis=1) - onehot, rtol=1e-12, atol=1e-15)


def test_softmax_cross_entropy_at_extremes():
    x = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0], [INF, 0.0, -INF], [0.0, -INF, 1.0]])
    q = np.array([[1.0, 0, 0], [1.0, 0, 0], [1.0, 0, 0], [0.5, 0, 0.5]])
    out, g = value_and_grad(ag.softmax_cross_entropy, x, q, axis=1)
    np.testing.assert_allclose(out[:2], [0.0, 2000.0])
    assert out[2] == 0  # +inf logit on the target: a perfect prediction, not NaN
    np.testing.assert_allclose(out[3], -0.5 * (np.log(1 / (1 + np.e)) + np.log(np.e / (1 + np.e))))
    np.testing.assert_allclose(g[:3], [[0, 0, 0], [-1, 1, 0], [0, 0, 0]], atol=1e-300)
    assert np.all(np.isfinite(g))


def test_sigmoid_cross_entropy_at_extremes():
    x = np.array([-INF, -INF, -1000.0, -1000.0, 0.0, 1000.0, 1000.0, INF, INF])
    t = np.array([0.0, 1.0, 0.0, 1.0, 0.5, 1.0, 0.0, 1.0, 0.0])
    for pw in (None, np.array(3.0)):
        out, g = value_and_grad(ag.sigmoid_cross_entropy, x, t, pos_weight=pw)
        lw = 1 if pw is None else 1 + (pw - 1) * t
        np.testing.assert_array_equal(out[[0, 1, 7, 8]], [0, INF, 0, INF])  # the limits, never NaN
        ref = F.binary_cross_entropy_with_logits(
            torch.tensor(x[2:7]),
            torch.tensor(t[2:7]),
            pos_weight=None if pw is None else torch.tensor(pw),
            reduction="none",
        )
        np.testing.assert_allclose(out[2:7], ref.numpy(), rtol=1e-12)
        assert np.all(np.isfinite(g))
        np.testing.assert_allclose(g, (1 - t) - lw * _ref_sigmoid(-x), atol=1e-300)


def test_bce_at_probabilities_zero_and_one_matches_pytorch():
    p = np.array([0.0, 0.0, 1.0, 1.0, 0.5, 1e-50])
    t = np.array([0.0, 1.0, 0.0, 1.0, 0.3, 1.0])
    out, g = value_and_grad(ag.binary_cross_entropy, p, t)
    tp = torch.tensor(p, requires_grad=True)
    ref = F.binary_cross_entropy(tp, torch.tensor(t), reduction="none")
    ref.sum().backward()
    np.testing.assert_allclose(out, ref.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(g, tp.grad.numpy(), rtol=1e-12)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(g)) and out[1] == 100.0


def test_bce_gradient_with_respect_to_target_is_clamped_log_ratio():
    p = np.array([0.0, 0.25, 1.0])
    t = Value(np.array([0.5, 0.5, 0.5]))
    with np.errstate(**RAISE):
        ag.binary_cross_entropy(p, t).sum().backward()
    np.testing.assert_allclose(t.grad, [0 - -100, np.log(0.75) - np.log(0.25), -100 - 0], rtol=1e-12)


def test_special_ops_are_in_the_registry():
    for name in ("softplus", "log_sigmoid", "softmax", "log_softmax", "erf", "expm1", "log1p"):
        assert name in ag.REGISTRY
    for name in ("softmax_cross_entropy", "sigmoid_cross_entropy", "binary_cross_entropy"):
        assert ag.REGISTRY[name].kind == "special"
