"""Vector p-norms as one primitive; matrix norms built from it and from reductions.

``vector_norm(x, ord)`` over the reduced axes (PyTorch's ``torch.linalg.vector_norm``):

- ``ord = p > 0``: ``(sum |x|^p)^(1/p)``, computed as ``m (sum (|x| / m)^p)^(1/p)`` with ``m =
  max |x|``, so it neither overflows nor underflows (1e200 and 1e-200 entries give finite norms).
  Gradient ``sign(x) (|x| / norm)^(p-1)`` (PyTorch's ``norm_backward``); 0 where x = 0 (as
  abs'(0) = 0, and for p < 1 where the formula is 0 * inf) and 0 for the zero vector, not NaN.
- ``ord = inf`` / ``-inf``: ``max |x|`` / ``min |x|``; the gradient goes to the entries attaining it,
  split evenly between ties (the max/min convention).
- ``ord = 0``: the number of nonzero entries (not a norm); gradient 0.
"""

import math

import numpy as np

from ..errors import ArgumentError, ShapeError
from .args import flag, one_axis, one_of
from .decompositions import svdvals
from .elementwise import absolute, where
from .precision import widen_half
from .reduce import _kept_shape, amax, amin, expand_back, normalize_axis, sum_
from .registry import as_operand, defop
from .shape import transpose, unsqueeze


def _data(x):
    return getattr(x, "_data", x)


def _check_ord(ordv):
    if ordv is None:
        return 2.0
    if isinstance(ordv, (str, bool)) or not isinstance(ordv, (int, float, np.number)):
        raise ArgumentError(f"vector_norm: ord must be a number (p > 0, 0, inf or -inf), got {ordv!r}")
    if not (ordv >= 0 or ordv == -math.inf):
        raise ArgumentError(f"vector_norm: ord {ordv} is not supported; use p > 0, 0, inf or -inf")
    return float(ordv)


@widen_half  # float16: the sum of powers in float32 (ops/precision.py)
def _vector_norm(x, ord=2.0, axis=None, keepdims=False):  # noqa: A002 (numpy's and PyTorch's name)
    axes = normalize_axis(axis, x.ndim, "vector_norm")
    a = np.abs(x if x.dtype.kind == "f" else x.astype(np.float64))
    if ord in (math.inf, -math.inf):
        if any(x.shape[i] == 0 for i in axes):
            raise ShapeError(f"vector_norm: ord={ord} over an empty axis (shape {x.shape}, axis {axis})")
        return (np.max if ord > 0 else np.min)(a, axis=axes, keepdims=keepdims)
    if ord == 0:
        return np.sum(a != 0, axis=axes, keepdims=keepdims).astype(a.dtype)
    m = np.max(a, axis=axes, keepdims=True) if a.size else np.zeros(_kept_shape(a.shape, axes), a.dtype)
    m = np.where((m == 0) | ~np.isfinite(m), 1, m).astype(a.dtype, copy=False)  # inf/NaN pass through
    with np.errstate(invalid="ignore"):
        s = np.sum(np.square(a / m) if ord == 2 else (a / m) ** ord, axis=axes, keepdims=True)
        out = (np.sqrt(s) if ord == 2 else s ** (1 / ord)) * m
    return out if keepdims else out.reshape([n for i, n in enumerate(out.shape) if i not in axes])


def _vector_norm_vjp(g, out, x, ord=2.0, axis=None, keepdims=False):  # noqa: A002
    xd = _data(x)
    shape = xd.shape
    axes = normalize_axis(axis, xd.ndim)
    gx = expand_back(g, shape, axis, keepdims)
    if ord == 0:
        return np.zeros(shape, dtype=_data(gx).dtype)
    sgn = np.sign(xd)
    if ord == 1:
        return gx * sgn
    norm = expand_back(out, shape, axis, keepdims)
    nd = _data(norm)
    if ord in (math.inf, -math.inf):
        hit = np.abs(xd) == nd
        share = hit / np.maximum(hit.sum(axis=axes, keepdims=True), 1)
        return gx * (sgn * share).astype(xd.dtype, copy=False)
    zero = nd == 0  # the zero vector: every entry is 0, so each part below is 0 once norm is not
    if zero.any():
        norm = where.dispatch(zero, 1, norm)
    if ord == 2:
        return gx * (x / norm)
    if ord > 2:
        return gx * (sgn * (absolute.dispatch(x) / norm) ** (ord - 1))
    live = xd != 0  # p < 2: |x|^(p-1) has no finite derivative at 0 (p < 1: no finite value); sign(0) = 0
    xs = x if live.all() else where.dispatch(live, x, 1)
    return gx * (sgn * (absolute.dispatch(xs) / norm) ** (ord - 1))


_vector_norm_op = defop("vector_norm", _vector_norm, _vector_norm_vjp, kind="reduce")


def vector_norm(x, ord=2, dim=None, keepdim=False, *, axis=None, keepdims=None):  # noqa: A002
    """The p-norm of ``x`` over ``dim`` (all axes when None, x flattened), as ``torch.linalg.vector_norm``.

    **Arguments:** ``ord``: p > 0 (None: 2), 0 (count of nonzeros), ``inf`` (max |x|) or ``-inf`` (min |x|);
    ``dim``/``axis``: int, tuple or None; ``keepdim``/``keepdims``.

    **Returns:** a Value of x's float dtype (integers give float64), reduced over ``dim``.
    **Gradient:** see the module docstring: 0 at the zero vector, ties of the inf-norm split evenly.
    **Raises:** ArgumentError (a ValueError) for an unsupported ``ord``; ShapeError for the inf-norm
    of an empty axis.
    """
    axes = one_of("vector_norm", dim=dim, axis=axis)
    keep = flag("vector_norm", keepdim, keepdims)
    return _vector_norm_op(x, ord=_check_ord(ord), axis=axes, keepdims=keep)


