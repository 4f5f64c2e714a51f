"""Triangles and diagonals: tril, triu, diagonal, diag, diag_embed, trace.

Compositions of primitives: ``tril``/``triu`` keep entries with ``where`` (gradient masked the same
way), ``diagonal`` reads with getitem (gradient scattered back onto the diagonal), ``diag_embed``
writes with the ``scatter_add`` primitive into zeros (gradient read back off the diagonal).
"""

import numpy as np

from ..errors import ShapeError
from .args import one_axis, one_of
from .elementwise import where
from .registry import as_operand
from .shape import getitem, scatter_add, transpose


def _data(x):
    return getattr(x, "_data", x)


def _shape(x):
    return np.shape(_data(x))


def _triangle(x, k, lower, fn):
    x = as_operand(x, fn)
    shape = _shape(x)
    if len(shape) < 2:
        raise ShapeError(f"{fn}: needs at least 2 dimensions (the last two are the matrix), got shape {shape}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"{fn}: the diagonal offset must be an int, got {k!r}")
    n, m = shape[-2:]
    keep = np.tri(n, m, k, dtype=bool) if lower else ~np.tri(n, m, k - 1, dtype=bool)
    return where(keep, x, 0)


def tril(x, diagonal=0, *, k=None):
    """The lower triangle of the last two axes: entries on and below diagonal ``diagonal``/``k``
    (0: the main one, positive: above it, negative: below), zeros elsewhere; batched over leading axes."""
    return _triangle(x, one_of("tril", 0, diagonal=diagonal or None, k=k), True, "tril")


def triu(x, diagonal=0, *, k=None):
    """The upper triangle of the last two axes: entries on and above diagonal ``diagonal``/``k``."""
    return _triangle(x, one_of("triu", 0, diagonal=diagonal or None, k=k), False, "triu")


def _diag_positions(n, m, offset):
    """Row and column indices of diagonal ``offset`` of an n x m matrix."""
    rows = np.arange(max(0, -offset), min(n, m - offset)) if m - offset > 0 else np.arange(0)
    return rows, rows + offset


def diagonal(x, offset=0, axis1=0, axis2=1, *, dim1=None, dim2=None):
    """The diagonal ``offset`` of the matrices in axes (``axis1``, ``axis2``) (PyTorch: ``dim1``,
    ``dim2``), as a new last axis, the other axes in order (numpy's and PyTorch's layout).
    Gradient: placed back on that diagonal."""
    x = as_operand(x, "diagonal")
    shape = _shape(x)
    nd = len(shape)
    if nd < 2:
        raise ShapeError(f"diagonal: needs at least 2 dimensions, got shape {shape}")
    a = one_axis("diagonal", one_of("diagonal", axis1, dim1=dim1), nd)
    b = one_axis("diagonal", one_of("diagonal", axis2, dim2=dim2), nd)
    if a == b:
        raise ShapeError(f"diagonal: axis1 and axis2 must differ, got {a} and {b}")
    rest = [d for d in range(nd) if d not in (a, b)]
    moved = transpose(x, axes=(*rest, a, b))
    rows, cols = _diag_positions(shape[a], shape[b], int(offset))
    return getitem(moved, (Ellipsis, rows, cols))


_diagonal = diagonal  # for diag, whose parameter has PyTorch's name ``diagonal``


def trace(x, offset=0, axis1=0, axis2=1):
    """The sum of diagonal ``offset`` of the matrices in axes (``axis1``, ``axis2``) (numpy's trace;
    PyTorch's is the 2-D case). Gradient: 1 on that diagonal."""
    return diagonal(x, offset, axis1, axis2).sum(axis=-1)


def diag_embed(x, offset=0):
    """PyTorch's ``diag_embed``: the last axis of x (length n) put on diagonal ``offset`` of new
    (n + |offset|) x (n + |offset|) matrices, batched over the leading axes."""
    x = as_operand(x, "diag_embed")
    shape = _shape(x)
    if not shape:
        raise ShapeError("diag_embed: needs at least 1 dimension, got a 0-d input")
    n = shape[-1] + abs(int(offset))
    rows, cols = _diag_positions(n, n, int(offset))
    return scatter_add(x, shape=(*shape[:-1], n, n), index=(Ellipsis, rows, cols))


def diag(x, diagonal=0, *, k=None):
    """numpy's and PyTorch's ``diag``: a 1-D input becomes a square matrix with it on diagonal
    ``diagonal``/``k``; a 2-D input gives that diagonal as 1-D."""
    x = as_operand(x, "diag")
    offset = one_of("diag", 0, diagonal=diagonal or None, k=k)
    nd = len(_shape(x))
    if nd == 1:
        return diag_embed(x, offset)
    if nd == 2:
        return _diagonal(x, offset)
    raise ShapeError(f"diag: needs a 1-D or 2-D input, got shape {_shape(x)} (use diagonal or diag_embed)")
