"""Rearranging (flip, roll, moveaxis, repeat, tile, split, chunk, meshgrid), triangles and diagonals,
and the vector products: compositions of shape primitives, swept like the op database (first and
second derivatives against finite differences over drawn shapes; values and gradients against
PyTorch float64), plus argument spellings and errors."""

import numpy as np
import pytest
import torch
from composition_sweep import flat_cat as _cat
from composition_sweep import make_tests
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import ArgumentError, ShapeError, Value
from autograd_core.gradcheck import gradcheck
from autograd_core.testing import arrays, broadcastable_shapes, shapes


def _x(draw, min_dims=1, max_dims=3):
    return draw(arrays(draw(shapes(min_dims=min_dims, max_dims=max_dims, max_side=3))))


def _axis(draw, x):
    return draw(st.integers(-x.ndim, x.ndim - 1))


def _flip(draw):
    x = _x(draw)
    dims = tuple(draw(st.permutations(range(x.ndim)))[: draw(st.integers(1, x.ndim))])
    return [x], {"dims": dims}


def _roll(draw):
    x = _x(draw)
    dims = tuple(draw(st.permutations(range(x.ndim)))[: draw(st.integers(1, x.ndim))])
    return [x], {"shifts": tuple(draw(st.integers(-4, 4)) for _ in dims), "dims": dims}


def _moveaxis(draw):
    x = _x(draw)
    k = draw(st.integers(1, x.ndim))
    src = tuple(draw(st.permutations(range(x.ndim)))[:k])
    return [x], {"source": src, "destination": tuple(draw(st.permutations(range(x.ndim)))[:k])}


def _repeat(draw):
    x = _x(draw)
    axis = _axis(draw, x)
    reps = draw(st.integers(0, 3) | st.lists(st.integers(0, 2), min_size=x.shape[axis], max_size=x.shape[axis]))
    return [x], {"repeats": reps, "dim": axis}


def _tile(draw):
    x = _x(draw, min_dims=0)
    return [x], {"dims": tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))}


def _split(draw):
    x = _x(draw)
    axis = _axis(draw, x)
    n = x.shape[axis]
    size = draw(
        st.integers(1, n + 1) | st.lists(st.integers(0, n), min_size=1, max_size=3).filter(lambda s: sum(s) == n)
    )
    return [x], {"size": size, "dim": axis}


def _chunk(draw):
    x = _x(draw)
    return [x], {"chunks": draw(st.integers(1, 4)), "dim": _axis(draw, x)}


def _tensor_split(draw):
    x = _x(draw)
    sections = draw(st.integers(1, 4) | st.lists(st.integers(-3, 4), min_size=1, max_size=3))
    return [x], {"sections": sections, "dim": _axis(draw, x)}


def _meshgrid(draw):
    k = draw(st.integers(1, 3))
    return [draw(arrays((draw(st.integers(1, 3)),))) for _ in range(k)], {
        "indexing": draw(st.sampled_from(["ij", "xy"]))
    }


def _matrices(draw):
    x = _x(draw, min_dims=2, max_dims=4)
    return [x], {"k": draw(st.integers(-3, 3))}


def _diagonal(draw):
    x = _x(draw, min_dims=2, max_dims=4)
    a, b = draw(st.permutations(range(x.ndim)))[:2]
    return [x], {"offset": draw(st.integers(-3, 3)), "dim1": a, "dim2": b}


def _vectors(draw):
    return [draw(arrays((draw(st.integers(1, 4)),))), draw(arrays((draw(st.integers(1, 4)),)))], {}


def _inner(draw):
    n = draw(st.integers(1, 3))
    sa, sb = draw(shapes(0, 2, max_side=2)), draw(shapes(0, 2, max_side=2))
    return [draw(arrays((*sa, n))), draw(arrays((*sb, n)))], {}


def _dot(draw):
    n = draw(st.integers(1, 3))
    kind = draw(st.sampled_from(["0-d", "1x1", "2x1", "2x2", "Nx3"]))
    if kind == "0-d":
        return [draw(arrays(())), _x(draw)], {}
    if kind == "1x1":
        return [draw(arrays((n,))), draw(arrays((n,)))], {}
    if kind == "2x1":
        return [draw(arrays((2, n))), draw(arrays((n,)))], {}
    if kind == "2x2":
        return [draw(arrays((2, n))), draw(arrays((n, 3)))], {}
    return [draw(arrays((2, 2, n))), draw(arrays((2, n, 2)))], {}


