"""Covariance and correlation matrices (numpy's ``cov``/``corrcoef``, PyTorch's ``torch.cov``/``torch.corrcoef``).

Compositions: ``cov = (X - mean) (w (X - mean))^T / fact`` with numpy's weighting (``fweights``
integer frequencies, ``aweights`` observation weights) and normaliser ``fact`` (``N - ddof``, or
numpy's weighted forms); ``corrcoef = cov / (std_i std_j)`` clipped to [-1, 1] as numpy and PyTorch
do. The gradients are those of the composition (in the data and in ``aweights`` given as Values).
"""

import numpy as np

from ..errors import ArgumentError, ShapeError
from .args import one_of
from .elementwise import clip, sqrt
from .linalg import matmul
from .precision import widen_half_composition
from .reduce import mean, sum_
from .registry import as_operand
from .shape import as_value, reshape, squeeze, swapaxes


def _data(x):
    return np.asarray(getattr(x, "_data", x))


def _weights(fweights, aweights, n):
    w = None
    if fweights is not None:
        f = _data(as_operand(fweights, "cov"))
        if f.ndim != 1 or f.shape[0] != n or f.dtype.kind not in "iub" or (f < 0).any():
            raise ArgumentError(f"cov: fweights must be {n} non-negative integers, one per observation")
        w = f.astype(np.float64)
    if aweights is not None:
        a = as_value(as_operand(aweights, "cov"))
        if a.ndim != 1 or a.shape[0] != n or (_data(a) < 0).any():
            raise ArgumentError(f"cov: aweights must be {n} non-negative numbers, one per observation")
        w = a if w is None else a * w
    return w


def _observations(m, fn):
    x = as_value(as_operand(m, fn))
    if x.ndim > 2:
        raise ShapeError(f"{fn}: needs a 1-D or 2-D input (variables x observations), got shape {x.shape}")
    return x if x.dtype.kind == "f" else x.astype(np.float64)


@widen_half_composition  # float16: the divisor N - ddof past 65,504 (ops/precision.py)
def cov(m, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, correction=None):
    """The covariance matrix of the variables in the rows of ``m`` (columns with ``rowvar=False``):
    ``m`` 1-D (one variable) or 2-D (variables x observations); the result is (variables, variables),
    0-d for one variable. ``correction`` (PyTorch, default 1) or ``ddof`` (numpy; ``bias=True`` means 0).
    **Raises:** ShapeError for more than 2 dimensions; ArgumentError for bad weights."""
    x = _observations(m, "cov")
    x = reshape(x, shape=(1, -1)) if x.ndim < 2 else (x if rowvar or x.shape[0] == 1 else swapaxes(x, a=0, b=1))
    n = x.shape[1]
    ddof = one_of("cov", ddof=ddof, correction=correction)
    ddof = (0 if bias else 1) if ddof is None else ddof
    w = _weights(fweights, aweights, n)
    if w is None:
        avg, fact = mean(x, axis=1, keepdims=True), n - ddof
    else:
        w_sum = sum_(w)
        avg = sum_(x * w, axis=1, keepdims=True) / w_sum
        if ddof == 0:
            fact = w_sum
        elif aweights is None:
            fact = w_sum - ddof
        else:
            fact = w_sum - ddof * sum_(w * as_value(as_operand(aweights, "cov"))) / w_sum
    if np.any(_data(fact) <= 0):
        fact = fact * 0.0 if not isinstance(fact, (int, float)) else 0.0  # numpy: inf or NaN
    dev = x - avg
    weighted = dev if w is None else dev * w
    with np.errstate(divide="ignore", invalid="ignore"):
        c = matmul(dev, swapaxes(weighted, a=0, b=1)) / fact
    return squeeze(c) if c.shape == (1, 1) else c


@widen_half_composition
def corrcoef(x, rowvar=True):
    """Pearson correlation coefficients of the variables in the rows of ``x`` (columns with
    ``rowvar=False``): ``cov_ij / sqrt(cov_ii cov_jj)``, clipped to [-1, 1] (numpy's and PyTorch's
    ``corrcoef``); 0-d for one variable. **Raises:** ShapeError for more than 2 dimensions."""
    c = cov(_observations(x, "corrcoef"), rowvar)
    if c.ndim == 0:
        return c / c
    d = sqrt(c.diagonal())
    return clip(c / reshape(d, shape=(-1, 1)) / reshape(d, shape=(1, -1)), -1.0, 1.0)
