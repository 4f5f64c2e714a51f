"""The fixed conventions (shared/DESIGN.md): kinks, ties, dtypes, comparisons."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Value


def grad_of(f, x):
    v = Value(np.asarray(x, dtype=np.float64))
    f(v).sum().backward()
    return v.grad


def test_relu_and_abs_have_zero_slope_at_zero():
    np.testing.assert_array_equal(grad_of(ag.relu, [-1.0, 0.0, 2.0]), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(grad_of(abs, [-1.0, 0.0, 2.0]), [-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(grad_of(lambda v: v.relu(), np.zeros(3)), np.zeros(3))


@pytest.mark.parametrize("reduce", [ag.max, ag.min])
def test_max_and_min_reductions_split_ties_evenly(reduce):
    x = [2.0, 2.0, 2.0, 1.0] if reduce is ag.max else [1.0, 1.0, 1.0, 2.0]
    np.testing.assert_allclose(grad_of(reduce, x), [1 / 3, 1 / 3, 1 / 3, 0.0])
    rows = np.array([[1.0, 5.0, 5.0], [4.0, 4.0, 0.0]])
    if reduce is ag.min:
        rows = -rows
    np.testing.assert_allclose(grad_of(lambda v: reduce(v, axis=1), rows), [[0, 0.5, 0.5], [0.5, 0.5, 0]])
    np.testing.assert_allclose(grad_of(lambda v: reduce(v, axis=0, keepdims=True), rows[:, :2]), [[0, 1], [1, 0]])


def test_maximum_and_minimum_split_a_tie_between_the_operands():
    x, y = Value(np.array([1.0, 2.0, 3.0])), Value(np.array([1.0, 1.0, 4.0]))
    ag.maximum(x, y).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.5, 1.0, 0.0])
    np.testing.assert_array_equal(y.grad, [0.5, 0.0, 1.0])
    x.zero_grad(), y.zero_grad()
    ag.minimum(x, y).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.5, 0.0, 1.0])
    np.testing.assert_array_equal(y.grad, [0.5, 1.0, 0.0])


def test_max_pooling_window_max_routes_to_the_first_maximum():
    from autograd_core import window_max

    x = Value(np.array([[3.0, 1.0, 3.0], [2.0, 2.0, 0.0]]))
    window_max(x, nwin=1).sum().backward()
    np.testing.assert_array_equal(x.grad, [[1, 0, 0], [1, 0, 0]])


def test_clip_passes_the_gradient_inside_and_on_the_bounds():
    np.testing.assert_array_equal(
        grad_of(lambda v: ag.clip(v, -1.0, 1.0), [-2.0, -1.0, 0.0, 1.0, 2.0]), [0, 1, 1, 1, 0]
    )
    np.testing.assert_array_equal(grad_of(lambda v: v.clip(max=0.0), [-1.0, 1.0]), [1, 0])
    np.testing.assert_array_equal(grad_of(lambda v: ag.clip(v), [-1.0, 1.0]), [1, 1])  # numpy: no bounds, identity


def test_where_routes_the_gradient_by_the_condition():
    x, y = Value(np.ones(3)), Value(np.ones(3))
    cond = np.array([True, False, True])
    ag.where(cond, x, y).sum().backward()
    np.testing.assert_array_equal(x.grad, cond.astype(float))
    np.testing.assert_array_equal(y.grad, (~cond).astype(float))


def test_comparisons_return_plain_bool_arrays():
    x = Value(np.array([1.0, 2.0, 3.0]))
    for r in (x < 2, x <= 2, x > 2, x >= 2, x == 2, x != 2, x < Value(np.full(3, 2.0)), x > 2):
        assert type(r) is np.ndarray and r.dtype == np.bool_
    np.testing.assert_array_equal(x > 1.5, [False, True, True])


FLOAT32_CASES = {
    "scalar ops": lambda v: (2 * v + 1.5) / 3 - v**2 + v**0.5,
    "value pow": lambda v: v ** (v * 0.5),
    "unary": lambda v: ag.exp(v) + ag.log(v) + ag.sqrt(v) + ag.tanh(v) + ag.sigmoid(v) + ag.relu(v) + abs(v),
    "binary with numbers": lambda v: ag.maximum(v, 0.5) + ag.minimum(0.5, v) + ag.where(v > 1, v, 0.0),
    "clip": lambda v: v.clip(0.2, 1.0),
    "reductions": lambda v: v.sum(0) + v.mean(0) + v.max(0).values + v.min(axis=0) + v.logsumexp(0),
    "shape": lambda v: v.T.reshape(-1)[::2] + v.flatten()[1::2],
    "matmul": lambda v: v @ v.T,
    "join": lambda v: ag.concatenate([v, v]) + ag.stack([v, v]).sum(0).reshape(-1)[:4].reshape(2, 2).sum() * 0,
}


@pytest.mark.parametrize("name", FLOAT32_CASES)
def test_float32_stays_float32_forward_and_backward(name):
    v = Value(np.array([[0.5, 1.5], [2.0, 0.25]], dtype=np.float32))
    out = FLOAT32_CASES[name](v)
    assert out.dtype == np.float32, name
    out.sum().backward()
    assert v.grad.dtype == np.float32


def test_astype_round_trip_casts_the_gradient_back():
    v = Value(np.ones(3, np.float32))
    w = v.astype(np.float64)
    assert w.dtype == np.float64
    (w * 2).sum().backward()
    assert v.grad.dtype == np.float32
    np.testing.assert_array_equal(v.grad, [2, 2, 2])
