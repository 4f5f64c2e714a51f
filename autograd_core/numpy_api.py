"""numpy's functions, with numpy's signatures, written with our recorded ops (for numpy_dispatch.py).

``np.sum(v, axis=0)`` calls :func:`sum_` here with the arguments exactly as the user wrote them, so
each adapter takes numpy's argument names and order. Options that would lose the gradient or that
we cannot honour (``out=``, ``where=``, ``initial=``, ``order='F'``, ...) are refused with an
error naming the numpy function; ``dtype=`` casts first, as numpy's accumulator dtype does.
"""

import numpy as np

from .errors import NotDifferentiableError, ShapeError
from .ops.arrange import moveaxis
from .ops.elementwise import clip, where
from .ops.gather import take, take_along_axis
from .ops.joining import column_stack, dstack, hstack, vstack
from .ops.linalg import einsum, tensordot
from .ops.norms import norm
from .ops.products import dot, inner, outer
from .ops.reduce import amax, amin, sum_
from .ops.reduce import mean as mean_
from .ops.registry import as_operand
from .ops.rounding import round as round_
from .ops.scans import cumprod, cumsum, prod_op
from .ops.selection import partition, sort
from .ops.shape import (
    as_value,
    broadcast_to,
    concatenate,
    pad,
    reshape,
    squeeze,
    stack,
    swapaxes,
    transpose,
    unsqueeze,
)
from .ops.stats import std_op, var_op
from .value import Value

_NO = np._NoValue  # numpy's "argument not given"


_WHERE = {"where": True}


def numpy_doc(name):
    """The docstring of the adapter for ``numpy.<name>``."""
    return (
        f"``numpy.{name}`` on Values: numpy's arguments, shapes and result dtype, computed by recorded ops "
        "(differentiable); options that would lose the gradient raise NotDifferentiableError naming the "
        "function (module docstring)."
    )


def refuse(fname, defaults=None, **options):
    """Raise for an option given other than numpy's default (not given, None, or ``defaults[key]``)."""
    for key, value in options.items():
        if value is _NO or value is None or (defaults and key in defaults and _same(value, defaults[key])):
            continue
        what = (
            "a Value's result cannot be written into a plain array" if key == "out" else "this option is not supported"
        )
        raise NotDifferentiableError(
            f"numpy.{fname}(..., {key}={value!r}) on Values: {what} without losing the gradient; leave {key} out"
            + (" and assign the result" if key == "out" else "")
        )


def _same(a, b):
    return type(a) is type(b) and a == b


def _kd(keepdims):
    return False if keepdims is _NO else bool(keepdims)


def _cast(a, dtype):
    a = as_value(a)
    return a if dtype is None or np.dtype(dtype) == a.dtype else a.astype(dtype)


# -- reductions ------------------------------------------------------------------------------------
def np_sum(a, axis=None, dtype=None, out=None, keepdims=_NO, initial=_NO, where=_NO):
    """``numpy.sum`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    refuse("sum", _WHERE, out=out, initial=initial, where=where)
    return sum_(_cast(a, dtype), axis=axis, keepdims=_kd(keepdims))


def np_mean(a, axis=None, dtype=None, out=None, keepdims=_NO, *, where=_NO):
    """``numpy.mean`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    refuse("mean", _WHERE, out=out, where=where)
    return mean_(_cast(a, dtype), axis=axis, keepdims=_kd(keepdims))


def _extreme(fn, fname):
    def impl(a, axis=None, out=None, keepdims=_NO, initial=_NO, where=_NO):
        refuse(fname, _WHERE, out=out, initial=initial, where=where)
        return fn(a, axis=axis, keepdims=_kd(keepdims))

    impl.__name__ = f"np_{fname}"
    impl.__doc__ = numpy_doc(fname)
    return impl


np_max, np_min = _extreme(amax, "max"), _extreme(amin, "min")


def np_var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=_NO, *, where=_NO, mean=_NO, correction=_NO):
    """numpy's var: ``ddof`` (or ``correction``) defaults to 0 here, where ``ag.var`` follows PyTorch's 1."""
    refuse("var", _WHERE, out=out, where=where, mean=mean)
    return var_op(
        _cast(a, dtype), axis=axis, correction=ddof if correction is _NO else correction, keepdims=_kd(keepdims)
    )


def np_std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=_NO, *, where=_NO, mean=_NO, correction=_NO):
    """numpy's std (ddof 0 by default); its gradient is 0 where the variance is 0, as ``ag.std``'s."""
    refuse("std", _WHERE, out=out, where=where, mean=mean)
    return std_op(
        _cast(a, dtype), axis=axis, correction=ddof if correction is _NO else correction, keepdims=_kd(keepdims)
    )


def np_prod(a, axis=None, dtype=None, out=None, keepdims=_NO, initial=_NO, where=_NO):
    """``numpy.prod`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    refuse("prod", _WHERE, out=out, initial=initial, where=where)
    return prod_op(_cast(a, dtype), axis=axis, keepdims=_kd(keepdims))


