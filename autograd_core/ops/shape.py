"""Shape primitives, written as transpose pairs: reshape <-> reshape, transpose <-> inverse
transpose, broadcast_to <-> sum, getitem <-> scatter-add, concatenate/stack/pad <-> slicing."""

import math

import numpy as np

from ..errors import IndexingError, ShapeError
from ..value import Value
from .elementwise import where
from .registry import as_operand, defop, defop_variadic
from .spelling import either_spelling


def _data(x):
    return getattr(x, "_data", x)


def _shape_of(x):
    return _data(x).shape


def _shape_op(name, forward, *vjps):
    return defop(name, forward, *vjps, kind="shape")


def _reshape(x, shape):
    try:
        return np.reshape(x, shape)
    except ValueError:
        raise ShapeError(
            f"reshape: cannot reshape an array of shape {x.shape} (size {x.size}) into {tuple(shape)}"
        ) from None


reshape = _shape_op("reshape", _reshape, lambda g, out, x, shape: g.reshape(_shape_of(x)))


def _transpose(x, axes=None):
    if axes is not None and sorted(int(a) % max(x.ndim, 1) for a in axes) != list(range(x.ndim)):
        raise ShapeError(f"transpose: axes {tuple(axes)} are not a permutation of {x.ndim} dimensions")
    return np.transpose(x, axes)


def _transpose_vjp(g, out, x, axes=None):
    if axes is None:
        return g.transpose()
    return g.transpose(tuple(np.argsort([int(a) % g.ndim for a in axes])))


transpose = _shape_op("transpose", _transpose, _transpose_vjp)
swapaxes = _shape_op(
    "swapaxes",
    lambda x, a, b: np.swapaxes(x, a, b),
    lambda g, out, x, a, b: g.swapaxes(a, b),
)


def _broadcast_to(x, shape):
    try:
        return np.broadcast_to(x, shape)
    except ValueError:
        raise ShapeError(f"broadcast_to: cannot broadcast shape {x.shape} to {tuple(shape)}") from None


broadcast_to = _shape_op("broadcast_to", _broadcast_to, lambda g, out, x, shape: g)  # the engine sums back


def _squeeze(x, axis=None):
    if axis is not None:
        axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
        if x.ndim == 0 and all(a in (0, -1) for a in axes):  # numpy and PyTorch: a 0-d array stays itself
            return x
        for a in axes:
            if not -x.ndim <= a < x.ndim or x.shape[a] != 1:
                raise ShapeError(f"squeeze: axis {a} of shape {x.shape} is not of length 1")
    return np.squeeze(x, axis)


squeeze = _shape_op("squeeze", _squeeze, lambda g, out, x, axis=None: g.reshape(_shape_of(x)))


def _unsqueeze(x, axis):
    return np.expand_dims(x, axis)


unsqueeze = _shape_op("unsqueeze", _unsqueeze, lambda g, out, x, axis: g.reshape(_shape_of(x)))


def _flatten(x, start_dim=0, end_dim=-1):
    if x.ndim == 0:
        return x.reshape(1)
    s, e = start_dim % x.ndim, end_dim % x.ndim
    if s > e:
        raise ShapeError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} for shape {x.shape}")
    return x.reshape(x.shape[:s] + (math.prod(x.shape[s : e + 1]),) + x.shape[e + 1 :])  # -1 fails on size 0


flatten = _shape_op("flatten", _flatten, lambda g, out, x, start_dim=0, end_dim=-1: g.reshape(_shape_of(x)))


def _clean_index(index):
    """Index with Values unwrapped and lists made arrays, so numpy sees one consistent form."""
    if isinstance(index, tuple):
        return tuple(_clean_index(i) for i in index)
    index = _data(index)
    if isinstance(index, list):
        try:
            return np.asarray(index)
        except ValueError:
            raise IndexingError(
                f"getitem: the index list {index!r} is ragged; an index list must be array-shaped "
                "(index one axis per list, in a tuple: x[rows, cols])"
            ) from None
    return index


def _is_basic(index):
    items = index if isinstance(index, tuple) else (index,)
    return all(i is None or i is Ellipsis or isinstance(i, (int, np.integer, slice)) for i in items)


def _getitem(x, index):
    return x[index]


def _scatter_add(g, shape, index):
    """The transpose of x[index]: zeros of ``shape`` with ``g`` added at ``index`` (repeats add up)."""
    z = np.zeros(shape, dtype=g.dtype)
    if _is_basic(index):
        z[index] = g
    else:
        np.add.at(z, index, g)
    return z


scatter_add = _shape_op(
    "scatter_add",
    _scatter_add,
    lambda g, out, src, shape, index: getitem_op.dispatch(g, index=index),
)
getitem_op = _shape_op(
    "getitem",
    _getitem,
    lambda g, out, x, index: scatter_add.dispatch(g, shape=_shape_of(x), index=index),
)


def _picked(out, x, index):
    """Where x[index]'s gradient can be nonzero: the picked entries (support.py)."""
    mask = np.zeros(x.shape, dtype=bool)
    mask[index] = True
    return mask


getitem_op.support = (_picked,)


def getitem(x, index):
    """x[index]: ints, slices with steps, None, Ellipsis, integer arrays and boolean masks."""
    return getitem_op(x, index=_clean_index(index))


