"""Op database entries: reductions (sum, mean, max, min, logsumexp) and window_max (max pooling's core)."""

import numpy as np

import autograd_core as ag

from .draw import arrays, axes_for, shape_of, shapes, st
from .info import OpInfo, torch
from .samples import distinct, uniform


def _distinct_array(draw, shape, spread=30):
    """Values on a 0.1 grid, all different: max/min never tie within finite-difference reach."""
    n = int(np.prod(shape, dtype=np.int64))
    vals = draw(st.lists(st.integers(-spread, spread), min_size=n, max_size=n, unique=True))
    return np.array(vals, dtype=np.float64).reshape(shape) * 0.1


def _reduce_inputs(distinct_values=False):
    """Draw function: one array, an axis (None, int, negative, tuple) and keepdims."""

    def inputs(draw):
        shape = shape_of(draw)
        x = _distinct_array(draw, shape) if distinct_values else draw(arrays(shape))
        axis, keepdims = draw(axes_for(shape))
        return [x], {"axis": axis, "keepdims": keepdims}

    return inputs


def _torch_dims(axis):
    return None if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)


def _torch_reduce(name):
    """numpy's axis conventions on a torch reduction: axis=() reduces nothing, None reduces all."""

    def run(x, axis=None, keepdims=False):
        dims = _torch_dims(axis)
        if dims == ():  # numpy: reduce nothing; torch reads dim=() as "all dims"
            return x
        if dims is None:
            dims = tuple(range(x.ndim))
        if not dims:  # a 0-d tensor reduced over all (no) axes
            return x if name == "logsumexp" else getattr(torch, name)(x)
        return getattr(torch, name)(x, dim=dims, keepdim=keepdims)

    return run


def _window_max_inputs(draw):
    nwin = draw(st.integers(1, 2))  # a windows layout: (*batch, *window counts, *window), nwin of each
    shape = draw(shapes(min_dims=2 * nwin, max_dims=2 * nwin + 1, max_side=3 if nwin == 1 else 2))
    return [_distinct_array(draw, shape, spread=60)], {"nwin": nwin}


ENTRIES = [
    OpInfo(
        "sum",
        ag.sum,
        sample=([uniform(3, 4)], {"axis": 1, "keepdims": True}),
        inputs=_reduce_inputs(),
        torch=_torch_reduce("sum"),
    ),
    OpInfo(
        "mean",
        ag.mean,
        sample=([uniform(2, 3, 2)], {"axis": (0, 2), "keepdims": False}),
        inputs=_reduce_inputs(),
        torch=_torch_reduce("mean"),
    ),
    OpInfo(
        "max",
        ag.max,
        sample=([distinct(3, 4)], {"axis": 1, "keepdims": False}),
        inputs=_reduce_inputs(distinct_values=True),
        torch=_torch_reduce("amax"),
    ),
    OpInfo(
        "min",
        ag.min,
        sample=([distinct(3, 4)], {"axis": 0, "keepdims": False}),
        inputs=_reduce_inputs(distinct_values=True),
        torch=_torch_reduce("amin"),
    ),
    OpInfo(
        "logsumexp",
        ag.logsumexp,
        sample=([uniform(3, 4)], {"axis": 1, "keepdims": False}),
        inputs=_reduce_inputs(),
        torch=_torch_reduce("logsumexp"),
    ),
    # window_max takes a sliding_windows layout: batch..., nwin window-position axes, nwin window axes
    OpInfo(
        "window_max",
        ag.window_max,
        sample=([distinct(2, 2, 3, 2, 2)], {"nwin": 2}),
        inputs=_window_max_inputs,
        torch=lambda x, nwin: torch.amax(x, dim=tuple(range(x.ndim - nwin, x.ndim))),
    ),
]
