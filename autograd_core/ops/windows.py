"""Sliding windows over chosen axes: the one primitive convolution and pooling are built on.

``sliding_windows(x, window_shape, axes, stride, dilation)`` is a strided *view* (no copy) in
numpy's ``sliding_window_view`` layout: each axis in ``axes`` becomes the number of windows along
it, and the window dims are appended at the end in the order of ``axes``. Its transpose,
``fold``, scatter-adds windows back with one strided add per kernel offset (never a loop over
pixels or batch); each is the other's vjp, so second derivatives come for free.
"""

import itertools

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..errors import ShapeError
from .registry import as_operand, defop


def _data(x):
    return getattr(x, "_data", x)


def _per_axis(v, n, what):
    t = (int(v),) * n if isinstance(v, (int, np.integer)) else tuple(int(a) for a in v)
    if len(t) != n:
        raise ShapeError(f"sliding_windows: {what} {v!r} needs one entry per window axis ({n})")
    if any(a < 1 for a in t):
        raise ShapeError(f"sliding_windows: {what} {v!r} must be positive")
    return t


def normalize_window_args(shape, window_shape, axes, stride, dilation):
    """Window, axes, stride and dilation as equal-length int tuples (axes non-negative), checked."""
    ndim = len(shape)
    window = (int(window_shape),) if isinstance(window_shape, (int, np.integer)) else tuple(map(int, window_shape))
    if axes is None:
        axes = tuple(range(ndim - len(window), ndim))
    axes = (int(axes),) if isinstance(axes, (int, np.integer)) else tuple(int(a) for a in axes)
    if len(axes) != len(window):
        raise ShapeError(f"sliding_windows: window_shape {window} and axes {axes} differ in length")
    if any(not -ndim <= a < ndim for a in axes):
        raise ShapeError(f"sliding_windows: axes {axes} out of range for shape {tuple(shape)}")
    axes = tuple(a % ndim for a in axes)
    if len(set(axes)) != len(axes):
        raise ShapeError(f"sliding_windows: repeated axis in {axes}")
    if any(w < 1 for w in window):
        raise ShapeError(f"sliding_windows: window_shape {window} must be positive")
    stride = _per_axis(stride, len(axes), "stride")
    dilation = _per_axis(dilation, len(axes), "dilation")
    for a, w, d in zip(axes, window, dilation):
        if (w - 1) * d + 1 > shape[a]:
            raise ShapeError(
                f"sliding_windows: window {w} with dilation {d} does not fit axis {a} of length {shape[a]} "
                f"(shape {tuple(shape)})"
            )
    return window, axes, stride, dilation


def _out_shape(shape, window, axes, stride, dilation):
    out = list(shape)
    for a, w, s, d in zip(axes, window, stride, dilation):
        out[a] = (shape[a] - (w - 1) * d - 1) // s + 1
    return tuple(out) + window


def _sliding_windows(x, window_shape, axes, stride, dilation):
    """A read-only strided view: window origins step by ``stride``, window elements by ``dilation``."""
    shape = _out_shape(x.shape, window_shape, axes, stride, dilation)
    strides = list(x.strides)
    extra = []
    for a, s, d in zip(axes, stride, dilation):
        extra.append(x.strides[a] * d)
        strides[a] = x.strides[a] * s
    return as_strided(x, shape, tuple(strides) + tuple(extra), writeable=False)


def _fold(g, shape, window_shape, axes, stride, dilation):
    """The transpose of sliding_windows: add each window back where it came from (overlaps sum)."""
    nd = len(shape)
    nwin = g.shape[:nd]
    if all(s == w and d == 1 for w, s, d in zip(window_shape, stride, dilation)):
        return _fold_tiles(g, shape, window_shape, axes, nwin)
    nk = len(window_shape)
    if g.ndim > nk and _window_dims_innermost(g, nk):
        # each per-offset slice would be read with a stride of the whole window: one transposing
        # copy (window dims first) makes every slice contiguous, and is cheaper than strided reads
        g = np.moveaxis(
            np.ascontiguousarray(np.moveaxis(g, range(nd, nd + nk), range(nk))), range(nk), range(nd, nd + nk)
        )
    out = np.zeros(shape, dtype=g.dtype)
    base = [slice(None)] * nd
    if nk >= 2 and axes[-1] == nd - 1:
        return _fold_rows(g, out, window_shape, axes, stride, dilation, nwin)
    for offs in itertools.product(*(range(w) for w in window_shape)):
        idx = list(base)
        for a, k, n, s, d in zip(axes, offs, (nwin[a] for a in axes), stride, dilation):
            start = k * d
            idx[a] = slice(start, start + (n - 1) * s + 1, s)
        out[tuple(idx)] += g[(Ellipsis, *offs)]
    return out


