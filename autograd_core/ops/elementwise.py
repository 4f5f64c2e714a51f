"""Elementwise primitives. Each forward sits beside its vjps; broadcasting is undone by the engine.

Kink conventions (shared/DESIGN.md): relu'(0) = 0, abs'(0) = 0; maximum/minimum split ties evenly.

The arithmetic forwards are Python's operators: on arrays they are numpy's ufuncs (the same calls,
bit for bit), and on the numpy scalars that 0-d Values hold they use numpy's scalar arithmetic,
several times faster than a ufunc call.
"""

import operator

import numpy as np

from ..errors import ShapeError
from .registry import as_operand, defop
from .spelling import either_spelling


def _data(x):
    return getattr(x, "_data", x)


def _ew(name, forward, *vjps):
    return defop(name, forward, *vjps, kind="elementwise")


add = _ew("add", operator.add, lambda g, out, x, y: g, lambda g, out, x, y: g)
sub = _ew("sub", operator.sub, lambda g, out, x, y: g, lambda g, out, x, y: -g)
mul = _ew("mul", operator.mul, lambda g, out, x, y: g * y, lambda g, out, x, y: g * x)
div = _ew("div", operator.truediv, lambda g, out, x, y: g / y, lambda g, out, x, y: -g * out / y)
neg = _ew("neg", operator.neg, lambda g, out, x: -g)


def _pow_scalar(x, p):
    return np.power(x, p)


def _pow_scalar_vjp(g, out, x, p):
    if p == 0:
        return g * 0
    if p == 1:
        return g
    if p == 2:
        return g * (2 * x)
    return g * (p * x ** (p - 1))


pow_scalar = _ew("pow", _pow_scalar, _pow_scalar_vjp)


def _pow_value_vjp_x(g, out, x, y):
    """y x^(y-1); at x = 0 with y = 0 that is 0 * inf, but x^0 is 1 for every x: 0 (PyTorch masks y == 0)."""
    xd, yd = np.asarray(_data(x)), np.asarray(_data(y))  # an operand may be a Python number
    both = (xd == 0) & (yd == 0)
    if both.any():  # y - 1 taken as 0 there: the factor y (= 0) then gives 0 with no inf formed
        return g * (y * x ** where.dispatch(both, 0, y - 1))
    return g * (y * x ** (y - 1))


def _pow_value_vjp_y(g, out, x, y):
    """x^y log x. Where x^y is 0 for every y near (x = 0, y > 0; x = inf, y < 0) that is 0 * -inf,
    and at 0^0 PyTorch takes 0: both 0 here. A negative base has no real derivative in y: NaN,
    as in PyTorch (log of a negative number), without numpy's warning."""
    xd, od = np.asarray(_data(x)), np.asarray(_data(out))
    flat = (od == 0) | (xd == 0)
    neg = xd < 0
    if not (flat.any() or neg.any()):
        return g * (out * log.dispatch(x))
    logx = log.dispatch(where.dispatch(flat | neg, 1, x))
    return g * where.dispatch(flat, 0, where.dispatch(neg, np.nan, out * logx))


pow_value = _ew("pow_value", np.power, _pow_value_vjp_x, _pow_value_vjp_y)


def power(x, y):
    """x ** y: a number exponent uses ``pow``; a Value or array exponent uses ``pow_value``."""
    if isinstance(y, (int, float)) and not isinstance(y, bool):
        return pow_scalar(x, p=y)
    return pow_value(x, y)


exp = _ew("exp", np.exp, lambda g, out, x: g * out)
log = _ew("log", np.log, lambda g, out, x: g / x)
sqrt = _ew("sqrt", np.sqrt, lambda g, out, x: g / (2 * out))
absolute = _ew("abs", np.abs, lambda g, out, x: g * np.sign(_data(x)))
tanh = _ew("tanh", np.tanh, lambda g, out, x: g * (1 - out * out))


def as_float(x):
    """Integer/bool data as the float type numpy's ufuncs pick for it (int64 -> float64, uint8 -> float16).

    Stable formulas negate or shift their input (sigmoid, softplus, softmax, logsumexp); on unsigned
    integers that would wrap around, and casting the result back to an integer dtype would truncate it.
    """
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.result_type(x.dtype, np.float16))


