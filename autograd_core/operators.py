"""Value's operators and ndarray-like methods, bound onto Value here.

They call the ops (and backward the engine, drawing the viz), which all import value.py; keeping
them in this file lets imports run one way: value <- ops <- engine <- operators. Each method is a
one-line delegation to the public op of the same name, so ``x.sum(1)`` and ``ag.sum(x, 1)`` are
one code path.
"""

import numpy as np

from .engine import backward
from .methods_math import MathMethods
from .ops.elementwise import (
    absolute,
    add,
    astype,
    clip,
    div,
    exp,
    log,
    mul,
    neg,
    power,
    relu,
    sigmoid,
    sqrt,
    sub,
    tanh,
)
from .ops.linalg import matmul
from .ops.reduce import amax, amin, logsumexp, mean, sum_
from .ops.registry import apply
from .ops.shape import (
    broadcast_to,
    flatten,
    getitem,
    reshape,
    squeeze,
    swapaxes,
    transpose,
    unsqueeze,
)
from .value import Value
from .viz import draw_graph

_NO_PARAMS = {}  # shared by the operators' nodes as their (empty, never written) params


class ValueMethods:
    """The methods bound onto :class:`Value` (see the module docstring)."""

    def astype(self, dtype):
        return astype(self, dtype=np.dtype(dtype))

    def float(self):
        return self.astype(np.float32)

    def double(self):
        return self.astype(np.float64)

    def backward(self, grad=None, retain_graph=None, create_graph=False):
        """Reverse-mode differentiation from this Value; leaves accumulate into ``.grad``."""
        backward(self, grad, retain_graph=retain_graph, create_graph=create_graph)

    def _repr_svg_(self):
        return draw_graph(self)._repr_image_svg_xml()

    # -- operators (the arithmetic ones call apply directly: one Python call less per op) ----------
    def __add__(self, o):
        return apply(add, (self, o), _NO_PARAMS)

    def __radd__(self, o):
        return apply(add, (o, self), _NO_PARAMS)

    def __sub__(self, o):
        return apply(sub, (self, o), _NO_PARAMS)

    def __rsub__(self, o):
        return apply(sub, (o, self), _NO_PARAMS)

    def __mul__(self, o):
        return apply(mul, (self, o), _NO_PARAMS)

    def __rmul__(self, o):
        return apply(mul, (o, self), _NO_PARAMS)

    def __truediv__(self, o):
        return apply(div, (self, o), _NO_PARAMS)

    def __rtruediv__(self, o):
        return apply(div, (o, self), _NO_PARAMS)

    def __pow__(self, o):
        return power(self, o)

    def __rpow__(self, o):
        return power(o, self)

    def __matmul__(self, o):
        return matmul(self, o)

    def __rmatmul__(self, o):
        return matmul(o, self)

    def __neg__(self):
        return apply(neg, (self,), _NO_PARAMS)

    def __pos__(self):
        return self

    def __abs__(self):
        return absolute(self)

    def __getitem__(self, index):
        return getitem(self, index)

    # -- method forms of the primitives (mirror ndarray, so vjp rules run on both) --------------
    def exp(self):
        return exp(self)

    def log(self):
        return log(self)

    def sqrt(self):
        return sqrt(self)

    def tanh(self):
        return tanh(self)

    def sigmoid(self):
        return sigmoid(self)

    def relu(self):
        return relu(self)

    def abs(self):
        return absolute(self)

    def clip(self, min=None, max=None):  # noqa: A002 (numpy's names)
        return clip(self, min, max)

    def sum(self, axis=None, keepdims=False):
        return sum_(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        return mean(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        return amax(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        return amin(self, axis=axis, keepdims=keepdims)

    def logsumexp(self, axis=None, keepdims=False):
        return logsumexp(self, axis=axis, keepdims=keepdims)

    def reshape(self, *shape):
        return reshape(self, shape=tuple(shape[0]) if len(shape) == 1 and not isinstance(shape[0], int) else shape)

    def view(self, *shape):
        return self.reshape(*shape)

    def transpose(self, *axes):
        if len(axes) == 1 and not isinstance(axes[0], int):
            axes = axes[0]
        return transpose(self, axes=tuple(axes) if axes else None)

    def permute(self, *dims):
        return self.transpose(*dims)

    @property
    def T(self):  # noqa: N802
        return transpose(self, axes=None)

    def swapaxes(self, a, b):
        return swapaxes(self, a=a, b=b)

    def flatten(self, start_dim=0, end_dim=-1):
        return flatten(self, start_dim=start_dim, end_dim=end_dim)

    def squeeze(self, axis=None):
        return squeeze(self, axis=axis)

    def unsqueeze(self, axis):
        return unsqueeze(self, axis=axis)

    def expand_dims(self, axis):
        return unsqueeze(self, axis=axis)

    def broadcast_to(self, shape):
        return broadcast_to(self, shape=tuple(shape))

    def expand(self, *shape):
        return broadcast_to(self, shape=tuple(shape[0]) if len(shape) == 1 and not isinstance(shape[0], int) else shape)

    def matmul(self, o):
        return matmul(self, o)

    def dot(self, o):
        return matmul(self, o)


def _bind():
    """Copy every method above, and those of the method files, onto Value (``Value.__add__`` is then
    ``ValueMethods.__add__``)."""
    for cls in (ValueMethods, MathMethods):
        for name, attr in vars(cls).items():
            if name not in ("__module__", "__qualname__", "__doc__", "__dict__", "__weakref__", "__hash__"):
                setattr(Value, name, attr)


_bind()
