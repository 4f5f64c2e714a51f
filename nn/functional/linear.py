"""linear and bilinear layers' functional forms (PyTorch's names and weight layouts).

``linear`` is the engine's fused primitive ``ag.linear`` (autograd_core/ops/linear.py).
"""

import autograd_core as ag
from autograd_core import linear

from ._utils import as_value

__all__ = ["bilinear", "linear"]


def bilinear(x1, x2, weight, bias=None):
    """y_k = x1^T W_k x2 + b_k with weight (out, in1, in2)."""
    y = ag.einsum("...i,kij,...j->...k", as_value(x1), weight, as_value(x2))
    return y if bias is None else y + bias
