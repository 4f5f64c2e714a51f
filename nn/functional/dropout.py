"""dropout: zero each element with probability p in training, scale the rest by 1/(1-p).

Masks are drawn from ``generator`` (a ``numpy.random.Generator``; ``rng=`` is the same argument
under its older name), else from nn's default generator (``nn.manual_seed``; see ``nn.init``).
"""

import numpy as np

from autograd_core import ShapeError

from .. import init
from ._utils import as_value

__all__ = ["alpha_dropout", "dropout", "dropout1d", "dropout2d", "dropout3d"]

_ALPHA_P = -1.7580993408473766  # -SELU's lambda * alpha (Klambauer et al., 2017)


def _generator(generator, rng, inplace, where):
    if not isinstance(inplace, (bool, np.bool_)):
        raise TypeError(
            f"{where}: inplace must be a bool, got {type(inplace).__name__}; pass the generator by keyword "
            "(generator=...)"
        )
    return init.resolve_rng(rng, None, generator)


def _check_p(p):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _masked(x, p, shape, gen):
    x = as_value(x)
    keep = gen.random(shape) >= p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    return x * (keep * scale).astype(x.dtype)


def dropout(x, p=0.5, training=True, inplace=False, *, generator=None, rng=None):
    """Inverted dropout (PyTorch's F.dropout): in training, zero each element with probability ``p``
    and scale the others by 1/(1-p), so the expectation is unchanged; otherwise the identity.

    x: a Value or array of any shape and float dtype; the result has its shape and dtype.
    inplace: accepted for PyTorch's signature and ignored (Values are immutable).
    generator (or rng): the ``numpy.random.Generator`` for the mask (default: nn's default generator).
    Raises ValueError for p outside [0, 1], TypeError for a non-bool inplace or a non-Generator generator.
    """
    _check_p(p)
    gen = _generator(generator, rng, inplace, "dropout")
    if not training or p == 0.0:
        return as_value(x)
    return _masked(x, p, np.shape(x), gen)


def dropout2d(x, p=0.5, training=True, inplace=False, *, generator=None, rng=None):
    """Channel dropout (PyTorch's F.dropout2d): zero whole channels of (N, C, ...) input with
    probability ``p``, one draw per (sample, channel), scaling the rest by 1/(1-p).

    Arguments and errors as :func:`dropout`.
    """
    _check_p(p)
    gen = _generator(generator, rng, inplace, "dropout2d")
    if not training or p == 0.0:
        return as_value(x)
    shape = np.shape(x)
    return _masked(x, p, shape[:2] + (1,) * (len(shape) - 2), gen)


dropout1d = dropout2d


def dropout3d(x, p=0.5, training=True, inplace=False, *, generator=None, rng=None):
    """Channel dropout of volumes (PyTorch's F.dropout3d): zero whole channels of (N, C, D, H, W), or
    of unbatched (C, D, H, W), with probability ``p``, scaling the rest by 1/(1-p).

    Arguments and errors as :func:`dropout`; also ShapeError for input that is not 4-d or 5-d.
    """
    _check_p(p)
    gen = _generator(generator, rng, inplace, "dropout3d")
    shape = np.shape(x)
    if len(shape) not in (4, 5):
        raise ShapeError(f"dropout3d: expected a 4-d (C, D, H, W) or 5-d (N, C, D, H, W) input, got shape {shape}")
    if not training or p == 0.0:
        return as_value(x)
    return _masked(x, p, shape[: len(shape) - 3] + (1, 1, 1), gen)


def alpha_dropout(x, p=0.5, training=False, inplace=False, *, generator=None, rng=None):
    """Alpha dropout for SELU networks (Klambauer et al., 2017, "Self-Normalizing Neural Networks"):
    dropped units are set to SELU's negative saturation -lambda*alpha, then an affine map a*x + b
    restores zero mean and unit variance. PyTorch's F.alpha_dropout; identity when not training.

    Arguments and errors as :func:`dropout`.
    """
    _check_p(p)
    gen = _generator(generator, rng, inplace, "alpha_dropout")
    x = as_value(x)
    if not training or p == 0.0:
        return x
    keep = (gen.random(x.shape) >= p).astype(x.dtype)
    a = (1 - p + _ALPHA_P**2 * p * (1 - p)) ** -0.5
    b = -a * _ALPHA_P * p
    return (x * keep + _ALPHA_P * (1 - keep)) * a + b
