"""Activation Modules: thin wrappers over nn.functional.activations (PyTorch's names and defaults).

Learnable ones: PReLU (slope, shared or per channel), Swish(learnable=True) (beta), MPELU
(alpha and beta per channel) and Maxout (k linear pieces, weight laid out like Linear's).
"""

import math

import numpy as np

from autograd_core.ops.spelling import either_spelling

from .. import functional as F
from .. import init
from ..module import Module
from ..parameter import Parameter

__all__ = [
    "CELU",
    "ELU",
    "GELU",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "LeakyReLU",
    "LogSigmoid",
    "LogSoftmax",
    "MPELU",
    "Maxout",
    "Mish",
    "PReLU",
    "ReLU",
    "ReLU6",
    "SELU",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softmin",
    "Softplus",
    "Swish",
    "Tanh",
]


class _Stateless(Module):
    """An activation with fixed arguments: forward(x) = fn(x, **args)."""

    _fn = None
    _args = ()

    def __init__(self, **kwargs):
        super().__init__()
        for k, v in kwargs.items():
            setattr(self, k, v)

    def forward(self, x):
        """``fn(x, **args)``: the functional form with this module's arguments."""
        return type(self)._fn(x, **{k: getattr(self, k) for k in self._args})

    def extra_repr(self):
        """The arguments that differ from their defaults, as ``name=value``."""
        return ", ".join(f"{k}={getattr(self, k)}" for k in self._args if k != "inplace")


class Sigmoid(_Stateless):
    """1 / (1 + exp(-x)) elementwise (F.sigmoid). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.sigmoid)


class Tanh(_Stateless):
    """tanh(x) elementwise (F.tanh). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.tanh)


class ReLU(_Stateless):
    """max(x, 0); Keras' ``negative_slope``, ``max_value`` and ``threshold`` are available too."""

    _fn = staticmethod(F.relu)

    def __init__(self, inplace=False, negative_slope=0.0, max_value=None, threshold=0.0):
        super().__init__(inplace=inplace, negative_slope=negative_slope, max_value=max_value, threshold=threshold)
        self._args = tuple(
            k
            for k, default in (("negative_slope", 0.0), ("max_value", None), ("threshold", 0.0))
            if getattr(self, k) != default
        )


class LeakyReLU(_Stateless):
    """x for x > 0, ``negative_slope * x`` otherwise (F.leaky_relu). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.leaky_relu)
    _args = ("negative_slope",)

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__(negative_slope=negative_slope, inplace=inplace)


class ReLU6(_Stateless):
    """min(max(x, 0), 6) (F.relu6). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.relu6)

    def __init__(self, inplace=False):
        super().__init__(inplace=inplace)


class Hardtanh(_Stateless):
    """clip(x, min_val, max_val), zero gradient at and beyond the bounds (F.hardtanh). Input: any shape; output: the same shape and dtype.
    Raises ValueError when min_val > max_val."""

    _fn = staticmethod(F.hardtanh)
    _args = ("min_val", "max_val")

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False):
        if min_val > max_val:
            raise ValueError(f"Hardtanh: min_val ({min_val}) cannot be greater than max_val ({max_val})")
        super().__init__(min_val=min_val, max_val=max_val, inplace=inplace)


class ELU(_Stateless):
    """x for x > 0, ``alpha * (exp(x) - 1)`` otherwise (Clevert et al., 2015; F.elu). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.elu)
    _args = ("alpha",)

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__(alpha=alpha, inplace=inplace)


class SELU(_Stateless):
    """Self-normalising ELU (Klambauer et al., 2017; F.selu). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.selu)

    def __init__(self, inplace=False):
        super().__init__(inplace=inplace)


class CELU(_Stateless):
    """x for x > 0, ``alpha * (exp(x / alpha) - 1)`` otherwise (Barron, 2017; F.celu). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.celu)
    _args = ("alpha",)

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__(alpha=alpha, inplace=inplace)


class Softplus(_Stateless):
    """log(1 + exp(beta x)) / beta, x itself where beta x > threshold (F.softplus). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.softplus)
    _args = ("beta", "threshold")

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__(beta=beta, threshold=threshold)


class SiLU(_Stateless):
    """x * sigmoid(x) (Elfwing et al., 2017; F.silu). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.silu)

    def __init__(self, inplace=False):
        super().__init__(inplace=inplace)


class GELU(_Stateless):
    """x * Phi(x), Phi the standard normal CDF (Hendrycks & Gimpel, 2016; F.gelu);
    ``approximate='tanh'`` uses their tanh form. Input: any shape; output: the same shape and dtype. Raises ValueError for another approximate."""

    _fn = staticmethod(F.gelu)
    _args = ("approximate",)

    def __init__(self, approximate="none"):
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        super().__init__(approximate=approximate)


class Mish(_Stateless):
    """x * tanh(softplus(x)) (Misra, 2019; F.mish). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.mish)

    def __init__(self, inplace=False):
        super().__init__(inplace=inplace)


