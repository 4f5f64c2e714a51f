"""The op registry: every primitive is an Op holding its forward and one vjp per input, side by side.

Each recorded node holds the Op that made it (``v._op``): that is what the engine and graph drawing
read. ``REGISTRY`` maps each op's name to it, for lookups by name: the op sweep in the tests, the
CLI's gradient self-check and users. Users add their own primitives with :func:`primitive` (or
:func:`defop`); the engine treats them like built-ins. A name is registered once: registering it
again raises DuplicateOpError unless ``replace=True``.

A vjp has the signature ``vjp(g, out, *inputs, **params)`` and returns the gradient for one input.
In an ordinary backward pass ``g``, ``out`` and ``inputs`` are ndarrays; under
``create_graph=True`` they are Values, so the same rule records a differentiable graph.
Rules therefore use operators, Value/ndarray methods and ``op.dispatch(...)`` calls, which work on both.
"""

from functools import partial

import numpy as np

from ..anomaly import check_forward
from ..errors import (
    AutogradError,
    DTypeError,
    DuplicateOpError,
    IndexingError,
    NotDifferentiableError,
    ShapeError,
    unexpected_keyword,
)
from ..grad_mode import _State
from ..value import Value
from .saving import copy_writeable, describe, freeze_params, make_value
from .spelling import numpy_spelling, param_names, split_params

REGISTRY = {}


class Op:
    """A primitive: ``forward(*arrays, **params) -> ndarray`` plus a vjp per positional input.

    ``vjps[i]`` is None for an input that has no derivative (``NotImplementedError`` naming the op
    if one is ever needed). ``kind`` groups ops for the sweep and the docs (elementwise, reduce, ...);
    the engine relies on ``"elementwise"`` meaning that each output element depends on the inputs at
    its own (broadcast) position only. ``support``: None, or for a selection op one rule per input,
    ``rule(out, *inputs, **params) -> bool array``, True where that input's gradient can be nonzero
    (autograd_core/support.py).

    ``saving`` (optional) is the forward a recorded node runs instead: ``saving(*arrays, **params)
    -> (out, residual)``, where ``residual`` is a :class:`Residual` holding what the forward computed
    and the vjp would otherwise recompute (the fused cross-entropy's softmax). The vjps receive it
    as ``residual=`` and must work without it (None, or already taken) too.
    """

    __slots__ = ("__weakref__", "forward", "kind", "name", "saving", "support", "vjps")

    def __init__(self, name, forward, vjps=(), *, kind="custom"):
        self.name = name
        self.forward = forward
        self.vjps = tuple(vjps)
        self.kind = kind
        self.support = None  # selection ops: one rule per input, where its gradient can be nonzero (support.py)
        self.saving = None

    def defvjp(self, *vjps):
        """Attach one vjp per positional input (None for a non-differentiable one)."""
        self.vjps = tuple(vjps)
        return self

    def __call__(self, *args, **params):
        if len(args) > len(self.vjps) and self.vjps:
            args, params = split_params(self, args, params)
        if "dim" in params or "keepdim" in params:
            params = numpy_spelling(self.name, params, self)
        if "dtype" in params and self.kind in ("reduce", "scan") and "dtype" not in (param_names(self) or ()):
            args, params = _accumulate_as(self, args, params)
        return apply(self, args, params)

    def dispatch(self, *args, **params):
        """Apply to Values (recording) or, when no argument is a Value, straight to ndarrays."""
        if len(args) > len(self.vjps) and self.vjps:
            args, params = split_params(self, args, params)
        if "dim" in params or "keepdim" in params:
            params = numpy_spelling(self.name, params, self)
        for a in args:
            if isinstance(a, Value):
                return apply(self, args, params)
        return self.forward(*args, **params)

    def __repr__(self):
        return f"<op {self.name}>"


def _accumulate_as(op, args, params):
    """numpy's ``dtype=`` of a reduction or scan (``sum(x, dtype=np.float32)``): the input is cast
    first by a recorded ``astype`` (its gradient is cast back), so the op accumulates in ``dtype``."""
    params = dict(params)
    dtype = params.pop("dtype")
    if dtype is not None:
        args = (REGISTRY["astype"](args[0], dtype=np.dtype(dtype)), *args[1:])
    return args, params


class VariadicOp(Op):
    """A primitive taking any number of differentiable inputs (concatenate, stack, einsum).

    One rule serves every input: ``vjp(i, g, out, *inputs, **params)`` gets the input's index.
    Each arity gets its own plain :class:`Op` (same name and kind, cached), so the engine,
    which reads ``op.vjps[i]``, needs nothing special.
    """

    __slots__ = ("_arity", "index_vjp")

    def __init__(self, name, forward, index_vjp, *, kind="custom"):
        super().__init__(name, forward, (), kind=kind)
        self.index_vjp = index_vjp
        self._arity = {}

    def for_arity(self, n):
        """The plain :class:`Op` for ``n`` inputs (cached): same name and kind, one vjp per input."""
        op = self._arity.get(n)
        if op is None:
            op = Op(self.name, self.forward, [partial(self.index_vjp, i) for i in range(n)], kind=self.kind)
            self._arity[n] = op
        return op

    def __call__(self, *args, **params):
        if "dim" in params or "keepdim" in params:
            params = numpy_spelling(self.name, params, self)
        return apply(self.for_arity(len(args)), args, params)

    def dispatch(self, *args, **params):
        return self.for_arity(len(args)).dispatch(*args, **params)


