"""Reductions and scans written with the primitives: ptp, nansum, nanmean, average, diff, cummax, cummin.

- ``ptp = max - min`` (ties split the gradient evenly, as max and min do);
- ``nansum``/``nanmean`` read NaN entries as absent (``where`` masks them: their gradient is 0);
  an all-NaN nanmean is NaN, as numpy and PyTorch;
- ``average``: ``sum(w x) / sum(w)`` (numpy's), differentiable in x and in the weights;
- ``diff``: ``x[1:] - x[:-1]`` along the axis, n times, after joining ``prepend``/``append``;
- ``cummax``/``cummin``: PyTorch's ``(values, indices)``: the running extreme's index is found on
  the data (ties go to the later entry and NaN propagates, as PyTorch), the values gathered with
  ``take_along_axis``, so each output's gradient goes to the entry it came from (PyTorch's rule).
"""

from collections import namedtuple

import numpy as np

from ..errors import ArgumentError, ShapeError
from ..value import Value
from .args import flag, one_axis, one_of
from .elementwise import where
from .gather import take_along_axis
from .precision import widen_half_composition
from .reduce import amax, amin, mean, normalize_axis, sum_
from .registry import as_operand
from .shape import as_value, broadcast_to, concatenate, getitem, reshape

CummaxResult = namedtuple("CummaxResult", ["values", "indices"])
CumminResult = namedtuple("CumminResult", ["values", "indices"])


def _data(x):
    return np.asarray(getattr(x, "_data", x))


def _reduce_args(fn, dim, axis, keepdim, keepdims):
    return one_of(fn, dim=dim, axis=axis), flag(fn, keepdim, keepdims)


def ptp(x, axis=None, keepdims=False, *, dim=None, keepdim=None):
    """Peak to peak, ``max - min`` over ``axis``/``dim`` (int, tuple or None for all; numpy's ``ptp``).
    Gradient: +1 to the maximum and -1 to the minimum, each split evenly between ties.
    **Raises:** ShapeError over an empty axis."""
    ax, keep = _reduce_args("ptp", dim, axis, keepdim or None, keepdims or None)
    x = as_operand(x, "ptp")
    return amax(x, axis=ax, keepdims=keep) - amin(x, axis=ax, keepdims=keep)


def _without_nan(x, fn):
    x = as_operand(x, fn)
    nan = np.isnan(_data(x)) if _data(x).dtype.kind in "fc" else np.zeros(_data(x).shape, bool)
    return (where(nan, 0.0, x) if nan.any() else as_value(x)), nan


