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
"""

import numpy as np
import scipy.special

from .elementwise import log, where
from .numeric import broadcast_shape
from .registry import as_operand, defop
from .special import _erf_vjp


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
