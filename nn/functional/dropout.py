"""dropout: zero each element with probability p in training, scale the rest by 1/(1-p)."""

import numpy as np

from ._utils import as_value

__all__ = ["alpha_dropout", "dropout", "dropout1d", "dropout2d"]


def _rng(rng):
    from .. import init

    return init.default_generator() if rng is None else rng


def _check_p(p):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _masked(x, p, shape, rng):
    x = as_value(x)
    keep = _rng(rng).random(shape) >= p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    return x * (keep * scale).astype(x.dtype)


def dropout(x, p=0.5, training=True, rng=None):
    """Inverted dropout (identity when not training); ``rng`` is a numpy Generator for reproducibility."""
    _check_p(p)
    if not training or p == 0.0:
        return as_value(x)
    return _masked(x, p, np.shape(x), rng)


def dropout2d(x, p=0.5, training=True, rng=None):
    """Drop whole channels of (N, C, H, W) input."""
    _check_p(p)
    if not training or p == 0.0:
        return as_value(x)
    shape = np.shape(x)
    return _masked(x, p, shape[:2] + (1,) * (len(shape) - 2), rng)


dropout1d = dropout2d


def alpha_dropout(x, p=0.5, training=False, rng=None):
    """SELU-preserving dropout: dropped units set to -alpha*scale, then an affine fix of mean and variance."""
    _check_p(p)
    x = as_value(x)
    if not training or p == 0.0:
        return x
    alpha_p = -1.7580993408473766
    keep = (_rng(rng).random(x.shape) >= p).astype(x.dtype)
    a = (1 - p + alpha_p**2 * p * (1 - p)) ** -0.5
    b = -a * alpha_p * p
    return (x * keep + alpha_p * (1 - keep)) * a + b
