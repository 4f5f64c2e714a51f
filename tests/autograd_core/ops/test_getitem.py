"""getitem in all its forms: values match numpy, gradients scatter back (repeats add up)."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import IndexingError, Value
from autograd_core.gradcheck import gradcheck, gradgradcheck

X = np.arange(24.0).reshape(2, 3, 4) / 7.0

INDEXES = [
    1,
    -1,
    (1, 2),
    (0, slice(None), 3),
    slice(None, None, -1),
    (slice(None), slice(None, None, 2)),
    (Ellipsis, slice(1, None, -2)),
    (None, 0),
    (slice(None), None, 1, None),
    (Ellipsis, None),
    (0, Ellipsis, 2),
    np.array([1, 0, 1]),
    (slice(None), np.array([2, 2, 0])),
    (np.array([0, 1]), np.array([2, 0])),
    (np.array([[0], [1]]), slice(None), np.array([0, 3])),
    X > 1.5,
    (np.array([True, False]), Ellipsis),
    (slice(None), np.array([False, True, True])),
    (slice(0, 0),),
    (np.array([], dtype=np.int64),),
]


def _g(shape):
    return np.random.default_rng(1).standard_normal(shape)


@pytest.mark.parametrize("index", INDEXES, ids=repr)
def test_values_and_gradient_match_numpy(index):
    x = Value(X)
    y = x[index]
    np.testing.assert_array_equal(y.data, X[index])
    g = _g(y.shape)
    y.backward(g)
    expected = np.zeros_like(X)
    np.add.at(expected, index, g)
    np.testing.assert_allclose(x.grad, expected)


@pytest.mark.parametrize("index", [i for i in INDEXES if np.size(X[i])], ids=repr)
def test_first_and_second_derivatives(index):
    gradcheck(lambda v: v[index] * v[index], [X])
    gradgradcheck(lambda v: v[index] * v[index], [X])


def test_repeated_integer_indices_accumulate():
    x = Value(np.array([1.0, 2.0, 3.0]))
    x[np.array([0, 0, 2, 0])].sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 1.0])


def test_lists_and_value_indices_act_like_arrays():
    x = Value(X)
    np.testing.assert_array_equal(x[[1, 0]].data, X[[1, 0]])
    np.testing.assert_array_equal(x[Value(np.array([1, 1]))].data, X[np.array([1, 1])])
    mask = Value(X > 2)
    np.testing.assert_array_equal(x[mask].data, X[X > 2])
    np.testing.assert_array_equal(x[mask.data].data, X[X > 2])


def test_reusing_a_mutable_index_array_after_forward_does_not_change_the_gradient():
    idx = np.array([0, 1])
    x = Value(np.array([1.0, 2.0, 3.0]))
    y = x[idx].sum()
    idx[:] = 2
    y.backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0, 0.0])


@pytest.mark.parametrize("index", [5, (0, 0, 0, 0), np.array([3]), np.array([True, False, True])])
def test_bad_index_raises_indexing_error_naming_the_op(index):
    with pytest.raises(IndexingError, match="getitem"):
        Value(np.ones((2, 3)))[index]


def test_getitem_function_form_and_float32():
    x = Value(X.astype(np.float32))
    y = ag.getitem(x, (slice(None), np.array([0, 0])))
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad[:, 0], 2.0)
