"""Variance and standard deviation over axes, with Bessel's correction as a parameter.

``var = sum((x - mean)^2) / (N - correction)`` (``correction`` is numpy's ``ddof``). Its vjp is
``g * 2 (x - mean) / (N - correction)`` (the mean's own dependence on x cancels, since the
deviations sum to zero). ``std = sqrt(var)`` has vjp ``g / (2 std)`` times var's; where the
variance is 0 the gradient is 0, not NaN, as PyTorch's ``std_backward`` masks it. With
``N - correction <= 0`` the result is inf or NaN (as numpy and PyTorch), without a warning.
"""

import numpy as np

from ..errors import ArgumentError
from .args import flag, one_of
from .elementwise import where
from .precision import widen_half
from .reduce import expand_back, mean, normalize_axis
from .registry import defop


def _data(x):
    return getattr(x, "_data", x)


def _dof(shape, axes, correction):
    n = int(np.prod([shape[a] for a in axes], dtype=np.int64))
    return max(n - correction, 0)


@widen_half  # float16: the sum of squares and its divisor N in float32 (ops/precision.py)
def _var(x, axis=None, correction=1, keepdims=False):
    axes = normalize_axis(axis, x.ndim, "var")
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if x.size == 0:
            ss = np.sum(x, axis=axes, keepdims=True)
        else:
            d = x - np.mean(x, axis=axes, keepdims=True)
            ss = np.sum(d * d, axis=axes, keepdims=True)
        out = ss / x.dtype.type(_dof(x.shape, axes, correction))
    return out if keepdims else out.reshape([s for i, s in enumerate(out.shape) if i not in axes])


def _var_vjp(g, out, x, axis=None, correction=1, keepdims=False):
    xd = _data(x)
    axes = normalize_axis(axis, xd.ndim)
    dev = x - mean.dispatch(x, axis=axes, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):  # N - correction = 0: inf and NaN, as the forward
        scale = float(np.divide(2.0, _dof(xd.shape, axes, correction)))  # a Python float keeps float32
        return expand_back(g, xd.shape, axis, keepdims) * (dev * scale)


var_op = defop("var", _var, _var_vjp, kind="reduce")


@widen_half
def _std(x, axis=None, correction=1, keepdims=False):
    return np.sqrt(_var(x, axis, correction, keepdims))


def _std_vjp(g, out, x, axis=None, correction=1, keepdims=False):
    zero = _data(out) == 0
    if zero.any():
        g = where.dispatch(zero, 0, g / (2 * where.dispatch(zero, 1, out)))
    else:
        g = g / (2 * out)
    return _var_vjp(g, None, x, axis, correction, keepdims)


std_op = defop("std", _std, _std_vjp, kind="reduce")


def _correction(fn, correction, ddof, unbiased):
    c = one_of(fn, correction=correction, ddof=ddof)
    if unbiased is not None:
        if c is not None:
            raise TypeError(f"{fn}: give one of correction, ddof and unbiased")
        return 1 if unbiased else 0
    c = 1 if c is None else c
    if isinstance(c, bool) or not isinstance(c, (int, float, np.integer, np.floating)) or c < 0:
        raise ArgumentError(f"{fn}: correction (ddof) must be a non-negative number, got {c!r}")
    return c


def var(x, dim=None, *, correction=None, keepdim=False, ddof=None, unbiased=None, axis=None, keepdims=None):
    """The variance over ``dim``/``axis`` (int, tuple or None for all): ``sum((x - mean)^2) / (N - correction)``.

    **Arguments:** ``correction`` (PyTorch) or ``ddof`` (numpy), default 1 as in PyTorch (the
    unbiased estimate; pass ``ddof=0`` for numpy's default, the population variance); ``unbiased``
    (PyTorch's older bool); ``keepdim``/``keepdims``.

    **Returns:** a float Value (integers give float64). ``N - correction <= 0`` gives inf or NaN.
    **Gradient:** ``2 (x - mean) / (N - correction)``; 0 where the variance is 0.
    """
    c = _correction("var", correction, ddof, unbiased)
    return var_op(x, axis=one_of("var", dim=dim, axis=axis), correction=c, keepdims=flag("var", keepdim, keepdims))


def std(x, dim=None, *, correction=None, keepdim=False, ddof=None, unbiased=None, axis=None, keepdims=None):
    """The standard deviation ``sqrt(var)``; arguments as :func:`var` (default correction 1).

    **Gradient:** ``(x - mean) / ((N - correction) std)``, and 0 where std is 0 (PyTorch's rule), not NaN.
    """
    c = _correction("std", correction, ddof, unbiased)
    return std_op(x, axis=one_of("std", dim=dim, axis=axis), correction=c, keepdims=flag("std", keepdim, keepdims))