def _register(op, replace):
    """Put ``op`` into REGISTRY under its name; an existing name only with ``replace=True``."""
    old = REGISTRY.get(op.name)
    if old is not None and not replace:
        raise DuplicateOpError(
            f"an op named {op.name!r} is already registered ({old!r}, kind {old.kind!r}); pick another name, "
            "or pass replace=True to replace it in REGISTRY"
        )
    REGISTRY[op.name] = op
    return op


def defop(name, forward, *vjps, kind="custom", replace=False):
    """Register a primitive and return it; calling it on Values records it in the graph.

    Arguments:
        name: the op's name in REGISTRY, error messages and drawings.
        forward: ``forward(*arrays, **params) -> ndarray``; one positional array per input.
        *vjps: one rule per positional input, ``vjp(g, out, *inputs, **params)`` returning the
            gradient for that input (any shape broadcasting explains; the engine unbroadcasts and
            casts it); None for an input without a derivative.
        kind: a group name for sweeps and docs ("custom" for user ops).
        replace: allow replacing an op already registered under ``name``. Only REGISTRY changes:
            functions and Value operators that hold the old op keep calling it.

    Raises:
        TypeError: forward or a vjp is not callable.
        DuplicateOpError: ``name`` is already registered and ``replace`` is False.
    """
    if not callable(forward):
        raise TypeError(f"defop({name!r}): forward must be callable, got {type(forward).__name__}")
    for i, fn in enumerate(vjps):
        if fn is not None and not callable(fn):
            raise TypeError(f"defop({name!r}): vjp for input {i} must be callable or None")
    return _register(Op(name, forward, vjps, kind=kind), replace)


def defop_variadic(name, forward, index_vjp, *, kind="custom", replace=False):
    """Register a primitive with any number of inputs; ``index_vjp(i, g, out, *inputs, **params)``
    returns the gradient for input ``i``. Raises DuplicateOpError as :func:`defop`."""
    return _register(VariadicOp(name, forward, index_vjp, kind=kind), replace)


def primitive(name, *, kind="custom", replace=False):
    """Decorator form of defop: ``@primitive("cube")`` then ``cube.defvjp(lambda g, out, x: ...)``.

    Raises DuplicateOpError (when applied) if ``name`` is registered and ``replace`` is False.
    """

    def wrap(forward):
        return defop(name, forward, kind=kind, replace=replace)

    return wrap


_NUMBERS = (float, int, bool)
_SEQUENCES = (list, tuple)
_PLAIN = frozenset(
    {int, float, bool, str, type(None), slice, type(Ellipsis), np.ndarray, np.dtype}
)  # never hold a Value


def _const(a, op):
    """Non-Value operands: Python numbers stay weakly typed (float32 stays float32), rest become arrays."""
    if type(a) in _NUMBERS or isinstance(a, (np.ndarray, np.generic)):
        return a
    if isinstance(a, int):  # an int subclass (Value.size, an IntEnum): its number
        return int(a)
    raise DTypeError(f"{op.name}: cannot use an object of type {type(a).__name__} as an operand")


def _numbers_as_arrays(op, datas):
    """Python numbers as 0-d arrays where a forward needs arrays: all operands numbers (float64, as
    ``Value(2.0)``; bools stay bool), or a non-elementwise op (the dtype weak promotion gives, so a
    number next to a float32 array is float32). Elementwise ops take numbers as they are (ufuncs)."""
    arrays = [d for d in datas if type(d) not in _NUMBERS]
    if not arrays:
        return [np.asarray(d, dtype=None if type(d) is bool else np.float64) for d in datas]
    if op.kind == "elementwise":
        return datas
    return [np.asarray(d, dtype=np.result_type(d, *arrays)) if type(d) in _NUMBERS else d for d in datas]


def holds_value(seq):
    """True when a (nested) list or tuple holds a Value anywhere."""
    for item in seq:  # the common case, a flat tuple of ints/slices/arrays, in one pass
        if type(item) not in _PLAIN:
            break
    else:
        return False
    todo = [seq]
    while todo:
        for item in todo.pop():
            if isinstance(item, Value):
                return True
            if type(item) in _SEQUENCES:
                todo.append(item)
    return False


def _shape_of(item):
    return item._data.shape if isinstance(item, Value) else np.shape(item)


def _stacked(seq, name):
    """A (nested) sequence holding Values as one Value, built by recorded ``stack`` ops (as HIPS
    autograd's ``array_from_args``), so the gradient flows back to every Value in it."""
    items = [_stacked(i, name) if type(i) in _SEQUENCES and holds_value(i) else i for i in seq]
    items = [as_operand(i, name) if type(i) in _SEQUENCES else i for i in items]
    shapes = sorted({_shape_of(i) for i in items})
    if len(shapes) > 1:
        raise ShapeError(
            f"{name}: a list operand holds items of different shapes {shapes}; a list stands for one array, "
            "so its items must have one shape"
        )
    return REGISTRY["stack"](*items, axis=0)