def _scan(fn, fname):
    def impl(a, axis=None, dtype=None, out=None):
        refuse(fname, out=out)
        return fn(_cast(a, dtype), axis=axis)

    impl.__name__ = f"np_{fname}"
    impl.__doc__ = numpy_doc(fname)
    return impl


np_cumsum, np_cumprod = _scan(cumsum, "cumsum"), _scan(cumprod, "cumprod")


def np_linalg_norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 (numpy's name)
    """``numpy.linalg.norm`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    return norm(x, ord, axis, keepdims)


def np_sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """numpy's sort: the values only (``ag.sort`` gives PyTorch's ``(values, indices)``)."""
    refuse("sort", order=order)
    return sort(a, axis=axis, stable=bool(stable) or kind == "stable").values


def np_partition(a, kth, axis=-1, kind="introselect", order=None):
    """``numpy.partition`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    refuse("partition", {"kind": "introselect"}, kind=kind, order=order)
    return partition(a, kth, axis)


def np_take(a, indices, axis=None, out=None, mode="raise"):
    """``numpy.take`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    refuse("take", {"mode": "raise"}, out=out, mode=mode)
    return take(a, indices, axis)


def np_take_along_axis(arr, indices, axis=-1):
    """``numpy.take_along_axis`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    return take_along_axis(arr, indices, axis)


def np_round(a, decimals=0, out=None):
    """``numpy.round`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    refuse("round", out=out)
    return round_(a, decimals)


# -- shape -----------------------------------------------------------------------------------------
def _order(fname, order):
    if order not in ("C", "K", "A", None):
        raise NotDifferentiableError(f"numpy.{fname}(..., order={order!r}): Values are C-ordered; leave order out")


def np_reshape(a, /, shape=None, order="C", *, newshape=None, copy=None):
    """``numpy.reshape`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    _order("reshape", order)
    shape = newshape if shape is None else shape
    return reshape(a, shape=(shape,) if isinstance(shape, (int, np.integer)) else tuple(shape))


def np_ravel(a, order="C"):
    """``numpy.ravel`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    _order("ravel", order)
    return reshape(a, shape=(-1,))


def np_transpose(a, axes=None):
    """``numpy.transpose`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    return transpose(a, axes=None if axes is None else tuple(axes))


def np_swapaxes(a, axis1, axis2):
    """``numpy.swapaxes`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    return swapaxes(a, a=axis1, b=axis2)


def np_moveaxis(a, source, destination):
    """``numpy.moveaxis`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    return moveaxis(a, source, destination)


def np_matrix_transpose(x, /):
    """``numpy.matrix_transpose`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    return swapaxes(x, a=-1, b=-2)


def np_squeeze(a, axis=None):
    """``numpy.squeeze`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    return squeeze(a, axis=axis)


def np_expand_dims(a, axis):
    """``numpy.expand_dims`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    a = as_value(a)
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    n = a.ndim + len(axes)
    for ax in sorted(int(x) % n for x in axes):
        a = unsqueeze(a, axis=ax)
    return a


def np_broadcast_to(array, shape, subok=False):
    """``numpy.broadcast_to`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    return broadcast_to(array, shape=(shape,) if isinstance(shape, (int, np.integer)) else tuple(shape))


def np_broadcast_arrays(*args, subok=False):
    """``numpy.broadcast_arrays`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    vs = [as_value(a) for a in args]
    shape = np.broadcast_shapes(*(v.shape for v in vs))
    return tuple(v if v.shape == shape else broadcast_to(v, shape=shape) for v in vs)


