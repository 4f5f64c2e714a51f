"""F.pad with PyTorch's pad tuple (last dimension first) and its four modes, from existing ops.

``constant`` pads with ``ag.pad`` (negative amounts crop, as in PyTorch); ``reflect``,
``replicate`` and ``circular`` gather along each padded axis with an integer index array (the
indexing op's vjp scatter-adds, so edge elements that are copied several times get every
contribution). Source: torch.nn.functional.pad.
"""

import numpy as np

import autograd_core as ag
from autograd_core import ShapeError

from ._utils import as_value

__all__ = ["pad"]

_MODES = ("constant", "reflect", "replicate", "circular")


def _pairs(pad, ndim, name="pad"):
    """PyTorch's flat pad tuple -> {axis: (before, after)}, the last axis first."""
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise ValueError(f"{name}: pad must have an even length (before, after per dimension), got {pad}")
    if len(pad) // 2 > ndim:
        raise ShapeError(f"{name}: pad {pad} covers {len(pad) // 2} dimensions but the input has {ndim}")
    return {ndim - 1 - k: (pad[2 * k], pad[2 * k + 1]) for k in range(len(pad) // 2)}


def _gather_index(n, before, after, mode):
    """Source positions for the padded axis of length n + before + after."""
    i = np.arange(-before, n + after)
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    if mode == "circular":
        return i % n
    period = 2 * (n - 1)  # reflect: the edge is not repeated
    i = np.abs(i) % period if period else np.zeros_like(i)
    return np.where(i >= n, period - i, i)


def _check(mode, axis, n, before, after):
    """Refuse amounts the mode cannot take (PyTorch's limits), naming the dimension."""
    limit = n - 1 if mode == "reflect" else n
    if mode != "replicate" and (before > limit or after > limit):
        raise ValueError(
            f"pad: mode={mode!r} needs padding at most {limit} on dimension {axis} of size {n}, got {(before, after)}"
        )
    if n == 0:
        raise ValueError(f"pad: mode={mode!r} cannot pad the empty dimension {axis}")


def pad(input, pad, mode="constant", value=None):  # noqa: A002 (PyTorch's name)
    """Pad ``input`` by ``pad`` = (left, right) for the last dimension, then (top, bottom) for the one
    before, and so on (torch.nn.functional.pad's order).

    **Arguments:**

    - ``input``: a Value or array of any float dtype (kept) and shape.
    - ``pad``: a flat tuple of ints, two per padded dimension, the last dimension first.
    - ``mode``: ``'constant'`` (``value``, default 0; a negative amount crops), ``'reflect'`` (mirror
      without repeating the edge; each amount at most size - 1), ``'replicate'`` (repeat the edge),
      ``'circular'`` (wrap around; each amount at most the size). A negative amount crops
      (every mode). Any number of trailing dimensions may be padded (PyTorch limits the
      non-constant modes to the last 1-3).
    - ``value``: the fill for ``'constant'``.

    **Returns:** a Value of the padded shape and input's dtype; gradients flow back to ``input``.

    **Raises:** ValueError for an odd-length pad, an unknown mode, a value with a non-constant mode,
    or amounts the mode cannot take; ShapeError when pad covers more dimensions than the input has.
    """
    if mode not in _MODES:
        raise ValueError(f"pad: mode must be one of {', '.join(map(repr, _MODES))}; got {mode!r}")
    x = as_value(input)
    pairs = _pairs(pad, x.ndim)
    if any(b < 0 or e < 0 for b, e in pairs.values()):  # negative amounts crop first, in every mode
        x = x[tuple(_crop(x.shape[a], *pairs.get(a, (0, 0))) for a in range(x.ndim))]
        pairs = {a: (max(b, 0), max(e, 0)) for a, (b, e) in pairs.items()}
    if mode == "constant":
        widths = tuple(pairs.get(a, (0, 0)) for a in range(x.ndim))
        return ag.pad(x, widths, value=0.0 if value is None else value)
    if value not in (None, 0):
        raise ValueError(f"pad: value={value!r} is only used with mode='constant', not {mode!r}")
    for axis, (before, after) in sorted(pairs.items()):
        if before == after == 0:
            continue
        _check(mode, axis, x.shape[axis], before, after)
        x = x[(slice(None),) * axis + (_gather_index(x.shape[axis], before, after, mode),)]
    return x


def _crop(n, before, after):
    """The slice that a negative (before, after) keeps of an axis of length n."""
    return slice(max(-before, 0), n - max(-after, 0))
