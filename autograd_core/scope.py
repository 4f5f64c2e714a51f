"""Named scopes: every node recorded inside ``with named_scope(label):`` remembers that scope.

``nn.Module.__call__`` opens one per module call (the label is the module), so a drawing can
collapse each module into one box (``draw_graph(loss, params=model, depth=1)``). Scopes nest; each
recorded Value keeps the innermost one in ``_scope`` and reaches the outer ones through ``parent``.
The engine itself never reads them. The name follows JAX's ``jax.named_scope``.
"""

import numpy as np

from .grad_mode import _State
from .value import Value


class Scope:
    """One scope entered once: ``label`` (any object: a Module, a string), ``inputs``, ``parent``.

    ``inputs`` describes the arrays the scope was entered with, as ``(shape, dtype, requires_grad,
    name)`` tuples (Values and ndarrays only), so a drawing can show a model's input batch even
    when no op saw it as an operand (convolution unfolds the batch before recording anything).
    """

    __slots__ = ("inputs", "label", "parent")

    def __init__(self, label, inputs=(), parent=None):
        self.label = label
        self.inputs = inputs
        self.parent = parent

    def path(self):
        """The scopes from the outermost to this one."""
        out = []
        s = self
        while s is not None:
            out.append(s)
            s = s.parent
        return out[::-1]

    def __repr__(self):
        return f"Scope({self.label!r})" if isinstance(self.label, str) else f"Scope({type(self.label).__name__})"


def _describe(inputs):
    out = []
    for a in inputs:
        if isinstance(a, Value):
            out.append((a.shape, a.dtype, a.requires_grad, a.name))
        elif isinstance(a, np.ndarray):
            out.append((a.shape, a.dtype, False, None))
    return tuple(out)


class named_scope:  # noqa: N801 (JAX's name)
    """``with named_scope(label, inputs=()):`` tags every node recorded inside with a :class:`Scope`.

    label: any object; drawings print a string as is and a module by its repr.
    inputs: the Values/arrays entering the scope (optional), described by shape and dtype only.
    """

    __slots__ = ("_inputs", "_label", "_outer")

    def __init__(self, label, inputs=()):
        self._label = label
        self._inputs = inputs

    def __enter__(self):
        self._outer = _State.scope
        _State.scope = Scope(self._label, _describe(self._inputs), self._outer)
        return _State.scope

    def __exit__(self, *exc):
        _State.scope = self._outer
        return False
