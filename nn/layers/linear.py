"""Linear, Bilinear and Identity layers with PyTorch's default initialisation."""

import math

import numpy as np

from .. import functional as F
from .. import init
from ..functional._utils import as_value
from ..module import Module
from ..parameter import Parameter

__all__ = ["Bilinear", "Identity", "Linear"]


class Identity(Module):
    """Returns its input unchanged (a placeholder that keeps state-dict keys stable)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return as_value(x)


class Linear(Module):
    """y = x W^T + b, weight (out_features, in_features): input (..., in_features), output (..., out_features).

    Default init is PyTorch's: kaiming_uniform_(a=sqrt(5)) for the weight, i.e. U(-1/sqrt(in), 1/sqrt(in)),
    and the bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)). ``rng`` (Generator) or ``seed`` makes it reproducible.
    """

    def __init__(self, in_features, out_features, bias=True, dtype=np.float32, rng=None, seed=None):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(np.empty((out_features, in_features), dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters(init.resolve_rng(rng, seed))

    def reset_parameters(self, rng=None):
        """Draw the initial weight and bias again (PyTorch's default, from ``rng`` or the default generator)."""
        init.default_affine_(self.weight, self.bias, generator=rng)

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Bilinear(Module):
    """y_k = x1^T W_k x2 + b_k, weight (out, in1, in2); init U(-1/sqrt(in1), 1/sqrt(in1)) like PyTorch."""

    def __init__(self, in1_features, in2_features, out_features, bias=True, dtype=np.float32, rng=None, seed=None):
        super().__init__()
        self.in1_features, self.in2_features, self.out_features = in1_features, in2_features, out_features
        rng = init.resolve_rng(rng, seed)
        bound = 1 / math.sqrt(in1_features)
        self.weight = init.uniform_(
            Parameter(np.empty((out_features, in1_features, in2_features), dtype=dtype)), -bound, bound, rng
        )
        if bias:
            self.bias = init.uniform_(Parameter(np.empty(out_features, dtype=dtype)), -bound, bound, rng)
        else:
            self.register_parameter("bias", None)

    def forward(self, x1, x2):
        return F.bilinear(x1, x2, self.weight, self.bias)

    def extra_repr(self):
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )
