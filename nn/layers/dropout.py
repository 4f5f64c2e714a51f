"""Dropout layers: active in train(), identity in eval()."""

from .. import functional as F
from .. import init
from ..module import Module

__all__ = ["AlphaDropout", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d"]


def module_generator(rng, seed, generator):
    """A random layer's generator: the one given (generator, rng or seed; see ``nn.init.resolve_rng``),
    or None when none is given, so each forward draws from nn's default generator at that time."""
    explicit = generator is not None or rng is not None or seed is not None
    return init.resolve_rng(rng, seed, generator) if explicit else None


class Dropout(Module):
    """Zero each element with probability p during training and scale by 1/(1-p) (F.dropout).

    p: the drop probability in [0, 1]. inplace: accepted for PyTorch's signature and ignored.
    generator (or rng): the ``numpy.random.Generator`` the masks come from; seed: make one from a
    seed. Given none, each forward draws from nn's default generator (``nn.manual_seed``).
    Input: any shape; output: the same shape and dtype. Raises ValueError for p outside [0, 1]
    or for more than one of generator/rng/seed.
    """

    _fn = staticmethod(F.dropout)

    def __init__(self, p=0.5, inplace=False, rng=None, seed=None, *, generator=None):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace  # inplace is accepted and ignored: Values are immutable
        self.generator = module_generator(rng, seed, generator)

    def forward(self, x):
        """Apply the functional form in training mode, the identity in eval mode."""
        return type(self)._fn(x, self.p, self.training, generator=self.generator)

    def extra_repr(self):
        """``p=..., inplace=...`` for the module's repr."""
        return f"p={self.p}, inplace={self.inplace}"


class Dropout2d(Dropout):
    """Drop whole channels of (N, C, H, W) input (F.dropout2d); arguments as :class:`Dropout`."""

    _fn = staticmethod(F.dropout2d)


class Dropout1d(Dropout):
    """Drop whole channels of (N, C, L) input (F.dropout1d); arguments as :class:`Dropout`."""

    _fn = staticmethod(F.dropout1d)


class Dropout3d(Dropout):
    """Drop whole channels of (N, C, D, H, W) or (C, D, H, W) input (F.dropout3d); arguments as :class:`Dropout`."""

    _fn = staticmethod(F.dropout3d)


class AlphaDropout(Dropout):
    """Alpha dropout for SELU networks (F.alpha_dropout); arguments as :class:`Dropout`."""

    _fn = staticmethod(F.alpha_dropout)
