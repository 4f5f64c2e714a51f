"""The new elementwise ops at their special points, their spellings, and the `%` and `//` operators."""

import numpy as np
import pytest
import torch

import autograd_core as ag
from autograd_core import Value

INF = np.inf


def grads(f, *xs):
    vs = [Value(np.asarray(x, dtype=np.float64)) for x in xs]
    out = f(*vs)
    out.backward(np.ones(out.shape))
    return [v.grad for v in vs]


def test_hypot_and_arctan2_have_zero_gradient_at_the_origin():
    for f in (ag.hypot, ag.arctan2):
        gx, gy = grads(f, [0.0, 3.0], [0.0, 4.0])
        assert np.isfinite(gx).all() and np.isfinite(gy).all()
        np.testing.assert_array_equal([gx[0], gy[0]], [0.0, 0.0])
    gx, gy = grads(ag.hypot, [3.0], [4.0])
    np.testing.assert_allclose([gx[0], gy[0]], [0.6, 0.8])


def test_hypot_and_arctan2_gradients_stay_finite_for_huge_and_tiny_inputs():
    for scale in (1e200, 1e-200):
        gx, gy = grads(ag.hypot, [3 * scale], [4 * scale])
        np.testing.assert_allclose([gx[0], gy[0]], [0.6, 0.8])
        gy2, gx2 = grads(ag.arctan2, [4 * scale], [3 * scale])  # d/dy = x / r^2 = 3 / (25 scale)
        np.testing.assert_allclose([gy2[0] * scale, gx2[0] * scale], [3 / 25, -4 / 25])


def test_arcsinh_gradient_does_not_overflow():
    (g,) = grads(ag.arcsinh, [1e200, -1e200])
    np.testing.assert_allclose(g, [1e-200, 1e-200])


@pytest.mark.parametrize("f", [ag.logaddexp, ag.logaddexp2])
def test_logaddexp_is_stable_and_splits_equal_infinities(f):
    x, y = [1000.0, -INF, INF, -INF, 2.0], [1000.0, -INF, INF, 0.0, 2.0]
    out = f(Value(np.array(x)), Value(np.array(y)))
    assert out.data[0] > 1000 and out.data[1] == -INF and out.data[2] == INF
    gx, gy = grads(f, x, y)
    np.testing.assert_allclose(gx, [0.5, 0.5, 0.5, 0.0, 0.5])
    np.testing.assert_allclose(gy, [0.5, 0.5, 0.5, 1.0, 0.5])


@pytest.mark.parametrize("name", ["floor", "ceil", "trunc", "sign", "round"])
def test_rounding_and_sign_have_exactly_zero_gradient_even_at_their_jumps(name):
    x = [-1.5, -1.0, 0.0, 0.5, 2.0, 2.7]
    (g,) = grads(getattr(ag, name), x)
    np.testing.assert_array_equal(g, np.zeros(6))
    assert getattr(Value(np.array(x)), name)().data.tolist() == getattr(np, name)(x).tolist()


def test_round_takes_decimals_and_rounds_half_to_even():
    x = Value(np.array([0.5, 1.5, 2.5, 1.234, 15.0]))
    np.testing.assert_array_equal(ag.round(x).data, [0.0, 2.0, 2.0, 1.0, 15.0])
    np.testing.assert_array_equal(x.round(2).data, np.round(x.data, 2))
    np.testing.assert_array_equal(ag.round(x, decimals=-1).data, np.round(x.data, -1))
    with pytest.raises(TypeError, match="decimals"):
        ag.round(x, 0.5)


def test_percent_and_floor_division_follow_python_and_pytorch():
    x, y = np.array([5.5, -5.5, 5.5, -5.5]), np.array([2.0, 2.0, -2.0, -2.0])
    vx, vy = Value(x), Value(y)
    np.testing.assert_array_equal((vx % vy).data, [5.5 % 2, -5.5 % 2, 5.5 % -2, -5.5 % -2])
    np.testing.assert_array_equal((vx // vy).data, [5.5 // 2, -5.5 // 2, 5.5 // -2, -5.5 // -2])
    np.testing.assert_array_equal((7.0 % vy).data, np.remainder(7.0, y))
    np.testing.assert_array_equal(ag.fmod(vx, vy).data, np.fmod(x, y))
    for ours, theirs in ((lambda a, b: a % b, torch.remainder), (ag.fmod, torch.fmod)):
        gx, gy = grads(ours, x, y)
        tx, ty = (torch.tensor(a, requires_grad=True) for a in (x, y))
        theirs(tx, ty).sum().backward()
        np.testing.assert_array_equal(gx, tx.grad.numpy())
        np.testing.assert_array_equal(gy, ty.grad.numpy())


def test_integer_inputs_give_float_reciprocals():
    out = ag.reciprocal(np.array([1, 2, 4]))
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.data, [1.0, 0.5, 0.25])


ALIASES = [("asin", "arcsin"), ("acos", "arccos"), ("atan", "arctan"), ("atan2", "arctan2")]
ALIASES += [("asinh", "arcsinh"), ("acosh", "arccosh"), ("atanh", "arctanh"), ("mod", "remainder"), ("fix", "trunc")]


@pytest.mark.parametrize("short, long", ALIASES)
def test_pytorch_and_numpy_spellings_are_the_same_op(short, long):
    assert getattr(ag, short) is getattr(ag, long)
    if short != "mod":
        assert getattr(Value, short) is not None and getattr(Value, long) is not None
