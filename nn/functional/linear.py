"""linear(x, weight, bias): y = x W^T + b with PyTorch's (out_features, in_features) weight."""

import autograd_core as ag
from autograd_core import ShapeError

from ._utils import as_value

__all__ = ["bilinear", "linear"]


def linear(x, weight, bias=None):
    """x: (..., in), weight: (out, in), bias: (out,) -> (..., out)."""
    x = as_value(x)
    if x.shape[-1:] != weight.shape[1:]:
        raise ShapeError(f"linear: input of shape {x.shape} does not fit weight of shape {weight.shape} (out, in)")
    y = ag.matmul(x, ag.swapaxes(weight, 0, 1))
    return y if bias is None else y + bias


def bilinear(x1, x2, weight, bias=None):
    """y_k = x1^T W_k x2 + b_k with weight (out, in1, in2)."""
    y = ag.einsum("...i,kij,...j->...k", as_value(x1), weight, as_value(x2))
    return y if bias is None else y + bias