class Hardsigmoid(_Stateless):
    """relu6(x + 3) / 6 (F.hardsigmoid). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.hardsigmoid)

    def __init__(self, inplace=False):
        super().__init__(inplace=inplace)


class Hardswish(_Stateless):
    """x * relu6(x + 3) / 6 (Howard et al., 2019; F.hardswish). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.hardswish)

    def __init__(self, inplace=False):
        super().__init__(inplace=inplace)


class LogSigmoid(_Stateless):
    """log(sigmoid(x)), stable (F.logsigmoid). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.log_sigmoid)


class Softmax(_Stateless):
    """exp(x) / sum(exp(x)) along ``dim`` (F.softmax). Input: any shape; output: the same shape."""

    _fn = staticmethod(F.softmax)
    _args = ("dim",)

    def __init__(self, dim=None, *, axis=None):
        super().__init__(dim=either_spelling(type(self).__name__, "dim", dim, "axis", axis))


class LogSoftmax(Softmax):
    """log(softmax(x)) along ``dim``, stable (F.log_softmax). Input: any shape; output: the same shape."""

    _fn = staticmethod(F.log_softmax)


class Softmin(Softmax):
    """softmax(-x) along ``dim`` (F.softmin). Input: any shape; output: the same shape."""

    _fn = staticmethod(F.softmin)


class PReLU(Module):
    """max(0, x) + a * min(0, x) with a learnable slope ``a``: one shared (num_parameters=1) or one
    per channel (num_parameters = C, channel axis 1). State-dict key ``weight`` as in PyTorch."""

    def __init__(self, num_parameters=1, init=0.25, dtype=np.float32):
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(np.full(num_parameters, init, dtype=dtype))

    def forward(self, x):
        return F.prelu(x, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class Swish(Module):
    """x * sigmoid(beta x); ``learnable=True`` makes beta a Parameter (key ``beta``), else a constant."""

    def __init__(self, beta=1.0, learnable=False, dtype=np.float32):
        super().__init__()
        self.learnable = learnable
        if learnable:
            self.beta = Parameter(np.array(beta, dtype=dtype))
        else:
            self.beta = float(beta)

    def forward(self, x):
        return F.swish(x, self.beta)

    def extra_repr(self):
        return f"beta={float(np.asarray(self.beta))}, learnable={self.learnable}"


class MPELU(Module):
    """Multiple Parametric ELU (Li, Ding and Ouyang 2016): x for x > 0, alpha (exp(beta x) - 1) otherwise.

    alpha and beta are learned, shared (num_parameters=1) or per channel (channel axis 1);
    the paper's initialisation alpha = 0.25, beta = 1. alpha = beta = 1 gives ELU, beta -> 0 PReLU-like.
    """

    def __init__(self, num_parameters=1, alpha_init=0.25, beta_init=1.0, dtype=np.float32):
        super().__init__()
        self.num_parameters = num_parameters
        self.alpha = Parameter(np.full(num_parameters, alpha_init, dtype=dtype))
        self.beta = Parameter(np.full(num_parameters, beta_init, dtype=dtype))

    def forward(self, x):
        return F.mpelu(x, self.alpha, self.beta)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class Maxout(Module):
    """Maxout (Goodfellow et al. 2013): k affine pieces per output unit, the max of them.

    ``weight`` (out_features * k, in_features) and ``bias`` (out_features * k,) are a Linear layer's;
    rows j*k ... j*k + k-1 are unit j's pieces, so y = maxout(linear(x, W, b), k). Initialised like
    Linear (U(-1/sqrt(in), 1/sqrt(in))).
    """

    def __init__(self, in_features, out_features, k=2, bias=True, dtype=np.float32, rng=None, seed=None):
        super().__init__()
        if k < 1:
            raise ValueError(f"Maxout: k must be at least 1, got {k}")
        self.in_features, self.out_features, self.k = in_features, out_features, k
        rng = init.resolve_rng(rng, seed)
        bound = 1 / math.sqrt(in_features) if in_features > 0 else 0
        self.weight = init.uniform_(
            Parameter(np.empty((out_features * k, in_features), dtype=dtype)), -bound, bound, rng
        )
        if bias:
            self.bias = init.uniform_(Parameter(np.empty(out_features * k, dtype=dtype)), -bound, bound, rng)
        else:
            self.register_parameter("bias", None)

    def forward(self, x):
        return F.maxout(F.linear(x, self.weight, self.bias), self.k, dim=-1)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, k={self.k}"
