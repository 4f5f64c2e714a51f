# ruff: noqa: A002  (PyTorch names the first argument `input`)
"""Activations, PyTorch names, argument orders and defaults; built from autograd_core primitives.

Conventions (shared/DESIGN.md): at a kink the derivative is the one of the branch that holds the
point, as in PyTorch: relu'(0) = 0, leaky_relu'(0) = negative_slope, elu'(0) = alpha,
hardtanh'(min_val) = hardtanh'(max_val) = 0. Exponential branches are evaluated on ``min(x, 0)``
(the "double where"), so exp never overflows and the unused branch never sends NaN backwards;
everything is finite at +-1000. ``inplace=`` is accepted for PyTorch compatibility and ignored:
Values are immutable, every activation returns a new Value.
"""

import math
import warnings

import numpy as np

import autograd_core as ag
from autograd_core import ShapeError, Value
from autograd_core.ops.spelling import either_spelling

from ._utils import as_value

__all__ = [
    "celu",
    "elu",
    "gelu",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "logsigmoid",
    "maxout",
    "mish",
    "mpelu",
    "prelu",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "softmax",
    "softmin",
    "softplus",
    "swish",
    "tanh",
]

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _raw(x):
    return x.numpy() if isinstance(x, Value) else np.asarray(x)


def _nonpositive(x, mask_pos):
    """x where x <= 0 and 0 elsewhere: the safe argument of a negative branch (no exp overflow, no inf * 0)."""
    return ag.where(mask_pos, 0.0, x)


def sigmoid(input):
    """1 / (1 + exp(-x)), computed stably (PyTorch's F.sigmoid). x: any shape, float; returns its shape and dtype."""
    return ag.sigmoid(as_value(input))


def tanh(input):
    """Hyperbolic tangent (F.tanh). x: any shape, float; returns its shape and dtype."""
    return ag.tanh(as_value(input))


