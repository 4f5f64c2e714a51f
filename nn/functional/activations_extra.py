# ruff: noqa: A002  (PyTorch names the first argument `input`)
"""PyTorch's remaining activations: shrinkage (hardshrink, softshrink, tanhshrink), threshold,
softsign, the randomized leaky ReLU (rrelu) and the gated linear unit (glu).

Each is a composition of autograd_core primitives (``where`` on masks computed from the data, so a
kink takes the derivative PyTorch's backward gives there: 0 at +-lambd for the shrinks, 0 at the
threshold, the negative slope at 0 for rrelu). Every one is finite and correct at +-1000, and at
+-inf gives the mathematical limit (softsign(+-inf) = +-1, where PyTorch's x / (1 + |x|) is NaN).
``inplace=`` is accepted for PyTorch compatibility and ignored.
"""

import numpy as np

import autograd_core as ag
from autograd_core import ShapeError
from autograd_core.ops.spelling import either_spelling

from ._utils import as_value
from .activations import leaky_relu
from .dropout import _generator

__all__ = ["glu", "hardshrink", "rrelu", "softshrink", "softsign", "tanhshrink", "threshold"]


def hardshrink(input, lambd=0.5):
    """x where |x| > lambd, 0 elsewhere (PyTorch's F.hardshrink). The derivative is 1 where
    |x| > lambd and 0 elsewhere, at +-lambd too (PyTorch's backward).

    input: any shape, float; returns its shape and dtype. A negative lambd gives the identity, as PyTorch.
    """
    x = as_value(input)
    return ag.where(np.abs(x.numpy()) > lambd, x, 0.0)


def softshrink(input, lambd=0.5):
    """x - lambd where x > lambd, x + lambd where x < -lambd, 0 elsewhere (PyTorch's F.softshrink;
    the proximal map of lambd |x|). Derivative 1 outside [-lambd, lambd], 0 inside and at its ends.

    input: any shape, float; returns its shape and dtype. Raises ValueError for lambd < 0 (as PyTorch).
    """
    if not lambd >= 0:
        raise ValueError(f"softshrink: lambd must be non-negative, got {lambd}")
    x = as_value(input)
    xd = x.numpy()
    return ag.where(xd > lambd, x - lambd, ag.where(xd < -lambd, x + lambd, 0.0))


def tanhshrink(input):
    """x - tanh(x) (PyTorch's F.tanhshrink); derivative tanh(x)**2. input: any shape, float; returns its shape and dtype."""
    x = as_value(input)
    return x - ag.tanh(x)


def softsign(input):
    """x / (1 + |x|) (PyTorch's F.softsign; Turian et al. 2009); derivative 1 / (1 + |x|)**2.

    Evaluated as x * r inside (-1, 1) and sign(x) (1 - r) outside, r = 1 / (1 + |x|): the second
    form's derivative is exactly r**2 (the product rule's r - |x| r**2 would cancel to a few digits
    at large |x|), and at +-inf it gives the limits +-1 with derivative 0, where PyTorch's
    x / (1 + |x|) is inf / inf = NaN. input: any shape, float; returns its shape and dtype.
    """
    x = as_value(input)
    xd = x.numpy()
    small = np.abs(xd) < 1
    xs = ag.where(small, x, 0.0)  # the product form only ever sees (-1, 1): no inf * 0
    inner = xs * ag.reciprocal(ag.abs(xs) + 1.0)
    outer = (1.0 - ag.reciprocal(ag.abs(x) + 1.0)) * np.sign(xd).astype(xd.dtype)
    return ag.where(small, inner, outer)


def threshold(input, threshold, value, inplace=False):
    """x where x > threshold, ``value`` elsewhere (PyTorch's F.threshold); derivative 1 where
    x > threshold, 0 elsewhere (at the threshold too).

    input: any shape, float; returns its shape and dtype (value is cast to it).
    """
    x = as_value(input)
    xd = x.numpy()
    return ag.where(xd > threshold, x, np.asarray(value, dtype=xd.dtype))


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False, *, generator=None, rng=None):
    """Randomized leaky ReLU (Xu et al. 2015, "Empirical Evaluation of Rectified Activations in
    Convolutional Network"; PyTorch's F.rrelu): x for x > 0, a * x otherwise.

    In training each element draws its own slope a ~ U(lower, upper) from ``generator`` (or ``rng``:
    a ``numpy.random.Generator``; default nn's default generator, see ``nn.manual_seed``); out of
    training a = (lower + upper) / 2, i.e. leaky_relu. The derivative at 0 is the slope a, as in
    PyTorch. One slope is drawn per element whatever its sign (PyTorch draws for the non-positive
    ones only), so a given generator state gives the same slopes for any input values.

    input: any shape, float; returns its shape and dtype. Raises ValueError for lower > upper,
    TypeError for a non-bool inplace or a generator that is not a numpy Generator.
    """
    if not lower <= upper:
        raise ValueError(f"rrelu: lower ({lower}) must not exceed upper ({upper})")
    gen = _generator(generator, rng, inplace, "rrelu")
    x = as_value(input)
    if not training:
        return leaky_relu(x, (lower + upper) / 2)
    slopes = gen.uniform(lower, upper, x.shape).astype(x.dtype)
    pos = x.numpy() > 0
    return ag.where(pos, x, ag.where(pos, 0.0, x) * slopes)


def glu(input, dim=-1, *, axis=None):
    """Gated linear unit (Dauphin et al. 2017, "Language Modeling with Gated Convolutional
    Networks"; PyTorch's F.glu): split ``dim`` (``axis=`` accepted) into halves a, b and return
    a * sigmoid(b).

    input: float, at least 1-d, ``dim`` of even size 2m; returns its shape with m there.
    Raises ShapeError for a 0-d input or an odd size.
    """
    dim = either_spelling("glu", "dim", dim, "axis", axis, -1)
    x = as_value(input)
    if x.ndim == 0:
        raise ShapeError("glu: a 0-d input cannot be halved; give it at least one dimension")
    if not -x.ndim <= dim < x.ndim:
        raise ShapeError(f"glu: dim {dim} is out of range for an input of {x.ndim} dimensions")
    d = dim % x.ndim
    size = x.shape[d]
    if size % 2:
        raise ShapeError(f"glu: halving dimension must be even, but dim {dim} of shape {x.shape} has size {size}")
    head = (slice(None),) * d
    a = x[head + (slice(0, size // 2),)]
    b = x[head + (slice(size // 2, size),)]
    return a * ag.sigmoid(b)
