"""In-place updates of a Value: each swaps in a new read-only array, never writes into the old one.

A graph that saved the old array then sees that the input's array is no longer the saved one and
refuses backward, naming the op (engine._toposort), so an in-place change never gives a silently
wrong gradient. The optimisers install each new parameter array with ``set_`` (no extra copy).
"""

import numpy as np

from .effects import effect
from .errors import GraphError, InplaceModificationError, NotDifferentiableError, ReadOnlyDataError
from .grad_mode import _State

_HOW_TO_UPDATE = (
    "Value.data is read-only, so that a graph which saved it can tell when it changes. Rebind it instead, "
    "`v.data = v.data - lr * v.grad`, or use the in-place methods `v.sub_(lr * v.grad)` (also add_, mul_, "
    "copy_, fill_, zero_); for a step over many parameters, nn.optim.SGD does this for you"
)


_AUGMENTED = {"__iadd__": "+=", "__isub__": "-=", "__imul__": "*=", "__itruediv__": "/=", "__ifloordiv__": "//=",
              "__imod__": "%=", "__ipow__": "**=", "__imatmul__": "@=", "__iand__": "&=", "__ior__": "|=",
              "__ixor__": "^=", "__ilshift__": "<<=", "__irshift__": ">>="}  # fmt: skip


def _refuse_inplace(name):
    base = getattr(np.ndarray, name)

    def op(self, other):
        if not self.flags.writeable:
            raise ReadOnlyDataError(f"`v.data {_AUGMENTED[name]} ...` would write into Value.data. {_HOW_TO_UPDATE}")
        return base(self, other)

    op.__name__ = name
    return op


class DataArray(np.ndarray):
    """What ``Value.data`` returns for a Value with one or more dimensions: a read-only view (no copy).

    It is an ndarray in every way except that an augmented assignment on it (``v.data -= x``,
    which numpy would refuse with "output array is read-only") raises :class:`ReadOnlyDataError`
    saying how to update instead. Arithmetic on it gives plain ndarrays. (A 0-d Value's ``.data``
    is a numpy scalar instead, so micrograd's ``p.data -= lr * p.grad`` computes a new number and
    rebinds it through the setter, which in-place detection sees like any other swap.)
    """

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        # plain loops, not generator expressions: this runs on every ufunc touching .data (optimiser steps)
        plain = []
        for x in inputs:
            plain.append(x.view(np.ndarray) if isinstance(x, DataArray) else x)
        if out is not None:
            outs = []
            for o in out:
                if isinstance(o, DataArray):
                    if not o.flags.writeable:
                        raise ReadOnlyDataError(
                            f"cannot write the result of {ufunc.__name__} into Value.data. {_HOW_TO_UPDATE}"
                        )
                    o = o.view(np.ndarray)
                outs.append(o)
            kwargs["out"] = tuple(outs)
        return getattr(ufunc, method)(*plain, **kwargs)


for _name in _AUGMENTED:
    setattr(DataArray, _name, _refuse_inplace(_name))


def _data(x):
    return getattr(x, "_data", x)


def holds_graph(seq):
    """True when a (nested) list or tuple holds a Value that requires grad."""
    todo = [seq]
    while todo:
        for item in todo.pop():
            if getattr(item, "requires_grad", False) is True:
                return True
            if isinstance(item, (list, tuple)):
                todo.append(item)
    return False


def _operand(method, value):
    """The data an in-place update writes. In-place updates are not recorded, so while grad mode is
    on a Value that requires grad (also inside a list) is refused: its gradient would be lost."""
    if _State.enabled and (
        getattr(value, "requires_grad", False) is True or (isinstance(value, (list, tuple)) and holds_graph(value))
    ):
        raise NotDifferentiableError(
            f"{method}: in-place updates are not recorded, so a Value that requires grad written in place would "
            "lose its gradient. Build a new Value instead (ag.where, ag.concatenate, ...), or detach() it, or "
            "update under ag.no_grad()"
        )
    return _data(value)


