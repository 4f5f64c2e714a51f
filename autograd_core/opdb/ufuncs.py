"""Op database entries: trigonometric and hyperbolic functions, other log/exp bases, square, reciprocal,
the remainders, rounding and sign (ops/trig.py, logexp.py, arithmetic.py, rounding.py)."""

import numpy as np

import autograd_core as ag

from .draw import arrays, broadcast, broadcastable_shapes, st, unary
from .info import OpInfo, torch
from .samples import positive, uniform

_DIVISORS = [-2.0, -1.0, -0.5, 0.5, 1.0, 2.0]
_MULTIPLES = tuple(np.arange(-6, 7) * 0.5)  # x / y is an integer only near these, for every divisor
_INTEGERS = tuple(range(-3, 4))
# x / y away from the integers, where the remainders jump
_QUOTIENT_SAMPLE = [np.array([[2.3, -2.3, 0.4], [5.1, -0.7, 1.2]]), np.array([1.0, -2.0, 0.5])]


def _quotient_inputs(draw):
    """x and y with x / y away from the integers, where the remainders jump."""
    sx, sy = draw(broadcastable_shapes(2, max_dims=3, max_side=3))
    x = draw(arrays(sx, away_from=_MULTIPLES, margin=0.05))
    y = draw(arrays(sy, elements=st.sampled_from(_DIVISORS)))
    return [x, y], {}


def _round_inputs(draw):
    decimals = draw(st.sampled_from([0, 1, -1]))
    halves = tuple((np.arange(-40, 40) + 0.5) * 10.0**-decimals)
    x = draw(arrays(draw(st.sampled_from([(), (3,), (2, 3)])), away_from=halves, margin=0.01))
    return [x], {"decimals": decimals}


def _unary(name, call, twin, sample=None, **values):
    """An entry for a one-input op without params: sample ``uniform(5)`` unless given, draws ``unary(**values)``."""
    return OpInfo(
        name, call, sample=([uniform(5) if sample is None else sample], {}), inputs=unary(**values), torch=twin
    )


ENTRIES = [
    # trigonometric and hyperbolic
    _unary("sin", ag.sin, "sin"),
    _unary("cos", ag.cos, "cos"),
    _unary("tan", ag.tan, "tan", uniform(5, lo=-1.2, hi=1.2), min_value=-1.2, max_value=1.2),  # poles at +-pi/2
    _unary("arcsin", ag.arcsin, "asin", uniform(5, lo=-0.9, hi=0.9), min_value=-0.9, max_value=0.9),
    _unary("arccos", ag.arccos, "acos", uniform(5, lo=-0.9, hi=0.9), min_value=-0.9, max_value=0.9),
    _unary("arctan", ag.arctan, "atan"),
    _unary("sinh", ag.sinh, "sinh"),
    _unary("cosh", ag.cosh, "cosh"),
    _unary("arcsinh", ag.arcsinh, "asinh"),
    _unary("arccosh", ag.arccosh, "acosh", uniform(5, lo=1.2, hi=3.0), min_value=1.2, max_value=4.0),
    _unary("arctanh", ag.arctanh, "atanh", uniform(5, lo=-0.9, hi=0.9), min_value=-0.9, max_value=0.9),
    # away from the origin (no derivative there) and, for arctan2, from the branch cut y = 0, x < 0
    OpInfo(
        "arctan2",
        ag.arctan2,
        sample=([uniform(2, 3, away=[0]), uniform(3, away=[0])], {}),
        inputs=broadcast(away_from=(0,), margin=0.3),
        torch="atan2",
    ),
    OpInfo(
        "hypot",
        ag.hypot,
        sample=([uniform(2, 3, away=[0]), uniform(3, away=[0])], {}),
        inputs=broadcast(away_from=(0,), margin=0.3),
        torch="hypot",
    ),
    # other bases
    _unary("log2", ag.log2, "log2", positive(4), min_value=0.2, max_value=4.0),
    _unary("log10", ag.log10, "log10", positive(4), min_value=0.2, max_value=4.0),
    _unary("exp2", ag.exp2, "exp2"),
    OpInfo("logaddexp", ag.logaddexp, sample=([uniform(2, 3), uniform(3)], {}), inputs=broadcast(), torch="logaddexp"),
    OpInfo(
        "logaddexp2", ag.logaddexp2, sample=([uniform(2, 3), uniform(3)], {}), inputs=broadcast(), torch="logaddexp2"
    ),
    # arithmetic
    _unary("square", ag.square, "square"),
    _unary("reciprocal", ag.reciprocal, "reciprocal", uniform(4, away=[0]), away_from=(0,), margin=0.3),
    OpInfo("remainder", lambda x, y: x % y, sample=(_QUOTIENT_SAMPLE, {}), inputs=_quotient_inputs, torch="remainder"),
    OpInfo("fmod", ag.fmod, sample=(_QUOTIENT_SAMPLE, {}), inputs=_quotient_inputs, torch="fmod"),
    # torch declares floor_divide non-differentiable; floor(x / y) is the same function, gradient 0
    OpInfo(
        "floor_divide",
        lambda x, y: x // y,
        sample=(_QUOTIENT_SAMPLE, {}),
        inputs=_quotient_inputs,
        torch=lambda x, y: torch.floor(x / y),
    ),
    # rounding and sign: zero gradient, values kept away from the jumps
    _unary("floor", ag.floor, "floor", uniform(5, away=_INTEGERS), away_from=_INTEGERS, margin=0.05),
    _unary("ceil", ag.ceil, "ceil", uniform(5, away=_INTEGERS), away_from=_INTEGERS, margin=0.05),
    _unary("trunc", ag.trunc, "trunc", uniform(5, away=_INTEGERS), away_from=_INTEGERS, margin=0.05),
    _unary("sign", ag.sign, "sign", uniform(5, away=[0]), away_from=(0,)),
    OpInfo(
        "round",
        ag.round,
        sample=([uniform(5, away=[-1.5, -0.5, 0.5, 1.5])], {"decimals": 0}),
        inputs=_round_inputs,
        torch=lambda x, decimals: torch.round(x, decimals=decimals),
    ),
]