def _fold_rows(g, out, window_shape, axes, stride, dilation, nwin):
    """Fold with the last window axis being the array's last axis, in two stages.

    A direct shifted add per kernel offset runs numpy's inner loop over one short output row
    (the row is narrower than the padded input row, so rows cannot merge). Here, for each offset
    along the last axis, the other offsets are first added into a buffer whose rows are exactly
    the window count long, so those adds run over whole contiguous planes; then one shifted add
    per last-axis offset places the buffer. Same sums, about 1/k as many short inner loops.
    """
    nd = out.ndim
    last = nd - 1
    n_l, s_l, d_l = nwin[last], stride[-1], dilation[-1]
    rows = np.empty(out.shape[:-1] + (n_l,), dtype=g.dtype)
    base = [slice(None)] * nd
    for j in range(window_shape[-1]):
        rows.fill(0)
        for offs in itertools.product(*(range(w) for w in window_shape[:-1])):
            idx = list(base)
            for a, k, n, s, d in zip(axes[:-1], offs, (nwin[a] for a in axes[:-1]), stride[:-1], dilation[:-1]):
                idx[a] = slice(k * d, k * d + (n - 1) * s + 1, s)
            rows[tuple(idx)] += g[(Ellipsis, *offs, j)]
        out[(Ellipsis, slice(j * d_l, j * d_l + (n_l - 1) * s_l + 1, s_l))] += rows
    return out


def _window_dims_innermost(g, nk):
    """True when g's fastest-varying memory axis (of length > 1) is one of its trailing window dims."""
    axes = [i for i in range(g.ndim) if g.shape[i] > 1]
    if not axes:
        return False
    fastest = min(axes, key=lambda i: abs(g.strides[i]))
    return fastest >= g.ndim - nk


def _fold_tiles(g, shape, window_shape, axes, nwin):
    """Windows that tile without overlap or gaps (pooling with stride == window): one transpose."""
    nd = len(shape)
    perm, tiled = [], []
    for i in range(nd):
        if i in axes:
            k = axes.index(i)
            perm += [i, nd + k]
            tiled.append(nwin[i] * window_shape[k])
        else:
            perm.append(i)
            tiled.append(shape[i])
    tiles = g.transpose(perm).reshape(tiled)
    if tuple(tiled) == tuple(shape):
        return tiles
    out = np.zeros(shape, dtype=g.dtype)
    out[tuple(slice(0, t) for t in tiled)] = tiles
    return out


def _windows_vjp(g, out, x, window_shape, axes, stride, dilation):
    return _fold_op.dispatch(
        g, shape=np.shape(_data(x)), window_shape=window_shape, axes=axes, stride=stride, dilation=dilation
    )


def _fold_vjp(g, out, src, shape, window_shape, axes, stride, dilation):
    return _sliding_windows_op.dispatch(g, window_shape=window_shape, axes=axes, stride=stride, dilation=dilation)


_sliding_windows_op = defop("sliding_windows", _sliding_windows, _windows_vjp, kind="shape")
_fold_op = defop("fold", _fold, _fold_vjp, kind="shape")


def sliding_windows(x, window_shape, axes=None, stride=1, dilation=1):
    """Windows of ``window_shape`` over ``axes`` (default: the last ones), as a view.

    Output shape: ``x.shape`` with each axis in ``axes`` replaced by its number of windows, then
    the window dims in the order of ``axes`` (numpy's sliding_window_view convention).
    ``stride`` and ``dilation`` are ints or one per axis.
    """
    x = as_operand(x, "sliding_windows")
    shape = np.shape(_data(x))
    window, axes, stride, dilation = normalize_window_args(shape, window_shape, axes, stride, dilation)
    return _sliding_windows_op(x, window_shape=window, axes=axes, stride=stride, dilation=dilation)


def fold(x, shape, window_shape, axes=None, stride=1, dilation=1):
    """The transpose of :func:`sliding_windows`: windows ``x`` added back into an array of ``shape``.

    ``x`` has the shape ``sliding_windows`` gives for an array of ``shape`` with the same
    ``window_shape``, ``axes``, ``stride`` and ``dilation``; each window element is added where it
    was read from, and overlapping windows sum (the gradient of ``sliding_windows``, and the core of
    transposed convolution and ``F.fold``). Raises ShapeError when ``x`` does not have that shape.
    """
    x = as_operand(x, "fold")
    shape = (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(n) for n in shape)
    window, axes, stride, dilation = normalize_window_args(shape, window_shape, axes, stride, dilation)
    expected = _out_shape(shape, window, axes, stride, dilation)
    if tuple(np.shape(_data(x))) != expected:
        raise ShapeError(
            f"fold: input shape {tuple(np.shape(_data(x)))} does not match the windows of shape {shape} "
            f"(expected {expected} for window {window}, axes {axes}, stride {stride}, dilation {dilation})"
        )
    return _fold_op(x, shape=shape, window_shape=window, axes=axes, stride=stride, dilation=dilation)
