"""Logarithms and exponentials in other bases, and the stable log-sum of two exponentials.

- ``log2(x)``, ``log10(x)``: derivative ``1 / (x ln b)``; ``exp2(x) = 2^x``: derivative ``2^x ln 2``.
- ``logaddexp(x, y) = log(e^x + e^y)`` (numpy's stable forward, never overflows); its gradient is
  ``sigmoid(x - y)`` for x and ``sigmoid(y - x)`` for y, so it never forms ``e^x`` either. Where
  x and y are the same infinity each gets half, the limit along the diagonal, where PyTorch's
  ``exp(x - out)`` gives NaN.
- ``logaddexp2(x, y) = log2(2^x + 2^y)``: gradient ``sigmoid((x - y) ln 2)``.
"""

import numpy as np

from .elementwise import sigmoid, where
from .registry import defop

_LN2 = float(np.log(2.0))
_LN10 = float(np.log(10.0))


def _data(x):
    return getattr(x, "_data", x)


def _ew(name, forward, *vjps):
    return defop(name, forward, *vjps, kind="elementwise")


log2 = _ew("log2", np.log2, lambda g, out, x: g / (x * _LN2))
log10 = _ew("log10", np.log10, lambda g, out, x: g / (x * _LN10))
exp2 = _ew("exp2", np.exp2, lambda g, out, x: g * (out * _LN2))


def _share(scale, first):
    """vjp of logaddexp(x, y) for x (first) or y: sigmoid(+-(x - y) * scale), 1/2 where x == y."""

    def vjp(g, out, x, y):
        xd = _data(x)
        tie = (xd == _data(y)) & np.isinf(xd)
        if tie.any():  # equal infinities would give inf - inf: take the difference as 0 there
            x, y = where.dispatch(tie, 0, x), where.dispatch(tie, 0, y)
        d = x - y if first else y - x
        return g * sigmoid.dispatch(d if scale == 1 else d * scale)

    return vjp


logaddexp = _ew("logaddexp", np.logaddexp, _share(1, True), _share(1, False))
logaddexp2 = _ew("logaddexp2", np.logaddexp2, _share(_LN2, True), _share(_LN2, False))
