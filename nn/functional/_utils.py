"""Small helpers shared by the functional modules: argument tuples and ndarray -> Value."""

import numpy as np

import autograd_core as ag
from autograd_core import ShapeError


def as_value(x):
    """Layers accept Values, plain arrays, numbers and lists: a Value passes; a list holding Values is
    stacked by recorded ops (its gradient kept); anything else becomes a constant Value *without a
    copy* (a read-only view, like torch.as_tensor). See ``autograd_core.as_value``."""
    return ag.as_value(x)


def constant(name, what, x):
    """The data of an argument PyTorch does not differentiate (class weights, pos_weight, ...): a
    Value that requires grad is refused rather than silently treated as a constant."""
    v = ag.as_value(x)
    if v.requires_grad:
        raise ag.NotDifferentiableError(
            f"{name}: {what} is not differentiable (as in PyTorch), but got a Value that requires grad; "
            f"pass {what}.detach() to use it as a constant"
        )
    return v.numpy()


def ntuple(v, n, name):
    """An int or a length-n sequence of ints as a tuple of n ints."""
    if isinstance(v, (int, np.integer)):
        return (int(v),) * n
    t = tuple(int(a) for a in v)
    if len(t) != n:
        raise ShapeError(f"{name}: expected an int or {n} ints, got {v!r}")
    return t


def permute(x, axes):
    """``x`` with its axes reordered to ``axes`` (a recorded transpose; numpy's ``transpose(x, axes)``)."""
    return ag.transpose(x, axes=tuple(axes))
