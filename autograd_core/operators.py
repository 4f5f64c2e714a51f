"""Value's operators and ndarray-like methods, bound onto Value here.

They call the ops (and backward the engine, drawing the viz), which all import value.py; keeping
them in this file lets imports run one way: value <- ops <- engine <- operators. Each method is a
one-line delegation to the public op of the same name, so ``x.sum(1)`` and ``ag.sum(x, 1)`` are
one code path.
"""

import functools
import inspect

import numpy as np

from .engine import backward
from .errors import ShapeError, unexpected_keyword
from .methods_arrange import METHODS as ARRANGE_METHODS
from .methods_index import METHODS as INDEX_METHODS
from .methods_math import MathMethods
from .methods_stats import METHODS as STATS_METHODS
from .methods_torch import METHODS as TORCH_METHODS
from .ops.binary import apply_binary
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
from .ops.reduce import logsumexp, mean, sum_
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
from .ops.spelling import either_spelling, reduce_args
from .value import Value
from .viz import draw_graph

_NO_PARAMS = {}  # shared by the operators' nodes as their (empty, never written) params


def _required_axis(name, axis, dim):
    axis = either_spelling(name, "axis", axis, "dim", dim)
    if axis is None:
        raise TypeError(f"{name}() needs the position of the new axis: axis= (or dim=)")
    return axis


class ValueMethods:
    """The methods bound onto :class:`Value` (see the module docstring)."""

    def astype(self, dtype):
        """A copy converted to ``dtype`` (a recorded op: the gradient is cast back); same shape."""
        return astype(self, dtype=np.dtype(dtype))

    def float(self):
        """``astype(float32)``."""
        return self.astype(np.float32)

    def double(self):
        """``astype(float64)``."""
        return self.astype(np.float64)

    def backward(self, grad=None, retain_graph=None, create_graph=False):
        """Reverse-mode differentiation from this Value: every leaf it depends on adds d(self)/d(leaf)
        into ``.grad``. Arguments and errors: :func:`autograd_core.engine.backward`."""
        backward(self, grad, retain_graph=retain_graph, create_graph=create_graph)

    def _repr_svg_(self):
        return draw_graph(self)._repr_image_svg_xml()

    # -- operators (the arithmetic ones run apply_binary: ops/binary.py) ------------------------------
    def __add__(self, o):
        return apply_binary(add, self, o)

    def __radd__(self, o):
        return apply_binary(add, o, self)

    def __sub__(self, o):
        return apply_binary(sub, self, o)

    def __rsub__(self, o):
        return apply_binary(sub, o, self)

    def __mul__(self, o):
        return apply_binary(mul, self, o)

    def __rmul__(self, o):
        return apply_binary(mul, o, self)

    def __truediv__(self, o):
        return apply_binary(div, self, o)

    def __rtruediv__(self, o):
        return apply_binary(div, o, self)

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
        """Elementwise e**x (``ag.exp``); same shape and dtype."""
        return exp(self)

    def log(self):
        """Elementwise natural logarithm (``ag.log``); same shape and dtype; -inf at 0, nan below."""
        return log(self)

    def sqrt(self):
        """Elementwise square root (``ag.sqrt``); same shape and dtype."""
        return sqrt(self)

    def tanh(self):
        """Elementwise tanh (``ag.tanh``); same shape and dtype."""
        return tanh(self)

    def sigmoid(self):
        """Elementwise 1 / (1 + e**-x), computed stably (``ag.sigmoid``); same shape and dtype."""
        return sigmoid(self)

    def relu(self):
        """Elementwise max(x, 0) (``ag.relu``; relu'(0) = 0); same shape and dtype."""
        return relu(self)

    def abs(self):
        """Elementwise |x| (``ag.abs``; abs'(0) = 0); same shape and dtype."""
        return absolute(self)

    def clip(self, min=None, max=None):  # noqa: A002 (numpy's names)
        """Elementwise clip to [min, max] (either may be None; ``ag.clip``); same shape and dtype."""
        return clip(self, min, max)

    def sum(self, axis=None, keepdims=False, *, dim=None, keepdim=None, dtype=None):
        """Sum over ``axis`` (an int, a tuple, or None for all; ``ag.sum``); ``keepdims`` keeps them as size 1;
        ``dtype`` (numpy's, PyTorch's) casts first, so the sum runs in it.

        Raises ShapeError for an axis out of range."""
        extra = {} if dtype is None else {"dtype": dtype}
        return sum_(self, **reduce_args("sum", axis, keepdims, dim, keepdim), **extra)

    def mean(self, axis=None, keepdims=False, *, dim=None, keepdim=None, dtype=None):
        """Mean over ``axis`` (``ag.mean``), with ``sum``'s arguments (``dtype`` too) and errors. PyTorch's
        ``dim``/``keepdim`` are accepted too."""
        extra = {} if dtype is None else {"dtype": dtype}
        return mean(self, **reduce_args("mean", axis, keepdims, dim, keepdim), **extra)

    def logsumexp(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """log(sum(exp(x))) over ``axis``, stably (max subtracted; ``ag.logsumexp``). Arguments as ``sum``. PyTorch's ``dim``/``keepdim`` are accepted too."""
        return logsumexp(self, **reduce_args("logsumexp", axis, keepdims, dim, keepdim))

    def reshape(self, *shape):
        """The same data in a new shape (a tuple or several ints, -1 inferred; ``ag.reshape``).

        Raises ShapeError when the sizes differ."""
        return reshape(self, shape=tuple(shape[0]) if len(shape) == 1 and not isinstance(shape[0], int) else shape)

    def view(self, *shape):
        """``reshape`` (PyTorch's name)."""
        return self.reshape(*shape)

    def transpose(self, *axes):
        """Two ints swap those two dims (PyTorch's ``transpose(dim0, dim1)``, ``swapaxes``: ``x.transpose(0, 1)``
        of a 2-D Value is its transpose, ``x.transpose(1, 2)`` works in 3-D); a tuple, one int or three or
        more give numpy's permutation (``ndarray.transpose``), none reverses all (``ag.transpose``).

        Raises ShapeError for a dim out of range or a bad permutation."""
        if len(axes) == 2 and all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axes):
            return swapaxes(self, a=axes[0], b=axes[1])
        return self.permute(*axes) if axes else transpose(self, axes=None)

    def permute(self, *dims):
        """The dims reordered to ``dims`` (a tuple, or the ints one by one), a permutation of range(ndim)
        (PyTorch's ``permute``, numpy's ``transpose(axes)``). Raises ShapeError for a bad permutation."""
        if len(dims) == 1 and not isinstance(dims[0], (int, np.integer)):
            dims = dims[0]
        return transpose(self, axes=tuple(dims))

    @property
    def T(self):  # noqa: N802
        """All axes reversed (``ndarray.T``)."""
        return transpose(self, axes=None)

    def swapaxes(self, a, b):
        """Axes ``a`` and ``b`` exchanged (``ag.swapaxes``)."""
        return swapaxes(self, a=a, b=b)

    def flatten(self, start_dim=0, end_dim=-1):
        """Dims ``start_dim`` .. ``end_dim`` merged into one (torch.flatten; ``ag.flatten``)."""
        return flatten(self, start_dim=start_dim, end_dim=end_dim)

    def squeeze(self, axis=None, *, dim=None):
        """Size-1 axes removed (only ``axis`` if given; ``ag.squeeze``). Raises ShapeError for an axis whose size is not 1."""
        return squeeze(self, axis=either_spelling("squeeze", "axis", axis, "dim", dim))

    def unsqueeze(self, axis=None, *, dim=None):
        """A size-1 axis inserted at ``axis`` (``ag.unsqueeze``)."""
        return unsqueeze(self, axis=_required_axis("unsqueeze", axis, dim))

    def expand_dims(self, axis=None, *, dim=None):
        """``unsqueeze`` (numpy's name)."""
        return unsqueeze(self, axis=_required_axis("expand_dims", axis, dim))

    def broadcast_to(self, shape):
        """Broadcast to ``shape`` (numpy's rules; ``ag.broadcast_to``); the gradient is summed back. Raises ShapeError when it cannot."""
        return broadcast_to(self, shape=tuple(shape))

    def expand(self, *shape):
        """``broadcast_to`` with the shape as a tuple or ints (PyTorch's name); -1 keeps that dim's size
        (PyTorch's rule; the new leading dims must be given). Raises ShapeError when it cannot broadcast."""
        shape = tuple(shape[0]) if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)) else shape
        lead = len(shape) - self.ndim
        if any(n == -1 for n in shape[:lead]):
            raise ShapeError(f"expand{shape}: -1 (keep the size) is not allowed in a new leading dim")
        kept = tuple(self.shape[i - lead] if n == -1 else n for i, n in enumerate(shape))
        return broadcast_to(self, shape=kept)

    def matmul(self, o):
        """``self @ o`` (``ag.matmul``: numpy's matmul rules, batched). Raises ShapeError for mismatched inner dims."""
        return matmul(self, o)


