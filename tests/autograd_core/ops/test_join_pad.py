"""concatenate, stack and pad: shapes and values against numpy, gradients sliced back, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import ShapeError, Value
from autograd_core.gradcheck import gradgradcheck
from autograd_core.testing import arrays, shapes

rng = np.random.default_rng(0)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_matches_numpy_and_splits_the_gradient(axis):
    parts = [rng.standard_normal((2, 3)) for _ in range(3)]
    vs = [Value(p) for p in parts]
    y = ag.concatenate(vs, axis=axis)
    np.testing.assert_array_equal(y.data, np.concatenate(parts, axis=axis))
    g = rng.standard_normal(y.shape)
    y.backward(g)
    for v, piece in zip(vs, np.split(g, 3, axis=axis)):
        np.testing.assert_array_equal(v.grad, piece)


def test_concatenate_mixes_constants_values_and_dtypes():
    a = Value(np.ones((1, 2), np.float32))
    b = Value(np.ones((2, 2), np.float32))
    y = ag.concatenate([a, np.zeros((1, 2), np.float32), b])
    assert y.shape == (4, 2) and y.dtype == np.float32
    (y * 2).sum().backward()
    assert a.grad.dtype == np.float32
    np.testing.assert_array_equal(b.grad, np.full((2, 2), 2.0))
    c = Value(np.ones(2))  # float64 with float32: promoted forward, each gradient in its own dtype
    z = ag.concatenate([a[0], c])
    assert z.dtype == np.float64
    z.sum().backward()
    assert c.grad.dtype == np.float64


def test_the_same_value_twice_accumulates():
    x = Value(np.array([1.0, 2.0]))
    (ag.concatenate([x, x, x]) * np.arange(6.0)).sum().backward()
    np.testing.assert_array_equal(x.grad, [0 + 2 + 4, 1 + 3 + 5])
    x.zero_grad()
    ag.stack([x, x], axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_stack_matches_numpy(axis):
    parts = [rng.standard_normal((2, 3)) for _ in range(4)]
    vs = [Value(p) for p in parts]
    y = ag.stack(vs, axis=axis)
    np.testing.assert_array_equal(y.data, np.stack(parts, axis=axis))
    g = rng.standard_normal(y.shape)
    y.backward(g)
    for i, v in enumerate(vs):
        np.testing.assert_array_equal(v.grad, np.take(g, i, axis=axis))


def test_second_derivatives_through_joins():
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    gradgradcheck(lambda x, y: ag.concatenate([x * y, y * y], axis=1), [a, b])
    gradgradcheck(lambda x, y: ag.stack([x * y, x], axis=-1) ** 2, [a, b])


@pytest.mark.parametrize(
    "call, msg",
    [
        (
            lambda: ag.concatenate([Value(np.ones((2, 3))), Value(np.ones((2, 4)))]),
            "concatenate.*\\(2, 3\\).*\\(2, 4\\)",
        ),
        (lambda: ag.concatenate([]), "concatenate"),
        (lambda: ag.concatenate([Value(1.0), Value(2.0)]), "zero-dimensional"),
        (lambda: ag.stack([Value(np.ones(2)), Value(np.ones(3))]), "stack.*\\(2,\\).*\\(3,\\)"),
        (lambda: ag.stack([]), "stack"),
    ],
)
def test_join_errors_name_the_op_and_shapes(call, msg):
    with pytest.raises(ShapeError, match=msg):
        call()


@pytest.mark.parametrize("pad_width", [0, 2, (1, 2), ((0, 1), (2, 0)), [[1, 1], [0, 3]], ((1,), (2,))])
@pytest.mark.parametrize("value", [0.0, -2.5])
def test_pad_matches_numpy_and_slices_the_gradient_back(pad_width, value):
    x0 = rng.standard_normal((2, 3))
    x = Value(x0)
    y = ag.pad(x, pad_width, value=value)
    np.testing.assert_array_equal(y.data, np.pad(x0, pad_width, constant_values=value))
    g = rng.standard_normal(y.shape)
    y.backward(g)
    (b0, _), (b1, _) = np.broadcast_to(np.asarray(pad_width), (2, 2))
    np.testing.assert_array_equal(x.grad, g[b0 : b0 + 2, b1 : b1 + 3])


@given(arrays(shapes(min_dims=1, max_dims=3, max_side=3)), st.integers(0, 2), st.integers(0, 2))
def test_pad_second_derivatives(x, before, after):
    gradgradcheck(lambda v: ag.pad(v * v, (before, after), value=1.0), [x])


@pytest.mark.parametrize("pad_width", [-1, (1, -1), ((1, 1), (1, 1), (1, 1)), 1.5, ((1, 2, 3),)])
def test_pad_rejects_bad_widths(pad_width):
    with pytest.raises(ShapeError, match="pad"):
        ag.pad(Value(np.ones((2, 3))), pad_width)


def test_pad_keeps_float32():
    x = Value(np.ones((2, 2), np.float32))
    y = ag.pad(x, 1, value=3.0)
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32
