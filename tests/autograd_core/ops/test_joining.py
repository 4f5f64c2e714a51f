"""Joining and reshaping compositions (cat, permute, ravel, atleast_*d, hstack, vstack, dstack,
column_stack, kron): first and second derivatives against finite differences over drawn shapes,
values and gradients against PyTorch float64 (composition_sweep.py), numpy's dispatch, errors."""

import numpy as np
import pytest
import torch
from composition_sweep import flat_cat, make_tests
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import ShapeError, Value
from autograd_core.gradcheck import gradcheck
from autograd_core.testing import arrays, shapes


def _x(draw, min_dims=0, max_dims=3):
    return draw(arrays(draw(shapes(min_dims=min_dims, max_dims=max_dims, max_side=3))))


def _hstack(draw):
    k, shape = draw(st.integers(1, 3)), draw(shapes(min_dims=1, max_dims=3, max_side=3))
    cols = [draw(st.integers(1, 3)) for _ in range(k)]
    axis = 1 if len(shape) > 1 else 0
    return [draw(arrays(shape[:axis] + (c,) + shape[axis + 1 :])) for c in cols], {}


def _vstack(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=3))
    if len(shape) == 1:
        return [draw(arrays(shape)) for _ in range(draw(st.integers(1, 3)))], {}
    return [draw(arrays((draw(st.integers(1, 3)), *shape[1:]))) for _ in range(draw(st.integers(1, 3)))], {}


def _dstack(draw):
    shape = draw(shapes(min_dims=0, max_dims=2, max_side=3))
    return [draw(arrays(shape)) for _ in range(draw(st.integers(1, 3)))], {}


def _column_stack(draw):
    n = draw(st.integers(1, 3))
    return [draw(arrays((n,) if draw(st.booleans()) else (n, draw(st.integers(1, 2))))) for _ in range(2)], {}


def _cat_dim(draw):
    base = draw(shapes(min_dims=1, max_dims=3, max_side=3))
    dim = draw(st.integers(-len(base), len(base) - 1))
    sizes = [draw(st.integers(1, 3)) for _ in range(draw(st.integers(1, 3)))]
    a = dim % len(base)
    return [draw(arrays(base[:a] + (s,) + base[a + 1 :])) for s in sizes], {"dim": dim}


def _permute(draw):
    x = _x(draw, 1)
    return [x], {"dims": tuple(draw(st.permutations(range(x.ndim))))}


def _kron(draw):
    return [_x(draw, 0, 2), _x(draw, 0, 2)], {}


CASES = {
    "cat": (_cat_dim, lambda *xs, dim: ag.cat(xs, dim=dim), lambda *xs, dim: torch.cat(xs, dim=dim)),
    "permute": (_permute, lambda x, dims: x.permute(*dims), lambda x, dims: x.permute(*dims)),
    "ag.permute": (_permute, lambda x, dims: ag.permute(x, dims), lambda x, dims: torch.permute(x, dims)),
    "ravel": (lambda d: ([_x(d)], {}), lambda x: x.ravel(), torch.ravel),
    "atleast_1d": (lambda d: ([_x(d)], {}), ag.atleast_1d, torch.atleast_1d),
    "atleast_2d": (lambda d: ([_x(d)], {}), ag.atleast_2d, torch.atleast_2d),
    "atleast_3d": (lambda d: ([_x(d)], {}), ag.atleast_3d, torch.atleast_3d),
    "hstack": (_hstack, lambda *xs: ag.hstack(xs), lambda *xs: torch.hstack(xs)),
    "vstack": (_vstack, lambda *xs: ag.vstack(list(xs)), lambda *xs: torch.vstack(xs)),
    "dstack": (_dstack, lambda *xs: ag.dstack(xs), lambda *xs: torch.dstack(xs)),
    "column_stack": (_column_stack, lambda *xs: ag.column_stack(xs), lambda *xs: torch.column_stack(xs)),
    "kron": (_kron, lambda a, b: a.kron(b), torch.kron),
}

(
    test_first_and_second_derivatives_against_finite_differences,
    test_values_and_gradients_against_pytorch,
) = make_tests(CASES)


def test_numpy_dispatch_records_the_joins():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal(3)
    for fn, args in [
        (np.dstack, [a, a]),
        (np.column_stack, [b, b]),
        (np.hstack, [a, a]),
        (np.vstack, [a, b]),
    ]:
        out = fn([Value(x) for x in args])
        assert isinstance(out, Value)
        np.testing.assert_array_equal(out.data, fn(args))
    np.testing.assert_array_equal(np.kron(Value(a), b).data, np.kron(a, b))
    np.testing.assert_array_equal(np.ravel(Value(a)).data, np.ravel(a))
    gradcheck(lambda x, y: np.kron(x, y), [a, b])
    gradcheck(lambda x: flat_cat(np.atleast_3d(x, x[0])), [a])


def test_atleast_gives_a_tuple_for_several_inputs_and_refuses_nothing_numpy_takes():
    xs = ag.atleast_2d(1.0, [1.0, 2.0], np.ones((2, 2)))
    assert [x.shape for x in xs] == [(1, 1), (1, 2), (2, 2)]
    assert ag.row_stack is ag.vstack and ag.concat is ag.cat is ag.concatenate


def test_bad_arguments_are_refused_naming_the_function():
    with pytest.raises(ShapeError, match="permute: 1 dims"):
        ag.permute(np.ones((2, 3)), (0,))
    with pytest.raises(ShapeError, match="hstack: needs a non-empty sequence"):
        ag.hstack([])
    with pytest.raises(TypeError, match="permute: dims"):
        ag.permute(np.ones((2, 3)), 1, 0, axes=(1, 0))
