"""Value's methods as PyTorch's Tensor defines them where numpy's ndarray has none or means another
thing (``x.max(1)``, ``x.clamp(min=0)``, ``x.t()``, ``x.narrow(0, 1, 2)``, ``x.unbind(0)``).

The rule for ``max``/``min`` (numpy and PyTorch disagree on ``x.max(1)``): a dim, positional or
``dim=``, gives PyTorch's named tuple ``(values, indices)``; numpy's ``axis=`` keyword (or a tuple of
axes) gives numpy's values alone; another Value or array gives PyTorch's elementwise
``maximum``/``minimum``; no argument gives the maximum of all entries. Each function takes the
Value first; operators.py binds them onto Value.
"""

import numpy as np

from .errors import ShapeError
from .ops.elementwise import astype, clip, maximum, minimum, power
from .ops.linalg import matmul
from .ops.reduce import amax, amin
from .ops.selection import max_with_indices, min_with_indices
from .ops.shape import swapaxes
from .ops.special import log1p, log_softmax, softmax, where
from .ops.spelling import either_spelling
from .value import Value

_INTS = (int, np.integer)


def _extreme(name, reduce, with_indices, pairwise):
    def method(self, dim=None, keepdim=None, *, axis=None, keepdims=None):
        keep = either_spelling(name, "keepdims", keepdims, "keepdim", keepdim, False)
        if isinstance(dim, (Value, np.ndarray)):  # x.max(other): PyTorch's elementwise maximum
            if axis is not None or keepdim is not None or keepdims is not None:
                raise TypeError(f"Value.{name}(other) compares elementwise and takes no axis or keepdim")
            return pairwise(self, dim)
        if isinstance(dim, bool) or (dim is not None and not isinstance(dim, _INTS)):
            if not isinstance(dim, (tuple, list)) or axis is not None:
                raise TypeError(
                    f"Value.{name}: dim must be an int (or numpy's axis=, an int or a tuple of ints), or another "
                    f"Value for the elementwise {name}imum; got {type(dim).__name__}"
                )
            return reduce(self, axis=tuple(dim), keepdims=keep)  # numpy's tuple of axes: values only
        if dim is None:  # numpy's axis= (values only), or every entry
            return reduce(self, axis=axis, keepdims=keep)
        if axis is not None:
            raise TypeError(f"Value.{name}: got both dim and axis= (the same argument); give one")
        return with_indices(self, dim, keep)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"""The {name}imum, by PyTorch's rule for ``Tensor.{name}`` (numpy's spelling kept apart).

    - ``x.{name}()``: the {name}imum of all entries, a 0-d Value (ties share the gradient evenly).
    - ``x.{name}(dim, keepdim=False)`` (or ``dim=``): the named tuple ``(values, indices)`` along
      ``dim``, as ``torch.{name}``; the gradient goes to the returned index (the first {name}imum).
    - ``x.{name}(axis=..., keepdims=False)``: numpy's ``ndarray.{name}``, the values alone (``axis`` an
      int or a tuple; a tuple given positionally too), ties sharing the gradient evenly (``ag.a{name}``).
    - ``x.{name}(other)`` with a Value or array: the elementwise {name}imum (``ag.{name}imum``).

    **Raises:** TypeError for a dim that is neither an int, a tuple nor a Value; ShapeError for an
    axis out of range or an empty axis.
    """
    return method


max_ = _extreme("max", amax, max_with_indices, maximum)
min_ = _extreme("min", amin, min_with_indices, minimum)


def clamp(self, min=None, max=None):  # noqa: A002 (PyTorch's names)
    """PyTorch's ``clamp``: each entry limited to [min, max] (numbers, arrays or Values; either may be
    None); numpy's ``clip``, the same op. Gradient 1 inside the bounds, 0 outside; same shape and dtype."""
    return clip(self, min, max)


def pow_(self, exponent):
    """``self ** exponent`` elementwise, broadcasting (PyTorch's ``Tensor.pow``; ``ag.power``)."""
    return power(self, exponent)


def _softmax_dim(name, dim, axis, dtype, self):
    ax = either_spelling(name, "axis", axis, "dim", dim, -1)
    return ax, (self if dtype is None else astype(self, dtype=np.dtype(dtype)))


def softmax_(self, dim=None, dtype=None, *, axis=None):
    """exp(x) / sum(exp(x)) along ``dim`` (default -1; numpy's ``axis=`` too), computed stably
    (PyTorch's ``Tensor.softmax``; ``ag.softmax``); ``dtype`` casts x first. Same shape."""
    ax, x = _softmax_dim("softmax", dim, axis, dtype, self)
    return softmax(x, axis=ax)


