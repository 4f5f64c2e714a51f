"""autograd_core.testing: the strategies draw what they promise; assert_gradients_match passes and fails well."""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd_core import GradcheckError, Value
from autograd_core.ops.registry import Op
from autograd_core.testing import (
    arrays,
    assert_gradients_match,
    away_from,
    axes_for,
    broadcastable_arrays,
    broadcastable_shapes,
    elements,
)


@given(arrays(min_dims=1, max_dims=3, max_side=5))
def test_arrays_respect_bounds(x):
    assert x.dtype == np.float64 and 1 <= x.ndim <= 3 and max(x.shape) <= 5
    assert np.all(np.abs(x) <= 3)


@given(arrays((2, 3), np.float32, positive=True))
def test_arrays_fixed_shape_dtype_positive(x):
    assert x.shape == (2, 3) and x.dtype == np.float32 and np.all(x > 0)


@given(arrays(away_from=(0.0, 1.0), margin=0.1))
def test_arrays_away_from_points(x):
    assert np.all(np.abs(x) >= 0.1 - 1e-12) and np.all(np.abs(x - 1) >= 0.1 - 1e-12)


@given(away_from([0.0], margin=0.5, min_value=-1.0, max_value=1.0))
def test_away_from_element_strategy(v):
    assert 0.5 <= abs(v) <= 1.0


@given(arrays((4,), np.int64, min_value=-2, max_value=2))
def test_integer_arrays(x):
    assert x.dtype == np.int64 and np.all(np.abs(x) <= 2)


@given(broadcastable_shapes(3))
def test_broadcastable_shapes(shapes):
    assert len(shapes) == 3
    np.broadcast_shapes(*shapes)


@given(broadcastable_arrays(2, elements=elements(-1.0, 1.0)))
def test_broadcastable_arrays(pair):
    a, b = pair
    assert (a + b).shape == np.broadcast_shapes(a.shape, b.shape)
    assert np.all(np.abs(a) <= 1)


@given(st.data())
def test_axes_for_matches_numpy(data):
    x = data.draw(arrays(max_dims=4))
    axis, keepdims = data.draw(axes_for(x.shape))
    assert axis is None or isinstance(axis, (int, tuple))
    got = Value(x).sum(axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(got.data, np.sum(x, axis=axis, keepdims=keepdims))


@given(arrays(max_dims=2, away_from=(0,)), arrays(max_dims=2, positive=True))
def test_assert_gradients_match_on_correct_ops(x, y):
    assert_gradients_match(lambda a: a.relu() * a.abs(), x, second_order=True)
    assert_gradients_match(lambda b: b.log() * b.sqrt(), y, second_order=True, fast=True)


def test_assert_gradients_match_failure_message():
    bad = Op("bad_double", lambda x: 2 * x, [lambda g, out, x: g * 3])
    with pytest.raises(AssertionError) as info:
        assert_gradients_match(lambda a: bad(a), np.ones(3))
    err = info.value
    assert isinstance(err, GradcheckError) and err.order == "first"
    assert "first derivatives" in str(err) and "analytic 3.0" in str(err) and "input 0" in str(err)


def test_second_order_failure_is_labelled():
    flat = Op("flat_sq", lambda x: x * x, [lambda g, out, x: g * 2 * getattr(x, "_data", x)])
    assert_gradients_match(lambda a: flat(a), np.array([0.5, 2.0]))
    with pytest.raises(GradcheckError, match="second derivatives"):
        assert_gradients_match(lambda a: flat(a), np.array([0.5, 2.0]), second_order=True)


def test_importing_the_package_does_not_import_hypothesis():
    code = "import sys, autograd_core; assert 'hypothesis' not in sys.modules and 'autograd_core.testing' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_importing_testing_without_hypothesis_names_the_extra():
    """As the other optional parts do: the ImportError says what to install."""
    block = "import sys; sys.modules['hypothesis'] = None  # as if hypothesis were not installed\n"
    proc = subprocess.run(
        [sys.executable, "-c", block + "import autograd_core.testing"], capture_output=True, text=True
    )
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: autograd_core.testing needs hypothesis")
    assert 'pip install "autograd-core[test]"' in last


def test_the_op_database_is_reachable_from_testing():
    from autograd_core.testing import check_op, op_info, op_names

    assert "matmul" in op_names() and op_info("matmul").name == "matmul"
    assert check_op("matmul", second_order=False)
