"""Fixed small float64 samples for the op database (numpy only; no hypothesis).

One seeded generator, so every run checks the same numbers. Each helper keeps values where a
central finite difference is meaningful: away from kinks, inside domains, without ties.
"""

import numpy as np

__all__ = ["distinct", "positive", "probabilities", "uniform"]

_rng = np.random.default_rng(0)


def uniform(*shape, lo=-2.0, hi=2.0, away=(), rng=None):
    """Uniform float64 in [lo, hi), every element at least 0.1 from each point in ``away`` (kinks).

    ``rng``: a numpy Generator (default: this module's, seeded 0).
    """
    x = (rng or _rng).uniform(lo, hi, shape)
    for p in away:
        d = x - p
        x = np.where(np.abs(d) < 0.1, p + np.where(d >= 0, 1.0, -1.0) * (0.1 + np.abs(d) / 2), x)
    return x


def positive(*shape, lo=0.5, hi=2.0, rng=None):
    """Uniform float64 in [lo, hi): inside the domain of log, sqrt and a division's denominator."""
    return (rng or _rng).uniform(lo, hi, shape)


def distinct(*shape, rng=None):
    """Float64 values at least 0.125 apart (no ties: max/min reductions and pooling are smooth there)."""
    rng = rng or _rng
    n = int(np.prod(shape, dtype=np.int64))
    return (rng.permutation(n).reshape(shape) + rng.uniform(0, 0.5, shape)) / 4.0


def probabilities(rows, k, rng=None):
    """``rows`` probability vectors of length ``k`` (soft targets): non-negative, each row sums to 1."""
    return (rng or _rng).dirichlet(np.ones(k), rows)