def _axis_index(ndim, axis, index):
    """A tuple index selecting ``index`` (int or slice) along ``axis`` of an ``ndim``-d array."""
    return (slice(None),) * axis + (index,) + (slice(None),) * (ndim - axis - 1)


def _concatenate(*arrays, axis=0):
    if not arrays:
        raise ShapeError("concatenate: needs at least one array")
    if any(a.ndim == 0 for a in map(np.asarray, arrays)):
        raise ShapeError("concatenate: zero-dimensional arrays cannot be concatenated")
    return np.concatenate(arrays, axis=axis)


def _concatenate_vjp(i, g, out, *inputs, axis=0):
    shapes = [np.shape(_data(x)) for x in inputs]
    ax = axis % len(shapes[i])
    start = sum(s[ax] for s in shapes[:i])
    return getitem_op.dispatch(g, index=_axis_index(len(shapes[i]), ax, slice(start, start + shapes[i][ax])))


_concatenate_op = defop_variadic("concatenate", _concatenate, _concatenate_vjp, kind="shape")


def concatenate(values, axis=None, *, dim=None):
    """Join a sequence of Values/arrays along an existing axis (default 0; torch.cat, ``dim=`` accepted)."""
    return _concatenate_op(*values, axis=either_spelling("concatenate", "axis", axis, "dim", dim, 0))


def _stack(*arrays, axis=0):
    if not arrays:
        raise ShapeError("stack: needs at least one array")
    return np.stack(arrays, axis=axis)


def _stack_vjp(i, g, out, *inputs, axis=0):
    ndim = np.ndim(_data(out))
    return getitem_op.dispatch(g, index=_axis_index(ndim, axis % ndim, i))


_stack_op = defop_variadic("stack", _stack, _stack_vjp, kind="shape")


def stack(values, axis=None, *, dim=None):
    """Join a sequence of same-shaped Values/arrays along a new axis (default 0; ``dim=`` accepted)."""
    return _stack_op(*values, axis=either_spelling("stack", "axis", axis, "dim", dim, 0))


def normalize_pad_width(pad_width, ndim):
    """numpy-style pad_width (int, (before, after), or one pair per axis) as a tuple of int pairs."""
    pw = np.asarray(pad_width)
    if pw.dtype.kind not in "iu" or pw.ndim > 2 or (pw.ndim >= 1 and pw.shape[-1] not in (1, 2)):
        raise ShapeError(f"pad: pad_width {pad_width!r} must be an int, a (before, after) pair or one pair per axis")
    try:
        pw = np.broadcast_to(pw, (ndim, 2))
    except ValueError:
        raise ShapeError(f"pad: pad_width {pad_width!r} does not fit an array of {ndim} dimensions") from None
    if (pw < 0).any():
        raise ShapeError(f"pad: pad_width {pad_width!r} has a negative width")
    return tuple((int(b), int(a)) for b, a in pw)


def _pad(x, pad_width, value=0.0):
    if x.ndim == 0:  # no axis to pad (numpy returns the array)
        return x
    return np.pad(x, pad_width, mode="constant", constant_values=value)


def _pad_vjp(g, out, x, pad_width, value=0.0):
    shape = _shape_of(x)
    return getitem_op.dispatch(g, index=tuple(slice(b, b + n) for (b, _), n in zip(pad_width, shape)))


_pad_op = _shape_op("pad", _pad, _pad_vjp)


def pad(x, pad_width, value=0.0, *, mode="constant", constant_values=None):
    """Constant padding with numpy's pad_width: an int, (before, after), or one pair per axis.

    ``value`` (numpy's spelling ``constant_values=``; ``mode="constant"`` accepted) is one number, or
    a 0-d Value: one that requires grad receives the padding's gradient. **Raises:** TypeError for
    both spellings of the value or another mode (``nn.functional.pad`` has PyTorch's other modes)."""
    if mode != "constant":
        raise TypeError(f"pad: mode={mode!r} is not supported here; ag.pad pads with a constant (mode='constant')")
    if constant_values is not None:
        if isinstance(value, Value) or value != 0.0:
            raise TypeError("pad: value= and constant_values= are two spellings of one argument; give one")
        value = constant_values
    x = as_operand(x, "pad")
    pw = normalize_pad_width(pad_width, np.ndim(_data(x)))
    if isinstance(value, Value) and value.requires_grad:
        if value.ndim != 0:
            raise ShapeError(f"pad: value must be one number (0-d), got shape {value.shape}")
        inside = np.pad(np.ones(np.shape(_data(x)), dtype=bool), pw)
        return where(inside, _pad_op(x, pad_width=pw, value=0.0), value)
    return _pad_op(x, pad_width=pw, value=value)


def as_value(data):
    """``data`` as a Value, keeping any graph: a Value passes through; a (nested) list or tuple holding
    Values is stacked by recorded ops, so gradients reach every item; anything else (numbers, lists of
    numbers, arrays) becomes a constant Value *without a copy* when it is already an array (a
    read-only view, like ``torch.as_tensor``). ``Value(data)``, by contrast, always makes a new leaf.

    Raises ShapeError for a ragged list, DTypeError for items that are not numbers.
    """
    if isinstance(data, Value):
        return data
    data = as_operand(data, "as_value")
    if isinstance(data, Value):
        return data
    return reshape(data, shape=np.shape(data))  # no input requires grad: not recorded, just a read-only view