def relu(input, negative_slope=0.0, max_value=None, threshold=0.0, inplace=False):
    """ReLU with Keras' options: ``max_value`` for x >= max_value, ``x`` for threshold < x < max_value,
    ``negative_slope * (x - threshold)`` otherwise. Defaults give max(x, 0) with relu'(0) = 0."""
    x = as_value(input)
    if max_value is None and threshold == 0:
        return ag.relu(x) if negative_slope == 0 else leaky_relu(x, negative_slope)
    xd = x.numpy()
    mid = xd > threshold
    low = (x - threshold) * negative_slope if negative_slope != 0 else np.zeros_like(xd)
    if max_value is None:
        return ag.where(mid, x, low)
    top = xd >= max_value
    return ag.where(mid & ~top, x, ag.where(top, np.asarray(max_value, dtype=xd.dtype), low))


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x for x > 0, ``negative_slope * x`` otherwise (Maas et al., 2013; F.leaky_relu); the
    derivative at 0 is negative_slope. x: any shape, float; returns its shape and dtype."""
    x = as_value(input)
    pos = x.numpy() > 0
    return ag.where(pos, x, _nonpositive(x, pos) * negative_slope)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """clip(x, min_val, max_val) with zero gradient at and beyond the bounds (PyTorch's rule)."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val ({min_val}) cannot be greater than max_val ({max_val})")
    x = as_value(input)
    xd = x.numpy()
    return ag.where((xd > min_val) & (xd < max_val), x, np.clip(xd, min_val, max_val))


def relu6(input, inplace=False):
    """min(max(x, 0), 6) (Krizhevsky, 2010; F.relu6): hardtanh(x, 0, 6). x: any shape, float; returns its shape and dtype."""
    return hardtanh(input, 0.0, 6.0)


def _channel_param(w, x, name):
    """Reshape a per-channel parameter (C,) to broadcast over x's channel axis 1 (PyTorch's layout)."""
    w = as_value(w)
    n = int(np.prod(w.shape)) if w.ndim else 1
    if w.ndim > 1:
        raise ShapeError(f"{name}: parameter must be 0-d or 1-d, got shape {w.shape}")
    if n == 1:
        return w.reshape(()) if w.ndim else w
    channels = x.shape[1] if x.ndim >= 2 else 1
    if n != channels:
        raise ShapeError(
            f"{name}: {n} parameters but the input of shape {x.shape} has {channels} channels (axis 1); "
            "use 1 parameter or one per channel"
        )
    return w.reshape((n,) + (1,) * (x.ndim - 2))


def prelu(input, weight):
    """max(0, x) + weight * min(0, x); weight has 1 element or one per channel (axis 1)."""
    x = as_value(input)
    w = _channel_param(weight, x, "prelu")
    pos = x.numpy() > 0
    return ag.where(pos, x, _nonpositive(x, pos) * w)  # weight's gradient is x * 1[x <= 0], never inf * 0


def elu(input, alpha=1.0, inplace=False):
    """x for x > 0, ``alpha * (exp(x) - 1)`` otherwise (Clevert et al., 2015; F.elu). x: any shape, float; returns its shape and dtype."""
    x = as_value(input)
    pos = x.numpy() > 0
    return ag.where(pos, x, ag.expm1(_nonpositive(x, pos)) * alpha)


def selu(input, inplace=False):
    """``scale * elu(x, alpha)`` with Klambauer et al.'s (2017) alpha = 1.6733 and scale =
    1.0507 (F.selu). x: any shape, float; returns its shape and dtype."""
    return elu(input, SELU_ALPHA) * SELU_SCALE


def celu(input, alpha=1.0, inplace=False):
    """x for x > 0, ``alpha * (exp(x / alpha) - 1)`` otherwise (Barron, 2017; F.celu).
    x: any shape, float; returns its shape and dtype. Raises ValueError for alpha = 0."""
    if alpha == 0:
        raise ValueError("celu: alpha cannot be 0")
    x = as_value(input)
    pos = x.numpy() > 0
    return ag.where(pos, x, ag.expm1(_nonpositive(x, pos) * (1.0 / alpha)) * alpha)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (PyTorch)."""
    x = as_value(input)
    bx = x * beta if beta != 1 else x
    sp = ag.softplus(bx) if beta == 1 else ag.softplus(bx) * (1.0 / beta)
    return ag.where(_raw(bx) > threshold, x, sp)


def silu(input, inplace=False):
    """x * sigmoid(x) (Elfwing et al., 2017; Ramachandran's swish with beta = 1; F.silu). x: any shape, float; returns its shape and dtype."""
    x = as_value(input)
    return x * ag.sigmoid(x)


def swish(input, beta=1.0):
    """x * sigmoid(beta x); ``beta`` a number or a (learnable) Value broadcasting against x."""
    x = as_value(input)
    if not isinstance(beta, Value) and np.all(np.asarray(beta) == 1):
        return silu(x)
    return x * ag.sigmoid(x * beta)


_SQRT_HALF = 1.0 / math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def gelu(input, approximate="none"):
    """x * Phi(x) with Phi from erf, or PyTorch's tanh approximation with ``approximate='tanh'``."""
    x = as_value(input)
    if approximate == "none":
        return x * (ag.erf(x * _SQRT_HALF) + 1.0) * 0.5
    if approximate == "tanh":
        inner = (x + x * x * x * 0.044715) * _SQRT_2_OVER_PI
        return x * (ag.tanh(inner) + 1.0) * 0.5
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def mish(input, inplace=False):
    """x * tanh(softplus(x)) (Misra, 2019; F.mish). x: any shape, float; returns its shape and dtype."""
    x = as_value(input)
    return x * ag.tanh(ag.softplus(x))


def hardsigmoid(input, inplace=False):
    """relu6(x + 3) / 6 with PyTorch's gradient (1/6 strictly inside (-3, 3))."""
    x = as_value(input)
    xd = x.numpy()
    return ag.where((xd > -3) & (xd < 3), x * (1.0 / 6) + 0.5, (xd >= 3).astype(xd.dtype))


def hardswish(input, inplace=False):
    """x * relu6(x + 3) / 6 with PyTorch's gradient: (2x + 3) / 6 strictly inside (-3, 3), 0 at -3, 1 at 3."""
    x = as_value(input)
    xd = x.numpy()
    mid = (xd > -3) & (xd < 3)
    xm = ag.where(mid, x, 0.0)  # the quadratic only ever sees (-3, 3), so no inf * 0 at +-inf
    return ag.where(xd >= 3, x, ag.where(mid, xm * (xm + 3.0) * (1.0 / 6), 0.0))


def mpelu(input, alpha, beta):
    """Multiple Parametric ELU (Li, Ding, Ouyang 2016): x for x > 0, alpha (exp(beta x) - 1) otherwise.

    ``alpha``/``beta`` are numbers, Values or arrays with 1 element or one per channel (axis 1).
    alpha = beta = 1 is ELU; beta should stay positive (the exponent is taken on min(x, 0)).
    """
    x = as_value(input)
    a = _channel_param(alpha, x, "mpelu")
    b = _channel_param(beta, x, "mpelu")
    pos = x.numpy() > 0
    return ag.where(pos, x, ag.expm1(_nonpositive(x, pos) * b) * a)


def maxout(input, num_pieces, dim=None, *, axis=None):
    """Split ``dim`` (default -1; ``axis=`` accepted) into (units, num_pieces) and take each group's max.

    The pieces of unit j are the contiguous features j*k ... j*k + k-1. Ties share the gradient evenly.
    """
    dim = either_spelling("maxout", "dim", dim, "axis", axis, -1)
    x = as_value(input)
    if x.ndim == 0:
        raise ShapeError("maxout: input must have at least one dimension")
    d = dim % x.ndim
    size = x.shape[d]
    if num_pieces < 1 or size % num_pieces:
        raise ShapeError(f"maxout: size {size} of dim {dim} (shape {x.shape}) is not a multiple of {num_pieces}")
    shape = x.shape[:d] + (size // num_pieces, num_pieces) + x.shape[d + 1 :]
    return ag.max(x.reshape(shape), axis=d + 1)


def _softmax_dim(name, ndim, dim):
    if dim is None:
        warnings.warn(
            f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X.",
            UserWarning,
            stacklevel=3,
        )
        dim = 0 if ndim in (0, 1, 3) else 1
    if ndim == 0:
        if dim not in (0, -1):
            raise ShapeError(f"{name}: dim {dim} is out of range for a 0-d input")
        return None
    if not -ndim <= dim < ndim:
        raise ShapeError(f"{name}: dim {dim} is out of range for an input of {ndim} dimensions")
    return dim % ndim


def _prep(input, dtype):
    x = as_value(input)
    return x.astype(dtype) if dtype is not None else x


def softmax(input, dim=None, _stacklevel=3, dtype=None, *, axis=None):
    """exp(x) / sum(exp(x)) along ``dim`` (``axis=`` accepted), stably (max subtracted; F.softmax); ``dtype`` casts first.

    x: any shape; returns its shape. Without ``dim`` PyTorch's implicit choice applies, with its
    UserWarning. Raises ShapeError for a dim out of range."""
    x = _prep(input, dtype)
    d = _softmax_dim("softmax", x.ndim, either_spelling("softmax", "dim", dim, "axis", axis))
    return ag.softmax(x, axis=d) if d is not None else ag.softmax(x.reshape(1), axis=0).reshape(())


def log_softmax(input, dim=None, _stacklevel=3, dtype=None, *, axis=None):
    """x - logsumexp(x) along ``dim`` (``axis=`` accepted) (F.log_softmax), stable for any x; arguments and errors as softmax."""
    x = _prep(input, dtype)
    d = _softmax_dim("log_softmax", x.ndim, either_spelling("log_softmax", "dim", dim, "axis", axis))
    return ag.log_softmax(x, axis=d) if d is not None else ag.log_softmax(x.reshape(1), axis=0).reshape(())


def softmin(input, dim=None, _stacklevel=3, dtype=None, *, axis=None):
    """softmax(-x) along ``dim`` (``axis=`` accepted) (F.softmin); arguments and errors as softmax."""
    x = _prep(input, dtype)
    d = _softmax_dim("softmin", x.ndim, either_spelling("softmin", "dim", dim, "axis", axis))
    return ag.softmax(-x, axis=d) if d is not None else ag.softmax(-x.reshape(1), axis=0).reshape(())


def log_sigmoid(input):
    """log(sigmoid(x)) = -softplus(-x), stable for large |x| (F.logsigmoid). x: any shape, float; returns its shape and dtype."""
    return ag.log_sigmoid(as_value(input))


logsigmoid = log_sigmoid  # PyTorch's spelling
