"""Op database entries: elementwise primitives and reductions."""

import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from opdb_base import broadcast_pair, case, small, unary

import autograd_core as ag
from autograd_core.testing import arrays, axes_for, broadcastable_shapes, shapes

# -- elementwise -----------------------------------------------------------------------------
case("add", broadcast_pair(), lambda x, y: x + y, lambda x, y: x + y)
case("sub", broadcast_pair(), lambda x, y: x - y, lambda x, y: x - y)
case("mul", broadcast_pair(), lambda x, y: x * y, lambda x, y: x * y)


@st.composite
def _div_inputs(draw):
    (sx, sy) = draw(broadcastable_shapes(2, max_dims=3, max_side=3))
    return [draw(arrays(sx)), draw(arrays(sy, away_from=(0,), margin=0.5))], {}


case("div", _div_inputs(), lambda x, y: x / y, lambda x, y: x / y)
case("neg", unary(), lambda x: -x, lambda x: -x)


@st.composite
def _pow_inputs(draw):
    p = draw(st.sampled_from([0, 1, 2, 3, -1, 0.5, 1.5, -2.5]))
    positive = not float(p).is_integer() or p < 0
    return [draw(small(positive=True, min_value=0.3) if positive else small())], {"p": p}


case("pow", _pow_inputs(), lambda x, p: x**p, lambda x, p: x**p)


@st.composite
def _pow_value_inputs(draw):
    (sx, sy) = draw(broadcastable_shapes(2, max_dims=3, max_side=3))
    return [draw(arrays(sx, min_value=0.3, max_value=2.0)), draw(arrays(sy, min_value=-2.0, max_value=2.0))], {}


case("pow_value", _pow_value_inputs(), lambda x, y: x**y, lambda x, y: x**y)
case("exp", unary(), ag.exp, torch.exp)
case("log", unary(min_value=0.2, max_value=4.0), ag.log, torch.log)
case("sqrt", unary(min_value=0.2, max_value=4.0), ag.sqrt, torch.sqrt)
case("abs", unary(away_from=(0,)), abs, torch.abs)
case("tanh", unary(), ag.tanh, torch.tanh)
case("sigmoid", unary(min_value=-6.0, max_value=6.0), ag.sigmoid, torch.sigmoid)
case("relu", unary(away_from=(0,)), ag.relu, torch.relu)
case("maximum", broadcast_pair(lattice=True), ag.maximum, torch.maximum)
case("minimum", broadcast_pair(lattice=True), ag.minimum, torch.minimum)


@st.composite
def _where_inputs(draw):
    sc, sx, sy = draw(broadcastable_shapes(3, max_dims=3, max_side=3))
    return [draw(hnp.arrays(np.bool_, sc)), draw(arrays(sx)), draw(arrays(sy))], {}


case("where", _where_inputs(), ag.where, torch.where)


@st.composite
def _clip_inputs(draw):
    lo, hi = draw(st.sampled_from([(-1.0, 1.0), (None, 0.5), (-0.5, None), (0.0, 0.0)]))
    kinks = tuple(b for b in (lo, hi) if b is not None)
    return [draw(small(away_from=kinks, margin=0.1))], {"min": lo, "max": hi}


case("clip", _clip_inputs(), ag.clip, lambda x, min, max: torch.clamp(x, min, max))  # noqa: A006
case(
    "astype",
    small().map(lambda x: ([x], {"dtype": np.float64})),
    lambda x, dtype: x.astype(dtype),
    lambda x, dtype: x.to(torch.float64),
)


# -- reductions ------------------------------------------------------------------------------
def _torch_dims(axis):
    return None if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)


def _torch_reduce(fn):
    def run(x, axis=None, keepdims=False):
        dims = _torch_dims(axis)
        if dims == ():  # numpy: reduce nothing; torch reads dim=() as "all dims"
            return x
        if dims is None:
            dims = tuple(range(x.ndim))
        return fn(x, dim=dims, keepdim=keepdims) if dims else fn(x)

    return run


@st.composite
def reduce_inputs(draw, distinct=False):
    shape = draw(shapes(max_dims=3, max_side=3))
    if distinct:  # max/min: no two elements within finite-difference reach of each other
        n = int(np.prod(shape, dtype=np.int64))
        vals = draw(st.lists(st.integers(-30, 30), min_size=n, max_size=n, unique=True))
        x = np.array(vals, dtype=np.float64).reshape(shape) * 0.1
    else:
        x = draw(arrays(shape))
    axis, keepdims = draw(axes_for(shape))
    return [x], {"axis": axis, "keepdims": keepdims}


def _torch_logsumexp(x, axis=None, keepdims=False):
    dims = _torch_dims(axis)
    if dims == ():
        return x
    if dims is None:
        dims = tuple(range(x.ndim))
        return torch.logsumexp(x, dim=dims, keepdim=keepdims) if x.ndim else x
    return torch.logsumexp(x, dim=dims, keepdim=keepdims)


case("sum", reduce_inputs(), ag.sum, _torch_reduce(torch.sum))
case("mean", reduce_inputs(), ag.mean, _torch_reduce(torch.mean))
case("max", reduce_inputs(distinct=True), ag.max, _torch_reduce(torch.amax))
case("min", reduce_inputs(distinct=True), ag.min, _torch_reduce(torch.amin))
case("logsumexp", reduce_inputs(), ag.logsumexp, _torch_logsumexp)
