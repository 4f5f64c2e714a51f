"""Gathering and scattering along an axis, written on indexing: reads are ``x[index]`` (the getitem
primitive, whose transpose scatter-adds, so repeated indices accumulate), writes are ``index_put``.

``index_put(x, values, index)`` is the one new primitive: ``out = x.copy(); out[index] = values``
(numpy's assignment: with repeated indices the last write wins). Its vjp for x is ``g`` with the
written positions zeroed (``index_put(g, 0, index)``), and for values ``g[index]`` where that write
won and 0 where a later one overwrote it, so no gradient goes to a value that is not in the output.
The torch- and numpy-named functions below only build the index:

- ``take_along_axis(x, indices, axis)`` (numpy: indices broadcast against x off the axis) and
  ``gather(x, dim, index)`` (PyTorch: the output has index's shape);
- ``put_along_axis(x, indices, values, axis)`` and ``scatter(x, dim, index, src)`` return a new Value
  (numpy's ``put_along_axis`` writes in place; Values are immutable); ``scatter_add`` accumulates;
- ``index_select(x, dim, index)`` and ``take(x, indices, axis)``; ``masked_fill(x, mask, value)``
  (``where``) and ``masked_select(x, mask)`` (boolean indexing, gradients kept, no ``nonzero`` needed).
"""

import numpy as np

from ..errors import IndexingError, ShapeError
from .args import one_axis, one_of
from .elementwise import where
from .registry import as_operand, defop
from .shape import _clean_index, broadcast_to, getitem, getitem_op, reshape
from .shape import scatter_add as scatter_add_op


def _data(x):
    return getattr(x, "_data", x)


def _index_put(x, values, index):
    out = np.array(x, copy=True)
    out[index] = values
    return out


def _winners(shape, index):
    """True at the elements of ``x[index]`` whose write survives in ``out[index] = values``."""
    written = np.zeros(shape, dtype=bool)[index].shape
    ids = np.arange(int(np.prod(written, dtype=np.int64))).reshape(written)
    last = np.full(shape, -1, dtype=np.int64)
    last[index] = ids
    return last[index] == ids


def _index_put_vjp_values(g, out, x, values, index):
    picked = getitem_op.dispatch(g, index=index)
    win = _winners(np.shape(_data(out)), index)
    return picked if win.all() else picked * win


index_put_op = defop(
    "index_put",
    _index_put,
    lambda g, out, x, values, index: index_put_op.dispatch(g, np.zeros((), dtype=_data(g).dtype), index=index),
    _index_put_vjp_values,
    kind="shape",
)


def _unwritten(out, x, values, index):
    """Where index_put's gradient for x can be nonzero: the positions not overwritten (support.py)."""
    mask = np.ones(np.shape(x), dtype=bool)
    mask[index] = False
    return mask


# overwritten entries of x, and values whose write lost, get exactly 0: so does any elementwise op below
index_put_op.support = (_unwritten, lambda out, x, values, index: _winners(np.shape(out), index))


def index_put(x, index, values, accumulate=False):
    """``x`` with ``x[index]`` replaced by ``values`` (``accumulate=True``: added to, repeats summing).

    PyTorch's ``Tensor.index_put`` (functional: a new Value; x is unchanged). ``index`` is any index
    ``x[index]`` takes; ``values`` broadcasts to ``x[index]``'s shape. Without accumulate, of repeated
    indices the last write wins and only its value gets a gradient.
    """
    x = as_operand(x, "index_put")
    index = _clean_index(index)
    if accumulate:
        shape = np.shape(_data(x))
        target = np.zeros(shape, dtype=bool)[index].shape
        return x + scatter_add_op(broadcast_to.dispatch(values, target), shape=shape, index=index)
    return index_put_op(x, values, index=index)


# -- along an axis ------------------------------------------------------------------------------
def _int_index(indices, fn):
    idx = np.asarray(_data(indices))
    if idx.dtype.kind not in "iu":
        raise IndexingError(f"{fn}: indices must be integers, got dtype {idx.dtype}")
    return idx


