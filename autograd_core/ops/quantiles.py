"""Order statistics: quantile, nanquantile, median, nanmedian.

The ranks are found on the data (a stable sort, NaN last) and the values gathered with
``take_along_axis``, so the gradient follows the selected element(s), PyTorch's rule:

- ``quantile(x, q)`` (numpy's and PyTorch's, ``method``/``interpolation`` 'linear', 'lower', 'higher',
  'nearest', 'midpoint'): the two neighbouring order statistics ``lo, hi`` at position ``q (n - 1)``
  combined as ``lo + (hi - lo) t``, so the gradient is ``1 - t`` to one and ``t`` to the other. A row
  holding NaN gives NaN (``nanquantile`` skips NaN entries; an all-NaN row gives NaN);
- ``median(x, dim)`` is PyTorch's: the *lower* median (rank ``(n - 1) // 2``) and its index, the
  gradient to that index; ``median(x)`` over all entries shares the gradient evenly between the
  entries equal to the median (PyTorch's ``evenly_distribute_backward``). numpy's median (the mean of
  the two middle entries for even n) is ``quantile(x, 0.5)``, and ``np.median`` on a Value.
"""

from collections import namedtuple

import numpy as np

from ..errors import ArgumentError
from ..value import Value
from .args import flag, one_axis, one_of
from .elementwise import where
from .gather import take_along_axis
from .reduce import amax
from .registry import as_operand
from .shape import as_value, getitem, reshape, stack

MedianResult = namedtuple("MedianResult", ["values", "indices"])
_METHODS = ("linear", "lower", "higher", "nearest", "midpoint")


def _data(x):
    return np.asarray(getattr(x, "_data", x))


def _flat_or_axis(x, ax, fn):
    """x flattened with axis 0 when ``ax`` is None, else the axis checked (a 0-d x: one entry)."""
    if ax is None or x.ndim == 0:
        if ax is not None:
            one_axis(fn, ax, 0)
        return reshape(x, shape=(-1,)), 0
    return x, one_axis(fn, ax, x.ndim)


def _ranks(xd, ax, skip_nan):
    """Stable sort order along ``ax`` (NaN last), the count of usable entries per row (kept axis) and
    whether each row holds a NaN."""
    nan = np.isnan(xd) if xd.dtype.kind == "f" else np.zeros(xd.shape, bool)
    order = np.argsort(xd, axis=ax, kind="stable")
    has_nan = nan.any(axis=ax, keepdims=True)
    count = (~nan).sum(axis=ax, keepdims=True) if skip_nan else np.full(has_nan.shape, xd.shape[ax])
    return order, count, has_nan


def _positions(q, count, method):
    pos = q * np.maximum(count - 1, 0)
    lo, hi = np.floor(pos), np.ceil(pos)
    if method == "lower":
        hi = lo
    elif method == "higher":
        lo = hi
    elif method == "nearest":
        lo = hi = np.round(pos)  # half to even, numpy's and PyTorch's rule
    t = np.where(lo == hi, 0.0, 0.5 if method == "midpoint" else pos - lo)
    return lo.astype(np.int64), hi.astype(np.int64), t


def _quantile(x, q, dim, keep, method, skip_nan, fn):
    x = as_value(as_operand(x, fn))
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    if method not in _METHODS:
        raise ArgumentError(f"{fn}: method (interpolation) must be one of {_METHODS}, got {method!r}")
    qa = np.asarray(_data(q), dtype=np.float64)
    if qa.ndim > 1 or not ((qa >= 0) & (qa <= 1)).all():
        raise ArgumentError(f"{fn}: q must be a number or a 1-D array of numbers in [0, 1], got {q!r}")
    shape_in = x.shape
    flat, ax = _flat_or_axis(x, dim, fn)
    if flat.shape[ax] == 0:
        raise ArgumentError(f"{fn}: cannot take a quantile over an empty axis (shape {shape_in})")
    order, count, has_nan = _ranks(_data(flat), ax, skip_nan)
    ordered = take_along_axis(flat, order, ax)
    bad = (count == 0) if skip_nan else has_nan
    outs = []
    for qi in qa.reshape(-1):
        lo, hi, t = _positions(qi, count, method)
        a, b = take_along_axis(ordered, lo, ax), take_along_axis(ordered, hi, ax)
        t = t.astype(flat.dtype)
        val = a + (b - a) * t if (t != 0).any() else a
        outs.append(where(bad, np.nan, val) if bad.any() else val)
    out = stack(outs, axis=0)
    if keep and dim is None:
        out = reshape(out, shape=(len(outs),) + (1,) * len(shape_in))
    elif not keep:
        out = getitem(out, (slice(None),) + (slice(None),) * ax + (0,))
    return out if qa.ndim else getitem(out, 0)