def _two_axes(dims, ndim, fn):
    """Two distinct axes (row, column) as non-negative ints."""
    try:
        row, col = (one_axis(fn, a, ndim) for a in dims)
    except (TypeError, ValueError):
        raise ShapeError(f"{fn}: a matrix norm needs two axes of a 2-D or batched input, got dim={dims!r}") from None
    if row == col or ndim < 2:
        raise ShapeError(f"{fn}: a matrix norm needs two distinct axes of a 2-D or batched input, got dim={dims!r}")
    return row, col


def matrix_norm(x, ord="fro", dim=None, keepdim=False, *, axis=None, keepdims=None):  # noqa: A002
    """A matrix norm over the two axes ``dim`` (``torch.linalg.matrix_norm``).

    **Arguments:** ``ord``: ``'fro'`` or None (Frobenius, the 2-norm of the entries), ``'nuc'`` (the
    sum of the singular values), ``2`` / ``-2`` (the largest / smallest singular value), ``1`` / ``-1``
    (max / min absolute column sum), ``inf`` / ``-inf`` (max / min absolute row sum); ``dim``/``axis``: the
    (row, column) axes, default ``(-2, -1)``; ``keepdim``/``keepdims``.

    **Gradient:** Frobenius as vector_norm (0 at the zero matrix); 1, -1, inf, -inf through ``abs``
    (0 at 0) and ``max``/``min`` (ties split evenly); 'nuc', 2, -2 through ``svdvals`` (first order).
    **Raises:** ArgumentError (a ValueError) for other orders; ShapeError without two distinct axes.
    """
    x = as_operand(x, "matrix_norm")
    dims = one_of("matrix_norm", (-2, -1), dim=dim, axis=axis)
    keep = flag("matrix_norm", keepdim, keepdims)
    nd = np.ndim(_data(x))
    row, col = _two_axes(dims, nd, "matrix_norm")
    if ord is None or ord == "fro":
        return _vector_norm_op(x, ord=2.0, axis=(row, col), keepdims=keep)
    if ord in (1, -1, math.inf, -math.inf) and not isinstance(ord, bool):
        over, then = (row, col) if ord in (1, -1) else (col, row)  # column sums for 1, row sums for inf
        sums = sum_(absolute(x), axis=over, keepdims=True)
        pick = amax if ord > 0 else amin
        out = pick(sums, axis=then, keepdims=True)
        return out if keep else out.reshape(tuple(n for i, n in enumerate(out.shape) if i not in (row, col)))
    if ord in ("nuc", 2, -2) and not isinstance(ord, bool):
        s = svdvals(transpose(x, axes=tuple(d for d in range(nd) if d not in (row, col)) + (row, col)))
        out = s.sum(axis=-1) if ord == "nuc" else (amax if ord == 2 else amin)(s, axis=-1)
        return unsqueeze(unsqueeze(out, axis=min(row, col)), axis=max(row, col)) if keep else out
    raise ArgumentError(f"matrix_norm: ord {ord!r} is not supported; use 'fro', 'nuc', 1, -1, 2, -2, inf or -inf")


def norm(x, ord=None, dim=None, keepdim=False, *, p=None, axis=None, keepdims=None):  # noqa: A002
    """A vector or matrix norm, chosen as ``torch.linalg.norm`` and ``numpy.linalg.norm`` choose it.

    With ``ord``: ``dim`` None and ``ord`` None is the 2-norm of x flattened; ``dim`` None and an
    ``ord`` needs a 1-D input (a vector norm) or a 2-D one (a matrix norm); an int ``dim`` gives a
    vector norm, two axes a matrix norm (``ord`` None meaning Frobenius).
    With ``p`` (``torch.norm``'s spelling): a vector p-norm over ``dim`` (all of x when None);
    ``p='fro'`` is the 2-norm of the entries.

    **Raises:** ArgumentError (a ValueError) for an order the chosen kind of norm does not support;
    ShapeError for an ``ord`` with ``dim`` None on an input that is neither 1-D nor 2-D.
    """
    x = as_operand(x, "norm")
    axes = one_of("norm", dim=dim, axis=axis)
    keep = flag("norm", keepdim, keepdims)
    if p is not None:
        if ord is not None:
            raise TypeError("norm: ord and p are two spellings of one argument; give one")
        if p == "fro" and (axes is None or np.ndim(axes) == 0 or len(axes) != 2):
            p = 2
        if isinstance(p, str):
            return matrix_norm(x, p, axes, keep)
        return vector_norm(x, p, axes, keep)
    ndim = np.ndim(_data(x))
    if axes is None:
        if ord is None:
            return vector_norm(x, 2, None, keep)
        if ndim not in (1, 2):
            raise ShapeError(f"norm: ord={ord!r} needs a 1-D or 2-D input, or an explicit dim; got {ndim}-D")
        axes = 0 if ndim == 1 else (0, 1)
    if np.ndim(axes) == 0 or len(axes) == 1:
        return vector_norm(x, 2 if ord is None else ord, axes, keep)
    return matrix_norm(x, "fro" if ord is None else ord, tuple(axes), keep)
