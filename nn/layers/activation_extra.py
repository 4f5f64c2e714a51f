"""Activation Modules over nn.functional.activations_extra: GLU, Hardshrink, RReLU, Softmax2d,
Softshrink, Softsign, Tanhshrink, Threshold (PyTorch's names, arguments, defaults and reprs)."""

import autograd_core as ag
from autograd_core import ShapeError

from .. import functional as F
from ..module import Module
from .activation import _Stateless
from .dropout import module_generator

__all__ = ["GLU", "Hardshrink", "RReLU", "Softmax2d", "Softshrink", "Softsign", "Tanhshrink", "Threshold"]


class GLU(_Stateless):
    """Gated linear unit a * sigmoid(b), a and b the halves of ``dim`` (Dauphin et al. 2017; F.glu).
    Input: ``dim`` of even size 2m; output: m there, the rest unchanged."""

    _fn = staticmethod(F.glu)
    _args = ("dim",)

    def __init__(self, dim=-1):
        super().__init__(dim=dim)


class Hardshrink(_Stateless):
    """x where |x| > lambd, else 0 (F.hardshrink). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.hardshrink)
    _args = ("lambd",)

    def __init__(self, lambd=0.5):
        super().__init__(lambd=lambd)

    def extra_repr(self):
        """``lambd`` alone, as PyTorch prints it."""
        return f"{self.lambd}"


class Softshrink(Hardshrink):
    """x - lambd for x > lambd, x + lambd for x < -lambd, else 0 (F.softshrink).
    Input: any shape; output: the same shape and dtype. Raises ValueError for lambd < 0."""

    _fn = staticmethod(F.softshrink)

    def __init__(self, lambd=0.5):
        if not lambd >= 0:
            raise ValueError(f"Softshrink: lambd must be non-negative, got {lambd}")
        super().__init__(lambd=lambd)


class Tanhshrink(_Stateless):
    """x - tanh(x) (F.tanhshrink). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.tanhshrink)


class Softsign(_Stateless):
    """x / (1 + |x|), +-1 at +-inf (F.softsign). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.softsign)


class Threshold(_Stateless):
    """x where x > threshold, else ``value`` (F.threshold). Input: any shape; output: the same shape and dtype."""

    _fn = staticmethod(F.threshold)
    _args = ("threshold", "value")

    def __init__(self, threshold, value, inplace=False):
        super().__init__(threshold=threshold, value=value, inplace=inplace)


class RReLU(Module):
    """Randomized leaky ReLU (Xu et al. 2015; F.rrelu): in train() each element of each batch gets
    a slope drawn from U(lower, upper); in eval() the slope is their mean (lower + upper) / 2.

    generator (or rng): the ``numpy.random.Generator`` the slopes come from; seed: make one from a
    seed; given none, nn's default generator (``nn.manual_seed``). Input: any shape; output: the
    same shape and dtype. Raises ValueError for lower > upper or for more than one of generator/rng/seed.
    """

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False, rng=None, seed=None, *, generator=None):
        super().__init__()
        if not lower <= upper:
            raise ValueError(f"RReLU: lower ({lower}) must not exceed upper ({upper})")
        self.lower, self.upper, self.inplace = lower, upper, inplace
        self.generator = module_generator(rng, seed, generator)

    def forward(self, x):
        """F.rrelu with this module's bounds, random slopes in training, the mean slope in eval."""
        return F.rrelu(x, self.lower, self.upper, self.training, generator=self.generator)

    def extra_repr(self):
        """``lower=..., upper=...`` as PyTorch prints them."""
        return f"lower={self.lower}, upper={self.upper}"


class Softmax2d(Module):
    """Softmax over the channels of (N, C, H, W) or (C, H, W) input, i.e. dim -3 (PyTorch's Softmax2d).
    Output: the input's shape. Raises ShapeError for another number of dimensions."""

    def forward(self, x):
        """softmax(x, dim=-3) after checking that x is 3-d or 4-d."""
        x = ag.as_value(x)
        if x.ndim not in (3, 4):
            raise ShapeError(f"Softmax2d: expected input to be 3D or 4D, got {x.ndim}D instead")
        return F.softmax(x, dim=-3)