def _along(shape, idx, axis, fn, broadcast):
    """The fancy index selecting ``idx`` along ``axis`` and every position off it: numpy's rule
    (``broadcast``: idx and x broadcast off the axis) or PyTorch's gather rule (idx's own lengths,
    each at most x's)."""
    nd = len(shape)
    if idx.ndim != nd:
        raise ShapeError(f"{fn}: indices need as many dimensions as the input ({nd}), got shape {idx.shape}")
    off = [d for d in range(nd) if d != axis]
    if broadcast:
        try:
            np.broadcast_shapes(tuple(shape[d] for d in off), tuple(idx.shape[d] for d in off))
        except ValueError:
            raise ShapeError(f"{fn}: indices of shape {idx.shape} do not broadcast with the input's {shape}") from None
        lengths = shape
    else:
        if any(idx.shape[d] > shape[d] for d in off):
            raise ShapeError(f"{fn}: index of shape {idx.shape} is larger than the input {shape} off dim {axis}")
        lengths = idx.shape
    grids = np.ogrid[tuple(slice(n) for n in lengths)]
    return tuple(idx if d == axis else grids[d] for d in range(nd))


def take_along_axis(x, indices, axis=-1):
    """numpy's ``take_along_axis``: ``out[..., i, ...] = x[..., indices[..., i, ...], ...]`` along ``axis``.

    ``indices`` (integers, same ndim as x) broadcasts against x off the axis; ``axis=None`` works on
    x flattened. Gradient: scattered back, repeated indices accumulating.
    """
    x = as_operand(x, "take_along_axis")
    idx = _int_index(indices, "take_along_axis")
    if axis is None:
        x, axis = reshape(x, shape=(-1,)), 0
    shape = np.shape(_data(x))
    return getitem(x, _along(shape, idx, one_axis("take_along_axis", axis, len(shape)), "take_along_axis", True))


def gather(x, dim, index):
    """PyTorch's ``gather``: ``out[i][j] = x[index[i][j]][j]`` for ``dim=0`` (and so on); out has index's shape.

    ``index`` has x's ndim and is no larger than x off ``dim``. Gradient: scatter-add (repeats accumulate).
    """
    x = as_operand(x, "gather")
    idx = _int_index(index, "gather")
    shape = np.shape(_data(x))
    return getitem(x, _along(shape, idx, one_axis("gather", dim, len(shape)), "gather", False))


def put_along_axis(x, indices, values, axis):
    """numpy's ``put_along_axis``, returning a new Value: x with ``values`` written at ``indices`` along ``axis``.

    ``values`` broadcasts to the indexed shape; of repeated indices the last write wins (numpy's order).
    """
    x = as_operand(x, "put_along_axis")
    idx = _int_index(indices, "put_along_axis")
    if axis is None:
        flat = reshape(x, shape=(-1,))
        return reshape(put_along_axis(flat, idx.reshape(-1), values, 0), shape=np.shape(_data(x)))
    shape = np.shape(_data(x))
    return index_put_op(
        x, values, index=_along(shape, idx, one_axis("put_along_axis", axis, len(shape)), "put_along_axis", True)
    )


def _src_part(src, idx):
    """PyTorch reads ``src`` only where ``index`` has entries: its leading corner of index's shape."""
    if np.ndim(_data(src)) == 0:
        return src
    if any(m > n for n, m in zip(np.shape(_data(src)), idx.shape)):
        raise ShapeError(f"scatter: src of shape {np.shape(_data(src))} is smaller than index {idx.shape}")
    return getitem(src, tuple(slice(m) for m in idx.shape))


