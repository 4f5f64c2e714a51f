"""Trigonometric and hyperbolic functions, their inverses, arctan2 and hypot.

Each vjp is written with ops (``.dispatch``), so second derivatives come for free. The rules are
the textbook derivatives, as PyTorch's ``derivatives.yaml`` states them; where a formula would
overflow or lose digits it is rearranged (noted at the rule). Domain edges follow numpy and
PyTorch: ``arcsin'(+-1)``, ``arccos'(+-1)`` and ``arctanh'(+-1)`` are inf, outside the domain NaN.
"""

import numpy as np

from .elementwise import sqrt, where
from .registry import defop


def _data(x):
    return getattr(x, "_data", x)


def _ew(name, forward, *vjps):
    return defop(name, forward, *vjps, kind="elementwise")


sin = _ew("sin", np.sin, lambda g, out, x: g * cos.dispatch(x))
cos = _ew("cos", np.cos, lambda g, out, x: -g * sin.dispatch(x))
tan = _ew("tan", np.tan, lambda g, out, x: g * (1 + out * out))  # sec^2 = 1 + tan^2
# 1 - x^2 as (1 - x)(1 + x): no cancellation near +-1
arcsin = _ew("arcsin", np.arcsin, lambda g, out, x: g / sqrt.dispatch((1 - x) * (1 + x)))
arccos = _ew("arccos", np.arccos, lambda g, out, x: -g / sqrt.dispatch((1 - x) * (1 + x)))
arctan = _ew("arctan", np.arctan, lambda g, out, x: g / (1 + x * x))
sinh = _ew("sinh", np.sinh, lambda g, out, x: g * cosh.dispatch(x))
cosh = _ew("cosh", np.cosh, lambda g, out, x: g * sinh.dispatch(x))


def _hypot_vjp(i):
    """d hypot(x, y) / dx = x / hypot(x, y); at (0, 0) the gradient is 0 (as the norm's is, and
    as abs'(0) = 0 for hypot(x, 0) = |x|), where PyTorch gives NaN."""

    def vjp(g, out, x, y):
        part = (x, y)[i]
        zero = _data(out) == 0
        if not zero.any():
            return g * (part / out)
        return g * where.dispatch(zero, 0, part / where.dispatch(zero, 1, out))

    return vjp


hypot = _ew("hypot", np.hypot, _hypot_vjp(0), _hypot_vjp(1))
# 1 / sqrt(1 + x^2) as 1 / hypot(x, 1): finite for |x| up to the largest float
arcsinh = _ew("arcsinh", np.arcsinh, lambda g, out, x: g / hypot.dispatch(x, 1))
arccosh = _ew("arccosh", np.arccosh, lambda g, out, x: g / sqrt.dispatch((x - 1) * (x + 1)))
arctanh = _ew("arctanh", np.arctanh, lambda g, out, x: g / ((1 - x) * (1 + x)))


def _arctan2_vjp(i):
    """d atan2(y, x) = (x dy - y dx) / (x^2 + y^2), as (x / r) / r with r = hypot(x, y), which
    neither overflows nor underflows; at (0, 0) the gradient is 0, as in PyTorch. Where r is
    infinite the angle is locally constant (atan2(inf, 1) = pi/2 for every finite x): 0 too,
    where the formula would give inf / inf."""

    def vjp(g, out, y, x):
        r = hypot.dispatch(y, x)
        rd = np.asarray(_data(r))
        zero = (rd == 0) | (rd == np.inf)
        if zero.any():
            r = where.dispatch(zero, 1, r)
        part = (x if i == 0 else -y) / r / r
        return g * where.dispatch(zero, 0, part) if zero.any() else g * part

    return vjp


arctan2 = _ew("arctan2", np.arctan2, _arctan2_vjp(0), _arctan2_vjp(1))

__all__ = [
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "cos",
    "cosh",
    "hypot",
    "sin",
    "sinh",
    "tan",
]
