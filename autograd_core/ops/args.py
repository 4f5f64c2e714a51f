"""Arguments spelled PyTorch's way or numpy's (``dim``/``axis``, ``keepdim``/``keepdims``, ...)."""

import numpy as np

from ..errors import ShapeError


def one_of(fn, default=None, **spellings):
    """The one argument given under any of its spellings (None means not given), else ``default``.

    ``one_of("var", dim=dim, axis=axis)``. Raises TypeError naming ``fn`` and both spellings when
    more than one is given.
    """
    given = {k: v for k, v in spellings.items() if v is not None}
    if len(given) > 1:
        raise TypeError(f"{fn}: {' and '.join(given)} are two spellings of one argument; give one")
    return next(iter(given.values())) if given else default


def one_axis(fn, axis, ndim):
    """A single axis as a non-negative int, checked against ``ndim`` (ShapeError naming ``fn``)."""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{fn}: the axis must be an int, got {axis!r}")
    if not -max(ndim, 1) <= axis < max(ndim, 1):
        raise ShapeError(f"{fn}: axis {axis} is out of range for an array of {ndim} dimensions")
    return int(axis) % max(ndim, 1)


def flag(fn, keepdim, keepdims):
    """``keepdim`` (PyTorch) or ``keepdims`` (numpy) as one bool; TypeError if they disagree."""
    if keepdims is None:
        return bool(keepdim)
    if keepdim and not keepdims:
        raise TypeError(f"{fn}: keepdim and keepdims are two spellings of one argument; give one")
    return bool(keepdims)