def quantile(x, q, dim=None, keepdim=False, *, interpolation="linear", axis=None, keepdims=None, method=None):
    """The ``q``-th quantile(s) over ``dim``/``axis`` (None: all entries), as ``torch.quantile`` and
    ``numpy.quantile``; ``q`` a number or 1-D array in [0, 1] (1-D: results stacked on a new first axis).
    ``interpolation`` (PyTorch) or ``method`` (numpy): 'linear' (default), 'lower', 'higher', 'nearest',
    'midpoint'. A row holding NaN gives NaN. Gradient: ``1 - t`` and ``t`` to the two order statistics
    combined. **Raises:** ArgumentError for q outside [0, 1], an unknown method or an empty axis."""
    ax, keep = one_of("quantile", dim=dim, axis=axis), flag("quantile", keepdim, keepdims)
    return _quantile(x, q, ax, keep, method or interpolation, False, "quantile")


def nanquantile(x, q, dim=None, keepdim=False, *, interpolation="linear", axis=None, keepdims=None, method=None):
    """:func:`quantile` skipping NaN entries (numpy's and PyTorch's ``nanquantile``); an all-NaN row gives NaN."""
    ax, keep = one_of("nanquantile", dim=dim, axis=axis), flag("nanquantile", keepdim, keepdims)
    return _quantile(x, q, ax, keep, method or interpolation, True, "nanquantile")


def _median(x, dim, keepdim, axis, keepdims, skip_nan, fn):
    x = as_value(as_operand(x, fn))
    ax = one_of(fn, dim=dim, axis=axis)
    keep = flag(fn, keepdim, keepdims)
    flat, a = _flat_or_axis(x, ax, fn)
    if flat.shape[a] == 0:
        raise ArgumentError(f"{fn}: cannot take the median of an empty axis (shape {x.shape})")
    order, count, has_nan = _ranks(_data(flat), a, skip_nan)
    valid = (~np.isnan(_data(flat))).sum(axis=a, keepdims=True) if _data(flat).dtype.kind == "f" else count
    rank = np.where(has_nan & (not skip_nan), valid, np.maximum(count - 1, 0) // 2)  # first NaN, or the lower median
    idx = np.take_along_axis(order, rank, a)
    values = take_along_axis(flat, idx, a)
    if ax is None:
        v = _data(values).reshape(())
        if np.isnan(v) or x.size == 0:
            return reshape(values, shape=())
        return amax(getitem(reshape(x, shape=(-1,)), _data(reshape(x, shape=(-1,))) == v))  # ties share evenly
    if not keep:
        values, idx = values.squeeze(a), idx.squeeze(a)
    if x.ndim == 0:
        values, idx = reshape(values, shape=()), idx.reshape(())
    return MedianResult(values, Value(idx, requires_grad=False))


def median(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """PyTorch's ``median``: with ``dim``/``axis``, ``(values, indices)`` of the lower median along it
    (the gradient to that index); without, the lower median of all entries as one Value (the gradient
    shared evenly between entries equal to it). A row holding NaN gives NaN. numpy's median (the mean
    of the two middle entries) is ``quantile(x, 0.5)``. **Raises:** ArgumentError for an empty axis."""
    return _median(x, dim, keepdim, axis, keepdims, False, "median")


def nanmedian(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """:func:`median` skipping NaN entries (PyTorch's ``nanmedian``); an all-NaN row gives NaN."""
    return _median(x, dim, keepdim, axis, keepdims, True, "nanmedian")
