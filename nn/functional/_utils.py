"""Small helpers shared by the functional modules: argument tuples and ndarray -> Value."""

import numpy as np

import autograd_core as ag
from autograd_core import ShapeError, Value


def as_value(x):
    """Layers accept Values or plain arrays; an array becomes a constant Value *without a copy*
    (a read-only view, like torch.as_tensor; the engine saves plain arrays by reference too)."""
    if isinstance(x, Value):
        return x
    x = np.asarray(x)
    return ag.reshape(x, shape=x.shape)  # not recorded (no input requires grad): just a read-only view


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
