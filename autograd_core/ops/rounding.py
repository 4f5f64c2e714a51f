"""Rounding and sign: piecewise constant, so their gradient is 0 (PyTorch's derivatives.yaml:
``zeros_like(grad)``) wherever they are differentiable. They are not differentiable at their jumps
(floor, ceil, trunc at the integers, round halfway between, sign at 0): there the rule also gives 0,
the derivative of both neighbouring pieces. ``floor_divide`` (``//``) is ``floor(x / y)``, the same.
"""

import numpy as np

from ..errors import DTypeError
from .registry import defop


def _data(x):
    return getattr(x, "_data", x)


def zero_vjp(g, out, *inputs, **params):
    """The gradient of a piecewise-constant function: zeros shaped like the output (the engine sums
    them down to each input's shape)."""
    return np.zeros(np.shape(_data(out)), dtype=_data(g).dtype)


def _ew(name, forward, n=1):
    return defop(name, forward, *([zero_vjp] * n), kind="elementwise")


floor = _ew("floor", np.floor)
ceil = _ew("ceil", np.ceil)
trunc = _ew("trunc", np.trunc)
sign = _ew("sign", np.sign)
floor_divide = _ew("floor_divide", np.floor_divide, 2)
_round_op = _ew("round", lambda x, decimals=0: np.round(x, decimals))


def round(x, decimals=0):  # noqa: A001 (numpy's and PyTorch's name)
    """Round half to even (numpy's and PyTorch's rule) to ``decimals`` places; gradient 0.

    ``decimals`` may be negative (round to tens, hundreds). Integer inputs stay integers.
    """
    if not isinstance(decimals, (int, np.integer)) or isinstance(decimals, bool):
        raise DTypeError(f"round: decimals must be an int, got {decimals!r}")
    return _round_op(x, decimals=int(decimals))
