"""Joining and viewing in other shapes: cat, permute, ravel, atleast_1d/2d/3d, hstack, vstack, dstack,
column_stack, kron.

Each is a composition of the shape primitives (reshape, transpose, concatenate, broadcasting
multiplication), so the gradient is the transpose of the rearrangement: sliced back for the
stacks, reshaped back for ravel and atleast_*, permuted back for permute; kron is an outer
product of interleaved axes reshaped, so its gradient is the outer product's.
"""

import numpy as np

from ..errors import ShapeError
from .registry import as_operand
from .shape import as_value, concatenate, reshape, transpose


def _shape(x):
    return np.shape(getattr(x, "_data", x))


def _atleast(n, x):
    x = as_value(as_operand(x, f"atleast_{n}d"))
    shape = _shape(x)
    if len(shape) >= n:
        return x
    size = int(np.prod(shape, dtype=np.int64))
    new = {0: (1,) * n, 1: (1, size) + (1,) * (n - 2), 2: shape + (1,)}[len(shape)]
    return reshape(x, shape=new)


def _atleast_all(n, xs):
    out = tuple(_atleast(n, x) for x in xs)  # a list is one operand, as numpy reads it
    return out[0] if len(out) == 1 else out


def atleast_1d(*xs):
    """Each input with at least 1 dimension (a 0-d input becomes shape (1,)); one input gives one
    Value, several a tuple (numpy's and PyTorch's ``atleast_1d``). Gradient: reshaped back."""
    return _atleast_all(1, xs)


def atleast_2d(*xs):
    """Each input with at least 2 dimensions: 0-d -> (1, 1), (n,) -> (1, n) (numpy, PyTorch)."""
    return _atleast_all(2, xs)


def atleast_3d(*xs):
    """Each input with at least 3 dimensions: 0-d -> (1, 1, 1), (n,) -> (1, n, 1), (m, n) -> (m, n, 1)."""
    return _atleast_all(3, xs)


def _operands(tensors, fn):
    if not isinstance(tensors, (list, tuple)) or not tensors:
        raise ShapeError(f"{fn}: needs a non-empty sequence of arrays, got {type(tensors).__name__}")
    return [as_value(as_operand(t, fn)) for t in tensors]


def hstack(tensors):
    """Join along the columns: axis 1, or axis 0 for 1-D (and 0-d) inputs (numpy's and PyTorch's hstack)."""
    xs = [_atleast(1, x) for x in _operands(tensors, "hstack")]
    return concatenate(xs, axis=0 if len(_shape(xs[0])) == 1 else 1)


def vstack(tensors):
    """Join along the rows: inputs made at least 2-D ((n,) -> (1, n)), then joined on axis 0
    (numpy's vstack and row_stack, PyTorch's vstack)."""
    return concatenate([_atleast(2, x) for x in _operands(tensors, "vstack")], axis=0)


row_stack = vstack


def dstack(tensors):
    """Join along the depth: inputs made at least 3-D ((n,) -> (1, n, 1), (m, n) -> (m, n, 1)), then
    joined on axis 2 (numpy's and PyTorch's dstack)."""
    return concatenate([_atleast(3, x) for x in _operands(tensors, "dstack")], axis=2)


def column_stack(tensors):
    """1-D (and 0-d) inputs become columns ((n,) -> (n, 1)), others stay, all joined on axis 1
    (numpy's and PyTorch's column_stack)."""
    xs = [reshape(x, shape=(-1, 1)) if len(_shape(x)) < 2 else x for x in _operands(tensors, "column_stack")]
    return concatenate(xs, axis=1)


def ravel(x):
    """x flattened to 1-D in C order (numpy's and PyTorch's ravel); a new node, never a view."""
    return reshape(as_operand(x, "ravel"), shape=(-1,))


def permute(x, *order, dims=None, axes=None):
    """PyTorch's ``permute``: the axes of x reordered to ``dims`` (a tuple, or the ints one by one;
    numpy's name ``axes``), a permutation of range(ndim). Gradient: permuted back.
    **Raises:** ShapeError when dims is not a permutation of x's axes."""
    given = [o for o in (order or None, dims, axes) if o is not None]
    if len(given) > 1:
        raise TypeError("permute: dims (positional or dims=) and axes are spellings of one argument; give one")
    order = given[0] if given else ()
    if len(order) == 1 and not isinstance(order[0], (int, np.integer)):
        order = tuple(order[0])
    x = as_operand(x, "permute")
    nd = len(_shape(x))
    if len(order) != nd:
        raise ShapeError(f"permute: {len(order)} dims {tuple(order)} for an array of {nd} dimensions")
    return transpose(x, axes=tuple(int(d) for d in order))


def kron(a, b):
    """The Kronecker product (numpy's and PyTorch's ``kron``): block (i, j, ...) of the result is
    ``a[i, j, ...] * b``; the input of fewer dimensions gets leading 1s first, and the result has
    shape ``a.shape * b.shape`` axis by axis. Gradient: the outer product's (each block's g times
    the other factor, summed)."""
    a, b = as_value(as_operand(a, "kron")), as_value(as_operand(b, "kron"))
    nd = max(a.ndim, b.ndim)
    sa, sb = (1,) * (nd - a.ndim) + a.shape, (1,) * (nd - b.ndim) + b.shape
    wide_a = reshape(a, shape=tuple(v for s in sa for v in (s, 1)))
    wide_b = reshape(b, shape=tuple(v for s in sb for v in (1, s)))
    return reshape(wide_a * wide_b, shape=tuple(x * y for x, y in zip(sa, sb)))