def _raw_index(index):
    if isinstance(index, tuple):
        return tuple(_data(i) for i in index)
    return _data(index)


class InplaceUpdates:
    """Mixin for Value (which defines ``_data``, ``_op``, ``_saved`` and the ``data`` setter)."""

    __slots__ = ()

    def _check_inplace(self):
        """An op's output with a live graph may be read by that op's backward (exp, sqrt, div,
        sigmoid reuse their output): changing it would silently corrupt the gradient, so refuse."""
        if self._saved is not None:
            raise InplaceModificationError(
                f"in-place change of a Value computed by op '{self._op.name}' (shape {self._data.shape}) while "
                "its graph is alive: its backward may read the original. Compute a new Value instead, or detach() it"
            )

    def _swap(self, arr):
        """Install a freshly computed array we own (no copy), keeping dtype and shape."""
        self._check_inplace()
        if type(arr) is not np.ndarray and not isinstance(arr, np.generic):
            arr = np.array(arr)
        if arr.shape != self._data.shape:
            raise GraphError(f"in-place update of shape {arr.shape} on a Value of shape {self._data.shape}")
        if arr.dtype != self._data.dtype:
            arr = arr.astype(self._data.dtype)
        if type(arr) is np.ndarray:
            if arr.ndim == 0 and arr.dtype.kind == "f":  # 0-d float data is a numpy scalar (value.as_data)
                arr = arr[()]
            else:
                arr.setflags(write=False)
        self._data = arr
        return self

    @effect
    def set_(self, arr):
        """Make ``arr`` this Value's data without copying it (torch.Tensor.set_ shares storage too).

        For installing a freshly computed array, as the optimisers do. ``arr`` must have this Value's
        shape; it is cast to this Value's dtype if it differs, and made read-only, so writing through
        ``arr`` afterwards raises. An array that views another array's memory (which could still be
        written through) is copied.

        Raises InplaceModificationError on an op's output whose graph is alive, GraphError on a shape mismatch.
        """
        if type(arr) is np.ndarray and arr.ndim and arr.base is not None:
            arr = arr.copy()
        return self._swap(arr)

    @effect
    def copy_(self, src):
        """Copy ``src`` (Value, array or number, broadcast to this shape) into a new read-only array
        of this Value's dtype (torch.Tensor.copy_). Raises GraphError when src cannot take this
        shape, and as :meth:`add_`."""
        self.data = _operand("copy_", src)
        return self

    @effect
    def add_(self, other, alpha=1.0):
        """``self += alpha * other`` (other: Value, array or number broadcasting to this shape), by
        swapping in a new array of this dtype (torch.Tensor.add_). Raises NotDifferentiableError for an
        ``other`` that requires grad while grad mode is on (its gradient would be lost), else as :meth:`set_`."""
        o = _operand("add_", other)
        return self._swap(np.add(self._data, o if alpha == 1 else alpha * o))

    @effect
    def sub_(self, other, alpha=1.0):
        """``self -= alpha * other`` (torch.Tensor.sub_); see :meth:`add_`."""
        return self.add_(other, -alpha)

    @effect
    def mul_(self, other):
        """``self *= other`` (broadcasting to this shape, keeping this dtype; torch.Tensor.mul_). Raises as :meth:`add_`."""
        return self._swap(np.multiply(self._data, _operand("mul_", other)))

    @effect
    def fill_(self, value):
        """Every element set to the number ``value`` (cast to this dtype; torch.Tensor.fill_). Raises as :meth:`add_`."""
        return self._swap(np.full_like(self._data, _operand("fill_", value)))

    @effect
    def zero_(self):
        """Every element set to 0 (torch.Tensor.zero_). Raises as :meth:`set_`."""
        return self.fill_(0)

    @effect
    def __setitem__(self, index, value):
        arr = np.array(self._data)  # a writeable copy (of a scalar Value's number too)
        arr[_raw_index(index)] = _operand("__setitem__", value)
        self._swap(arr)
