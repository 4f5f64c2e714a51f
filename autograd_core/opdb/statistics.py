"""Op database entries: prod, the running sums and products (ops/scans.py), var and std (ops/stats.py)
and vector norms (ops/norms.py)."""

import math

import numpy as np

import autograd_core as ag

from .draw import arrays, axes_for, shape_of, shapes, st
from .info import OpInfo, torch
from .samples import distinct, uniform

_ZEROS_SAMPLE = np.array([[1.5, 0.0, -2.0, 0.0], [0.5, 1.2, -0.7, 2.0], [0.0, 0.0, 1.1, -0.4]])


def _with_zeros():
    """Elements with exact zeros among them: prod and cumprod must be right with one zero and with several
    (and with subnormal ones, whose running products underflow)."""
    return st.one_of(st.just(0.0), st.just(5e-324), st.floats(-2.0, 2.0, allow_nan=False))


def _distinct_array(draw, shape, lo=-30, hi=30):
    """Values on a 0.1 grid, all different: no zero variance (std's kink) and no tied maxima."""
    n = math.prod(shape)
    return np.array(draw(st.lists(st.integers(lo, hi), min_size=n, max_size=n, unique=True))).reshape(shape) * 0.1


def _dims(x, axis):
    """axis as torch's dim tuple (all dims for None), or None where torch reads it differently (())."""
    if axis is None:
        return tuple(range(x.ndim))
    dims = (axis,) if isinstance(axis, int) else tuple(axis)
    return dims or None


def _prod_inputs(draw):
    shape = shape_of(draw)
    axis, keepdims = draw(axes_for(shape))
    return [draw(arrays(shape, elements=_with_zeros()))], {"axis": axis, "keepdims": keepdims}


def _subnormal(x):
    """PyTorch's prod and cumprod gradients divide ``g * out`` by x, which loses subnormal inputs
    (ours switch to a division-free rule there): no comparison with them."""
    a = x.detach().abs()
    return bool(((a > 0) & (a < torch.finfo(x.dtype).tiny)).any())


def _torch_prod(x, axis, keepdims):
    dims = _dims(x, axis)
    if dims is None or x.ndim == 0 or _subnormal(x):
        return None
    for d in sorted((d % x.ndim for d in dims), reverse=True):  # torch.prod takes one dim at a time
        x = torch.prod(x, dim=d, keepdim=keepdims)
    return x


def _scan_inputs(zeros=False):
    def inputs(draw):
        shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
        axis = draw(st.integers(-len(shape), len(shape) - 1))
        return [draw(arrays(shape, elements=_with_zeros() if zeros else None))], {"axis": axis}

    return inputs


def _var_inputs(distinct_values=False):
    def inputs(draw):
        shape = shape_of(draw)
        axis, keepdims = draw(axes_for(shape))
        axes = range(len(shape)) if axis is None else (axis,) if isinstance(axis, int) else axis
        n = math.prod(shape[a] for a in axes)
        correction = draw(st.sampled_from([c for c in (0, 1, 2, 0.5) if c < n] or [0]))
        x = _distinct_array(draw, shape) if distinct_values else draw(arrays(shape))
        return [x], {"axis": axis, "keepdims": keepdims, "correction": correction}

    return inputs


def _torch_stat(name):
    def run(x, axis, keepdims, correction):
        dims = _dims(x, axis)
        if dims is None or x.ndim == 0:
            return None
        return getattr(torch, name)(x, dim=dims, correction=correction, keepdim=keepdims)

    return run


def _norm_inputs(draw):
    shape = shape_of(draw)
    axis, keepdims = draw(axes_for(shape))
    ord_ = draw(st.sampled_from([2, 1, 3, 0.5, 1.5, math.inf, -math.inf, 0]))
    if ord_ in (math.inf, -math.inf):  # |x| distinct: no ties, which finite differences would average
        x = _distinct_array(draw, shape, 1, 40) * draw(arrays(shape, elements=st.sampled_from([-1.0, 1.0])))
    else:  # away from 0, where |x| has its kink
        x = draw(arrays(shape, away_from=(0,), margin=0.1))
    return [x], {"ord": ord_, "axis": axis, "keepdims": keepdims}


def _torch_vector_norm(x, ord, axis, keepdims):  # noqa: A002 (PyTorch's name)
    dims = _dims(x, axis)
    if dims is None or x.ndim == 0:
        return None
    return torch.linalg.vector_norm(x, ord=ord, dim=dims, keepdim=keepdims)


ENTRIES = [
    OpInfo(
        "prod",
        lambda x, axis, keepdims: ag.prod(x, axis=axis, keepdims=keepdims),
        sample=([_ZEROS_SAMPLE], {"axis": 1, "keepdims": False}),
        inputs=_prod_inputs,
        torch=_torch_prod,
    ),
    OpInfo(
        "cumsum",
        lambda x, axis: x.cumsum(axis),
        sample=([uniform(2, 4)], {"axis": 1}),
        inputs=_scan_inputs(),
        torch=lambda x, axis: torch.cumsum(x, dim=axis),
    ),
    OpInfo(
        "logcumsumexp",
        lambda x, axis: ag.logcumsumexp(x, dim=axis),
        sample=([uniform(2, 4)], {"axis": 1}),
        inputs=_scan_inputs(),
        torch=lambda x, axis: torch.logcumsumexp(x, dim=axis),
    ),
    OpInfo(
        "cumprod",
        lambda x, axis: ag.cumprod(x, dim=axis),
        sample=([_ZEROS_SAMPLE], {"axis": 1}),
        inputs=_scan_inputs(zeros=True),
        torch=lambda x, axis: None if _subnormal(x) else torch.cumprod(x, dim=axis),
    ),
    OpInfo(
        "var",
        lambda x, axis, keepdims, correction: ag.var(x, axis=axis, keepdims=keepdims, correction=correction),
        sample=([uniform(3, 2)], {"axis": 0, "keepdims": False, "correction": 1}),
        inputs=_var_inputs(),
        torch=_torch_stat("var"),
    ),
    OpInfo(
        "std",
        lambda x, axis, keepdims, correction: x.std(axis=axis, keepdims=keepdims, ddof=correction),
        sample=([distinct(3, 2, 2)], {"axis": (0, 2), "keepdims": True, "correction": 0}),
        inputs=_var_inputs(distinct_values=True),
        torch=_torch_stat("std"),
    ),
    OpInfo(
        "vector_norm",
        lambda x, ord, axis, keepdims: ag.vector_norm(x, ord, axis=axis, keepdims=keepdims),  # noqa: A006
        sample=([uniform(2, 4, away=[0])], {"ord": 3, "axis": 1, "keepdims": False}),
        inputs=_norm_inputs,
        torch=_torch_vector_norm,
    ),
]
