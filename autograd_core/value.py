"""Value: an ndarray (a numpy scalar for 0-d float data) with the node that made it and, for leaves, its gradient.

A Value *is* a graph node: ``_op`` is the primitive that produced it, ``_prev`` its operands (Values
or constants) and ``_saved`` their data at forward time (None once backward freed them; see
skeleton.py for what stays: ``_flow``, ``_husk``), ``_scope`` the named scope (module call) that
made it. Nothing points from a node to its consumers, so dropping the output frees the whole graph
by reference counting alone.
Data arrays are read-only; in-place changes go through methods that swap the array, which the
engine notices (the saved array is no longer the Value's) and reports with the op's name.

0-d float data is held as a numpy scalar (``np.float64``, ``np.float32``, ``np.float16``), never as
a 0-d array: it is immutable like a read-only array, has the same dtype, shape ``()`` and methods,
and numpy computes on it 5-10x faster (a micrograd-style graph of scalars spends its time there).
Gradients of 0-d Values are numpy scalars too. :func:`as_data` is that rule, applied wherever data
is installed. ``_seq`` numbers Values in creation order (inputs before the Values made from them,
which the engine's topological sort uses); ``_visit`` is the engine's per-pass mark.
"""

import itertools
import operator
import warnings

import numpy as np

from .anomaly import _user_frames
from .effects import effect
from .errors import DTypeError, GraphError, NotDifferentiableError, ShapeError, TraceWarning
from .formatting import value_repr
from .grad_mode import _State
from .inplace import DataArray, InplaceUpdates, holds_graph

_PY_NUMBERS = (int, float, bool)


def _as_array(data, dtype):
    """Copy ``data`` into a fresh read-only array; Python numbers become float64.

    A list holding Values that require grad is refused: the copy would be a constant and their
    gradient silently lost (``ag.stack``/``ag.as_value`` keep it).
    """
    if isinstance(data, Value):
        data = data._data
    elif isinstance(data, (list, tuple)) and holds_graph(data):
        raise NotDifferentiableError(
            "Value(...): the list holds Values that require grad, and Value() makes a new leaf, so their "
            "gradient would be lost. Use ag.as_value(list) (or ag.stack) to build a Value through recorded "
            "ops, or detach() the items for a constant"
        )
    if dtype is None and isinstance(data, _PY_NUMBERS) and not isinstance(data, bool):
        dtype = np.float64
    data = _from_tensor(data)
    try:
        if dtype is None and isinstance(data, (list, tuple)):
            arr = np.array(data)
            if arr.dtype.kind in "iu" and arr.size:
                arr = arr.astype(np.float64)
        else:
            arr = np.array(data, dtype=dtype)
    except ValueError as err:
        if "inhomogeneous" not in str(err):
            raise
        raise ShapeError(
            "Value(...): the nested lists are ragged (rows of different lengths), which make no array; give "
            "every row the same length (pad it), or keep the rows as separate Values"
        ) from None
    if arr.dtype.kind not in "fiub":
        raise DTypeError(f"Value: unsupported dtype {arr.dtype} (use a float, integer or bool array)")
    return as_data(arr)


def _from_tensor(data):
    """A PyTorch tensor (or any object with ``detach``/``cpu``/``numpy``) as an ndarray, without numpy 2's
    ``__array__(copy=...)`` DeprecationWarning and without importing torch; anything else as it is."""
    if not isinstance(data, np.ndarray) and all(hasattr(data, m) for m in ("detach", "cpu", "numpy")):
        return data.detach().cpu().numpy()
    return data


def as_data(arr):
    """An ndarray or numpy scalar as a Value holds it: 0-d float as a numpy scalar, arrays read-only."""
    if type(arr) is np.ndarray:
        if arr.ndim == 0 and arr.dtype.kind == "f":
            return arr[()]
        arr.setflags(write=False)
    return arr


class Size(int):
    """``Value.size``: numpy's element count (an int in arithmetic, comparisons, ``range``, formatting)
    that can also be called as PyTorch's ``size()``: ``x.size()`` is the shape tuple and ``x.size(d)``
    the length of dim ``d`` (negative counts from the end). Raises IndexError for a dim out of range."""

    def __new__(cls, shape):
        """The element count of an array of ``shape``, remembering the shape."""
        n = int.__new__(cls, int(np.prod(shape, dtype=np.int64)))
        n.shape = shape
        return n

    def __call__(self, dim=None):
        """The shape (no argument) or the size of one dim, as ``torch.Tensor.size``."""
        if dim is None:
            return self.shape
        if not -len(self.shape) <= dim < len(self.shape):
            raise IndexError(f"size({dim}): dim out of range for a Value of shape {self.shape}")
        return self.shape[dim]

    def __reduce__(self):
        return (int, (int(self),))


