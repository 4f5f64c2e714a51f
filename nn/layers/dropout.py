"""Dropout layers: active in train(), identity in eval()."""

from .. import functional as F
from .. import init
from ..module import Module

__all__ = ["AlphaDropout", "Dropout", "Dropout1d", "Dropout2d"]


class Dropout(Module):
    """Zero each element with probability p during training and scale by 1/(1-p); ``rng``/``seed`` fix the masks."""

    _fn = staticmethod(F.dropout)

    def __init__(self, p=0.5, inplace=False, rng=None, seed=None):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace  # inplace is accepted and ignored: Values are immutable
        self.rng = init.resolve_rng(rng, seed) if (rng is not None or seed is not None) else None

    def forward(self, x):
        return type(self)._fn(x, self.p, self.training, self.rng)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout2d(Dropout):
    """Drop whole channels of (N, C, H, W) input."""

    _fn = staticmethod(F.dropout2d)


class Dropout1d(Dropout):
    _fn = staticmethod(F.dropout1d)


class AlphaDropout(Dropout):
    _fn = staticmethod(F.alpha_dropout)
