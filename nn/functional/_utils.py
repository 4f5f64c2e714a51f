"""Small helpers shared by the functional modules: argument tuples and ndarray -> Value."""

import numpy as np

import autograd_core as ag
from autograd_core import ShapeError, Value


def as_value(x):
    """Layers accept Values or plain arrays; arrays become constant Values (no gradient)."""
    if isinstance(x, Value):
        return x
    return Value(np.asarray(x), requires_grad=False)


def ntuple(v, n, name):
    """An int or a length-n sequence of ints as a tuple of n ints."""
    if isinstance(v, (int, np.integer)):
        return (int(v),) * n
    t = tuple(int(a) for a in v)
    if len(t) != n:
        raise ShapeError(f"{name}: expected an int or {n} ints, got {v!r}")
    return t


def permute(x, axes):
    return ag.transpose(x, axes=tuple(axes))
