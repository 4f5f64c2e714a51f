"""Sorting and selection. The order is found on the data (integer indices, no gradient), and the
values are gathered with ``take_along_axis``, so the gradient follows the permutation: each output
entry's gradient goes back to the input entry it came from (PyTorch's rule for sort, topk,
kthvalue and max/min over a dim).

Functions returning PyTorch's ``(values, indices)`` pairs give a named tuple (``.values``,
``.indices``). ``argsort``, ``argmax``, ``argmin`` return int64 Values and ``all``/``any`` bool
Values: constants, outside the graph (PyTorch declares them non-differentiable).
NaN sorts as the largest value (numpy and PyTorch); ties keep their input order with ``stable=True``.
"""

from collections import namedtuple

import numpy as np

from ..errors import ShapeError
from ..value import Value
from .args import flag, one_axis, one_of
from .gather import take_along_axis
from .reduce import normalize_axis
from .registry import as_operand
from .shape import reshape

SortResult = namedtuple("SortResult", ["values", "indices"])
TopkResult = namedtuple("TopkResult", ["values", "indices"])
KthvalueResult = namedtuple("KthvalueResult", ["values", "indices"])
MaxResult = namedtuple("MaxResult", ["values", "indices"])
MinResult = namedtuple("MinResult", ["values", "indices"])

_UNSET = object()


def _data(x):
    return getattr(x, "_data", x)


def _const(arr):
    return Value(arr, requires_grad=False)


def _axis(fn, dim, axis, ndim, default=-1):
    """dim/axis as one non-negative int; numpy's ``axis=None`` (x flattened) comes back as None."""
    if dim is not _UNSET and axis is not _UNSET:
        raise TypeError(f"{fn}: dim and axis are two spellings of one argument; give one")
    a = dim if dim is not _UNSET else axis if axis is not _UNSET else default
    return None if a is None else one_axis(fn, a, ndim)


def _flat(x):
    return reshape(x, shape=(-1,))


def _on_scalar(fn, result, x, *args):
    """fn on a 0-d x as on one entry: the results come back 0-d."""
    values, indices = fn(reshape(x, shape=(1,)), *args)
    return result(reshape(values, shape=()), reshape(indices, shape=()))


def _order(xd, axis, descending, stable):
    """Indices sorting ``xd`` along ``axis``; descending keeps ties in input order and NaN first, as PyTorch."""
    kind = "stable" if stable else None
    if not descending:
        return np.argsort(xd, axis=axis, kind=kind)
    rev = np.flip(np.argsort(np.flip(xd, axis), axis=axis, kind="stable"), axis)  # ties stay in input order
    return xd.shape[axis] - 1 - rev


def argsort(x, dim=_UNSET, descending=False, stable=False, *, axis=_UNSET, kind=None):
    """Indices that sort x along ``dim``/``axis`` (default -1; numpy's ``axis=None`` sorts x flattened).

    ``descending`` (PyTorch); ``stable`` or numpy's ``kind='stable'`` keep ties in input order.
    Returns an int64 Value, a constant.
    """
    x = as_operand(x, "argsort")
    xd = np.asarray(_data(x))
    ax = _axis("argsort", dim, axis, xd.ndim)
    if ax is None:
        xd, ax = xd.reshape(-1), 0
    if xd.ndim == 0:
        return _const(np.zeros((), np.int64))
    return _const(_order(xd, ax, descending, stable or kind == "stable").astype(np.int64, copy=False))


def sort(x, dim=_UNSET, descending=False, stable=False, *, axis=_UNSET):
    """``(values, indices)`` of x sorted along ``dim``/``axis`` (default -1; numpy's None: x flattened).

    Gradient: back through the permutation (each value's gradient to the entry it came from).
    """
    x = as_operand(x, "sort")
    ax = _axis("sort", dim, axis, np.ndim(_data(x)))
    if ax is None:
        x, ax = _flat(x), 0
    if np.ndim(_data(x)) == 0:
        return _on_scalar(sort, SortResult, x, 0, descending, stable)
    idx = argsort(x, ax, descending, stable)
    return SortResult(take_along_axis(x, idx, ax), idx)


def topk(x, k, dim=-1, largest=True, sorted=True):  # noqa: A002 (PyTorch's name)
    """PyTorch's ``topk``: the ``k`` largest (or smallest) entries along ``dim`` and their indices.

    Ties go to the earlier entry. ``sorted=False`` is accepted; the result is sorted anyway.
    **Raises:** ShapeError if k is negative or larger than the axis.
    """
    x = as_operand(x, "topk")
    xd = np.asarray(_data(x))
    ax = one_axis("topk", dim, xd.ndim)
    n = xd.shape[ax] if xd.ndim else 1
    if not 0 <= k <= n:
        raise ShapeError(f"topk: k={k} is out of range for an axis of length {n}")
    if xd.ndim == 0:
        return _on_scalar(topk, TopkResult, x, k, 0, largest, sorted)
    idx = _order(xd, ax, largest, True).take(np.arange(k), axis=ax).astype(np.int64, copy=False)
    return TopkResult(take_along_axis(x, idx, ax), _const(idx))


