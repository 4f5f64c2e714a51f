"""Value basics: metadata, operators on either side, in-place rebinding, micrograd's example, dtype rules."""

import operator

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import DTypeError, GraphError, Value


def test_micrograd_readme_example():
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    assert f"{g.data:.4f}" == "24.7041"
    g.backward()
    assert f"{a.grad:.4f}" == "138.8338"
    assert f"{b.grad:.4f}" == "645.5773"


def test_metadata():
    x = Value(np.arange(6.0).reshape(2, 3), name="x")
    assert x.shape == (2, 3) and x.ndim == 2 and x.size == 6 and x.dtype == np.float64
    assert len(x) == 2 and x.is_leaf and x.requires_grad and x.grad is None
    assert Value(2.5).item() == 2.5 and Value(2.5).shape == ()
    assert isinstance(x.numpy(), np.ndarray)
    np.testing.assert_array_equal(x.numpy(), np.arange(6.0).reshape(2, 3))
    assert float(Value(1.5)) == 1.5


def test_data_is_a_readonly_copy():
    src = np.ones(3)
    x = Value(src)
    src[0] = 5
    assert x.data[0] == 1
    with pytest.raises(ValueError):
        x.data[0] = 2


def test_detach_zero_grad_retain_grad():
    x = Value(np.array([1.0, 2.0]))
    y = x * 3
    d = y.detach()
    assert d.is_leaf and not d.requires_grad
    np.testing.assert_array_equal(d.data, y.data)
    y.retain_grad()
    (y * y).sum().backward()
    np.testing.assert_allclose(y.grad, 2 * y.data)
    np.testing.assert_allclose(x.grad, 18 * x.data)
    x.zero_grad()
    assert x.grad is None


def test_repr_is_readable():
    assert repr(Value(2.0)) == "Value(2.0, requires_grad=True)"
    r = repr(Value(np.ones((2, 2), np.float32)) * 2)
    assert "dtype=float32" in r and "op=mul" in r
    assert "dtype=int64" in repr(Value(np.arange(3)))
    big = repr(Value(np.zeros(1000)))
    assert "..." in big and len(big) < 200


OPS = [operator.add, operator.sub, operator.mul, operator.truediv]


@pytest.mark.parametrize("op", OPS, ids=lambda o: o.__name__)
@pytest.mark.parametrize("side", ["value-value", "value-array", "array-value", "value-number", "number-value"])
def test_binary_operators_on_either_side(op, side):
    a = np.array([1.5, -2.0, 3.0])
    b = np.array([0.5, 4.0, -1.25])
    va, vb = Value(a), Value(b)
    left, right = {
        "value-value": (va, vb),
        "value-array": (va, b),
        "array-value": (a, vb),
        "value-number": (va, 2.0),
        "number-value": (2.0, vb),
    }[side]
    out = op(left, right)
    assert isinstance(out, Value)
    expected = op(getattr(left, "data", left), getattr(right, "data", right))
    np.testing.assert_allclose(out.data, expected)
    out.sum().backward()
    for v in (va, vb):
        if v is left or v is right:
            assert v.grad is not None and v.grad.shape == v.shape


def test_pow_matmul_neg_abs():
    x = Value(np.array([1.0, -2.0, 3.0]))
    m = np.arange(6.0).reshape(3, 2)
    np.testing.assert_allclose((x**2).data, [1, 4, 9])
    np.testing.assert_allclose((2.0**x).data, 2.0 ** np.array([1.0, -2.0, 3.0]))
    np.testing.assert_allclose((x @ m).data, x.data @ m)
    np.testing.assert_allclose((m.T @ x).data, m.T @ x.data)
    np.testing.assert_allclose((-x).data, [-1, 2, -3])
    np.testing.assert_allclose(abs(x).data, [1, 2, 3])
    (abs(x) * (-x) + (x @ m).sum()).sum().backward()
    np.testing.assert_allclose(x.grad, -2 * np.abs(x.data) + 3 * m.sum(axis=1))


def test_comparisons_return_plain_bool_arrays():
    x = Value(np.array([1.0, 2.0, 3.0]))
    for r in (x < 2, x <= 2, x > 2, x >= 2, x == 2, x != 2, x > Value(np.ones(3))):
        assert type(r) is np.ndarray and r.dtype == bool


def test_inplace_operators_rebind():
    a = Value(1.0)
    c = a
    c += 1
    c *= 3
    c -= a
    c /= 2
    assert c is not a and a.data == 1.0
    assert c.item() == pytest.approx(2.5)
    c.backward()
    assert a.grad == pytest.approx(1.0)  # d/da ((a + 1) * 3 - a) / 2


def test_python_numbers_are_float64_and_float32_stays_float32():
    assert Value(3).dtype == np.float64 and Value(3).requires_grad
    x = Value(np.array([1.0, 2.0], np.float32))
    y = ((x * 2.0 + 1) ** 2 / 3.0 - 0.5).exp().log().tanh().sigmoid().sum()
    assert y.dtype == np.float32
    y.backward()
    assert x.grad.dtype == np.float32 and x.grad.shape == (2,)
    w = Value(np.ones((2, 3), np.float32))
    z = (x @ w).relu().mean()
    assert z.dtype == np.float32
    z.backward()
    assert w.grad.dtype == np.float32


def test_integer_and_bool_arrays_are_constants():
    idx = Value(np.arange(3))
    assert not idx.requires_grad and idx.dtype.kind == "i"
    assert not Value(np.array([True, False])).requires_grad
    with pytest.raises(DTypeError, match="int64"):
        Value(np.arange(3), requires_grad=True)
    with pytest.raises(TypeError):  # DTypeError is a TypeError
        Value(np.arange(3)).requires_grad_()
    x = Value(np.array([1.0, 2.0, 3.0]))
    y = (x * np.arange(3) + ag.where(np.array([True, False, True]), x, 0.0)).sum()
    y.backward()
    np.testing.assert_allclose(x.grad, [1.0, 1.0, 3.0])


def test_int_only_ops_record_nothing():
    out = Value(np.arange(3)) * 2
    assert out.dtype.kind == "i" and not out.requires_grad and out.is_leaf


def test_value_data_setter_swaps_array():
    x = Value(np.zeros(3))
    x.data = np.ones(3)
    np.testing.assert_array_equal(x.data, 1)
    assert not x.data.flags.writeable
    with pytest.raises(ag.GraphError, match="shape"):
        x.data = np.ones(4)


def test_deepcopy_gives_an_independent_read_only_leaf():
    import copy

    v = Value(np.array([1.0, 2.0]), name="v")
    (v * 3).sum().backward()
    w = copy.deepcopy(v)
    assert w is not v and w.name == "v" and w.requires_grad
    assert not w.data.flags.writeable and not w.grad.flags.writeable
    np.testing.assert_array_equal(w.grad, [3.0, 3.0])
    assert not np.shares_memory(w.data, v.data)
    with pytest.raises(GraphError, match="mul"):
        copy.deepcopy(v * 2)
