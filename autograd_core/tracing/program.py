"""The replay program: a recorder's instructions as one straight-line Python function.

Each instruction becomes one line (``r7 = c3(r5, r2, axis=1)``; ``+ - * / @`` are written as
operators, which numpy dispatches to the very same ufuncs, so results are bit-identical and the
call costs less). Instructions whose results nothing uses are dropped, and a register holding an
array of 4 KiB or more is deleted right after its last use, so memory is freed when the numpy
floor would free it. ``Program.source`` is the text; reading it shows the static graph.
"""

import math
import operator

import numpy as np

from ..value import Value, as_data

_INFIX = {
    np.add: "+",
    np.subtract: "-",
    np.multiply: "*",
    np.true_divide: "/",
    np.matmul: "@",
    operator.add: "+",
    operator.sub: "-",
    operator.mul: "*",
    operator.truediv: "/",
    operator.matmul: "@",
}
_PREFIX = {np.negative: "-", operator.neg: "-"}
_DEL_BYTES = 4096


def _acc(v, g):
    """Leaf gradient accumulation, as the engine does it: the first gradient is stored, later ones added."""
    g = as_data(g if type(g) is np.ndarray or isinstance(g, np.generic) else np.asarray(g))
    v._grad = g if v._grad is None else v._grad + g


def _wrap(x):
    """A returned array as a Value that records nothing (the replay made it; there is no graph)."""
    x = as_data(x if type(x) is np.ndarray or isinstance(x, np.generic) else np.asarray(x))
    return Value._node(x, None, None, None, None)


def _refs_in(ref, out):
    kind = ref[0]
    if kind == "r":
        out.append(ref[1])
    elif kind in ("tuple", "list"):
        for x in ref[1]:
            _refs_in(x, out)
    elif kind == "value":
        _refs_in(ref[1], out)
    return out


def _uses(ins):
    kind = ins[0]
    if kind == "load":
        return []
    if kind == "acc":
        return _refs_in(ins[3], [])
    out = []
    for r in ins[3]:
        _refs_in(r, out)
    for _, r in ins[4]:
        _refs_in(r, out)
    return out


def _live(instrs, outputs):
    """Indices of the instructions to keep: side effects, and what they and the outputs read."""
    need = set()
    for r in outputs:
        need.update(_refs_in(r, []))
    keep = []
    for n in range(len(instrs) - 1, -1, -1):
        ins = instrs[n]
        if ins[0] in ("acc", "effect") or ins[1] in need:
            keep.append(n)
            need.update(_uses(ins))
    return keep[::-1]


def _render(ref):
    kind, x = ref
    if kind == "r":
        return f"r{x}"
    if kind == "c":
        return f"c{x}"
    if kind == "a":
        return f"a{x}"
    if kind == "lit":
        return repr(x)
    if kind == "value":
        return f"_wrap({_render(x)})"
    items = ", ".join(_render(r) for r in x)
    if kind == "tuple":
        return f"({items},)" if len(x) == 1 else f"({items})"
    return f"[{items}]"


def _call(fn_ref, args, kwargs, consts):
    fn = consts[fn_ref[1]]
    if not kwargs:
        try:
            if len(args) == 2 and fn in _INFIX:
                return f"{_render(args[0])} {_INFIX[fn]} {_render(args[1])}"
            if len(args) == 1 and fn in _PREFIX:
                return f"{_PREFIX[fn]}{_render(args[0])}"
            if len(args) == 2 and fn is operator.getitem:
                return f"{_render(args[0])}[{_render(args[1])}]"
        except TypeError:  # an unhashable callable
            pass
    parts = [_render(a) for a in args] + [f"{name}={_render(r)}" for name, r in kwargs]
    return f"{_render(fn_ref)}({', '.join(parts)})"


def _line(ins, consts, values):
    kind, k = ins[0], ins[1]
    if kind == "load":
        src = ins[2]
        if src[0] == "grad":
            return f"r{k} = {_render(src[1])}._grad"
        rhs = {"arg": f"a{src[1]}", "argdata": f"a{src[1]}._data", "leaf": f"c{src[1]}._data"}[src[0]]
        if src[0] != "arg" and type(values[k]) is np.ndarray and values[k].ndim == 0:
            rhs += "[()]"  # a 0-d array's number as a numpy scalar: same value, faster arithmetic
        return f"r{k} = {rhs}"
    if kind == "acc":
        return f"_acc({_render(ins[2])}, {_render(ins[3])})"
    rhs = _call(ins[2], ins[3], ins[4], consts)
    return rhs if k is None else f"r{k} = {rhs}"


def _big(obj):
    return type(obj) is np.ndarray and obj.nbytes >= _DEL_BYTES


def generate(rec, n_inputs, outputs):
    """(source text, body lines) of ``replay(a0, ..., a{n-1})`` returning the output leaves as a list."""
    instrs = [rec.instrs[n] for n in _live(rec.instrs, outputs)]
    last = {}
    for n, ins in enumerate(instrs):
        if ins[1] is not None:
            last.setdefault(ins[1], n)
        for k in _uses(ins):
            last[k] = n
    for r in outputs:
        for k in _refs_in(r, []):
            last[k] = len(instrs)
    dying = {}
    for k, n in last.items():
        if n < len(instrs) and _big(rec.values[k]):
            dying.setdefault(n, []).append(k)
    body = []
    for n, ins in enumerate(instrs):
        body.append(_line(ins, rec.consts, rec.values))
        if n in dying:
            body.append("del " + ", ".join(f"r{k}" for k in sorted(dying[n])))
    body.append("return [" + ", ".join(_render(r) for r in outputs) + "]")
    head = f"def replay({', '.join(f'a{i}' for i in range(n_inputs))}):"
    return "\n".join([head, *("    " + line for line in body)]) + "\n", body


def compile_program(source, consts, name):
    """The replay function: ``source`` compiled with the constants c0, c1, ... as its globals."""
    namespace = {f"c{j}": c for j, c in enumerate(consts)}
    namespace.update(_acc=_acc, _wrap=_wrap, __name__=f"autograd_core.tracing.replay_{name}")
    exec(compile(source, f"<trace of {name}>", "exec"), namespace)
    return namespace["replay"]


def same_constant(a, b):
    """Equal as a trace constant: the same object, or equal type, shape, dtype and values (NaN = NaN, -0.0 != 0.0)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, (np.ndarray, np.generic)):
        return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, float):
        return (a == b and math.copysign(1, a) == math.copysign(1, b)) or (a != a and b != b)
    if isinstance(a, Value) or callable(a):
        return a == b if not isinstance(a, Value) else False
    try:
        return bool(a == b)
    except Exception:
        return False