def log_softmax_(self, dim=None, dtype=None, *, axis=None):
    """x - logsumexp(x) along ``dim`` (default -1; ``axis=`` too), one stable op (PyTorch's
    ``Tensor.log_softmax``; ``ag.log_softmax``); ``dtype`` casts x first. Same shape."""
    ax, x = _softmax_dim("log_softmax", dim, axis, dtype, self)
    return log_softmax(x, axis=ax)


def log1p_(self):
    """Elementwise ln(1 + x), accurate for tiny x (``ag.log1p``); same shape and dtype."""
    return log1p(self)


def t(self):
    """PyTorch's ``Tensor.t()``: a 2-D Value transposed; a 0-D or 1-D Value as it is.

    **Raises:** ShapeError for more than 2 dims (use ``.mT`` or ``.transpose(-2, -1)``)."""
    if self.ndim > 2:
        raise ShapeError(f"t() expects at most 2 dims, got shape {self.shape}: use .mT or .transpose(-2, -1)")
    return self if self.ndim < 2 else swapaxes(self, a=0, b=1)


def _mT(self):  # noqa: N802 (PyTorch's name)
    """PyTorch's ``Tensor.mT``: the last two dims swapped (a batch of matrices, each transposed).

    **Raises:** ShapeError for fewer than 2 dims."""
    if self.ndim < 2:
        raise ShapeError(f"mT needs at least 2 dims, got shape {self.shape}")
    return swapaxes(self, a=-2, b=-1)


def mm(self, mat2):
    """PyTorch's ``Tensor.mm``: the matrix product of two 2-D Values, (n, m) @ (m, p) -> (n, p).

    **Raises:** ShapeError unless both are 2-D with matching inner dims (``matmul`` batches and broadcasts)."""
    if self.ndim != 2 or np.ndim(mat2) != 2:
        raise ShapeError(f"mm: both operands must be 2-D, got shapes {self.shape} and {np.shape(mat2)}; use matmul")
    return matmul(self, mat2)


def clone(self):
    """PyTorch's ``Tensor.clone``: a copy recorded in the graph (the gradient flows back to self);
    same shape and dtype. ``detach()`` gives a copy outside the graph."""
    return astype(self, dtype=self.dtype)


def _dim(name, dim, ndim):
    if not isinstance(dim, _INTS) or isinstance(dim, bool) or not -max(ndim, 1) <= dim < max(ndim, 1):
        raise ShapeError(f"{name}: dim {dim!r} out of range for a Value with {ndim} dims")
    return int(dim) % max(ndim, 1)


def narrow(self, dim, start, length):
    """PyTorch's ``narrow``: entries ``start .. start + length - 1`` along ``dim`` (start may be
    negative, counted from the end); the gradient flows back into that slice.

    **Raises:** ShapeError for a dim out of range or a slice past the end of the dim."""
    d = _dim("narrow", dim, self.ndim)
    n = self.shape[d]
    s = int(start) + n if start < 0 else int(start)
    if not (0 <= s <= n and length >= 0 and s + length <= n):
        raise ShapeError(f"narrow: start {start} and length {length} do not fit dim {dim} of size {n}")
    return self[(slice(None),) * d + (slice(s, s + length),)]


def unbind(self, dim=0):
    """PyTorch's ``unbind``: a tuple of the slices along ``dim``, that dim removed from each.

    **Raises:** ShapeError for a 0-d Value or a dim out of range."""
    if self.ndim == 0:
        raise ShapeError("unbind: a 0-d Value has no dim to unbind")
    d = _dim("unbind", dim, self.ndim)
    return tuple(self[(slice(None),) * d + (i,)] for i in range(self.shape[d]))


def where_(self, condition, other):
    """PyTorch's ``Tensor.where(condition, other)``: self where ``condition`` is True, else ``other``
    (broadcasting; ``ag.where(condition, self, other)``); the gradient goes to the branch taken."""
    return where(condition, self, other)


METHODS = {
    "max": max_,
    "min": min_,
    "clamp": clamp,
    "pow": pow_,
    "softmax": softmax_,
    "log_softmax": log_softmax_,
    "log1p": log1p_,
    "t": t,
    "mm": mm,
    "clone": clone,
    "narrow": narrow,
    "unbind": unbind,
    "where": where_,
    "mT": property(_mT),
}
