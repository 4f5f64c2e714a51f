"""The gamma family, erfc and xlogy.

Primitives, where a composition would be numerically poor or impossible:

- ``erfc(x) = 1 - erf(x)``, computed directly (``1 - erf`` is 0 beyond x = 6 in float64, where erfc
  is 2e-17 and smaller); ``d erfc/dx = -2/sqrt(pi) exp(-x^2)`` (erf's rule, negated);
- ``lgamma(x) = ln|Gamma(x)|`` (scipy's ``gammaln``); ``d/dx = digamma(x)``;
- ``polygamma(n, x)``, the n-th derivative of digamma (n = 0: digamma itself); ``d/dx =
  polygamma(n + 1, x)``, so every order is exact (PyTorch's derivatives.yaml states the same rules).

At the poles (x = 0, -1, -2, ...) lgamma is inf and digamma's value follows scipy (inf, -inf or
NaN, with one warning); the gradient there is what the rule gives, as in PyTorch.

``xlogy(x, y) = x * log(y)``, 0 where x = 0 (unless y is NaN), is a composition with ``where``; its
gradients are PyTorch's: ``log(y)`` for x (0 where x = 0 and y <= 0) and ``x / y`` for y.

``sinc(x) = sin(pi x) / (pi x)`` (numpy's normalised sinc, PyTorch's ``sinc``) is 1 at 0. Near 0
(|x| < 0.05) it is its Taylor series ``sum_k (-1)^k (pi x)^(2k) / (2k + 1)!`` through ``(pi x)^12``
(the next term is below 1e-23 there), so every derivative at 0 is right: 0 for the first,
``-pi^2 / 3`` for the second, and the quotient's cancellation is avoided where it loses digits.

``logit(x, eps) = log(x) - log1p(-x)`` (PyTorch's; scipy's ``logit`` without eps): with ``eps``, x is
first clamped to ``[eps, 1 - eps]``, so the gradient ``1 / (x (1 - x))`` is 0 outside that range and
passes at its ends (PyTorch's ``logit_backward``). Outside [0, 1] the result is NaN.
"""

import math

import numpy as np
import scipy.special

from ..errors import ArgumentError
from .elementwise import clip, log, where
from .numeric import broadcast_shape
from .registry import as_operand, defop
from .shape import as_value
from .special import _erf_vjp, log1p
from .trig import sin


def _data(x):
    return getattr(x, "_data", x)


def _cast(out, like):
    like = np.asarray(like)
    return out.astype(like.dtype, copy=False) if like.dtype.kind == "f" else out


def _ew(name, forward, *vjps):
    return defop(name, forward, *vjps, kind="elementwise")


erfc = _ew("erfc", lambda x: _cast(scipy.special.erfc(x), x), lambda g, out, x: -_erf_vjp(g, out, x))


def _polygamma(x, n=0):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise TypeError(f"polygamma: n must be a non-negative int, got {n!r}")
    with np.errstate(all="ignore"):  # the poles: inf or NaN, as scipy and PyTorch give
        return _cast(scipy.special.polygamma(int(n), x), x)


polygamma_op = _ew("polygamma", _polygamma, lambda g, out, x, n=0: g * polygamma_op.dispatch(x, n=n + 1))
lgamma = _ew(
    "lgamma", lambda x: _cast(scipy.special.gammaln(x), x), lambda g, out, x: g * polygamma_op.dispatch(x, n=0)
)
gammaln = lgamma


def polygamma(n, x):
    """PyTorch's ``polygamma(n, input)``: the n-th derivative of digamma (n >= 0), elementwise.
    Gradient: ``polygamma(n + 1, x)``. **Raises:** TypeError for an n that is not a non-negative int."""
    return polygamma_op(x, n=n)


def digamma(x):
    """``d/dx ln Gamma(x)`` elementwise (PyTorch's ``digamma``, scipy's ``psi``); float dtype kept.
    Gradient: ``polygamma(1, x)`` (the trigamma function)."""
    return polygamma_op(x, n=0)


psi = digamma


def xlogy(x, y):
    """``x * log(y)``, and 0 where x is 0 (unless y is NaN), broadcasting (PyTorch's and scipy's
    ``xlogy``). Gradients (PyTorch's): ``log(y)`` for x (0 where x = 0 and y <= 0); ``x / y`` for y."""
    x, y = as_operand(x, "xlogy"), as_operand(y, "xlogy")
    broadcast_shape("xlogy", x, y)
    yd = np.asarray(_data(y))
    zero = (np.asarray(_data(x)) == 0) & ((yd <= 0) | np.isinf(yd))  # where 0 * log(y) is not 0 by itself
    if not zero.any():
        return x * log(y)
    return where(zero, 0.0, x * log(where(zero, 1.0, y)))


def _floating(x, fn):
    x = as_value(as_operand(x, fn))
    return x if x.dtype.kind == "f" else x.astype(np.float64)


_SINC_TAYLOR = [(-1) ** k / math.factorial(2 * k + 1) for k in range(7)]


def sinc(x):
    """numpy's normalised sinc, ``sin(pi x) / (pi x)`` and 1 at 0, elementwise (PyTorch's ``sinc``);
    float dtype kept, integers give float64. NaN at +-inf (as numpy). **Gradient:** ``(cos(pi x) -
    sinc(x)) / x``, 0 at 0, second derivative ``-pi^2 / 3`` there (the Taylor series near 0)."""
    x = _floating(x, "sinc")
    small = np.abs(_data(x)) < 0.05
    if not small.any():
        return sin(x * np.pi) / (x * np.pi)
    near = where(small, x, 0.0) * np.pi
    t = near * near
    series = _SINC_TAYLOR[-1]
    for c in _SINC_TAYLOR[-2::-1]:
        series = series * t + c  # Horner in (pi x)^2
    far = where(small, 1.0, x) * np.pi
    return where(small, series, sin(far) / far)


def logit(x, eps=None):
    """PyTorch's ``logit``, ``log(x / (1 - x))`` computed as ``log(x) - log1p(-x)`` elementwise; with
    ``eps`` (a float in [0, 0.5]), x is clamped to ``[eps, 1 - eps]`` first. Float dtype kept. NaN
    outside [0, 1] (without eps). **Gradient:** ``1 / (x (1 - x))``, 0 outside ``[eps, 1 - eps]``.
    **Raises:** ArgumentError for an eps outside [0, 0.5]."""
    x = _floating(x, "logit")
    if eps is not None:
        if isinstance(eps, bool) or not isinstance(eps, (int, float, np.number)) or not 0 <= eps <= 0.5:
            raise ArgumentError(f"logit: eps must be a number in [0, 0.5], got {eps!r}")
        x = clip(x, float(eps), 1.0 - float(eps))
    return log(x) - log1p(-x)
