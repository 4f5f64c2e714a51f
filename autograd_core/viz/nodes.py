"""One view over what a graph holds, live or left by backward: Values, husks and plain constants.

After a plain ``backward()`` a graph is part live Values (small ones, leaves, parameters) and part
husks (big nodes whose arrays were freed; see ``autograd_core/skeleton.py``). Drawing and the
step-by-step backward read both through :class:`NodeView`, so they never care which is which.
"""

from collections import deque

import numpy as np

from ..skeleton import husk_view, is_husk
from ..value import Value


class NodeView:
    """What a drawing needs of one node: op, params, inputs, name, shape, dtype, data and gradient.

    ``data`` is None for a husk (freed) and ``grad`` is None where no gradient is known. For a leaf,
    ``grad`` is its accumulated ``.grad``; for an interior node, the gradient that flowed through it
    in the last backward (``_flow``), or its ``.grad`` if it retains one.
    """

    __slots__ = ("data", "dtype", "grad", "inputs", "name", "obj", "op", "params", "requires_grad", "scope", "shape")

    def __init__(self, x):
        self.obj = x
        if isinstance(x, Value):
            self.op, self.params, self.inputs, self.scope, self.name = x._op, x._params, x._prev, x._scope, x.name
            self.data, self.shape, self.dtype = x._data, x._data.shape, x._data.dtype
            self.requires_grad = x.requires_grad
            self.grad = x.grad if x._op is None or x.grad is not None else x._flow
        else:
            h = husk_view(x)
            self.op, self.params, self.inputs, self.scope, self.name = h.op, h.params, h.inputs, h.scope, h.name
            self.data, self.shape, self.dtype, self.grad = None, h.shape, h.dtype, None
            self.requires_grad = h.op is not None

    @property
    def is_leaf(self):
        """True for a node no op made (a leaf or a constant)."""
        return self.op is None

    @property
    def freed_inputs(self):
        """True for a husk cut off by a backward that sent it no gradient (its inputs were dropped)."""
        return self.op is not None and self.inputs is None


def is_node(x):
    """Values and husks are nodes (drawn once each); numbers and plain arrays are constant operands."""
    return isinstance(x, Value) or is_husk(x)


def collect(root, max_nodes):
    """Breadth first from ``root`` (no recursion): the first ``max_nodes`` nodes, nearest the root.

    Returns ``(views, index, cut)``: the NodeViews in order, ``id(obj) -> position``, and whether
    the cap left nodes out.
    """
    views = [NodeView(root)]
    index = {id(root): 0}
    queue = deque(views)
    cut = False
    while queue:
        view = queue.popleft()
        for p in view.inputs or ():
            if is_node(p) and id(p) not in index:
                if max_nodes is not None and len(views) >= max_nodes:
                    cut = True
                    continue
                index[id(p)] = len(views)
                child = NodeView(p)
                views.append(child)
                queue.append(child)
    return views, index, cut


def count_nodes(root, limit):
    """Nodes reachable from ``root``, counting at most ``limit`` (iterative)."""
    seen = {id(root)}
    stack = [root]
    while stack and len(seen) < limit:
        x = stack.pop()
        inputs = x._prev if isinstance(x, Value) else husk_view(x).inputs
        for p in inputs or ():
            if is_node(p) and id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return len(seen)


def as_array(c):
    """A constant operand as an array (numbers, numpy scalars, lists)."""
    return np.asarray(c)