def _sigmoid(x):
    """Stable logistic: never exponentiates a positive number."""
    x = as_float(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


sigmoid = _ew("sigmoid", _sigmoid, lambda g, out, x: g * (out * (1 - out)))


def _relu(x):
    out = np.maximum(x, 0)
    return out if out.dtype == x.dtype else out.astype(x.dtype)  # bools: maximum with 0 gives ints


relu = _ew("relu", _relu, lambda g, out, x: g * (_data(x) > 0))


def _tie_split(a, b):
    """Weight of ``a`` in maximum(a, b): 1 where a wins, 0.5 at a tie, 0 where b wins."""
    a, b = _data(a), _data(b)
    return (a > b) + 0.5 * (a == b)


maximum = _ew(
    "maximum",
    np.maximum,
    lambda g, out, x, y: g * _tie_split(x, y),
    lambda g, out, x, y: g * _tie_split(y, x),
)
minimum = _ew(
    "minimum",
    np.minimum,
    lambda g, out, x, y: g * _tie_split(y, x),
    lambda g, out, x, y: g * _tie_split(x, y),
)


def _where(cond, x, y):
    return np.where(_data(cond), x, y)


where = _ew(
    "where",
    _where,
    None,
    lambda g, out, c, x, y: g * (_data(c) != 0),
    lambda g, out, c, x, y: g * (_data(c) == 0),
)
# The unselected branch's gradient is exactly 0, so elementwise ops below it give 0 there even where
# their own derivative is inf or NaN: where(x > 0, sqrt(x), x) has gradient 1 at x = -1 (support.py).
where.support = (None, lambda out, c, x, y: c != 0, lambda out, c, x, y: c == 0)
maximum.support = (lambda out, x, y: _tie_split(x, y) != 0, lambda out, x, y: _tie_split(y, x) != 0)
minimum.support = (lambda out, x, y: _tie_split(y, x) != 0, lambda out, x, y: _tie_split(x, y) != 0)


def _clip(x, lo, hi):
    return np.clip(x, lo, hi)


def _inside(x, lo, hi):
    """Where the gradient passes: lo <= x <= hi (bounds inclusive, as PyTorch), and never where
    lo >= hi: there the output is the constant hi (numpy's order), whatever x is."""
    x = _data(x)
    m = np.ones(x.shape, dtype=bool)
    if lo is not None:
        m &= x >= _data(lo)
    if hi is not None:
        m &= x <= _data(hi)
    if lo is not None and hi is not None:
        m &= _data(lo) < _data(hi)
    return m


_clip_op = _ew(
    "clip", lambda x, lo=None, hi=None: np.clip(x, lo, hi), lambda g, out, x, lo=None, hi=None: g * _inside(x, lo, hi)
)


_clip_op.support = (lambda out, x, lo=None, hi=None: _inside(x, lo, hi),)


def clip(x, min=None, max=None, *, a_min=None, a_max=None):  # noqa: A002 (numpy/PyTorch names)
    """Clamp to [min, max] (numbers, arrays or Values; numpy's older ``a_min``/``a_max`` too); the
    gradient passes to x where min <= x <= max. Without bounds it is the identity, as numpy's clip
    (PyTorch's clamp refuses).

    Bounds that are Values requiring grad get theirs where they bind (x < min, resp. x > max), as
    PyTorch's clamp with tensor bounds; np.clip's order holds for min > max (the result is max).
    """
    lo = either_spelling("clip", "a_min", a_min, "min", min)
    hi = either_spelling("clip", "a_max", a_max, "max", max)
    if type(lo) in (list, tuple) or type(hi) in (list, tuple):
        lo, hi = as_operand(lo, "clip"), as_operand(hi, "clip")
    if getattr(lo, "requires_grad", False) or getattr(hi, "requires_grad", False):
        return _clip_through_bounds(x, lo, hi)
    return _clip_op(x, lo=lo, hi=hi)


def _clip_through_bounds(x, lo, hi):
    """clip written with where, so bounds that require grad are differentiated: ties go to x."""
    out = as_operand(x, "clip")
    shapes = [np.shape(_data(b)) for b in (out, lo, hi) if b is not None]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise ShapeError(f"clip: x and the bounds have shapes {shapes}, which do not broadcast together") from None
    if lo is not None:
        out = where(_data(out) < _data(lo), lo, out)
    if hi is not None:
        binds = _data(out) > _data(hi)
        if lo is not None:
            binds = binds | (_data(lo) >= _data(hi))  # equal bounds: the output is hi, constant in x
        out = where(binds, hi, out)
    return out


def _astype(x, dtype):
    return x.astype(dtype)


astype = _ew("astype", _astype, lambda g, out, x, dtype: g.astype(_data(x).dtype))
