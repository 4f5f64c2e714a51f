"""Traced: a function run once with recording, then replayed as a compiled straight-line program.

Calls are matched to programs by their *signature*: the structure of the arguments (tuples,
lists, dicts), the shape and dtype of every array or Value in them (and whether a Value requires
grad), and the value of everything else (numbers, strings: constants of the trace).
"""

import itertools
import re
import warnings

import numpy as np

from ..errors import TraceError, TraceMismatchError, TraceWarning
from ..grad_mode import _State
from ..value import Value
from .program import compile_program, generate, same_constant
from .recorder import Recorder

_DYNAMIC = (Value, np.ndarray, np.generic)
_MANY_TRACES = 8


def _flatten(obj, leaves):
    """Structure of nested tuples/lists/dicts (hashable) and the leaves, in order."""
    t = type(obj)
    if t is tuple or t is list:
        return (t, tuple(_flatten(x, leaves) for x in obj))
    if t is dict:
        return (dict, tuple(obj), tuple(_flatten(v, leaves) for v in obj.values()))
    leaves.append(obj)
    return None


def _unflatten(tree, leaves):
    if tree is None:
        return next(leaves)
    if tree[0] is dict:
        return dict(zip(tree[1], (_unflatten(t, leaves) for t in tree[2])))
    return tree[0](_unflatten(t, leaves) for t in tree[1])


def _signature(tree, leaves):
    parts = [tree]
    for x in leaves:
        if isinstance(x, Value):
            parts.append(("Value", x.shape, x.dtype.str, x.requires_grad))
        elif isinstance(x, (np.ndarray, np.generic)):
            parts.append(("array", x.shape, x.dtype.str))
        else:
            parts.append(("constant", type(x), x))
    sig = tuple(parts)
    try:
        hash(sig)
    except TypeError:
        bad = next(type(x).__name__ for x in leaves if not isinstance(x, _DYNAMIC) and not _hashable(x))
        raise TraceError(
            f"trace: an argument of type {bad} is neither an array, a Value nor a hashable constant; "
            "pass arrays or Values (or tuples, lists and dicts of them) and numbers"
        ) from None
    return sig


def _hashable(x):
    try:
        hash(x)
    except TypeError:
        return False
    return True


class Program:
    """One trace: its source, constants, compiled replay and call counter."""

    def __init__(self, rec, n_inputs, out_tree, out_refs, eager_only, name):
        self.source, self.lines = generate(rec, n_inputs, out_refs)
        self.consts = rec.consts
        self.created = rec.created_consts
        self.out_tree = out_tree
        self.eager_only = eager_only
        self.name = name
        self.calls = 0
        self._fn = None

    def check_due(self, every):
        """True when the next call (number ``calls + 1`` after the trace) is to be checked: the first
        one, unless ``every`` is 0, and every ``every``-th one."""
        n = self.calls + 1
        return every != 0 and (n == 1 or (every is not None and n % every == 0))

    def run(self, dynamic):
        """Replay on the dynamic arguments (arrays and Values, in order); compiles on the first run."""
        fn = self._fn
        if fn is None:
            fn = self._fn = compile_program(self.source, self.consts, self.name)
        out = fn(*dynamic)
        return out[0] if self.out_tree is None else _unflatten(self.out_tree, iter(out))

    def mismatch(self, other):
        """None when ``other`` (a fresh recording) would replay exactly as this program; else why not."""
        if self.lines != other.lines:
            for n, (a, b) in enumerate(itertools.zip_longest(self.lines, other.lines, fillvalue="<nothing>")):
                if a != b and _NUMBER.sub("#", a) == _NUMBER.sub("#", b):
                    return (
                        f"a number differs at step {n} of the replay: the trace has\n    {a}\nwhere this call did\n"
                        f"    {b}\n{_FROZEN}"
                    )
                if a != b:
                    return (
                        f"the call took another path than the trace at step {n} of the replay: the trace has\n"
                        f"    {a}\nwhere this call did\n    {b}\n"
                        "Python control flow that depends on data values (if/while on a Value, .item()) cannot be "
                        "replayed by a trace; keep it outside the traced function"
                    )
        for j, (a, b) in enumerate(zip(self.consts, other.consts)):
            if j in self.created and j in other.created:  # made afresh by each call: compare contents
                a, b = (a._data, a.requires_grad), (b._data, b.requires_grad)
                if same_constant(a[0], b[0]) and a[1] == b[1]:
                    continue
                a, b = a[0], b[0]
            if not same_constant(a, b):
                line = next((ln for ln in self.lines if f"c{j}" in ln.replace("(", " ").replace(",", " ").split()), "")
                return (
                    f"constant c{j} ({_describe(a)}) differs from this call's ({_describe(b)}); it is used in\n"
                    f"    {line}\n{_FROZEN}"
                )
        return None


_NUMBER = re.compile(r"(?<![\w.])-?(?:\d+\.?\d*(?:e[+-]?\d+)?|inf|nan)")
_FROZEN = (
    "The trace froze a value computed outside the ops (from data with numpy or .item(), or drawn at random, "
    "as dropout masks are): compute it with ops inside, or pass it as an argument"
)