def _vdot(draw):
    shape = draw(shapes(1, 3, max_side=3))
    return [draw(arrays(shape)), draw(arrays(shape[::-1]))], {}


def _cross_bcast(draw):
    sa, sb = draw(broadcastable_shapes(2, max_dims=2, max_side=2))
    return [draw(arrays((*sa, 3))), draw(arrays((*sb, 3)))], {}


def _t(a):
    return torch.from_numpy(np.asarray(a))


# name -> (draw, ours, torch twin or None)
CASES = {
    "flip": (_flip, lambda x, dims: x.flip(dims), lambda x, dims: torch.flip(x, dims)),
    "roll": (
        _roll,
        lambda x, shifts, dims: ag.roll(x, shifts, dims),
        lambda x, shifts, dims: torch.roll(x, shifts, dims),
    ),
    "moveaxis": (
        _moveaxis,
        lambda x, source, destination: ag.moveaxis(x, source, destination),
        lambda x, source, destination: torch.movedim(x, source, destination),
    ),
    "repeat": (
        _repeat,
        lambda x, repeats, dim: x.repeat_interleave(repeats, dim),
        lambda x, repeats, dim: torch.repeat_interleave(x, _t(repeats) if isinstance(repeats, list) else repeats, dim),
    ),
    "tile": (_tile, lambda x, dims: ag.tile(x, dims), lambda x, dims: torch.tile(x, dims)),
    "Value.repeat": (
        _tile,
        lambda x, dims: x.repeat(*dims),
        lambda x, dims: x.repeat(*dims) if len(dims) >= x.ndim else None,
    ),
    "split": (
        _split,
        lambda x, size, dim: _cat(ag.split(x, size, dim)),
        lambda x, size, dim: _cat(torch.split(x, size, dim)),
    ),
    "tensor_split": (
        _tensor_split,
        lambda x, sections, dim: _cat(ag.tensor_split(x, sections, dim)),
        lambda x, sections, dim: _cat(torch.tensor_split(x, sections, dim)),
    ),
    "chunk": (
        _chunk,
        lambda x, chunks, dim: _cat(x.chunk(chunks, dim)),
        lambda x, chunks, dim: _cat(x.chunk(chunks, dim)),
    ),
    "meshgrid": (
        _meshgrid,
        lambda *xs, indexing: _cat(ag.meshgrid(*xs, indexing=indexing)),
        lambda *xs, indexing: _cat(torch.meshgrid(*xs, indexing=indexing)),
    ),
    "tril": (_matrices, lambda x, k: x.tril(k), lambda x, k: torch.tril(x, k)),
    "triu": (_matrices, lambda x, k: ag.triu(x, diagonal=k), lambda x, k: torch.triu(x, k)),
    "diagonal": (
        _diagonal,
        lambda x, offset, dim1, dim2: x.diagonal(offset, dim1=dim1, dim2=dim2),
        lambda x, offset, dim1, dim2: torch.diagonal(x, offset, dim1, dim2),
    ),
    "trace": (
        _diagonal,
        lambda x, offset, dim1, dim2: ag.linalg.trace(x, offset, dim1, dim2),
        lambda x, offset, dim1, dim2: torch.diagonal(x, offset, dim1, dim2).sum(-1),
    ),
    "diag_embed": (
        lambda draw: ([_x(draw)], {"offset": draw(st.integers(-2, 2))}),
        lambda x, offset: x.diag_embed(offset),
        lambda x, offset: torch.diag_embed(x, offset),
    ),
    "diag": (
        lambda draw: ([_x(draw, max_dims=2)], {"k": draw(st.integers(-2, 2))}),
        lambda x, k: ag.diag(x, k),
        lambda x, k: torch.diag(x, k),
    ),
    "outer": (_vectors, ag.outer, torch.outer),
    "inner": (_inner, lambda a, b: a.inner(b), torch.inner),
    "dot": (_dot, ag.dot, None),  # PyTorch's dot is 1-D only: numpy's values are checked below
    "vdot": (_vdot, ag.vdot, lambda a, b: torch.vdot(a.reshape(-1), b.reshape(-1))),
    "cross": (_cross_bcast, lambda a, b: a.cross(b), lambda a, b: torch.linalg.cross(*torch.broadcast_tensors(a, b))),
}


