"""Broadcasting undone once, centrally: each gradient is summed down to its input's shape and cast to
its dtype (a float16 gradient sums in float64, see ops/precision.py), or a ShapeError names the op."""

import numpy as np

from .errors import ShapeError
from .ops.precision import sum_dtype


def unbroadcast(g, shape):
    """Sum ``g`` down to ``shape`` over the axes that broadcasting added or stretched (numpy's rules).

    g: an ndarray (or Value) whose shape broadcasting made from ``shape``. Returns g summed over
    the leading axes broadcasting added and the size-1 axes it stretched, with exactly ``shape``
    and g's dtype; None when no broadcasting explains g's shape (the engine then raises ShapeError).
    """
    gshape = g.shape
    lead = len(gshape) - len(shape)
    if lead < 0:
        return None
    if lead and shape and gshape[lead:] == shape:  # a bias: only leading axes added (0-d would give a scalar)
        return sum_over(g, tuple(range(lead)), False)
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and gshape[i + lead] != 1)
    if any(s != 1 and gshape[i + lead] != s for i, s in enumerate(shape)):
        return None
    if axes:
        g = sum_over(g, axes, True)
    return g.reshape(shape) if g.shape != shape else g


def sum_over(g, axes, keepdims):
    """g summed over axes; a float16 array accumulates in float64 (ops/precision.py), a Value uses the sum op."""
    acc = sum_dtype(g.dtype) if type(g) is np.ndarray else None
    if acc is None:
        return g.sum(axis=axes, keepdims=keepdims)
    return g.sum(axis=axes, keepdims=keepdims, dtype=acc).astype(g.dtype)


def conform_to(gi, shape, dtype, name, i):
    """``gi`` (ndarray or Value) unbroadcast to ``shape`` and cast to ``dtype``: how every gradient
    is made to match its input. Raises ShapeError naming op ``name`` and input ``i`` when no
    broadcasting explains gi's shape."""
    if gi.shape != shape:
        fitted = unbroadcast(gi, shape)
        if fitted is None:
            raise ShapeError(f"{name}: gradient for input {i} has shape {gi.shape}, but the input has shape {shape}")
        gi = fitted
    if gi.dtype != dtype:
        gi = gi.astype(dtype)
    return gi