def kthvalue(x, k, dim=-1, keepdim=False, *, keepdims=None):
    """PyTorch's ``kthvalue``: the ``k``-th smallest entry (k from 1) along ``dim`` and its index.

    **Raises:** ShapeError if k is not in 1..length of the axis.
    """
    x = as_operand(x, "kthvalue")
    xd = np.asarray(_data(x))
    ax = one_axis("kthvalue", dim, xd.ndim)
    n = xd.shape[ax] if xd.ndim else 1
    if not 1 <= k <= n:
        raise ShapeError(f"kthvalue: k={k} is out of range for an axis of length {n}")
    if xd.ndim == 0:
        return _on_scalar(kthvalue, KthvalueResult, x, k, 0)
    idx = np.take(np.argsort(xd, axis=ax, kind="stable"), [k - 1], axis=ax).astype(np.int64, copy=False)
    values = take_along_axis(x, idx, ax)
    if not flag("kthvalue", keepdim, keepdims):
        values, idx = values.squeeze(ax), idx.squeeze(ax)
    return KthvalueResult(values, _const(idx))


def partition(x, kth, axis=-1):
    """numpy's ``partition``: x along ``axis`` rearranged so the ``kth`` entry (an int or a sequence)
    is where sorting would put it, smaller ones before and larger after (their order unspecified).
    ``axis=None`` partitions x flattened. Gradient: back through the rearrangement."""
    x = as_operand(x, "partition")
    if np.ndim(_data(x)) == 0:
        raise ShapeError("partition: a 0-d input has no axis to partition along (numpy refuses it too)")
    if axis is None:
        x, axis = _flat(x), -1
    idx = argpartition(x, kth, axis)
    return take_along_axis(x, idx, axis)


def argpartition(x, kth, axis=-1):
    """numpy's ``argpartition``: the indices :func:`partition` gathers with (an int64 constant)."""
    x = as_operand(x, "argpartition")
    xd = np.asarray(_data(x))
    if axis is None:
        xd, axis = xd.reshape(-1), -1
    return _const(np.argpartition(xd, kth, axis=one_axis("argpartition", axis, xd.ndim)).astype(np.int64))


# -- arg-extremes, extremes with indices, logical reductions -----------------------------------
def _arg_extreme(fn, name):
    def impl(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
        xd = np.asarray(_data(as_operand(x, name)))
        ax = one_of(name, dim=dim, axis=axis)
        keep = flag(name, keepdim, keepdims)
        if ax is not None:
            ax = one_axis(name, ax, xd.ndim)
        if xd.size == 0 or (ax is not None and xd.ndim and xd.shape[ax] == 0):
            raise ShapeError(f"{name}: cannot take the {name} of an empty axis (shape {xd.shape})")
        return _const(np.asarray(fn(xd, axis=ax, keepdims=keep), dtype=np.int64))

    impl.__name__ = impl.__qualname__ = name
    impl.__doc__ = (
        f"Index of the first {name[3:]}imum along ``dim``/``axis`` (None: into x flattened), as an int64\n"
        "    constant; NaN counts as the extreme (numpy, PyTorch). ``keepdim``/``keepdims`` keep the axis."
    )
    return impl


argmax = _arg_extreme(np.argmax, "argmax")
argmin = _arg_extreme(np.argmin, "argmin")


def _extreme_with_indices(arg, result, name):
    def impl(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
        x = as_operand(x, name)
        ax = one_of(name, dim=dim, axis=axis)
        if ax is None:
            raise TypeError(f"{name}: give dim (for the extreme of all entries use ag.{name[:3]})")
        if np.ndim(_data(x)) == 0:
            return _on_scalar(impl, result, x, 0)
        ax = one_axis(name, ax, np.ndim(_data(x)))
        idx = arg(x, ax, keepdim=True)
        values = take_along_axis(x, idx, ax)
        if not flag(name, keepdim, keepdims):
            values, idx = values.squeeze(ax), idx.squeeze(ax)
        return result(values, idx)

    impl.__name__ = impl.__qualname__ = name
    impl.__doc__ = (
        f"PyTorch's ``{name[:3]}(x, dim)``: ``(values, indices)`` of the {name[:3]}imum along ``dim``.\n\n"
        f"    The gradient goes to the returned index (the first {name[:3]}imum), as in PyTorch, where\n"
        f"    ``ag.{name[:3]}`` (numpy's ``a{name[:3]}``) splits it evenly between ties."
    )
    return impl


max_with_indices = _extreme_with_indices(argmax, MaxResult, "max_with_indices")
min_with_indices = _extreme_with_indices(argmin, MinResult, "min_with_indices")


def _logical(fn, name):
    def impl(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
        xd = np.asarray(_data(as_operand(x, name)))
        ax = one_of(name, dim=dim, axis=axis)
        return _const(fn(xd, axis=normalize_axis(ax, xd.ndim, name), keepdims=flag(name, keepdim, keepdims)))

    impl.__name__ = impl.__qualname__ = name
    impl.__doc__ = (
        f"Whether {'every' if name == 'all' else 'any'} entry along ``dim``/``axis`` (int, tuple, None for all) is\n"
        "    nonzero, as a bool constant. ``keepdim``/``keepdims`` keep the reduced axes."
    )
    return impl


all_ = _logical(np.all, "all")
any_ = _logical(np.any, "any")
