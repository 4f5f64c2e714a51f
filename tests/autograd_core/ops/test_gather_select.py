"""Sorting, selection, gathering and scattering: compositions of the getitem/index_put primitives,
swept like the op database (first and second derivatives against finite differences over drawn
shapes, values and gradients against PyTorch float64), plus their special cases and errors."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core import IndexingError, ShapeError, Value
from autograd_core.gradcheck import gradcheck, gradgradcheck
from autograd_core.testing import arrays, shapes


def distinct(draw, shape):
    """Values 0.1 apart at least: sorting and selection never tie within finite-difference reach."""
    n = math.prod(shape)
    vals = draw(st.lists(st.integers(-40, 40), min_size=n, max_size=n, unique=True))
    return np.array(vals, dtype=np.float64).reshape(shape) * 0.1


def axis_of(draw, shape):
    return draw(st.integers(-len(shape), len(shape) - 1))


def indices_for(draw, xshape, axis, ishape=None, lo=None):
    """Integer indices along ``axis`` (repeats included), shaped ``ishape`` (default: x's with a drawn length)."""
    n = xshape[axis]
    if ishape is None:
        ishape = list(xshape)
        ishape[axis] = draw(st.integers(1, 3))
    elems = st.integers(-n if lo is None else lo, n - 1)
    return draw(hnp.arrays(np.int64, tuple(ishape), elements=elems))


def _sort(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    return [distinct(draw, shape)], {"dim": axis_of(draw, shape), "descending": draw(st.booleans())}


def _topk(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    dim = axis_of(draw, shape)
    k = draw(st.integers(0, shape[dim]))
    return [distinct(draw, shape)], {"k": k, "dim": dim, "largest": draw(st.booleans())}


def _kthvalue(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    dim = axis_of(draw, shape)
    return [distinct(draw, shape)], {"k": draw(st.integers(1, shape[dim])), "dim": dim, "keepdim": draw(st.booleans())}


def _extreme(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    return [distinct(draw, shape)], {"dim": axis_of(draw, shape), "keepdim": draw(st.booleans())}


def _gather(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    dim = axis_of(draw, shape)
    ishape = [draw(st.integers(1, s)) for s in shape]  # no larger than x off dim (PyTorch's rule)
    ishape[dim] = draw(st.integers(1, 4))
    return [draw(arrays(shape))], {"dim": dim, "index": indices_for(draw, shape, dim, ishape, lo=0)}


def _take_along(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    axis = axis_of(draw, shape)
    ishape = [draw(st.sampled_from([1, s])) for s in shape]  # broadcasts against x off the axis
    ishape[axis] = draw(st.integers(1, 4))
    return [draw(arrays(shape))], {"axis": axis, "indices": indices_for(draw, shape, axis, ishape)}


def _scatter(draw, unique=True):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    dim = axis_of(draw, shape)
    ishape = [draw(st.integers(1, s)) for s in shape]
    if unique:  # one write per target: PyTorch leaves the winner of repeated writes undefined
        ishape[dim] = draw(st.integers(1, shape[dim]))
        perms = [draw(st.permutations(range(shape[dim]))) for _ in range(math.prod(ishape) // ishape[dim])]
        idx = np.moveaxis(np.array([p[: ishape[dim]] for p in perms]).reshape(*_off(ishape, dim), ishape[dim]), -1, dim)
    else:
        ishape[dim] = draw(st.integers(1, 4))
        idx = indices_for(draw, shape, dim, ishape, lo=0)
    src_shape = tuple(s + draw(st.integers(0, 1)) for s in ishape)  # src may be larger than index
    return [draw(arrays(shape)), draw(arrays(src_shape))], {"dim": dim, "index": np.ascontiguousarray(idx)}


def _off(shape, dim):
    return [s for d, s in enumerate(shape) if d != dim % len(shape)]


def _index_select(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    dim = axis_of(draw, shape)
    idx = draw(hnp.arrays(np.int64, draw(st.integers(1, 5)), elements=st.integers(0, shape[dim] - 1)))
    return [draw(arrays(shape))], {"dim": dim, "index": idx}


def _masked(draw):
    shape = draw(shapes(min_dims=0, max_dims=3, max_side=4))
    mshape = tuple(draw(st.sampled_from([1, s])) for s in shape)[draw(st.integers(0, len(shape))) :]
    return [draw(arrays(shape)), draw(arrays(()))], {"mask": draw(hnp.arrays(np.bool_, mshape))}


def _partition(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    axis = axis_of(draw, shape)
    return [distinct(draw, shape)], {"kth": draw(st.integers(0, shape[axis] - 1)), "axis": axis}


def _t(a):
    return torch.from_numpy(np.asarray(a))


def _corner(src, index):
    """src's part that index reads (torch's scatter backward fails for a src larger than index)."""
    return src[tuple(slice(m) for m in index.shape)]


# name -> (draw, ours(*values, **params), torch twin or None)
CASES = {
    "sort": (
        _sort,
        lambda x, **p: ag.sort(x, **p).values,
        lambda x, dim, descending: torch.sort(x, dim, descending)[0],
    ),
    "topk": (
        _topk,
        lambda x, **p: ag.topk(x, **p).values,
        lambda x, k, dim, largest: torch.topk(x, k, dim, largest)[0],
    ),
    "kthvalue": (
        _kthvalue,
        lambda x, **p: x.kthvalue(**p).values,
        lambda x, k, dim, keepdim: torch.kthvalue(x, k, dim, keepdim)[0],
    ),
    "max_with_indices": (
        _extreme,
        lambda x, **p: ag.max_with_indices(x, **p).values,
        lambda x, dim, keepdim: torch.max(x, dim, keepdim)[0],
    ),
    "min_with_indices": (
        _extreme,
        lambda x, **p: ag.min_with_indices(x, **p).values,
        lambda x, dim, keepdim: torch.min(x, dim, keepdim)[0],
    ),
    "gather": (
        _gather,
        lambda x, dim, index: x.gather(dim, index),
        lambda x, dim, index: torch.gather(x, dim, _t(index)),
    ),
    "take_along_axis": (
        _take_along,
        lambda x, axis, indices: ag.take_along_axis(x, indices, axis),
        lambda x, axis, indices: torch.take_along_dim(x, _t(indices % x.shape[axis]), axis),
    ),
    "scatter": (
        _scatter,
        lambda x, src, dim, index: ag.scatter(x, dim, index, src),
        lambda x, src, dim, index: torch.scatter(x, dim, _t(index), _corner(src, index)),
    ),
    "scatter_add": (
        lambda draw: _scatter(draw, unique=False),
        lambda x, src, dim, index: x.scatter_add(dim, index, src),
        lambda x, src, dim, index: torch.scatter_add(x, dim, _t(index), _corner(src, index)),
    ),
    "index_select": (
        _index_select,
        lambda x, dim, index: x.index_select(dim, index),
        lambda x, dim, index: torch.index_select(x, dim, _t(index)),
    ),
    "masked_fill": (
        _masked,
        lambda x, v, mask: ag.masked_fill(x, mask, v),
        lambda x, v, mask: torch.masked_fill(x, _t(mask), v),
    ),
    "masked_select": (
        _masked,
        lambda x, v, mask: ag.masked_select(x, mask) * v,
        lambda x, v, mask: torch.masked_select(x, _t(mask)) * v,
    ),
    "partition": (_partition, lambda x, kth, axis: ag.partition(x, kth, axis), None),
}


@pytest.mark.parametrize("name", CASES)
@settings(max_examples=max(settings.default.max_examples * 2 // 5, 1))
@given(data=st.data())
def test_first_and_second_derivatives_against_finite_differences(name, data):
    draw, ours, _ = CASES[name]
    xs, params = data.draw(st.composite(lambda d: draw(d))())
    f = lambda *vs: ours(*vs, **params)
    gradcheck(f, xs)
    gradgradcheck(f, xs)


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c[2] is not None])
@given(data=st.data())
def test_values_and_gradients_against_pytorch(name, data):
    draw, ours, twin = CASES[name]
    xs, params = data.draw(st.composite(lambda d: draw(d))())
    vs = [Value(x) for x in xs]
    ts = [torch.tensor(x, requires_grad=True) for x in xs]
    out, want = ours(*vs, **params), twin(*ts, **params)
    # repeated indices add in another order than PyTorch's: a cancelling sum (0.4 + 1.4375 - 1.84375)
    # differs by an ulp of its terms, not of its small result
    np.testing.assert_allclose(out.data, want.detach().numpy(), rtol=1e-14, atol=1e-14)
    if out.size == 0:
        return
    cot = np.random.default_rng(0).standard_normal(out.shape)
    got = ag.gradients(out, vs, cot, allow_unused=True)
    expected = torch.autograd.grad(want, ts, _t(cot), allow_unused=True)
    for g, e, x in zip(got, expected, xs):
        np.testing.assert_allclose(
            np.zeros(x.shape) if g is None else g.data, np.zeros(x.shape) if e is None else e.numpy(), atol=1e-12
        )


# -- indices, ties, special cases --------------------------------------------------------------
def test_sort_indices_and_stable_descending_order_match_pytorch():
    x = np.array([[2.0, 1.0, 2.0, np.nan, 1.0], [0.0, -1.0, 0.0, 3.0, -1.0]])
    for descending in (False, True):
        got = ag.sort(x, 1, descending=descending, stable=True)
        want = torch.sort(_t(x), dim=1, descending=descending, stable=True)
        np.testing.assert_array_equal(got.values.data, want.values.numpy())
        np.testing.assert_array_equal(got.indices.data, want.indices.numpy())
        assert got.indices.dtype == np.int64 and not got.indices.requires_grad
    np.testing.assert_array_equal(ag.argsort(x, axis=None).data, np.argsort(x, axis=None))
    np.testing.assert_array_equal(Value(x).argsort(kind="stable").data, np.argsort(x, kind="stable"))


def test_sort_gradient_follows_the_permutation():
    x = Value(np.array([3.0, 1.0, 2.0]))
    values, idx = ag.sort(x)
    (values * np.array([1.0, 10.0, 100.0])).sum().backward()
    np.testing.assert_array_equal(idx.data, [1, 2, 0])
    np.testing.assert_array_equal(x.grad, [100.0, 1.0, 10.0])


def test_max_with_indices_routes_to_the_first_maximum_where_max_splits_ties():
    x = Value(np.array([[1.0, 5.0, 5.0]]))
    values, idx = ag.max_with_indices(x, 1)
    values.sum().backward()
    np.testing.assert_array_equal(idx.data, [1])
    np.testing.assert_array_equal(x.grad, [[0.0, 1.0, 0.0]])
    x.zero_grad()
    ag.max(x, axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0.0, 0.5, 0.5]])
    np.testing.assert_array_equal(ag.min_with_indices(np.array([2.0, 0.0, 0.0]), dim=0).indices.data, 1)
    with pytest.raises(TypeError, match="give dim"):
        ag.max_with_indices(x)


def test_argmax_argmin_all_any_are_integer_and_bool_constants():
    x = np.array([[0.5, -2.0, 3.0], [4.0, 0.0, 1.0]])
    for got, want in [
        (ag.argmax(x), np.argmax(x)),
        (ag.argmin(x, dim=1, keepdim=True), np.argmin(x, axis=1, keepdims=True)),
        (Value(x).argmax(axis=0), np.argmax(x, axis=0)),
        (ag.all(x, 1), np.all(x, 1)),
        (Value(x).any(axis=(0, 1), keepdims=True), np.any(x, axis=(0, 1), keepdims=True)),
    ]:
        assert isinstance(got, Value) and not got.requires_grad and got.dtype == want.dtype
        np.testing.assert_array_equal(got.data, want)
    with pytest.raises(ShapeError, match="argmax: cannot take the argmax of an empty axis"):
        ag.argmax(np.zeros((2, 0)), 1)


def test_topk_kthvalue_and_partition_agree_with_numpy_and_pytorch():
    x = np.array([[4.0, 1.0, 3.0, 2.0], [0.5, 2.5, 1.5, -1.0]])
    np.testing.assert_array_equal(ag.topk(x, 2).indices.data, torch.topk(_t(x), 2).indices.numpy())
    np.testing.assert_array_equal(ag.topk(x, 3, largest=False).values.data, np.sort(x, 1)[:, :3])
    np.testing.assert_array_equal(ag.kthvalue(x, 2, 0).values.data, np.sort(x, 0)[1])
    part = ag.partition(x, 1, axis=1).data
    np.testing.assert_array_equal(part[:, 1], np.sort(x, 1)[:, 1])
    assert (part[:, :1] <= part[:, 1:2]).all() and (part[:, 2:] >= part[:, 1:2]).all()
    np.testing.assert_array_equal(ag.argpartition(x, 2, axis=None).data, np.argpartition(x, 2, axis=None))
    with pytest.raises(ShapeError, match="topk: k=5"):
        ag.topk(x, 5)
    with pytest.raises(ShapeError, match="kthvalue: k=0"):
        ag.kthvalue(x, 0)


def test_scalars_sort_and_select_as_one_entry():
    for fn in (lambda v: ag.sort(v), lambda v: ag.topk(v, 1), lambda v: ag.kthvalue(v, 1)):
        values, idx = fn(Value(2.5))
        assert values.shape == () and idx.shape == () and values.item() == 2.5 and idx.item() == 0


def test_scatter_add_accumulates_repeated_indices():
    x = Value(np.zeros(4))
    src = Value(np.array([1.0, 2.0, 3.0, 4.0]))
    out = ag.scatter_add(x, 0, np.array([1, 1, 3, 1]), src)
    np.testing.assert_array_equal(out.data, [0.0, 7.0, 0.0, 3.0])
    (out * np.array([1.0, 10.0, 100.0, 1000.0])).sum().backward()
    np.testing.assert_array_equal(src.grad, [10.0, 10.0, 1000.0, 10.0])
    np.testing.assert_array_equal(x.grad, [1.0, 10.0, 100.0, 1000.0])
    acc = ag.index_put(np.zeros(3), (np.array([0, 0, 2]),), Value(np.ones(3)), accumulate=True)
    np.testing.assert_array_equal(acc.data, [2.0, 0.0, 1.0])


def test_repeated_writes_give_the_last_value_and_only_it_a_gradient():
    x = Value(np.zeros(3))
    vals = Value(np.array([1.0, 2.0, 3.0]))
    out = ag.put_along_axis(x, np.array([2, 0, 2]), vals, 0)
    np.testing.assert_array_equal(out.data, [2.0, 0.0, 3.0])
    out.sum().backward()
    np.testing.assert_array_equal(vals.grad, [0.0, 1.0, 1.0])
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 0.0])
    gradcheck(lambda v: ag.put_along_axis(np.zeros(3), np.array([2, 0, 2]), v, 0), [np.array([1.0, 2.0, 3.0])])


def test_boolean_selection_keeps_gradients():
    x = Value(np.array([[-1.0, 2.0], [3.0, -4.0]]))
    (x[x > 0] * 2).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0.0, 2.0], [2.0, 0.0]])
    x.zero_grad()
    ag.masked_select(x, np.array([True, False])).sum().backward()  # the mask broadcasts over rows
    np.testing.assert_array_equal(x.grad, [[1.0, 0.0], [1.0, 0.0]])
    v = Value(0.5)
    ag.masked_fill(x, x.data < 0, v).sum().backward()
    assert v.grad == 2.0


def test_take_and_index_select_match_numpy():
    x = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(ag.take(x, [[0, 5], [11, 2]]).data, np.take(x, [[0, 5], [11, 2]]))
    np.testing.assert_array_equal(Value(x).take(np.array([3, 0]), axis=1).data, np.take(x, [3, 0], axis=1))
    np.testing.assert_array_equal(ag.index_select(x, 0, np.array([2, 2])).data, x[[2, 2]])


def test_bad_indices_and_masks_are_refused_naming_the_function():
    x = Value(np.ones((2, 3)))
    with pytest.raises(IndexingError, match="gather: indices must be integers"):
        ag.gather(x, 1, np.array([[0.5]]))
    with pytest.raises(ShapeError, match="gather: indices need as many dimensions"):
        ag.gather(x, 1, np.array([0]))
    with pytest.raises(ShapeError, match="gather: index of shape"):
        ag.gather(x, 1, np.zeros((3, 1), dtype=np.int64))
    with pytest.raises(IndexingError):
        ag.take_along_axis(x, np.array([[5]]), 1)
    with pytest.raises(IndexingError, match="masked_fill: mask must be boolean"):
        ag.masked_fill(x, np.ones((2, 3)), 0.0)
    with pytest.raises(ShapeError, match="masked_fill: mask of shape"):
        ag.masked_fill(x, np.ones((4, 2, 3), bool), 0.0)
    with pytest.raises(ShapeError, match="index_select: index must be 1-D"):
        ag.index_select(x, 0, np.zeros((1, 1), dtype=np.int64))
    with pytest.raises(TypeError, match="scatter: give src"):
        ag.scatter(x, 0, np.zeros((1, 1), dtype=np.int64))