def nansum(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The sum over ``dim``/``axis`` reading NaN as 0 (numpy's and PyTorch's ``nansum``); NaN entries get
    gradient 0, the others 1. An all-NaN (or empty) reduction is 0."""
    ax, keep = _reduce_args("nansum", dim, axis, keepdim, keepdims)
    clean, _ = _without_nan(x, "nansum")
    return sum_(clean, axis=ax, keepdims=keep)


@widen_half_composition  # float16: the count past 65,504 (ops/precision.py)
def nanmean(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The mean of the entries that are not NaN over ``dim``/``axis`` (numpy's and PyTorch's ``nanmean``);
    NaN where every entry is NaN. Gradient: ``1 / count`` to each non-NaN entry, 0 to NaN entries."""
    ax, keep = _reduce_args("nanmean", dim, axis, keepdim, keepdims)
    clean, nan = _without_nan(x, "nanmean")
    count = np.sum(~nan, axis=normalize_axis(ax, nan.ndim, "nanmean"), keepdims=keep)
    total = sum_(clean, axis=ax, keepdims=keep)
    if (count > 0).all():
        return total / count.astype(total.dtype)
    return where(count == 0, np.nan, total / np.maximum(count, 1).astype(total.dtype))


@widen_half_composition
def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """numpy's weighted ``average``: ``sum(w a) / sum(w)`` over ``axis`` (None: all). ``weights`` has a's
    shape, or is 1-D along one int ``axis``; None is the plain mean. ``returned=True`` also gives
    ``sum(w)`` (broadcast like the result). Gradients: ``w / sum(w)`` for a; ``(a - avg) / sum(w)``
    for the weights. **Raises:** ArgumentError when the weights sum to 0, ShapeError for bad shapes."""
    a = as_value(as_operand(a, "average"))
    if weights is None:
        avg = mean(a, axis=axis, keepdims=keepdims)
        if not returned:
            return avg
        count = a.size // max(avg.size, 1) if a.size else 0
        return avg, Value(np.full(avg.shape, count, dtype=avg.dtype), requires_grad=False)
    w = as_value(as_operand(weights, "average"))
    if w.shape != a.shape:
        if axis is None or not isinstance(axis, (int, np.integer)) or w.ndim != 1:
            raise ShapeError(f"average: weights of shape {w.shape} need a's shape {a.shape}, or 1-D with one axis")
        ax = one_axis("average", axis, a.ndim)
        if w.shape[0] != a.shape[ax]:
            raise ShapeError(f"average: {w.shape[0]} weights for an axis of length {a.shape[ax]}")
        w = reshape(w, shape=tuple(-1 if i == ax else 1 for i in range(a.ndim)))
        w = broadcast_to(w, shape=a.shape)
    scale = sum_(w, axis=axis, keepdims=keepdims)
    if (_data(scale) == 0).any():
        raise ArgumentError("average: the weights sum to zero, so the average is not defined")
    avg = sum_(a * w, axis=axis, keepdims=keepdims) / scale
    return (avg, broadcast_to(scale, shape=avg.shape)) if returned else avg


def diff(x, n=1, dim=None, prepend=None, append=None, *, axis=None):
    """The n-th forward difference ``x[i+1] - x[i]`` along ``dim``/``axis`` (default -1), after joining
    ``prepend`` and ``append`` (a number is broadcast to length 1 along the axis, as numpy does).
    numpy's and PyTorch's ``diff``. Gradient: the transpose of the differences.
    **Raises:** ShapeError for a 0-d input, ArgumentError for a negative n."""
    x = as_value(as_operand(x, "diff"))
    if x.ndim == 0:
        raise ShapeError("diff: needs at least 1 dimension, got a 0-d input")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ArgumentError(f"diff: n must be a non-negative int, got {n!r}")
    ax = one_axis("diff", one_of("diff", -1, dim=dim, axis=axis), x.ndim)
    if n == 0:  # numpy and PyTorch: x itself, prepend and append ignored
        return x
    parts = []
    for extra in (prepend, x, append):
        if extra is None:
            continue
        extra = as_value(as_operand(extra, "diff"))
        if extra.ndim == 0:
            extra = broadcast_to(extra, shape=x.shape[:ax] + (1,) + x.shape[ax + 1 :])
        parts.append(extra)
    x = concatenate(parts, axis=ax) if len(parts) > 1 else x
    head = (slice(None),) * ax
    for _ in range(int(n)):
        x = getitem(x, (*head, slice(1, None))) - getitem(x, (*head, slice(None, -1)))
    return x


def _running_index(xd, axis, later_wins):
    """Index of the running extreme along ``axis``: an entry takes over when ``later_wins(entry, current)``
    (ties included) or when it is NaN; after a NaN only another NaN takes over (PyTorch's cummax)."""
    xm = np.moveaxis(xd, axis, -1)
    idx = np.zeros(xm.shape, np.int64)
    if xm.shape[-1] == 0:
        return np.moveaxis(idx, -1, axis)
    cur, at = xm[..., 0].copy(), np.zeros(xm.shape[:-1], np.int64)
    with np.errstate(invalid="ignore"):
        for j in range(1, xm.shape[-1]):
            v = xm[..., j]
            take = np.isnan(v) | (~np.isnan(cur) & later_wins(v, cur))
            at = np.where(take, j, at)
            cur = np.where(take, v, cur)
            idx[..., j] = at
    return np.moveaxis(idx, -1, axis)


def _cum_extreme(later_wins, result, name):
    def impl(x, dim=None, *, axis=None):
        x = as_value(as_operand(x, name))
        ax = one_of(name, dim=dim, axis=axis)
        if ax is None:
            raise TypeError(f"{name}: give dim (the axis to run along)")
        if x.ndim == 0:
            one_axis(name, ax, 0)
            values, indices = impl(reshape(x, shape=(1,)), 0)
            return result(reshape(values, shape=()), reshape(indices, shape=()))
        ax = one_axis(name, ax, x.ndim)
        idx = _running_index(_data(x), ax, later_wins)
        return result(take_along_axis(x, idx, ax), Value(idx, requires_grad=False))

    impl.__name__ = impl.__qualname__ = name
    impl.__doc__ = (
        f"PyTorch's ``{name}(x, dim)``: ``(values, indices)`` of the running {name[3:]}imum along ``dim``\n"
        "    (same shape as x; indices int64 constants; ties go to the later entry, NaN propagates).\n"
        "    Gradient: each output's to the entry it came from."
    )
    return impl


cummax = _cum_extreme(np.greater_equal, CummaxResult, "cummax")
cummin = _cum_extreme(np.less_equal, CumminResult, "cummin")
