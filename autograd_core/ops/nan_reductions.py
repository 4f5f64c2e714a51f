"""numpy's NaN-ignoring reductions and scans, and ``percentile``, written with the primitives.

NaN entries are read as absent: ``where`` replaces them by the operation's neutral value, so their
gradient is exactly 0 and every other entry gets the plain operation's gradient.

- ``nanvar``/``nanstd``: ``sum((x - mean)^2) / (count - ddof)`` over the non-NaN entries (numpy's
  ``nanvar``/``nanstd``; PyTorch has none). Default ``ddof`` 0, numpy's; NaN where ``count - ddof <=
  0`` (numpy's rule, where ``ag.var`` gives inf). nanstd's gradient is 0 where the variance is 0, as
  ``ag.std``'s (PyTorch's ``std_backward``);
- ``nanmax``/``nanmin``: ``max``/``min`` with NaN read as -inf/+inf; NaN for an all-NaN row (numpy's,
  without its warning); ties share the gradient evenly, as ``max``;
- ``nanprod`` (NaN read as 1, an all-NaN product is 1) and ``nancumsum`` (NaN read as 0);
- ``percentile(x, q) = quantile(x, q / 100)`` (numpy's; PyTorch has only ``quantile``), and
  ``nanpercentile``. Both divide q by 100 as numpy does, so the values agree bit for bit.
"""

import numpy as np

from ..errors import ArgumentError
from .args import flag, one_of
from .elementwise import sqrt, where
from .quantiles import nanquantile, quantile
from .reduce import amax, amin, normalize_axis, sum_
from .registry import as_operand
from .scans import _scan, cumsum_op, prod_op
from .shape import as_value
from .stats import std_op, var_op


def _data(x):
    return np.asarray(getattr(x, "_data", x))


def _float_and_nan(x, fn):
    """x as a float Value (integers as float64) and its NaN mask."""
    x = as_value(as_operand(x, fn))
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    return x, np.isnan(_data(x))


def _filled(x, nan, value):
    return where(nan, value, x) if nan.any() else x


def _nan_moments(x, nan, axes, keep, ddof):
    """``(sum of squared deviations, count - ddof)`` over ``axes`` of the non-NaN entries."""
    count = np.sum(~nan, axis=axes, keepdims=True)
    clean = _filled(x, nan, 0.0)
    centre = sum_(clean, axis=axes, keepdims=True) / np.maximum(count, 1).astype(x.dtype)
    dev = _filled(clean - centre, nan, 0.0)
    dof = count - ddof
    return sum_(dev * dev, axis=axes, keepdims=keep), dof if keep else np.squeeze(dof, axis=axes)


def _nan_var(x, axis, ddof, keep, fn):
    """nanvar, or ``(var_op or std_op, its params)`` when x holds no NaN and every row has ``count > ddof``."""
    if isinstance(ddof, bool) or not isinstance(ddof, (int, float, np.integer, np.floating)) or ddof < 0:
        raise ArgumentError(f"{fn}: ddof (correction) must be a non-negative number, got {ddof!r}")
    x, nan = _float_and_nan(x, fn)
    axes = normalize_axis(axis, x.ndim, fn)
    if not nan.any() and int(np.prod([x.shape[a] for a in axes])) > ddof:
        return x, {"axis": axis, "correction": ddof, "keepdims": keep}
    ss, dof = _nan_moments(x, nan, axes, keep, ddof)
    bad = dof <= 0
    return _filled(ss / np.where(bad, 1, dof).astype(x.dtype), bad, np.nan), None


def _var_args(fn, axis, ddof, keepdims, dim, keepdim, correction):
    return (
        one_of(fn, dim=dim, axis=axis),
        one_of(fn, 0, ddof=ddof, correction=correction),
        flag(fn, keepdim, keepdims or None),
    )


def nanvar(x, axis=None, ddof=None, keepdims=False, *, dim=None, keepdim=None, correction=None):
    """The variance of the non-NaN entries over ``axis``/``dim`` (int, tuple or None for all), numpy's
    ``nanvar``: ``sum((x - mean)^2) / (count - ddof)``, ``ddof``/``correction`` default 0 (numpy's;
    ``ag.var`` follows PyTorch's 1). **Returns:** a float Value (integers give float64); NaN where
    ``count - ddof <= 0``. **Gradient:** ``2 (x - mean) / (count - ddof)``, 0 for NaN entries.
    **Raises:** ArgumentError for a negative ddof; ShapeError for a bad axis."""
    ax, c, keep = _var_args("nanvar", axis, ddof, keepdims, dim, keepdim, correction)
    out, plain = _nan_var(x, ax, c, keep, "nanvar")
    return var_op(out, **plain) if plain else out


