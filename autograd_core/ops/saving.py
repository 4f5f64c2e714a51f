"""What a recorded node keeps, and how: a forward's result as read-only data (a numpy scalar when
0-d; :func:`make_value` builds the Value and its node), plain writeable operands copied, array params frozen, so that nothing a caller does to its
own arrays after forward can change a gradient; and a :class:`Residual`, work a forward saved for its vjp."""

import numpy as np

from ..errors import DTypeError
from ..grad_mode import _State
from ..value import Value, next_seq


def describe(datas):
    """The operands' shapes and dtypes (or values, for numbers), for error messages."""
    return ", ".join(f"{np.shape(d)} {np.asarray(d).dtype}" if isinstance(d, np.ndarray) else repr(d) for d in datas)


def _frozen(p):
    if type(p) is np.ndarray:
        if p.flags.writeable:
            p = p.copy()
            p.setflags(write=False)
        return p
    if type(p) is tuple:
        return tuple(_frozen(q) for q in p)
    return p  # slices, None, Ellipsis, numbers inside an index tuple


def freeze_params(params):
    """Params the vjps will read (index arrays, masks, clip bounds) as read-only copies, so a caller
    reusing the array after forward cannot change the gradient. Plain params pass untouched."""
    for p in params.values():
        if type(p) is np.ndarray or (type(p) is tuple and any(type(q) is np.ndarray for q in p)):
            return {k: _frozen(p) if type(p) in (np.ndarray, tuple) else p for k, p in params.items()}
    return params


def immutable(arr):
    """True when nobody can write into ``arr`` any more: it and the array owning its memory are read-only.

    A recorded plain-ndarray operand is saved by reference only then (a read-only batch, as DataLoader
    yields, costs no copy); a writeable one is copied, so changing it later never changes a gradient.
    """
    while True:
        if arr.flags.writeable:
            return False
        base = arr.base
        if not isinstance(base, np.ndarray):
            return base is None or isinstance(base, bytes)
        arr = base


def copy_writeable(datas, args):
    """Plain writeable ndarray operands of a node being recorded become read-only copies, so changing
    the caller's array later cannot change the gradient (see :func:`immutable`)."""
    for i, d in enumerate(datas):
        if type(d) is np.ndarray and not isinstance(args[i], Value) and not immutable(d):
            d = datas[i] = d.copy()
            d.setflags(write=False)


def as_output(op, out, datas):
    """A forward's result as a Value's data (value.as_data): a read-only ndarray, or a numpy scalar for
    0-d float results; never one of the operands' own arrays. DTypeError for a dtype Values cannot hold."""
    if type(out) is not np.ndarray and not isinstance(out, np.generic):
        out = np.asarray(out)
    if out.dtype.kind not in "fiub":  # object, complex, string, datetime: not a Value's dtype
        raise DTypeError(
            f"{op.name}: a result of dtype {out.dtype} is not supported; Values hold float, integer or bool "
            f"data (operands: {describe(datas)})"
        )
    if type(out) is np.ndarray:
        if out.ndim == 0 and out.dtype.kind == "f":
            return out[()]
        for d in datas:
            if out is d:
                out = out.view()
                break
        out.setflags(write=False)
    return out


class Residual:
    """What a forward saved for its vjp (see ``Op.saving``), taken once: the first :meth:`take` gets
    the array (the vjp may then write into it), later ones None, so a second backward through a
    retained graph, or another reader of the node, recomputes instead of reading a used array."""

    __slots__ = ("_array",)

    def __init__(self, array):
        self._array = array

    def take(self):
        """The saved array, or None once taken."""
        a, self._array = self._array, None
        return a

    def __repr__(self):
        return "<residual>" if self._array is not None else "<residual (taken)>"


def make_value(out, op, prev, saved, params, record):
    """The Value an op returns: ``out`` (a forward's result) as a Value's data (``as_output``) and,
    when ``record`` and the result is float, the node the engine reads: ``op``, the operands
    ``prev``, their data ``saved`` and the (frozen) ``params``. Shared by :func:`apply` and the
    operators' inline path (``binary.py``)."""
    t = type(out)
    if t is not _F64 and t is not _F32:  # numpy float scalars are final as they are
        out = as_output(op, out, saved)
        record = record and out.dtype.kind == "f"
    v = _new(Value)
    v._data = out
    v._grad = v._trace = v._flow = v._husk = None
    v._retain = False
    v.name = None
    v._scope = _State.scope
    v._seq = next_seq()
    v._visit = 0
    if record:
        v.requires_grad = True
        v._op = op
        v._prev = prev
        v._saved = saved
        v._params = params
    else:
        v.requires_grad = False
        v._op = v._prev = v._saved = v._params = None
    return v


_new = object.__new__
_F64, _F32 = np.float64, np.float32
