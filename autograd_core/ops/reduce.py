"""Reductions over an axis (int, tuple, negative, None) with keepdims; their vjps broadcast back."""

import numpy as np

from ..errors import ShapeError
from .elementwise import as_float
from .precision import divisor, sum_dtype, widen_half
from .registry import defop
from .shape import broadcast_to


def _data(x):
    return getattr(x, "_data", x)


def normalize_axis(axis, ndim, name="reduce"):
    """Axis argument as a sorted tuple of non-negative axes; None means all (a 0-d array: ()).

    Raises TypeError for an axis that is not an int (or a tuple of ints), ShapeError for one out of
    range or repeated."""
    if axis is None:
        return tuple(range(ndim))
    axes = tuple(axis) if isinstance(axis, (tuple, list, np.ndarray)) else (axis,)
    if not all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axes):
        raise TypeError(f"axis/dim must be an int, a tuple of ints or None, got {axis!r}")
    out = []
    for a in axes:  # a 0-d array takes axis 0 or -1, meaning its one element (numpy's ndarray.sum, PyTorch)
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise ShapeError(f"{name}: axis {a} is out of range for an array of {ndim} dimensions")
        out.append(int(a) % max(ndim, 1))
    if len(set(out)) != len(out):
        raise ShapeError(f"{name}: repeated axis in {axis}")
    return tuple(sorted(out)) if ndim else ()


def _kept_shape(shape, axes):
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def expand_back(g, shape, axis, keepdims):
    """Undo a reduction's shape: put reduced axes back as 1s, then broadcast to ``shape``."""
    if not keepdims:
        g = g.reshape(_kept_shape(shape, normalize_axis(axis, len(shape))))
    return broadcast_to.dispatch(g, shape)


def _sum(x, axis=None, keepdims=False):
    """numpy's sum; float16 accumulates in float64 and is cast back (ops/precision.py)."""
    acc = sum_dtype(x.dtype)
    out = np.sum(x, axis=normalize_axis(axis, x.ndim, "sum"), keepdims=keepdims, dtype=acc)
    return out if acc is None else out.astype(x.dtype)


def _mean(x, axis=None, keepdims=False):
    axes = normalize_axis(axis, x.ndim, "mean")
    if any(x.shape[a] == 0 for a in axes):  # the mean of nothing is NaN (PyTorch), without numpy's warnings
        shape = np.sum(x, axis=axes, keepdims=keepdims).shape
        return np.full(shape, np.nan, dtype=x.dtype if x.dtype.kind == "f" else np.float64)
    acc = sum_dtype(x.dtype)
    out = np.mean(x, axis=axes, keepdims=keepdims, dtype=acc)
    return out if acc is None else out.astype(x.dtype)


def _count(shape, axis):
    return int(np.prod([shape[a] for a in normalize_axis(axis, len(shape))], dtype=np.int64))


sum_ = defop(
    "sum",
    _sum,
    lambda g, out, x, axis=None, keepdims=False: expand_back(g, _data(x).shape, axis, keepdims),
    kind="reduce",
)
mean = defop(
    "mean",
    _mean,
    lambda g, out, x, axis=None, keepdims=False: (
        expand_back(g, _data(x).shape, axis, keepdims) / divisor(max(_count(_data(x).shape, axis), 1), _data(g).dtype)
    ),
    kind="reduce",
)


def _extreme(fn, name):
    def forward(x, axis=None, keepdims=False):
        axes = normalize_axis(axis, x.ndim, name)
        if any(x.shape[a] == 0 for a in axes):  # (2, 0).max(axis=0) is fine: an empty result
            raise ShapeError(f"{name}: cannot take the {name} over an empty axis (shape {x.shape}, axis {axis})")
        return fn(x, axis=axes, keepdims=keepdims)

    def vjp(g, out, x, axis=None, keepdims=False):
        xd, od = _data(x), _data(out)
        shape = xd.shape
        axes = normalize_axis(axis, xd.ndim)
        od = od if keepdims else od.reshape(_kept_shape(shape, axes))
        mask = xd == od
        share = mask / mask.sum(axis=axes, keepdims=True)
        return expand_back(g, shape, axis, keepdims) * share.astype(xd.dtype, copy=False)

    def support(out, x, axis=None, keepdims=False):  # non-maximal entries get exactly 0 (support.py)
        axes = normalize_axis(axis, x.ndim)
        return x == (out if keepdims else out.reshape(_kept_shape(x.shape, axes)))

    op = defop(name, forward, vjp, kind="reduce")
    op.support = (support,)
    return op


amax = _extreme(np.max, "max")
amin = _extreme(np.min, "min")


@widen_half
def _logsumexp(x, axis=None, keepdims=False):
    """log(sum(exp(x))) shifted by the max; rows whose max is +-inf or NaN return that max (no overflow)."""
    x = as_float(x)
    axes = normalize_axis(axis, x.ndim, "logsumexp")
    m = np.max(x, axis=axes, keepdims=True) if x.size else np.zeros(_kept_shape(x.shape, axes), x.dtype)
    finite = np.isfinite(m)
    if finite.all():
        z = x - m
    else:
        m_safe = np.where(finite, m, 0).astype(x.dtype, copy=False)
        z = np.where(finite, x - m_safe, 0).astype(x.dtype, copy=False)
    with np.errstate(divide="ignore"):  # only an empty reduction sums to 0
        out = np.log(np.sum(np.exp(z), axis=axes, keepdims=True))
    out = out + m if finite.all() else np.where(finite, out + m_safe, m).astype(x.dtype, copy=False)
    return out if keepdims else out.reshape([s for i, s in enumerate(out.shape) if i not in axes])


def _logsumexp_vjp(g, out, x, axis=None, keepdims=False):
    """g * softmax(x); a row whose result is +inf or -inf (its maximum) shares g evenly among the
    entries equal to it (the limit along the diagonal, as softmax and logaddexp take it), so no
    inf - inf or overflow reaches the gradient."""
    from .elementwise import exp, where

    xd = _data(x)
    shape = xd.shape
    axes = normalize_axis(axis, len(shape))
    out_k = out if keepdims else out.reshape(_kept_shape(shape, axes))
    od = _data(out_k)
    if np.isfinite(od).all():
        return expand_back(g, shape, axis, keepdims) * exp.dispatch(x - out_k)
    inf_rows = np.broadcast_to(np.isinf(od), shape)
    top = (xd == od) & inf_rows  # in a row whose result is infinite: the entries equal to it
    share = (top / np.maximum(top.sum(axis=axes, keepdims=True), 1)).astype(xd.dtype, copy=False)
    z = where.dispatch(inf_rows, 0, x) - where.dispatch(np.isfinite(od), out_k, 0)
    return expand_back(g, shape, axis, keepdims) * where.dispatch(inf_rows, share, exp.dispatch(z))


logsumexp = defop("logsumexp", _logsumexp, _logsumexp_vjp, kind="reduce")
