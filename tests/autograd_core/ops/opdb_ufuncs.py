"""Op database entries: trigonometric and hyperbolic functions, other log/exp bases, square,
reciprocal, the remainders, rounding and sign (ops/trig.py, logexp.py, arithmetic.py, rounding.py)."""

import numpy as np
import torch
from hypothesis import strategies as st
from opdb_base import broadcast_pair, case, unary

import autograd_core as ag
from autograd_core.testing import arrays, broadcastable_shapes

# -- trigonometric and hyperbolic --------------------------------------------------------------
case("sin", unary(), ag.sin, torch.sin)
case("cos", unary(), ag.cos, torch.cos)
case("tan", unary(min_value=-1.2, max_value=1.2), ag.tan, torch.tan)  # away from the poles at +-pi/2
case("arcsin", unary(min_value=-0.9, max_value=0.9), ag.arcsin, torch.asin)
case("arccos", unary(min_value=-0.9, max_value=0.9), ag.arccos, torch.acos)
case("arctan", unary(), ag.arctan, torch.atan)
case("sinh", unary(), ag.sinh, torch.sinh)
case("cosh", unary(), ag.cosh, torch.cosh)
case("arcsinh", unary(), ag.arcsinh, torch.asinh)
case("arccosh", unary(min_value=1.2, max_value=4.0), ag.arccosh, torch.acosh)
case("arctanh", unary(min_value=-0.9, max_value=0.9), ag.arctanh, torch.atanh)
# away from the origin (no derivative there) and, for arctan2, from the branch cut y = 0, x < 0
case("arctan2", broadcast_pair(away_from=(0,), margin=0.3), ag.arctan2, torch.atan2)
case("hypot", broadcast_pair(away_from=(0,), margin=0.3), ag.hypot, torch.hypot)

# -- other bases -------------------------------------------------------------------------------
case("log2", unary(min_value=0.2, max_value=4.0), ag.log2, torch.log2)
case("log10", unary(min_value=0.2, max_value=4.0), ag.log10, torch.log10)
case("exp2", unary(), ag.exp2, torch.exp2)
case("logaddexp", broadcast_pair(), ag.logaddexp, torch.logaddexp)
case("logaddexp2", broadcast_pair(), ag.logaddexp2, torch.logaddexp2)

# -- arithmetic --------------------------------------------------------------------------------
case("square", unary(), ag.square, torch.square)
case("reciprocal", unary(away_from=(0,), margin=0.3), ag.reciprocal, torch.reciprocal)

_DIVISORS = [-2.0, -1.0, -0.5, 0.5, 1.0, 2.0]
_MULTIPLES = tuple(np.arange(-6, 7) * 0.5)  # x / y is an integer only near these, for every divisor


@st.composite
def quotient_inputs(draw):
    """x and y with x / y away from the integers, where the remainders jump."""
    sx, sy = draw(broadcastable_shapes(2, max_dims=3, max_side=3))
    x = draw(arrays(sx, away_from=_MULTIPLES, margin=0.05))
    y = draw(arrays(sy, elements=st.sampled_from(_DIVISORS)))
    return [x, y], {}


case("remainder", quotient_inputs(), lambda x, y: x % y, torch.remainder)
case("fmod", quotient_inputs(), ag.fmod, torch.fmod)
# torch declares floor_divide non-differentiable; floor(x / y) is the same function, gradient 0
case("floor_divide", quotient_inputs(), lambda x, y: x // y, lambda x, y: torch.floor(x / y))

# -- rounding and sign: zero gradient, values kept away from the jumps -------------------------
_INTEGERS = tuple(range(-3, 4))
case("floor", unary(away_from=_INTEGERS, margin=0.05), ag.floor, torch.floor)
case("ceil", unary(away_from=_INTEGERS, margin=0.05), ag.ceil, torch.ceil)
case("trunc", unary(away_from=_INTEGERS, margin=0.05), ag.trunc, torch.trunc)
case("sign", unary(away_from=(0,)), ag.sign, torch.sign)


@st.composite
def _round_inputs(draw):
    decimals = draw(st.sampled_from([0, 1, -1]))
    halves = tuple((np.arange(-40, 40) + 0.5) * 10.0**-decimals)
    x = draw(arrays(draw(st.sampled_from([(), (3,), (2, 3)])), away_from=halves, margin=0.01))
    return [x], {"decimals": decimals}


case("round", _round_inputs(), ag.round, lambda x, decimals: torch.round(x, decimals=decimals))
