"""Vector products: outer, inner, dot, vdot (compositions of mul, matmul and tensordot) and the
cross product, a primitive.

``cross(a, b)``: for ``c = a x b``, ``g . (a x b) = a . (b x g) = b . (g x a)``, so the vjps are
``b x g`` for a and ``g x a`` for b (cross products again: second derivatives come for free).
"""

import numpy as np

from ..errors import ShapeError
from .args import one_axis, one_of
from .elementwise import mul
from .linalg import matmul, tensordot
from .registry import as_operand, defop
from .shape import reshape


def _data(x):
    return getattr(x, "_data", x)


def _ndim(x):
    return np.ndim(_data(x))


def outer(a, b):
    """The outer product ``a[i] * b[j]`` of a and b flattened (numpy's; PyTorch's takes 1-D inputs)."""
    return mul(reshape(a, shape=(-1, 1)), reshape(b, shape=(1, -1)))


def inner(a, b):
    """numpy's and PyTorch's ``inner``: the sum of products over the last axes of a and b (a product
    when either is 0-d); the result has a's leading axes, then b's."""
    a, b = as_operand(a, "inner"), as_operand(b, "inner")
    if _ndim(a) == 0 or _ndim(b) == 0:
        return mul(a, b)
    return tensordot(a, b, axes=([-1], [-1]))


def dot(a, b):
    """numpy's ``dot``: a product for 0-d operands, matmul for 1-D and 2-D ones, else the sum over
    a's last axis and b's second-to-last (PyTorch's ``dot`` is the 1-D case)."""
    a, b = as_operand(a, "dot"), as_operand(b, "dot")
    if _ndim(a) == 0 or _ndim(b) == 0:
        return mul(a, b)
    if _ndim(b) <= 2:
        return matmul(a, b)
    return tensordot(a, b, axes=([-1], [-2]))


def vdot(a, b):
    """The dot product of a and b flattened (numpy's ``vdot``; real inputs, so no conjugation)."""
    a, b = as_operand(a, "vdot"), as_operand(b, "vdot")
    if np.size(_data(a)) != np.size(_data(b)):
        raise ShapeError(f"vdot: inputs of {np.size(_data(a))} and {np.size(_data(b))} entries")
    return matmul(reshape(a, shape=(-1,)), reshape(b, shape=(-1,)))


def _cross(a, b, axis=-1):
    if a.shape[axis] != 3 or b.shape[axis] != 3:
        raise ShapeError(f"cross: vectors along axis {axis} must have 3 entries, got shapes {a.shape} and {b.shape}")
    return np.cross(a, b, axis=axis)


cross_op = defop(
    "cross",
    _cross,
    lambda g, out, a, b, axis=-1: cross_op.dispatch(b, g, axis=axis),
    lambda g, out, a, b, axis=-1: cross_op.dispatch(g, a, axis=axis),
    kind="linalg",
)


def cross(a, b, dim=None, *, axis=None):
    """The cross product of 3-vectors along ``dim``/``axis`` (default -1, as ``torch.linalg.cross``
    and numpy), broadcasting the other axes.

    **Raises:** ShapeError unless both have 3 entries along that axis.
    """
    a, b = as_operand(a, "cross"), as_operand(b, "cross")
    ax = one_of("cross", -1, dim=dim, axis=axis)
    nd = max(_ndim(a), _ndim(b))
    if nd == 0:
        raise ShapeError("cross: needs vectors, got 0-d inputs")
    ax = one_axis("cross", ax, nd) - nd  # negative: counts from the end of each broadcast operand
    return cross_op(a, b, axis=ax)