def as_operand(x, name="operand"):
    """An op's operand as apply takes it: a list or tuple holding Values becomes one recorded Value
    (stacked); any other list or tuple a numpy array (numpy's dtype); everything else passes.

    Raises ShapeError naming ``name`` for a ragged list, DTypeError for items that are not numbers.
    """
    if type(x) not in _SEQUENCES:
        return x
    if holds_value(x):
        return _stacked(x, name)
    try:
        arr = np.asarray(x)
    except ValueError as err:  # ragged
        raise ShapeError(
            f"{name}: the list operand {_short(x)} is ragged ({err}); give one array-shaped list"
        ) from None
    if arr.dtype.kind not in "fiub":
        raise DTypeError(f"{name}: the list operand {_short(x)} holds {arr.dtype} items; give numbers")
    return arr


def _short(x, n=60):
    r = repr(x)
    return r if len(r) <= n else r[: n - 3] + "..."


def _param(op, key, p):
    """A param as the forward takes it: Values become their data; a Value that requires grad is
    refused, since params are not differentiated (the op would silently treat it as a constant)."""
    if isinstance(p, Value):
        if p.requires_grad:
            raise NotDifferentiableError(
                f"{op.name}: {key}= is a Value that requires grad, but {op.name} does not differentiate with "
                f"respect to {key}; pass {key}=v.detach() to use it as a constant"
            )
        return p._data
    if type(p) in _SEQUENCES and holds_value(p):
        return type(p)(_param(op, key, q) for q in p)
    return p


def _checked_params(op, params):
    """params with Values unwrapped (see _param); the same dict when none holds a Value."""
    for p in params.values():
        t = type(p)
        if t not in _PLAIN and (isinstance(p, Value) or (t in _SEQUENCES and holds_value(p))):
            return {k: _param(op, k, q) for k, q in params.items()}
    return params


def _translate(op, datas, err, params=None):
    """Turn numpy's errors into ours, naming the op and the operands' shapes and dtypes; a keyword
    the op does not take is Python's TypeError naming the op and the closest keyword it takes."""
    if isinstance(err, AutogradError):
        return err
    if isinstance(err, TypeError) and params:
        names = param_names(op)
        for key in params:
            if names is not None and key not in names:
                return unexpected_keyword(op.name, key, names)
    msg = f"{op.name}: {err} (operands: {describe(datas)})"
    if isinstance(err, IndexError):
        return IndexingError(msg)
    if isinstance(err, TypeError):
        return DTypeError(msg)
    return ShapeError(msg)


def apply(op, args, params):
    """Run op's forward on the operands' data and, if any input requires grad, record a node.

    Operands: Values, ndarrays, numpy scalars, Python numbers (weakly typed next to an array; on
    their own float64, as ``Value(2.0)``), and lists or tuples (see :func:`as_operand`: a list
    holding Values is stacked by a recorded op, never turned into a constant).

    The common case (Values and numbers in, a float array or scalar out, no hooks) runs inline;
    numbers, plain arrays, params, unusual results and the anomaly and trace hooks take named steps.
    """
    need = arrays = False
    numbers = 0
    datas = []
    for a in args:
        if isinstance(a, Value):
            datas.append(a._data)
            if a.requires_grad:
                need = True
        elif type(a) in _NUMBERS:
            datas.append(a)
            numbers += 1
        elif type(a) in _SEQUENCES:
            return apply(op, tuple(as_operand(b, op.name) for b in args), params)
        else:
            datas.append(_const(a, op))
            arrays = True
    record = need and _State.enabled
    saving = op.saving if record else None
    if numbers and (numbers == len(datas) or op.kind != "elementwise"):
        datas = _numbers_as_arrays(op, datas)
    if arrays and record:
        copy_writeable(datas, args)
    if params:
        params = _checked_params(op, params)
    try:
        if saving is not None:
            out, residual = saving(*datas, **params)
        elif params:
            out = op.forward(*datas, **params)
        elif len(datas) == 2:  # positional calls for the common arities: a star call costs more
            out = op.forward(datas[0], datas[1])
        else:
            out = op.forward(*datas)
    except (ValueError, TypeError, IndexError) as err:
        if isinstance(err, AutogradError):
            raise  # already ours; `raise err from err` would make err its own cause, a cycle holding the graph
        raise _translate(op, datas, err, params) from err
    kept = params
    if record:
        if params:
            kept = freeze_params(params)
        if saving is not None:
            kept = {**kept, "residual": residual}
    v = make_value(out, op, args if type(args) is tuple else tuple(args), tuple(datas), kept, record)
    if _State.anomaly:
        check_forward(op, v, datas)
    if _State.tracer is not None:
        _State.tracer.op(op, args, datas, params, v._data, residual if saving is not None else None)
    return v