(
    test_first_and_second_derivatives_against_finite_differences,
    test_values_and_gradients_against_pytorch,
) = make_tests(CASES)


def test_dot_matches_numpy_for_every_rank():
    rng = np.random.default_rng(0)
    for sa, sb in [
        ((), (3,)),
        ((3,), (3,)),
        ((2, 3), (3,)),
        ((2, 3), (3, 4)),
        ((2, 2, 3), (4, 3, 2)),
        ((3,), (2, 3, 4)),
    ]:
        a, b = rng.standard_normal(sa), rng.standard_normal(sb)
        np.testing.assert_allclose(ag.dot(a, b).data, np.dot(a, b), atol=1e-12)
        np.testing.assert_allclose(Value(a).dot(b).data, np.dot(a, b), atol=1e-12)
        gradcheck(ag.dot, [a, b])


def test_numpy_semantics_where_they_differ_from_pytorchs():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(ag.repeat(x, 2).data, np.repeat(x, 2))  # numpy's repeat: entries
    np.testing.assert_array_equal(Value(x).repeat(2, 1).data, np.tile(x, (2, 1)))  # Tensor.repeat: copies
    np.testing.assert_array_equal(ag.flip(x).data, np.flip(x))  # numpy: every axis by default
    np.testing.assert_array_equal(ag.roll(x, 1).data, np.roll(x, 1))  # no dims: x flattened
    np.testing.assert_array_equal(ag.fliplr(x).data, np.fliplr(x))
    np.testing.assert_array_equal(ag.flipud(x).data, np.flipud(x))
    pieces = ag.array_split(np.arange(7.0), [2, 5])
    assert [p.data.tolist() for p in pieces] == [a.tolist() for a in np.array_split(np.arange(7.0), [2, 5])]
    xs, _ = ag.meshgrid(np.arange(3.0), np.arange(2.0), indexing="xy")
    np.testing.assert_array_equal(xs.data, np.meshgrid(np.arange(3.0), np.arange(2.0))[0])
    np.testing.assert_array_equal(ag.diag(np.array([1.0, 2.0]), k=-1).data, np.diag([1.0, 2.0], k=-1))
    np.testing.assert_array_equal(ag.linalg.trace(np.ones((2, 3, 3)), axis1=1, axis2=2).data, [3.0, 3.0])
    np.testing.assert_array_equal(ag.outer(x, [1.0, 2.0]).data, np.outer(x, [1.0, 2.0]))
    np.testing.assert_array_equal(ag.movedim(x, 0, 1).data, x.T)


def test_bad_arguments_are_refused_naming_the_function():
    x = Value(np.ones((2, 3)))
    with pytest.raises(ShapeError, match="split: sizes"):
        ag.split(x, [1, 1], 1)
    with pytest.raises(ArgumentError, match="repeat: repeats"):
        ag.repeat(x, [1, 2], 1)
    with pytest.raises(ShapeError, match="roll: shifts"):
        ag.roll(x, (1, 2), (0,))
    with pytest.raises(ShapeError, match="tril: needs at least 2 dimensions"):
        ag.tril(np.ones(3))
    with pytest.raises(ShapeError, match="diagonal: axis1 and axis2 must differ"):
        ag.diagonal(x, 0, 1, 1)
    with pytest.raises(ShapeError, match="cross: vectors along axis -1 must have 3 entries"):
        ag.cross(x.T, x.T)
    with pytest.raises(ArgumentError, match="meshgrid: indexing"):
        ag.meshgrid(np.ones(2), indexing="ji")
    with pytest.raises(ShapeError, match="moveaxis: repeated axis"):
        ag.moveaxis(x, (0, 0), (0, 1))
    with pytest.raises(ArgumentError, match="chunk: chunks"):
        ag.chunk(x, 0)
