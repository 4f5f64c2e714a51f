"""The recorder: while a traced function runs eagerly once, it writes down every numpy-level call.

The engine calls it from three places (``_State.tracer`` is the recorder while tracing, else None):
``apply`` reports each op's forward, the backward pass each vjp, fit and gradient sum, and each
leaf accumulation, and :func:`~autograd_core.tracing.effect` each call with side effects (an
optimiser step, an in-place update). Arrays are followed by identity: an operand that a recorded
call produced becomes a *register*, a leaf Value's array a *load* of that leaf at replay time,
anything else a *constant* of the trace (a snapshot). Every mapped object is kept alive while
tracing, so no ``id()`` is reused.

Instructions (plain tuples, turned into Python source by program.py):
    ("load", k, src)                     register k = an input or a leaf's data (src below)
    ("call", k, fn, args, kwargs)        register k = fn(*args, **kwargs), a pure numpy-level call
    ("acc", None, target, g)             leaf.grad accumulates g (engine semantics)
    ("effect", k, fn, args, kwargs)      fn(*args, **kwargs) for its side effects; k = result or None
Operand references: ("r", k) register, ("c", j) constant j, ("a", i) input i itself, ("lit", x)
a Python literal, ("tuple", refs) / ("list", refs). ``src`` of a load: ("arg", i) an array input,
("argdata", i) a Value input's data, ("leaf", j) constant Value j's data, ("grad", ref) a Value's
``.grad`` as user code read it.
"""

import math
import operator

import numpy as np

from ..engine import _conform_array
from ..errors import TraceError
from ..value import Value


def _mappable(obj):
    """Objects followed by identity: arrays and numpy/Python floats made fresh by each call
    (numpy's bool scalars are singletons, and Python ints are cached, so they are not)."""
    t = type(obj)
    return t is np.ndarray or t is float or (isinstance(obj, np.generic) and t is not np.bool_)


def _literal(obj):
    t = type(obj)
    return obj is None or t is int or t is bool or t is str or (t is float and math.isfinite(obj))