def scatter(x, dim, index, src=None, *, value=None):
    """PyTorch's ``scatter`` (functional): x with ``out[index[i][j]][j] = src[i][j]`` for ``dim=0``.

    ``src`` a Value/array (read in index's shape) or, as ``value``, a number. Of repeated indices the
    last write (in index's C order) wins and only it gets a gradient (PyTorch leaves the order undefined).
    """
    x = as_operand(x, "scatter")
    idx = _int_index(index, "scatter")
    src = as_operand(one_of("scatter", src=src, value=value), "scatter")
    if src is None:
        raise TypeError("scatter: give src (an array) or value (a number)")
    shape = np.shape(_data(x))
    return index_put_op(
        x, _src_part(src, idx), index=_along(shape, idx, one_axis("scatter", dim, len(shape)), "scatter", False)
    )


def scatter_add(x, dim, index, src):
    """PyTorch's ``scatter_add`` (functional): ``out[index[i][j]][j] += src[i][j]`` for ``dim=0``;
    repeated indices accumulate. Gradient: 1 for x, ``g`` gathered at index for src."""
    x = as_operand(x, "scatter_add")
    idx = _int_index(index, "scatter_add")
    src = as_operand(src, "scatter_add")
    shape = np.shape(_data(x))
    fancy = _along(shape, idx, one_axis("scatter_add", dim, len(shape)), "scatter_add", False)
    return x + scatter_add_op(_src_part(src, idx), shape=shape, index=fancy)


def index_select(x, dim, index):
    """PyTorch's ``index_select``: the entries ``index`` (1-D integers) along ``dim``; repeats allowed."""
    x = as_operand(x, "index_select")
    idx = _int_index(index, "index_select")
    if idx.ndim != 1:
        raise ShapeError(f"index_select: index must be 1-D, got shape {idx.shape}")
    nd = np.ndim(_data(x))
    dim = one_axis("index_select", dim, nd)
    return getitem(x if nd else reshape(x, shape=(1,)), (slice(None),) * dim + (idx,))  # 0-d: one entry


def take(x, indices, axis=None):
    """numpy's ``take``: ``indices`` (any shape) along ``axis``, or into x flattened when None."""
    x = as_operand(x, "take")
    idx = _int_index(indices, "take")
    if axis is None:
        return getitem(reshape(x, shape=(-1,)), (idx,))
    nd = np.ndim(_data(x))
    axis = one_axis("take", axis, nd)
    return getitem(x if nd else reshape(x, shape=(1,)), (slice(None),) * axis + (idx,))  # 0-d: one entry


def _bool_mask(mask, fn):
    m = np.asarray(_data(mask))
    if m.dtype != np.bool_:
        raise IndexingError(f"{fn}: mask must be boolean, got dtype {m.dtype}")
    return m


def _broadcast_or_none(*shapes):
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        return None


def masked_fill(x, mask, value):
    """PyTorch's ``masked_fill``: ``value`` (a number or 0-d Value) where ``mask`` is True, x elsewhere.

    ``mask`` broadcasts to x's shape. Gradient: to x where the mask is False, to value summed where True.
    """
    x = as_operand(x, "masked_fill")
    m = _bool_mask(mask, "masked_fill")
    value = as_operand(value, "masked_fill")
    shape = np.shape(_data(x))
    if _broadcast_or_none(m.shape, shape) != shape:
        raise ShapeError(f"masked_fill: mask of shape {m.shape} does not broadcast to the input's {shape}")
    if np.ndim(_data(value)) != 0:
        raise ShapeError(f"masked_fill: value must be a number or 0-d, got shape {np.shape(_data(value))}")
    return where(m, value, x)


def masked_select(x, mask):
    """PyTorch's ``masked_select``: the entries of x where ``mask`` is True, as a 1-D Value (x and mask
    broadcast together). Boolean indexing: the gradient flows back to the selected entries."""
    x = as_operand(x, "masked_select")
    m = _bool_mask(mask, "masked_select")
    try:
        shape = np.broadcast_shapes(m.shape, np.shape(_data(x)))
    except ValueError:
        raise ShapeError(
            f"masked_select: mask of shape {m.shape} and input {np.shape(_data(x))} do not broadcast"
        ) from None
    if shape != np.shape(_data(x)):
        x = broadcast_to(x, shape=shape)
    return getitem(x, np.broadcast_to(m, shape))
