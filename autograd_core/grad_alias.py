"""No reference cycle from ``backward(create_graph=True)``: graphs reach a Value holding such a gradient
only through a weak alias.

``x.backward(create_graph=True)`` stores in ``x.grad`` a Value whose graph (the vjps recorded in the
pass, and through them the forward graph) holds ``x``: ``x -> x.grad -> ... -> x``, a cycle that
reference counting never frees (PyTorch has the same cycle and warns about it). So after such a
pass, every reference to ``x`` inside the graph reachable from the new gradient is replaced by an
:class:`Alias`: a node that reads and writes ``data``, ``grad`` and ``name`` of ``x`` through a
weak reference. The engine treats it as ``x`` (its gradient goes to ``x.grad``; ``gradients``
with ``x`` among the inputs finds it), and once the user drops ``x``, ``x`` and its gradient's
graph are freed by reference counting alone, as for any other graph.
"""

import weakref

from .value import Value


class Alias(Value):
    """Stands in for ``target`` inside graphs: same node (op, operands, saved arrays), with its data,
    grad, name and retain flag read from, and grad written to, ``target`` while it lives.

    Once ``target`` is gone nobody can read its gradient: a leaf alias then stops requiring grad
    (the engine skips it); an interior alias still passes gradients through to its operands.
    """

    __slots__ = ("_snapshot", "_target")

    def __init__(self, target):  # not Value's constructor: no copy, no checks
        self._target = weakref.ref(target)
        self._snapshot = target._data  # what the graph saved; kept for when target is gone
        for slot in _NODE_SLOTS:  # the node itself: op, operands, saved arrays, params, ...
            if hasattr(target, slot):
                setattr(self, slot, getattr(target, slot))

    def target(self):
        """The Value this alias stands for, or None once it has been freed."""
        return self._target()

    @property
    def _data(self):
        t = self._target()
        return self._snapshot if t is None else t._data

    @property
    def _grad(self):  # Value.grad (and the engine's delivery) read and write _grad
        t = self._target()
        return None if t is None else t._grad

    @_grad.setter
    def _grad(self, g):
        t = self._target()
        if t is not None:
            t._grad = g

    @property
    def name(self):
        """The target Value's name (None once the target is gone); setting it renames the target."""
        t = self._target()
        return None if t is None else t.name

    @name.setter
    def name(self, n):
        t = self._target()
        if t is not None:
            t.name = n

    @property
    def requires_grad(self):
        """The target's ``requires_grad``; once the target is gone, True for an interior node."""
        t = self._target()
        if t is None:
            return self._op is not None  # interior: gradients still flow through it
        return t.requires_grad

    @property
    def _retain(self):
        t = self._target()
        return t is not None and t._retain


_FORWARDED = {"__weakref__", "_data", "_grad", "name", "requires_grad", "_retain"}  # properties of Alias
_NODE_SLOTS = tuple(slot for slot in Value.__slots__ if slot not in _FORWARDED)


def resolve(v):
    """``v``'s target if ``v`` is an alias (None if freed), else ``v`` itself."""
    return v._target() if type(v) is Alias else v


def unlink(holders):
    """Break the cycles ``v -> v.grad -> graph -> v`` for each Value in ``holders`` (just given a
    Value gradient with a graph): inside that graph, each reference to a holder becomes its alias.

    Walks the graphs of the new gradients once (no recursion); costs nothing for gradients without a
    graph. Nodes elsewhere that hold a holder keep holding it (they make no cycle with its gradient).
    """
    targets = {id(v): v for v in holders if isinstance(v.grad, Value) and v.grad._op is not None}
    if not targets:
        return
    aliases = {}
    seen = set()
    stack = [targets[k].grad for k in targets]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        prev = node._prev
        if not prev:
            continue
        if any(id(p) in targets for p in prev):
            node._prev = prev = tuple(_alias_of(p, targets, aliases) for p in prev)
        stack.extend(p for p in prev if isinstance(p, Value) and id(p) not in seen)


def _alias_of(p, targets, aliases):
    if id(p) not in targets:
        return p
    a = aliases.get(id(p))
    if a is None:
        a = aliases[id(p)] = Alias(p)
    return a


def aliases_of(inputs, order):
    """{id(input): [its aliases in order]}: for gradients(), inputs a graph reaches through an alias."""
    ids = {id(x) for x in inputs}
    found = {}
    for v in order:
        if type(v) is Alias and id(v.target()) in ids:
            found.setdefault(id(v.target()), []).append(v)
    return found


def gradient_of(x, pending, aliases):
    """x's gradient after a sweep: its own plus its aliases' (None if none reached it)."""
    g = pending.get(x)
    for a in aliases.get(id(x), ()):
        ga = pending.get(a)
        if ga is not None:
            g = ga if g is None else g + ga
    return g
