"""The primitives, one registry. Importing this package registers every built-in op."""

from ..value import Value
from .elementwise import (
    absolute,
    add,
    astype,
    clip,
    div,
    exp,
    log,
    maximum,
    minimum,
    mul,
    neg,
    pow_scalar,
    pow_value,
    power,
    relu,
    sigmoid,
    sqrt,
    sub,
    tanh,
    where,
)
from .linalg import einsum, matmul, tensordot
from .linear import linear
from .reduce import amax, amin, logsumexp, mean, sum_
from .registry import REGISTRY, Op, VariadicOp, apply, defop, defop_variadic, primitive
from .shape import (
    broadcast_to,
    concatenate,
    flatten,
    getitem,
    pad,
    reshape,
    scatter_add,
    squeeze,
    stack,
    swapaxes,
    transpose,
    unsqueeze,
)
from .window_max import window_max
from .windows import fold, sliding_windows
