"""adaptive_max_pool1d/2d: the maximum of each of PyTorch's adaptive bins, for any input size.

Bin i of an axis of length L cut into ``out`` bins covers [floor(i*L/out), ceil((i+1)*L/out)), so bins
differ in size by at most one and may overlap. Each axis's bins are gathered (``ag.take``) into a
window of the largest bin's size, a shorter bin repeating its last position; the engine's
``window_max`` then takes the maximum and routes the gradient to the first maximum of the bin in
row-major order (a repeated position always comes after the one it repeats), as PyTorch does.
"""

import numpy as np

import autograd_core as ag
from autograd_core import window_max

from .pooling import adaptive_sizes

__all__ = ["adaptive_max_pool1d", "adaptive_max_pool2d"]


def _bins(size, out):
    """(out, k) positions of each bin along an axis (k the largest bin), short bins padded with their last."""
    i = np.arange(out)
    start = (i * size) // out
    end = -((-(i + 1) * size) // out)
    k = int((end - start).max())
    return np.minimum(start[:, None] + np.arange(k), (end - 1)[:, None])


def _adaptive_max(x, output_size, return_indices, nd, name):
    x, sizes, out = adaptive_sizes(x, output_size, nd, name, nonempty=True)
    lead = x.ndim - nd
    bins = [_bins(s, o) for s, o in zip(sizes, out)]
    win = x
    for i, b in enumerate(bins):  # axis lead + 2i becomes (bin, position in bin)
        win = ag.take(win, b, axis=lead + 2 * i)
    perm = tuple(range(lead)) + tuple(lead + 2 * i for i in range(nd)) + tuple(lead + 2 * i + 1 for i in range(nd))
    win = ag.transpose(win, axes=perm)
    y = window_max(win, nwin=nd)
    if not return_indices:
        return y
    return y, _indices(win.numpy(), bins, sizes, nd)


def _indices(win, bins, sizes, nd):
    """Flat index, into each input plane, of the first maximum of every bin (PyTorch's return_indices)."""
    flat = win.reshape(win.shape[: win.ndim - nd] + (-1,)).argmax(axis=-1)
    pos = np.unravel_index(flat, tuple(b.shape[1] for b in bins))
    idx = np.zeros(flat.shape, dtype=np.int64)
    for i, (b, p) in enumerate(zip(bins, pos)):
        o = np.arange(b.shape[0]).reshape((-1,) + (1,) * (nd - 1 - i))
        idx = idx * sizes[i] + b[o, p]
    return idx


def adaptive_max_pool1d(x, output_size, return_indices=False):
    """Maximum of (N, C, L) or (C, L) over ``output_size`` adaptive bins (F.adaptive_max_pool1d).

    Returns (N, C, output_size) of x's dtype, and with ``return_indices`` also the int64 position in
    L of each maximum (the first, as PyTorch). Raises ShapeError for other ranks or output_size < 1.
    """
    return _adaptive_max(x, output_size, return_indices, 1, "adaptive_max_pool1d")


def adaptive_max_pool2d(x, output_size, return_indices=False):
    """Maximum of (N, C, H, W) or (C, H, W) over adaptive bins (F.adaptive_max_pool2d).

    output_size: int or (H_out, W_out), None keeping that size. Returns (N, C, H_out, W_out), and
    with ``return_indices`` also int64 flat indices h * W + w of each first maximum (PyTorch's).
    Raises ShapeError for other ranks or an output size below 1.
    """
    return _adaptive_max(x, output_size, return_indices, 2, "adaptive_max_pool2d")
