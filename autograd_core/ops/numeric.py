"""Small elementwise functions: cbrt, angle conversions, copysign, NaN-ignoring fmax/fmin,
heaviside, and the float tests isnan, isinf, isfinite, isposinf, isneginf, isclose.

``cbrt`` is a primitive (``x ** (1/3)`` is NaN for negative x): ``d cbrt(x)/dx = 1 / (3 cbrt(x)^2)``,
inf at 0 (the tangent is vertical). The rest are compositions:

- ``deg2rad``/``rad2deg``: multiplication by pi/180 or 180/pi;
- ``copysign(a, b) = |a|`` with b's sign bit: gradient ``sign(a) * sign(b)`` for a (0 at a = 0, as
  PyTorch), 0 for b (recorded through ``sign``: the sign bit is piecewise constant);
- ``fmax``/``fmin``: ``maximum``/``minimum`` where neither is NaN, else the other input (numpy's and
  PyTorch's); the gradient goes to the input returned, ties split evenly (``maximum``'s rule);
- ``heaviside(x, values)``: 0 for x < 0, 1 for x > 0, ``values`` where x is 0; gradient 0 for x (through
  ``sign``), and 1 for ``values`` where x is 0;
- the tests return bool Values, constants (PyTorch declares them non-differentiable).
"""

import numpy as np

from ..errors import ShapeError
from ..value import Value
from .elementwise import absolute, maximum, minimum, where
from .registry import as_operand, defop
from .rounding import sign
from .shape import as_value


def _data(x):
    return np.asarray(getattr(x, "_data", x))


def broadcast_shape(fn, *xs):
    """The shape the operands broadcast to; ShapeError naming ``fn`` when they do not."""
    try:
        return np.broadcast_shapes(*(np.shape(_data(x)) for x in xs))
    except ValueError:
        raise ShapeError(f"{fn}: shapes {[np.shape(_data(x)) for x in xs]} do not broadcast together") from None


cbrt = defop("cbrt", np.cbrt, lambda g, out, x: g / (3 * (out * out)), kind="elementwise")


def deg2rad(x):
    """Degrees to radians, ``x * pi / 180`` elementwise (numpy's ``deg2rad``/``radians``, PyTorch's ``deg2rad``)."""
    return as_value(as_operand(x, "deg2rad")) * (np.pi / 180)


def rad2deg(x):
    """Radians to degrees, ``x * 180 / pi`` elementwise (numpy's ``rad2deg``/``degrees``, PyTorch's ``rad2deg``)."""
    return as_value(as_operand(x, "rad2deg")) * (180 / np.pi)


radians, degrees = deg2rad, rad2deg


def copysign(a, b):
    """``|a|`` with the sign of ``b`` (its sign bit: -0.0 counts as negative), broadcasting.
    Gradient: ``sign(a) sign(b)`` for a (0 at a = 0, PyTorch's rule); 0 for b (piecewise constant)."""
    a, b = as_operand(a, "copysign"), as_operand(b, "copysign")
    broadcast_shape("copysign", a, b)
    bd = _data(b)
    bit = np.where(np.signbit(bd), -1.0, 1.0)
    plain = (bd != 0) & ~np.isnan(bd) if bd.dtype.kind == "f" else bd != 0
    return absolute(a) * where(plain, sign(b), bit)  # b recorded through sign (gradient 0); ±0 and NaN by bit


def _nan_ignoring(fn, name):
    def impl(a, b):
        a, b = as_operand(a, name), as_operand(b, name)
        broadcast_shape(name, a, b)
        nan_a, nan_b = np.isnan(_data(a)), np.isnan(_data(b))
        if not (nan_a.any() or nan_b.any()):
            return fn(a, b)
        return where(nan_b, a, where(nan_a, b, fn(a, b)))

    impl.__name__ = impl.__qualname__ = name
    impl.__doc__ = (
        f"Elementwise {name[1:]}imum ignoring NaN: where one input is NaN the other is returned (NaN only\n"
        f"    where both are), broadcasting (numpy's and PyTorch's ``{name}``). The gradient goes to the input\n"
        f"    returned; ties split it evenly, as ``{name[1:]}imum``."
    )
    return impl


fmax = _nan_ignoring(maximum, "fmax")
fmin = _nan_ignoring(minimum, "fmin")


def heaviside(x, values):
    """The step function: 0 where x < 0, 1 where x > 0, ``values`` (broadcast) where x == 0, NaN where x
    is NaN (numpy's and PyTorch's ``heaviside``). Gradient: 0 for x; 1 for ``values`` where x == 0."""
    x, values = as_operand(x, "heaviside"), as_operand(values, "heaviside")
    broadcast_shape("heaviside", x, values)
    return where(_data(x) == 0, values, (sign(x) + 1) * 0.5)


def _const(arr):
    return Value(np.asarray(arr), requires_grad=False)


def _test(fn, name, what):
    def impl(x):
        return _const(fn(_data(as_operand(x, name))))

    impl.__name__ = impl.__qualname__ = name
    impl.__doc__ = f"Whether each entry {what}, as a bool Value of x's shape: a constant, no gradient."
    return impl


isnan = _test(np.isnan, "isnan", "is NaN")
isinf = _test(np.isinf, "isinf", "is +inf or -inf")
isfinite = _test(np.isfinite, "isfinite", "is finite (not NaN or infinite)")
isposinf = _test(np.isposinf, "isposinf", "is +inf")
isneginf = _test(np.isneginf, "isneginf", "is -inf")


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether ``|a - b| <= atol + rtol |b|`` elementwise, broadcasting (numpy's and PyTorch's
    ``isclose``, same defaults; NaNs equal only with ``equal_nan``), as a bool constant Value."""
    a, b = _data(as_operand(a, "isclose")), _data(as_operand(b, "isclose"))
    broadcast_shape("isclose", a, b)
    return _const(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))
