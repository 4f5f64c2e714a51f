"""square, reciprocal, and the two remainders with PyTorch's gradients.

- ``square(x) = x * x`` (derivative ``2x``); ``reciprocal(x) = 1 / x`` (derivative ``-1 / x^2``,
  written ``-out^2``); integer inputs give floats, as in PyTorch.
- ``remainder(x, y) = x - floor(x / y) * y`` (numpy's ``mod``, Python's and PyTorch's ``%``: the
  result takes the divisor's sign) and ``fmod(x, y) = x - trunc(x / y) * y`` (C's fmod: the
  dividend's sign). PyTorch's derivatives.yaml: ``self: grad``, ``other: -grad * q`` with
  ``q = x.div(y, rounding_mode='floor')`` (remainder) or ``'trunc'`` (fmod). ``q`` is piecewise
  constant, so it enters the rule as a constant: second derivatives are 0, as they are almost
  everywhere. At the jumps (x a multiple of y) neither function is differentiable; the rule gives
  the one-sided value of the piece numpy's forward picked.
"""

import numpy as np

from .elementwise import as_float
from .registry import defop


def _data(x):
    return getattr(x, "_data", x)


def _ew(name, forward, *vjps):
    return defop(name, forward, *vjps, kind="elementwise")


square = _ew("square", np.square, lambda g, out, x: g * (2 * x))
reciprocal = _ew("reciprocal", lambda x: np.reciprocal(as_float(x)), lambda g, out, x: -g * (out * out))


def _quotient(rounding):
    def vjp(g, out, x, y):
        xd, yd = _data(x), _data(y)
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.floor_divide(xd, yd) if rounding == "floor" else np.trunc(np.true_divide(xd, yd))
        return -g * np.asarray(q, dtype=_data(g).dtype)

    return vjp


remainder = _ew("remainder", np.remainder, lambda g, out, x, y: g, _quotient("floor"))
fmod = _ew("fmod", np.fmod, lambda g, out, x, y: g, _quotient("trunc"))
