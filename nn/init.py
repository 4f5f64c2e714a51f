"""Weight initialisers with PyTorch's names, formulas and defaults.

Each ``*_`` function rebinds ``tensor.data`` (parameters are never written into) and returns the
tensor. Random ones take ``generator=`` (a ``numpy.random.Generator``); without one they draw
from the default generator.

**Random numbers in nn.** Everything random in ``nn`` (initialisers, layers' initial weights,
dropout masks, ``DataLoader`` shuffling, ``random_split``) takes an explicit generator: ``generator=``
(PyTorch's name; ``rng=`` is accepted too) or ``seed=``. Given neither, it draws from one default
generator, read at the moment of the draw: a ``numpy.random.Generator`` seeded with
:data:`DEFAULT_SEED` when nn is imported (so a fresh process gives the same numbers every run, as
PyTorch's default generator does), and reseeded by :func:`manual_seed` (also ``nn.manual_seed``).
"""

import math

import numpy as np

from autograd_core import Value

__all__ = [
    "default_affine_",
    "calculate_gain",
    "constant_",
    "DEFAULT_SEED",
    "default_generator",
    "eye_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "manual_seed",
    "normal_",
    "ones_",
    "orthogonal_",
    "resolve_rng",
    "trunc_normal_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

DEFAULT_SEED = 67280421310721  # PyTorch's default seed for its CPU generator
_default = [np.random.default_rng(DEFAULT_SEED)]


def manual_seed(seed):
    """Replace the default generator by ``numpy.random.default_rng(seed)`` and return it (torch.manual_seed).

    ``seed``: an int >= 0 (anything ``numpy.random.default_rng`` takes). Every later draw made without
    an explicit generator comes from it, so the same seed reproduces the same run.
    """
    _default[0] = np.random.default_rng(seed)
    return _default[0]


def default_generator():
    """The ``numpy.random.Generator`` used by draws given no ``generator``/``rng``/``seed`` (see the module docstring)."""
    return _default[0]


def resolve_rng(rng=None, seed=None, generator=None):
    """The generator to draw from: ``generator`` (or its alias ``rng``: a Generator, or an int seed),
    else a fresh one from ``seed``, else the default generator (:func:`default_generator`).

    Raises ValueError when more than one is given, TypeError for a generator of another type.
    """
    given = [k for k, v in (("generator", generator), ("rng", rng), ("seed", seed)) if v is not None]
    if len(given) > 1:
        raise ValueError(f"pass one of generator, rng or seed, not {' and '.join(given)}")
    rng = generator if generator is not None else rng
    if rng is not None:
        if isinstance(rng, (int, np.integer)):
            return np.random.default_rng(rng)
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"generator must be a numpy.random.Generator (or an int seed), got {type(rng).__name__}")
        return rng
    if seed is not None:
        return np.random.default_rng(seed)
    return _default[0]


def calculate_gain(nonlinearity, param=None):
    """The recommended gain for an activation (PyTorch's table)."""
    linear = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")
    if nonlinearity in linear or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} is not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"unsupported nonlinearity {nonlinearity!r}")


def _calculate_fan_in_and_fan_out(tensor):
    """fan_in = in_channels * receptive field, fan_out = out_channels * receptive field."""
    shape = tensor.shape
    if len(shape) < 2:
        raise ValueError(
            f"fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape {shape})"
        )
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode {mode!r} not supported, use 'fan_in' or 'fan_out'")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _set(tensor, arr):
    if not isinstance(tensor, Value):
        raise TypeError(f"nn.init works on Values/Parameters (rebinding .data), got {type(tensor).__name__}")
    tensor.data = np.asarray(arr, dtype=tensor.dtype)
    return tensor


def _gen(generator):
    return _default[0] if generator is None else generator


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill ``tensor`` (a Value/Parameter, any shape; dtype kept) from U(a, b). Returns ``tensor``; draws from ``generator`` or nn's default generator."""
    return _set(tensor, _gen(generator).uniform(a, b, size=tensor.shape))


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill ``tensor`` from Normal(mean, std**2). Returns ``tensor``; draws from ``generator`` or nn's default generator."""
    return _set(tensor, _gen(generator).normal(mean, std, size=tensor.shape))


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """Normal(mean, std) redrawn until inside [a, b] (absolute bounds, as in PyTorch)."""
    g = _gen(generator)
    out = g.normal(mean, std, size=tensor.shape)
    bad = (out < a) | (out > b)
    while bad.any():
        out[bad] = g.normal(mean, std, size=int(bad.sum()))
        bad = (out < a) | (out > b)
    return _set(tensor, out)


def constant_(tensor, val):
    """Fill ``tensor`` with ``val`` (cast to its dtype); returns it."""
    return _set(tensor, np.full(tensor.shape, val))


def zeros_(tensor):
    """Fill ``tensor`` with 0; returns it."""
    return constant_(tensor, 0.0)


def ones_(tensor):
    """Fill ``tensor`` with 1; returns it."""
    return constant_(tensor, 1.0)


def eye_(tensor):
    """Set a 2-D ``tensor`` to the identity (ones on the diagonal of a rectangle); returns it.

    Raises ValueError for a tensor that is not 2-D."""
    if tensor.ndim != 2:
        raise ValueError(f"eye_ needs a 2-D tensor, got shape {tensor.shape}")
    return _set(tensor, np.eye(*tensor.shape))


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)) (Glorot and Bengio 2010)."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    a = math.sqrt(3.0) * gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Normal(0, std**2) with std = gain * sqrt(2 / (fan_in + fan_out)) (Glorot and Bengio 2010). Returns ``tensor``; draws from ``generator`` or nn's default generator."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)), generator)


def kaiming_uniform_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """U(-b, b) with b = gain * sqrt(3 / fan) (He et al. 2015); ``a`` is the leaky-relu slope."""
    if 0 in tensor.shape:
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_calculate_correct_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """Normal(0, std**2) with std = gain / sqrt(fan) (He et al. 2015); ``a`` is the leaky-relu slope,
    ``mode`` 'fan_in' or 'fan_out'. Returns ``tensor``; draws from ``generator`` or nn's default generator."""
    if 0 in tensor.shape:
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_calculate_correct_fan(tensor, mode))
    return normal_(tensor, 0.0, std, generator)


def default_affine_(weight, bias=None, generator=None):
    """PyTorch's default for Linear and Conv: kaiming_uniform_(a=sqrt(5)) weight, bias U(+-1/sqrt(fan_in))."""
    kaiming_uniform_(weight, a=math.sqrt(5), generator=generator)
    if bias is not None:
        fan_in, _ = _calculate_fan_in_and_fan_out(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        uniform_(bias, -bound, bound, generator=generator)


def orthogonal_(tensor, gain=1.0, generator=None):
    """A (semi-)orthogonal matrix from the QR of a Gaussian (Saxe et al. 2013), reshaped to the tensor."""
    if tensor.ndim < 2:
        raise ValueError("orthogonal_ needs a tensor with at least 2 dimensions")
    rows = tensor.shape[0]
    cols = tensor.size // rows
    flat = _gen(generator).normal(0.0, 1.0, size=(rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _set(tensor, gain * q.reshape(tensor.shape))