def _describe(x):
    if isinstance(x, np.ndarray):
        return f"array of shape {x.shape} {x.dtype}"
    return f"{type(x).__name__} {x!r}" if not isinstance(x, Value) else f"Value of shape {x.shape}"


class Traced:
    """A function traced on its first call for each signature and replayed afterwards.

    See :func:`autograd_core.tracing.trace` for the behaviour and its limits.
    """

    def __init__(self, fn, *, on_new_signature="retrace", check_every=None):
        if not callable(fn):
            raise TypeError(f"trace: expected a function, got {type(fn).__name__}")
        if on_new_signature not in ("retrace", "raise"):
            raise ValueError(f"trace: on_new_signature must be 'retrace' or 'raise', got {on_new_signature!r}")
        if check_every is not None and (not isinstance(check_every, int) or check_every < 0):
            raise ValueError(f"trace: check_every must be None or an int >= 0, got {check_every!r}")
        self.fn = fn
        self.on_new_signature = on_new_signature
        self.check_every = check_every
        self.programs = {}
        self._last = None
        self.__name__ = getattr(fn, "__name__", "traced")
        self.__doc__ = getattr(fn, "__doc__", None)
        self.__wrapped__ = fn

    @property
    def source(self):
        """The replay program of the latest trace, as Python source (None before the first call)."""
        return None if self._last is None else self._last.source

    def __call__(self, *args, **kwargs):
        if _State.tracer is not None:  # inside another trace: inlined into it
            return self.fn(*args, **kwargs)
        if not kwargs and all(type(a) is np.ndarray for a in args):  # arrays only: a cheap signature
            sig, tree, leaves = tuple([(a.shape, a.dtype) for a in args]), None, args
        else:
            leaves = []
            tree = _flatten((args, kwargs), leaves)
            sig = _signature(tree, leaves)
        prog = self.programs.get(sig)
        if prog is None or prog.eager_only or prog.check_due(self.check_every):
            return self._slow_call(sig, prog, args, kwargs, tree, leaves)
        prog.calls += 1
        self._last = prog
        return prog.run(leaves if tree is None else [x for x in leaves if isinstance(x, _DYNAMIC)])

    def _slow_call(self, sig, prog, args, kwargs, tree, leaves):
        """A call that records: the first of a signature (a trace), a checked one, or an eager-only one."""
        if tree is None:
            leaves = []
            tree = _flatten((args, kwargs), leaves)
        if prog is None:
            if self.programs and self.on_new_signature == "raise":
                raise TraceError(
                    f"trace of {self.__name__}: called with a new signature (argument shapes, dtypes or constants "
                    "differ from every trace) and on_new_signature='raise'"
                )
            result, prog = self._record(tree, leaves)
            self.programs[sig] = self._last = prog
            if len(self.programs) == _MANY_TRACES:
                warnings.warn(
                    f"trace of {self.__name__}: {_MANY_TRACES} different signatures traced; if shapes or constants "
                    "change on every call, the traced function is slower than the plain one",
                    TraceWarning,
                    stacklevel=3,
                )
            return result
        prog.calls += 1
        self._last = prog
        if prog.eager_only:
            return self.fn(*args, **kwargs)
        return self._check(prog, tree, leaves)

    def _record(self, tree, leaves):
        """Run fn eagerly with recording; returns (its result, the Program)."""
        rec = Recorder()
        call_leaves, n = [], 0
        for x in leaves:
            if isinstance(x, _DYNAMIC):
                v = x if isinstance(x, Value) else Value(x, requires_grad=False)
                rec.input(n, v, raw=v is not x)
                call_leaves.append(v)
                n += 1
            else:
                call_leaves.append(x)
        args, kwargs = _unflatten(tree, iter(call_leaves))
        _State.tracer = rec
        try:
            result = self.fn(*args, **kwargs)
        finally:
            _State.tracer = None
        out_leaves = []
        out_tree = _flatten(result, out_leaves)
        eager_only = any(isinstance(v, Value) and v._op is not None and v._saved is not None for v in out_leaves)
        if eager_only:
            warnings.warn(
                f"trace of {self.__name__}: it returns a Value whose graph is still alive (backward is called "
                "outside), so it runs eagerly on every call; trace whole steps (forward, backward, update)",
                TraceWarning,
                stacklevel=4,
            )
        refs = [rec.output(x) for x in out_leaves]
        return result, Program(rec, n, out_tree, refs, eager_only, self.__name__)

    def _check(self, prog, tree, leaves):
        """Run eagerly (recording afresh) and raise TraceMismatchError if the replay would have differed."""
        result, fresh = self._record(tree, leaves)
        why = prog.mismatch(fresh)
        if why is not None:
            raise TraceMismatchError(
                f"trace of {self.__name__}, call {prog.calls + 1} (checked, and run eagerly): {why}"
            )
        return result
