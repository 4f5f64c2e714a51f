"""Value's method forms of the elementwise maths and reductions (``x.sin()``, ``x.round(2)``, ``x.var(0)``).

Each is a one-line delegation to the public op of the same name; operators.py binds them onto
Value. PyTorch's short spellings (``asin``, ``atan2``) and numpy's (``arcsin``, ``arctan2``) are both
bound. numpy's arrays have few of these as methods, so PyTorch's Tensor methods are the model.
"""

from .ops.arithmetic import fmod, reciprocal, remainder, square
from .ops.logexp import exp2, log2, log10, logaddexp, logaddexp2
from .ops.norms import norm
from .ops.rounding import ceil, floor, floor_divide, sign, trunc
from .ops.rounding import round as round_
from .ops.scans import cumprod, cumsum, prod
from .ops.stats import std, var
from .ops.trig import (
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    cos,
    cosh,
    hypot,
    sin,
    sinh,
    tan,
)

UNARY = {
    "sin": sin,
    "cos": cos,
    "tan": tan,
    "arcsin": arcsin,
    "asin": arcsin,
    "arccos": arccos,
    "acos": arccos,
    "arctan": arctan,
    "atan": arctan,
    "sinh": sinh,
    "cosh": cosh,
    "arcsinh": arcsinh,
    "asinh": arcsinh,
    "arccosh": arccosh,
    "acosh": arccosh,
    "arctanh": arctanh,
    "atanh": arctanh,
    "log2": log2,
    "log10": log10,
    "exp2": exp2,
    "square": square,
    "reciprocal": reciprocal,
    "floor": floor,
    "ceil": ceil,
    "trunc": trunc,
    "fix": trunc,
    "sign": sign,
}

BINARY = {
    "arctan2": arctan2,
    "atan2": arctan2,
    "hypot": hypot,
    "logaddexp": logaddexp,
    "logaddexp2": logaddexp2,
    "remainder": remainder,
    "fmod": fmod,
    "floor_divide": floor_divide,
}


def _unary(name, fn):
    def method(self):
        return fn(self)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"Elementwise {fn.name}(self); see ``autograd_core.{name}``."
    return method


def _binary(name, fn):
    def method(self, other):
        return fn(self, other)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"Elementwise {fn.name}(self, other), broadcasting; see ``autograd_core.{name}``."
    return method


class MathMethods:
    """Method forms of the elementwise maths; the table-driven ones are added below."""

    def round(self, decimals=0):
        """Round half to even to ``decimals`` places (gradient 0); see ``autograd_core.round``."""
        return round_(self, decimals)

    def __round__(self, ndigits=None):
        return round_(self, 0 if ndigits is None else ndigits)

    def norm(self, p=None, dim=None, keepdim=False, *, ord=None, axis=None, keepdims=None):  # noqa: A002
        """A vector or matrix norm (``Tensor.norm``'s ``p`` first); see ``autograd_core.norm``."""
        if p is None:
            return norm(self, ord, dim, keepdim, axis=axis, keepdims=keepdims)
        return norm(self, ord, dim, keepdim, p=p, axis=axis, keepdims=keepdims)

    def __mod__(self, o):
        return remainder(self, o)

    def __rmod__(self, o):
        return remainder(o, self)

    def __floordiv__(self, o):
        return floor_divide(self, o)

    def __rfloordiv__(self, o):
        return floor_divide(o, self)


# functions taking the Value first are methods as they are: one code path, one docstring
for _fn in (prod, cumsum, cumprod, var, std):
    setattr(MathMethods, _fn.__name__, _fn)
for _name, _fn in UNARY.items():
    setattr(MathMethods, _name, _unary(_name, _fn))
for _name, _fn in BINARY.items():
    setattr(MathMethods, _name, _binary(_name, _fn))