class Recorder:
    """Collects the instructions of one traced call (see the module docstring)."""

    def __init__(self):
        self.instrs = []
        self.consts = []
        self.values = []  # register k -> the object it held while tracing
        self._const_ids = {}
        self._regs = {}  # id(mapped object) -> register
        self._value_regs = {}  # id(Value returned by an effect) -> register
        self._inputs = {}  # id(input Value) -> input index
        self._loaded = set()  # registers that hold an input's or a leaf's data
        self._created = set()  # id of every Value constructed while tracing
        self.created_consts = set()  # constant indices of such Values
        self._keep = []

    # -- references --------------------------------------------------------------------------------
    def _new_reg(self, obj):
        k = len(self.values)
        self.values.append(obj)
        if _mappable(obj):
            self._regs[id(obj)] = k
            self._keep.append(obj)
        return k

    def const(self, obj):
        """Constant pool index of ``obj`` (deduplicated by identity); writeable arrays are snapshotted."""
        j = self._const_ids.get(id(obj))
        if j is None:
            j = self._const_ids[id(obj)] = len(self.consts)
            self._keep.append(obj)
            if type(obj) is np.ndarray and obj.flags.writeable:
                obj = obj.copy()
                obj.flags.writeable = False
            self.consts.append(obj)
            if id(obj) in self._created:
                self.created_consts.add(j)
        return ("c", j)

    def ref(self, obj):
        """Reference to a plain operand: a register when a recorded call made it, else a constant."""
        k = self._regs.get(id(obj))
        if k is not None:
            return ("r", k)
        if isinstance(obj, Value):
            k = self._value_regs.get(id(obj))
            return ("r", k) if k is not None else self.target(obj)
        t = type(obj)
        if t is tuple or t is list:
            return ("tuple" if t is tuple else "list", tuple(self.ref(x) for x in obj))
        if _literal(obj):
            return ("lit", obj)
        return self.const(obj)

    def target(self, v):
        """A Value itself (not its data): the input it arrived as, or a constant of the trace."""
        i = self._inputs.get(id(v))
        return ("a", i) if i is not None else self.const(v)

    def data(self, v):
        """Register holding a Value's data, loading it (from its input or leaf) on first use."""
        k = self._regs.get(id(v._data))
        if k is None:
            i = self._inputs.get(id(v))
            src = ("argdata", i) if i is not None else ("leaf", self.const(v)[1])
            k = self._new_reg(v._data)
            self._loaded.add(k)
            self.instrs.append(("load", k, src))
        return ("r", k)

    # -- what the engine reports -------------------------------------------------------------------
    def created(self, v):
        """A Value was constructed while tracing (e.g. a ``Value(0.0)`` to start a sum): a new object
        on every eager call, so checks compare its data rather than its identity."""
        self._created.add(id(v))
        self._keep.append(v)

    def input(self, i, value, raw):
        """Input i arrives as ``value`` (an array input wrapped in a Value when ``raw``)."""
        self._inputs[id(value)] = i
        self._keep.append(value)
        k = self._new_reg(value._data)
        self._loaded.add(k)
        self.instrs.append(("load", k, ("arg", i) if raw else ("argdata", i)))

    def op(self, op, args, datas, params, out, residual=None):
        """An op's forward ran: ``out`` (the Value's array) = op.forward(*datas, **params), or, with a
        ``residual``, ``(out, residual) = op.saving(*datas, **params)`` (see registry.Op)."""
        refs = []
        for a, d in zip(args, datas):
            if isinstance(a, Value):
                refs.append(self.data(a))
            else:
                k = self._regs.get(id(a))
                refs.append(("r", k) if k is not None else self.ref(d))
        kw = tuple((name, self.ref(p)) for name, p in params.items())
        if residual is None:
            self.instrs.append(("call", self._new_reg(out), self.const(op.forward), tuple(refs), kw))
            return
        both = self._new_reg(None)
        self.instrs.append(("call", both, self.const(op.saving), tuple(refs), kw))
        self.instrs.append(("call", self._new_reg(out), self.const(operator.getitem), (("r", both), ("lit", 0)), ()))
        k = self._new_reg(residual)
        self._regs[id(residual)] = k  # a fresh object each call, so followed like an array
        self._keep.append(residual)
        self.instrs.append(("call", k, self.const(operator.getitem), (("r", both), ("lit", 1)), ()))

    def call(self, fn, args, kwargs, result):
        """A pure numpy-level call of the backward pass; a result that is one of its arguments is an alias.

        The engine's fit of a gradient to its input (``_conform_array``) is recorded as the one reduction
        it made when that is all it did (a bias gradient summed over the batch axes): the same
        ``np.add.reduce`` that ``ndarray.sum`` runs, without the shape analysis around it."""
        for a in args:
            if a is result:
                return
        if fn is _conform_array and type(args[0]) is np.ndarray and type(result) is np.ndarray:
            g, shape = args[0], args[1]
            lead = g.ndim - len(shape)
            if lead > 0 and shape and g.shape[lead:] == shape and result.dtype == g.dtype:
                fn, args, kwargs = np.add.reduce, (g,), {"axis": tuple(range(lead))}  # what ndarray.sum runs
        refs = tuple(self.ref(a) for a in args)
        kw = tuple((name, self.ref(p)) for name, p in kwargs.items())
        fn = self.const(fn)
        self.instrs.append(("call", self._new_reg(result), fn, refs, kw))

    def accumulate(self, v, g):
        """``v.grad`` received ``g`` (g itself, or the sum with the gradient it held)."""
        if v._op is not None:
            raise TraceError(
                "retain_grad() on a Value computed inside a traced function: its Value is not made again on replay; "
                "return the Value instead, or trace without retain_grad()"
            )
        self.instrs.append(("acc", None, self.target(v), self.ref(g)))

    def read_grad(self, v):
        """User code read ``v.grad``: from here on that array is whatever ``v.grad`` holds on replay
        (after accumulating over calls, say), while the engine's own uses of it came before."""
        g = v._grad
        if _mappable(g):
            k = self._new_reg(g)
            self._loaded.add(k)
            self.instrs.append(("load", k, ("grad", self.target(v))))

    def effect(self, fn, args, kwargs, result):
        """``fn(*args, **kwargs)`` ran for its side effects; the replay calls it again at this point."""
        refs = tuple(self.target(a) if isinstance(a, Value) else self.ref(a) for a in args)
        kw = tuple((name, self.target(p) if isinstance(p, Value) else self.ref(p)) for name, p in kwargs.items())
        fn = self.const(fn)
        k = None
        if result is not None:
            k = self._new_reg(result)
            if isinstance(result, Value):
                self._value_regs[id(result)] = k
                self._keep.append(result)
        self.instrs.append(("effect", k, fn, refs, kw))

    def output(self, obj):
        """Reference for one returned leaf: ("value", ref) for a Value made inside, else a plain ref."""
        if isinstance(obj, Value):
            k = self._value_regs.get(id(obj))
            if k is not None:
                return ("r", k)
            k = self._regs.get(id(obj._data))
            if k is not None and k not in self._loaded:
                return ("value", ("r", k))
            return self.target(obj)  # an input or a Value from outside: returned as it is
        return self.ref(obj)
