"""What a plain ``backward()`` leaves of the graph it frees, so that drawing the root afterwards
still shows every node with its data and the gradient that flowed through it (micrograd's picture),
while no activation array stays alive.

Backward drops every node's saved arrays (``_saved``). A *small* Value (at most :data:`SMALL`
elements) then serves as its own skeleton: it stays in its consumers' ``_prev`` with its data, and
the gradient that flowed through it is kept in ``_flow`` (interior gradients stay out of ``.grad``,
as in PyTorch). A *big* interior Value, or a big constant operand (an ndarray, a Value that does
not require grad), is replaced in its consumers' ``_prev`` by a *husk*: a plain 7-tuple
``(op, params, inputs, scope, name, shape, dtype)`` without the array (``op`` and ``inputs`` are
None for a constant). Holding the root therefore holds small arrays only.

A husk is a tuple rather than an object because building one runs once per big node of every
backward: a tuple costs half as much, which keeps the per-op benchmarks within a few percent.
:func:`husk_view` names its fields for readers (the drawings).
"""

from collections import namedtuple

import numpy as np

from .value import Value

SMALL = 64  # elements: arrays up to this size are kept (drawings print up to max_values of them)

HuskView = namedtuple("HuskView", "op params inputs scope name shape dtype")


def is_husk(x):
    """True for a husk standing in a freed node's ``_prev`` (a raw tuple operand never ends in a dtype)."""
    return type(x) is tuple and len(x) == 7 and isinstance(x[6], np.dtype)


def husk_view(x):
    """The husk's fields by name: ``op params inputs scope name shape dtype``."""
    return HuskView._make(x)


def is_big(p):
    """True for an operand a freed graph must not keep: an array (or constant Value) over SMALL elements."""
    if type(p) is np.ndarray:
        return p.size > SMALL
    return isinstance(p, Value) and p._data.size > SMALL


def _stand_in(p):
    """What a freed node keeps for its operand ``p`` (not yet husked): ``p`` itself, or a husk."""
    if isinstance(p, Value):
        d = p._data
        if d.size <= SMALL or (p._op is None and p.requires_grad):
            return p  # small data is cheap; parameters and other leaves live on anyway
        if p._op is None:  # a big constant
            return (None, None, None, p._scope, p.name, d.shape, d.dtype)
        # big, interior, not freed by this pass (no gradient reached it): cut its inputs off
        return (p._op, p._params, None, p._scope, p.name, d.shape, d.dtype)
    if type(p) is np.ndarray and p.size > SMALL:
        return (None, None, None, None, None, p.shape, p.dtype)
    return p


def leave_skeleton(nodes):
    """After a pass that freed the graph: swap big operands for husks, inputs before consumers.

    ``nodes``: the freed nodes that are big or have a big operand, in topological order (inputs
    first), so each big input already has its husk when its consumers are visited. Each big node
    gets its own husk in ``_husk`` and keeps the stripped inputs in ``_prev`` (for a Value the user
    still holds).
    """
    for v in nodes:
        prev = v._prev
        n = len(prev)
        # Unary and binary ops written out, as this loop runs once per big node of every backward.
        # Big interior inputs got their husk before their consumers; _stand_in decides the rest.
        if n == 1:
            (a,) = prev
            qa = (a._husk or _stand_in(a)) if isinstance(a, Value) else _stand_in(a)
            if qa is not a:
                v._prev = prev = (qa,)
        elif n == 2:
            a, b = prev
            qa = (a._husk or _stand_in(a)) if isinstance(a, Value) else a if type(a) is not np.ndarray else _stand_in(a)
            qb = (b._husk or _stand_in(b)) if isinstance(b, Value) else b if type(b) is not np.ndarray else _stand_in(b)
            if qa is not a or qb is not b:
                v._prev = prev = (qa, qb)
        else:
            # (from a list: tuple(generator) would grow by resizing, skipping CPython's tuple free list)
            kept = tuple([(p._husk or _stand_in(p)) if isinstance(p, Value) else _stand_in(p) for p in prev])
            if any(q is not p for q, p in zip(kept, prev)):
                v._prev = prev = kept
        d = v._data
        if d.size > SMALL:
            v._husk = (v._op, v._params, prev, v._scope, v.name, d.shape, d.dtype)