def _keywords(fn):
    """The keyword names ``fn`` accepts after self, or None when it takes ``**kwargs`` or no arguments."""
    try:
        params = list(inspect.signature(fn).parameters.values())[1:]
    except (TypeError, ValueError):
        return None
    if not params or any(p.kind is p.VAR_KEYWORD for p in params):
        return None
    return [p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def _as_method(name, fn):
    """``fn`` as ``Value.<name>``: Python's errors for a bad call then name ``Value.<name>`` (not the class
    or function it was written in), and a misspelt keyword names the closest accepted one."""
    if fn.__qualname__.split(".")[0] in ("ValueMethods", "MathMethods"):
        fn.__qualname__ = f"Value.{name}"
    names = _keywords(fn)
    if names is None:  # nothing to misspell: bind as it is (no extra call)
        return fn

    @functools.wraps(fn)
    def method(self, *args, **kwargs):
        try:
            return fn(self, *args, **kwargs)
        except TypeError:
            for key in kwargs:
                if key not in names:
                    raise unexpected_keyword(f"Value.{name}", key, names) from None
            raise

    method.__qualname__ = f"Value.{name}"
    return method


def _bind():
    """Copy every method above, and those of the method files, onto Value (``Value.__add__`` is then
    ``ValueMethods.__add__``; public methods taking arguments are wrapped by :func:`_as_method`)."""
    for cls in (ValueMethods, MathMethods):
        for name, attr in vars(cls).items():
            if name not in ("__module__", "__qualname__", "__doc__", "__dict__", "__weakref__", "__hash__"):
                setattr(Value, name, _as_method(name, attr) if callable(attr) and name[0] != "_" else attr)
    for name, fn in {**INDEX_METHODS, **ARRANGE_METHODS, **STATS_METHODS, **TORCH_METHODS}.items():
        setattr(Value, name, _as_method(name, fn) if callable(fn) else fn)


_bind()