# -- joining ---------------------------------------------------------------------------------------
def np_concatenate(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """``numpy.concatenate`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    refuse("concatenate", out=out)
    arrays = [_cast(a, dtype) for a in arrays]
    if axis is None:
        arrays = [reshape(a, shape=(-1,)) for a in arrays]
        axis = 0
    return concatenate(arrays, axis=axis)


def np_stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """``numpy.stack`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    refuse("stack", out=out)
    return stack([_cast(a, dtype) for a in arrays], axis=axis)


def _joiner(fn, fname):
    def impl(tup, *, dtype=None, casting="same_kind"):
        return fn([_cast(a, dtype) for a in tup])

    impl.__name__ = f"np_{fname}"
    impl.__doc__ = numpy_doc(fname)
    return impl


np_vstack, np_hstack = _joiner(vstack, "vstack"), _joiner(hstack, "hstack")
np_dstack, np_column_stack = _joiner(dstack, "dstack"), _joiner(column_stack, "column_stack")


def np_pad(array, pad_width, mode="constant", **kwargs):
    """``numpy.pad`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    value = kwargs.pop("constant_values", 0)
    if mode != "constant" or kwargs or np.ndim(getattr(value, "_data", value)) != 0:
        raise NotDifferentiableError(
            f"numpy.pad(mode={mode!r}, {', '.join(kwargs) or 'constant_values'}...): only constant padding with one "
            "number is supported on Values"
        )
    return pad(array, pad_width, value=value)


# -- elementwise and products ----------------------------------------------------------------------
def np_where(condition, x=_NO, y=_NO, /):
    """``numpy.where`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    if x is _NO and y is _NO:  # the indices of nonzero entries: no gradient
        return np.where(getattr(condition, "_data", condition))
    return where(condition, x, y)


def np_clip(a, a_min=_NO, a_max=_NO, out=None, *, min=_NO, max=_NO, **kwargs):  # noqa: A002
    """``numpy.clip`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    refuse("clip", out=out, **kwargs)
    lo = a_min if min is _NO else min
    hi = a_max if max is _NO else max
    return clip(a, None if lo is _NO else lo, None if hi is _NO else hi)


def np_dot(a, b, out=None):
    """``numpy.dot`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    refuse("dot", out=out)
    return dot(a, b)


def np_inner(a, b, /):
    """``numpy.inner`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    return inner(a, b)


def np_outer(a, b, out=None):
    """``numpy.outer`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    refuse("outer", out=out)
    return outer(a, b)


def np_tensordot(a, b, axes=2):
    """``numpy.tensordot`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    return tensordot(a, b, axes=axes)


def np_einsum(*operands, out=None, optimize=False, **kwargs):
    """``numpy.einsum`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    refuse("einsum", out=out, **{k: v for k, v in kwargs.items() if not (k == "casting" and v == "safe")})
    if not operands or not isinstance(operands[0], str):
        raise NotDifferentiableError("numpy.einsum on Values takes a subscripts string first ('ij,jk->ik')")
    return einsum(*operands)


def np_linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None):
    """``start + (stop - start) * k / div`` for k = 0 .. num-1 (div = num - 1 with endpoint), with the
    last sample exactly ``stop``; start and stop broadcast, the samples run along ``axis``."""
    refuse("linspace", device=device)
    start, stop = as_value(start), as_value(stop)
    num = int(num)
    if num < 0:
        raise ShapeError(f"linspace: num={num} must be non-negative")
    div = (num - 1) if endpoint else num
    delta = stop - start
    shape = (-1,) + (1,) * delta.ndim
    k = np.arange(num, dtype=np.result_type(delta.dtype, float)).reshape(shape)
    step = delta / div if div > 0 else delta * np.nan
    out = start + k * step if div > 0 else start + k * delta * 0
    if endpoint and num > 1:
        out = where(np.broadcast_to((k == num - 1).reshape(shape), out.shape), stop, out)
    if axis != 0:
        out = np_moveaxis(out, 0, axis)
    out = out if dtype is None else out.astype(dtype)
    return (out, step) if retstep else out


def np_copy(a, order="K", subok=False):
    """A new node with the same data (Values are immutable, so no data is copied)."""
    a = as_value(a)
    return reshape(a, shape=a.shape)


def np_full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """``numpy.full_like`` on Values, with numpy's signature: see :func:`numpy_doc`."""
    a = a._data if isinstance(a, Value) else np.asarray(a)
    shape = a.shape if shape is None else shape
    fill = as_operand(fill_value, "full_like")
    if not isinstance(fill, Value):
        return np.full_like(a, fill, dtype=dtype, shape=shape)
    fill = _cast(fill, dtype or a.dtype)
    return broadcast_to(fill, shape=(shape,) if isinstance(shape, (int, np.integer)) else tuple(shape))