next_seq = itertools.count().__next__  # creation order: a Value's inputs always have smaller numbers


def _set_grad(v, g):
    v._grad = g


def _read_while_tracing(what):
    if _State.tracer is not None:
        warnings.warn(
            f"{what} of a Value while tracing: the trace replays the number it gives now, whatever the data "
            "(see autograd_core.tracing); keep data-dependent Python outside the traced function",
            TraceWarning,
            stacklevel=3,
        )


class Value(InplaceUpdates):
    """An array in a computation graph. ``Value(x)`` copies ``x`` and requires grad if it is float.

    Arguments:
        data: a number, a (nested) list, an ndarray or a Value; copied into a read-only array.
            Python numbers and integer lists become float64; numpy float arrays keep their dtype.
        requires_grad: whether backward computes ``.grad`` for it (default: True for float data).
        dtype: a numpy dtype to cast the data to.
        name: a label shown in the repr and in drawings.

    Raises DTypeError for data that is not float, integer or bool, or requires_grad=True on
    non-float data; NotDifferentiableError for a list holding Values that require grad (their
    gradient would be lost: use ``ag.as_value``/``ag.stack``).
    """

    __slots__ = (
        "__weakref__",
        "_data",
        "_flow",
        "_grad",
        "_husk",
        "_op",
        "_params",
        "_prev",
        "_retain",
        "_saved",
        "_scope",
        "_seq",
        "_trace",
        "_visit",
        "name",
        "requires_grad",
    )
    # numpy's protocols (__array__, __array_function__, __array_ufunc__) are bound in numpy_dispatch.py:
    # numpy functions and ufuncs on Values run the recorded ops, or refuse; np.asarray(v) gives the data.

    def __init__(self, data, requires_grad=None, dtype=None, name=None, _children=(), _op="", label=None):
        if label is not None:  # micrograd's keyword
            if name is not None and name != label:
                raise TypeError(f"Value: name={name!r} and label={label!r} are the same thing; give one")
            name = label
        arr = _as_array(data, dtype)
        is_float = arr.dtype.kind == "f"
        if requires_grad is None:
            requires_grad = is_float
        elif requires_grad and not is_float:
            raise DTypeError(f"only floating-point Values can require grad; got dtype {arr.dtype}")
        self._data = arr
        self._grad = None
        self.requires_grad = bool(requires_grad)
        self._op = self._prev = self._saved = self._params = self._trace = None
        self._flow = self._husk = self._scope = None
        self._retain = False
        self.name = name
        self._seq = next_seq()
        self._visit = 0
        if _State.anomaly:  # anomaly mode names where a NaN in this Value was created
            self._trace = _user_frames()
        if _State.tracer is not None:
            _State.tracer.created(self)

    @classmethod
    def _node(cls, data, op, prev, saved, params):
        v = object.__new__(cls)
        v._data = data
        v._grad = None
        v.requires_grad = op is not None
        v._op = op
        v._prev = prev
        v._saved = saved
        v._params = params
        v._retain = False
        v.name = None
        v._trace = v._flow = v._husk = None
        v._scope = _State.scope
        v._seq = next_seq()
        v._visit = 0
        return v

    # -- data and metadata ------------------------------------------------------------------
    @property
    def data(self):
        """The data, read-only: a numpy scalar for a 0-d Value, else a read-only ndarray view (no copy).

        ``v.data -= x`` works for a 0-d Value (micrograd's update: a new number, rebound through the
        setter) and raises ``ReadOnlyDataError`` for arrays, saying to write ``v.data = v.data - x``
        or ``v.sub_(x)``; either way a graph that saved the old data refuses backward.
        """
        d = self._data
        return d[()] if d.ndim == 0 else d.view(DataArray)

    @property
    def label(self):
        """micrograd's name for :attr:`name` (the Value's name in drawings)."""
        return self.name

    @label.setter
    def label(self, text):
        self.name = text

    @data.setter
    @effect
    def data(self, new):
        """Replace the data (an in-place change: graphs that saved the old array will refuse backward)."""
        self._check_inplace()
        arr = _as_array(new, self._data.dtype)
        if arr.shape != self._data.shape:
            raise GraphError(f"cannot set data of shape {arr.shape} on a Value of shape {self._data.shape}")
        self._data = arr

    @property
    def grad(self):
        """The gradient accumulated by backward (a read-only ndarray of this Value's shape), or None.

        Read-only and a plain ndarray (no wrapper on the optimisers' path): ``p.grad -= x`` fails with
        numpy's "output array is read-only"; rebind (``p.grad = p.grad - x``) or clear it with
        ``p.grad = None`` / ``p.zero_grad()`` (PyTorch's ``p.grad.zero_()``)."""
        if _State.tracer is not None:
            _State.tracer.read_grad(self)
        return self._grad

    @grad.setter
    def grad(self, g):
        if _State.tracer is not None:  # a traced step that sets .grad (zeroing it, say) does so on replay too
            _State.tracer.effect(_set_grad, (self, g), {}, None)
        self._grad = g

    shape = property(lambda self: self._data.shape, doc="The data's shape, a tuple of ints.")
    ndim = property(lambda self: self._data.ndim, doc="The number of dimensions (0 for a scalar).")
    dtype = property(lambda self: self._data.dtype, doc="The data's numpy dtype.")
    size = property(
        lambda self: Size(self._data.shape),
        doc="The number of elements (an int); ``x.size()`` gives the shape and ``x.size(d)`` one dim (PyTorch's).",
    )
    is_leaf = property(lambda self: self._op is None, doc="True unless an op recorded this Value in a graph.")

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d Value")
        return len(self._data)

    def item(self):
        """The single element as a Python number (ValueError unless size is 1), as ndarray.item()."""
        _read_while_tracing("item()")
        return self._data.item()

    def numpy(self):
        """The data as an ndarray (read-only; a 0-d array for a scalar Value)."""
        return self._data if type(self._data) is np.ndarray else np.asarray(self._data)

    def tolist(self):
        """The data as nested Python lists of numbers (a number for a 0-d Value)."""
        _read_while_tracing("tolist()")
        return self._data.tolist()

    def __float__(self):
        _read_while_tracing("float()")
        return float(self._data)

    def __int__(self):
        _read_while_tracing("int()")
        return int(self._data)

    def __bool__(self):
        _read_while_tracing("bool() (an if or while on a Value)")
        return bool(self._data)

    def __format__(self, spec):
        return format(self._data.item() if self._data.ndim == 0 else self._data, spec)

    def detach(self):
        """A new leaf sharing this data (read-only, so sharing is safe) that does not require grad."""
        return Value._node(self._data, None, None, None, None)

    def __deepcopy__(self, memo):
        """An independent leaf with its own read-only data and grad (as in PyTorch, only leaves copy)."""
        if self._op is not None:
            raise GraphError(f"deepcopy() of a Value made by op '{self._op.name}': detach() it first")
        new = Value(self._data, requires_grad=self.requires_grad, name=self.name)
        if self.grad is not None:
            new.grad = _as_array(self.grad, None)
        memo[id(self)] = new
        return new

    def requires_grad_(self, flag=True):
        """Set ``requires_grad`` in place and return self (torch.Tensor.requires_grad_).

        Raises DTypeError for flag=True on non-float data, GraphError for flag=False on a non-leaf.
        """
        if flag and self._data.dtype.kind != "f":
            raise DTypeError(f"only floating-point Values can require grad; got dtype {self._data.dtype}")
        if not self.is_leaf and not flag:
            raise GraphError("requires_grad_(False) on a non-leaf Value; use detach()")
        self.requires_grad = bool(flag)
        return self

    def zero_grad(self):
        """Forget the accumulated ``.grad`` (it becomes None)."""
        self.grad = None

    def retain_grad(self):
        """Keep ``.grad`` on this non-leaf Value after backward; returns self. Raises GraphError
        on a Value that does not require grad (torch.Tensor.retain_grad)."""
        if not self.requires_grad:
            raise GraphError("retain_grad() on a Value that does not require grad")
        self._retain = True
        return self

    def __repr__(self):
        return value_repr(self)

    __hash__ = object.__hash__

    def _cmp(self, o, fn):
        _read_while_tracing(f"a comparison ({fn.__name__})")
        try:
            return fn(self._data, o._data if isinstance(o, Value) else o)
        except TypeError as err:  # numpy's UFuncTypeError (x < 'a') or object comparisons (x < None)
            raise DTypeError(
                f"cannot compare a Value of dtype {self._data.dtype} with {type(o).__name__} ({fn.__name__}): {err}"
            ) from None

    def __lt__(self, o):
        return self._cmp(o, operator.lt)

    def __le__(self, o):
        return self._cmp(o, operator.le)

    def __gt__(self, o):
        return self._cmp(o, operator.gt)

    def __ge__(self, o):
        return self._cmp(o, operator.ge)

    def __eq__(self, o):
        return self._cmp(o, operator.eq)

    def __ne__(self, o):
        return self._cmp(o, operator.ne)

    # The operators (+, *, @, [], ...) and the ndarray-like methods (sum, reshape, backward, ...) call
    # the ops and the engine, which sit above this file: autograd_core/operators.py binds them onto Value.
