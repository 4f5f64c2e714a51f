"""The primitives, one registry. Importing this package registers every built-in op."""

from ..value import Value
from .arithmetic import fmod, reciprocal, remainder, square
from .decompositions import cholesky_op, det, inv, logabsdet, qr_op, solve_op, svdvals
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
from .gather import index_put_op
from .linalg import einsum, matmul, tensordot
from .linear import linear
from .logexp import exp2, log2, log10, logaddexp, logaddexp2
from .norms import vector_norm
from .products import cross_op
from .reduce import amax, amin, logsumexp, mean, sum_
from .registry import REGISTRY, Op, VariadicOp, apply, defop, defop_variadic, primitive
from .rounding import ceil, floor, floor_divide, round, sign, trunc
from .scans import cumprod, cumsum, prod
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
from .stats import std, var
from .trig import (
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    cos,
    cosh,
    hypot,
    sin,
    sinh,
    tan,
)
from .window_max import window_max
from .windows import fold, sliding_windows
