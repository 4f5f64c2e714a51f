"""window_max: the maximum over the trailing window axes of a ``sliding_windows`` view (max pooling).

Its vjp puts the gradient on the FIRST maximum of each window (numpy's argmax order, PyTorch's
max-pooling rule) instead of splitting ties like the ``max`` reduction. That vjp is ``g`` times a
constant one-hot mask, so it is linear in ``g`` and differentiable again (second derivative 0).
A window holding NaN routes its gradient to the last NaN, as PyTorch does.
"""

import itertools

import numpy as np

from ..errors import ShapeError
from .registry import defop


def _data(x):
    return getattr(x, "_data", x)


def _offsets(shape, nwin):
    """Every index into the trailing ``nwin`` window axes, in row-major (argmax) order."""
    return [(Ellipsis, *o) for o in itertools.product(*(range(k) for k in shape[len(shape) - nwin :]))]


def _route_to_first_max(g, x, out, nwin):
    """``g`` placed on the first maximum of each window (window layout, zeros elsewhere).

    One vectorised comparison per window offset (kH*kW of them), never a loop over windows.
    ``g`` may be None: then the 0/1 mask is returned.
    """
    x, out = _data(x), _data(out)
    lead = out.shape
    batch, spatial, kernel = lead[: len(lead) - nwin], lead[len(lead) - nwin :], x.shape[len(lead) :]
    # memory order (..., o1, k1, o2, k2): for pooling with stride == kernel, fold's transpose +
    # reshape back to the image is then free (no copy)
    # every slot is written below (g or 0), so the buffer needs no zeroing first
    buf = np.empty(batch + tuple(d for pair in zip(spatial, kernel) for d in pair), dtype=x.dtype)
    nb = len(batch)
    view = buf.transpose(
        tuple(range(nb)) + tuple(nb + 2 * i for i in range(nwin)) + tuple(nb + 2 * i + 1 for i in range(nwin))
    )
    free = np.ones(lead, dtype=bool)  # windows whose first max is still to be found
    hit = np.empty(lead, dtype=bool)
    offsets = _offsets(x.shape, nwin)
    for off in offsets:  # each offset's slot is written exactly once: g where it holds the first max, else 0
        np.equal(x[off], out, out=hit)
        hit &= free
        free ^= hit  # hit lies inside free: this clears exactly the windows just routed
        if g is None:
            view[off] = hit
        else:
            np.multiply(g, hit, out=view[off])
    taken = ~free
    if not taken.all():  # windows holding a NaN: their max is NaN; like PyTorch, the last NaN takes the gradient
        for off in reversed(offsets):
            hit = np.isnan(x[off]) & ~taken
            taken |= hit
            np.copyto(view[off], 1 if g is None else g, where=hit)
    return view


def _window_max(x, nwin):
    if x.ndim < 2 * nwin:
        raise ShapeError(
            f"window_max: expects sliding_windows' layout (batch axes, {nwin} window-position axes, "
            f"{nwin} window axes), got shape {x.shape}"
        )
    offs = _offsets(x.shape, nwin)
    out = np.array(x[offs[0]])
    for off in offs[1:]:
        np.maximum(out, x[off], out=out)
    return out


def _window_max_vjp(g, out, x, nwin):
    if isinstance(g, np.ndarray):
        return _route_to_first_max(g, x, out, nwin)
    # create_graph: g is a Value; a constant mask keeps the rule differentiable (it is linear in g)
    return g.reshape(g.shape + (1,) * nwin) * _route_to_first_max(None, x, out, nwin)


window_max = defop("window_max", _window_max, _window_max_vjp, kind="reduce")
