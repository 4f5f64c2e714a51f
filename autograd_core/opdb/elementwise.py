"""Op database entries: elementwise primitives (arithmetic, pointwise functions, where, clip, astype)."""

import numpy as np

import autograd_core as ag

from .draw import arrays, broadcast, broadcastable_shapes, hnp, small, st, unary
from .info import OpInfo, torch
from .samples import distinct, positive, uniform


def _div_inputs(draw):
    sx, sy = draw(broadcastable_shapes(2, max_dims=3, max_side=3))
    return [draw(arrays(sx)), draw(arrays(sy, away_from=(0,), margin=0.5))], {}


def _pow_inputs(draw):
    p = draw(st.sampled_from([0, 1, 2, 3, -1, 0.5, 1.5, -2.5]))
    needs_positive = not float(p).is_integer() or p < 0
    return [small(draw, min_value=0.3) if needs_positive else small(draw)], {"p": p}


def _pow_value_inputs(draw):
    sx, sy = draw(broadcastable_shapes(2, max_dims=3, max_side=3))
    return [draw(arrays(sx, min_value=0.3, max_value=2.0)), draw(arrays(sy, min_value=-2.0, max_value=2.0))], {}


def _where_inputs(draw):
    sc, sx, sy = draw(broadcastable_shapes(3, max_dims=3, max_side=3))
    return [draw(hnp.arrays(np.bool_, sc)), draw(arrays(sx)), draw(arrays(sy))], {}


def _clip_inputs(draw):
    lo, hi = draw(st.sampled_from([(-1.0, 1.0), (None, 0.5), (-0.5, None), (0.0, 0.0)]))
    kinks = tuple(b for b in (lo, hi) if b is not None)
    return [small(draw, away_from=kinks, margin=0.1)], {"min": lo, "max": hi}


def _astype_inputs(draw):
    return [small(draw)], {"dtype": np.float64}


def _polygamma_inputs(draw):
    return [small(draw, min_value=0.5)], {"n": draw(st.integers(0, 2))}


ENTRIES = [
    OpInfo(
        "add",
        lambda x, y: x + y,
        sample=([uniform(3, 1), uniform(4)], {}),
        inputs=broadcast(),
        torch=lambda x, y: x + y,
    ),
    OpInfo(
        "sub",
        lambda x, y: x - y,
        sample=([uniform(3, 4), uniform(4)], {}),
        inputs=broadcast(),
        torch=lambda x, y: x - y,
    ),
    OpInfo(
        "mul",
        lambda x, y: x * y,
        sample=([uniform(2, 3), uniform(1, 3)], {}),
        inputs=broadcast(),
        torch=lambda x, y: x * y,
    ),
    OpInfo(
        "div",
        lambda x, y: x / y,
        sample=([uniform(2, 3), positive(2, 3)], {}),
        inputs=_div_inputs,
        torch=lambda x, y: x / y,
    ),
    OpInfo("neg", lambda x: -x, sample=([uniform(3)], {}), inputs=unary(), torch=lambda x: -x),
    OpInfo("pow", lambda x, p: x**p, sample=([uniform(4)], {"p": 3}), inputs=_pow_inputs, torch=lambda x, p: x**p),
    OpInfo(
        "pow_value",
        lambda x, y: x**y,
        sample=([positive(3), uniform(3)], {}),
        inputs=_pow_value_inputs,
        torch=lambda x, y: x**y,
    ),
    OpInfo("exp", ag.exp, sample=([uniform(3, 2)], {}), inputs=unary(), torch="exp"),
    OpInfo("log", ag.log, sample=([positive(3, 2)], {}), inputs=unary(min_value=0.2, max_value=4.0), torch="log"),
    OpInfo("sqrt", ag.sqrt, sample=([positive(5)], {}), inputs=unary(min_value=0.2, max_value=4.0), torch="sqrt"),
    OpInfo("abs", abs, sample=([uniform(5, away=[0])], {}), inputs=unary(away_from=(0,)), torch="abs"),
    OpInfo("tanh", ag.tanh, sample=([uniform(5)], {}), inputs=unary(), torch="tanh"),
    OpInfo(
        "sigmoid", ag.sigmoid, sample=([uniform(5)], {}), inputs=unary(min_value=-6.0, max_value=6.0), torch="sigmoid"
    ),
    OpInfo("relu", ag.relu, sample=([uniform(6, away=[0])], {}), inputs=unary(away_from=(0,)), torch="relu"),
    OpInfo(
        "maximum",
        ag.maximum,
        sample=([distinct(2, 3), distinct(2, 3) + 0.01], {}),
        inputs=broadcast(lattice=True),
        torch="maximum",
    ),
    OpInfo(
        "minimum",
        ag.minimum,
        sample=([distinct(2, 3), distinct(2, 3) + 0.01], {}),
        inputs=broadcast(lattice=True),
        torch="minimum",
    ),
    OpInfo(
        "where",
        ag.where,
        sample=([np.array([True, False, True]), uniform(3), uniform(2, 3)], {}),
        inputs=_where_inputs,
        torch="where",
    ),
    OpInfo(
        "clip",
        ag.clip,
        sample=([uniform(6, lo=-3.0, hi=3.0, away=[-1, 1])], {"min": -1.0, "max": 1.0}),
        inputs=_clip_inputs,
        torch=lambda x, min, max: torch.clamp(x, min, max),  # noqa: A006
    ),
    OpInfo(
        "astype",
        lambda x, dtype: x.astype(dtype),
        sample=([uniform(3)], {"dtype": np.float64}),
        inputs=_astype_inputs,
        torch=lambda x, dtype: x.to(torch.float64),
    ),
    # stable pointwise functions (ops.special)
    OpInfo("softplus", ag.softplus, sample=([uniform(5)], {}), inputs=unary(), torch="nn.functional.softplus"),
    OpInfo("log_sigmoid", ag.log_sigmoid, sample=([uniform(5)], {}), inputs=unary(), torch="nn.functional.logsigmoid"),
    OpInfo("expm1", ag.expm1, sample=([uniform(5)], {}), inputs=unary(), torch="expm1"),
    OpInfo("log1p", ag.log1p, sample=([positive(5)], {}), inputs=unary(min_value=-0.7), torch="log1p"),
    OpInfo("erf", ag.erf, sample=([uniform(5)], {}), inputs=unary(), torch="erf"),
    OpInfo("erfc", ag.erfc, sample=([uniform(5)], {}), inputs=unary(), torch="erfc"),
    OpInfo("lgamma", ag.lgamma, sample=([positive(5)], {}), inputs=unary(min_value=0.3), torch="lgamma"),
    OpInfo(
        "polygamma",
        lambda x, n: ag.polygamma(n, x),
        sample=([positive(5)], {"n": 1}),
        inputs=_polygamma_inputs,
        # PyTorch's trigamma (n = 1, and n = 0's gradient) is a series good to ~5e-10 only, scipy's to rounding
        torch=lambda x, n: None if n < 2 else torch.polygamma(n, x),
    ),
    # x ** (1/3) with the sign put back: PyTorch has no cbrt
    OpInfo(
        "cbrt",
        ag.cbrt,
        sample=([uniform(5, away=[0])], {}),
        inputs=unary(away_from=(0,), margin=0.3),
        torch=lambda x: torch.sign(x) * x.abs() ** (1 / 3),
    ),
]
