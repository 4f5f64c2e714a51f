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
from .linalg import matmul
from .reduce import amax, amin, logsumexp, mean, sum_
from .registry import REGISTRY, Op, apply, defop, primitive
from .shape import (
    broadcast_to,
    flatten,
    getitem,
    reshape,
    scatter_add,
    squeeze,
    swapaxes,
    transpose,
    unsqueeze,
)