def nanstd(x, axis=None, ddof=None, keepdims=False, *, dim=None, keepdim=None, correction=None):
    """``sqrt(nanvar)`` (numpy's ``nanstd``); arguments, result and errors as :func:`nanvar`.
    **Gradient:** ``(x - mean) / ((count - ddof) std)``, and 0 where the variance is 0 (PyTorch's
    rule for ``std``), 0 for NaN entries."""
    ax, c, keep = _var_args("nanstd", axis, ddof, keepdims, dim, keepdim, correction)
    var, plain = _nan_var(x, ax, c, keep, "nanstd")
    if plain:
        return std_op(var, **plain)
    zero = _data(var) == 0
    return _filled(sqrt(_filled(var, zero, 1.0)), zero, 0.0)  # sqrt'(0) is inf: 0 there, as ag.std


def _nan_extreme(op, fill, fn):
    def reduce(x, axis=None, keepdims=False, *, dim=None, keepdim=None):
        ax, keep = one_of(fn, dim=dim, axis=axis), flag(fn, keepdim, keepdims or None)
        x, nan = _float_and_nan(x, fn)
        out = op(_filled(x, nan, fill), axis=ax, keepdims=keep)
        if not nan.any():
            return out
        empty = np.all(nan, axis=normalize_axis(ax, x.ndim, fn), keepdims=keep)
        return _filled(out, empty, np.nan)

    reduce.__name__ = fn
    reduce.__doc__ = (
        f"numpy's ``{fn}``: the {'largest' if fill < 0 else 'smallest'} non-NaN entry over ``axis``/``dim`` "
        "(int, tuple or None for all), ``keepdims``/``keepdim``; NaN where every entry is NaN (numpy warns; "
        "we do not). Float dtype kept, integers give float64. **Gradient:** to the extreme entry, split "
        "evenly between ties (``max``'s rule); 0 for NaN entries. **Raises:** ShapeError over an empty axis."
    )
    return reduce


nanmax, nanmin = _nan_extreme(amax, -np.inf, "nanmax"), _nan_extreme(amin, np.inf, "nanmin")


def nanprod(x, axis=None, keepdims=False, *, dim=None, keepdim=None):
    """numpy's ``nanprod``: the product over ``axis``/``dim`` (int, tuple or None) reading NaN as 1 (an
    all-NaN product is 1). **Gradient:** ``prod``'s (exact with zeros), 0 for NaN entries."""
    ax, keep = one_of("nanprod", dim=dim, axis=axis), flag("nanprod", keepdim, keepdims or None)
    x, nan = _float_and_nan(x, "nanprod")
    return prod_op(_filled(x, nan, 1.0), axis=ax, keepdims=keep)


def nancumsum(x, axis=None, *, dim=None):
    """numpy's ``nancumsum``: running sums along ``axis``/``dim`` reading NaN as 0 (None: over x
    flattened). Same shape (flattened for None); integers give float64 here. **Gradient:**
    ``cumsum``'s, 0 for NaN entries."""
    x, nan = _float_and_nan(x, "nancumsum")
    return _scan(cumsum_op, _filled(x, nan, 0.0), dim, axis)


def _percent(q, fn):
    qa = np.asarray(_data(q), dtype=np.float64)
    if qa.ndim > 1 or not ((qa >= 0) & (qa <= 100)).all():
        raise ArgumentError(f"{fn}: q must be a number or a 1-D array of numbers in [0, 100], got {q!r}")
    return qa / 100 if qa.ndim else float(qa) / 100


def percentile(x, q, axis=None, keepdims=False, *, method="linear", dim=None, keepdim=None, interpolation=None):
    """numpy's ``percentile``: ``quantile(x, q / 100)`` with ``q`` a number or 1-D array in [0, 100]
    (1-D: results stacked on a new first axis); ``method``/``interpolation`` and the gradient as
    :func:`~autograd_core.quantile`. **Raises:** ArgumentError for q outside [0, 100]."""
    ax, keep = one_of("percentile", dim=dim, axis=axis), flag("percentile", keepdim, keepdims or None)
    x = as_operand(x, "percentile")
    return quantile(x, _percent(q, "percentile"), ax, keep, method=interpolation or method)


def nanpercentile(x, q, axis=None, keepdims=False, *, method="linear", dim=None, keepdim=None, interpolation=None):
    """numpy's ``nanpercentile``: :func:`percentile` skipping NaN entries (an all-NaN row gives NaN)."""
    ax, keep = one_of("nanpercentile", dim=dim, axis=axis), flag("nanpercentile", keepdim, keepdims or None)
    x = as_operand(x, "nanpercentile")
    return nanquantile(x, _percent(q, "nanpercentile"), ax, keep, method=interpolation or method)
