"""autograd-core: reverse-mode automatic differentiation on numpy, readable and checked."""

from . import numpy_dispatch, operators, ops  # bind +, *, .sum(), .backward(), numpy's protocols onto Value
from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .engine import backward, gradients
from .errors import (
    AnomalyError,
    ArgumentError,
    AutogradError,
    CheckpointError,
    DTypeError,
    DuplicateOpError,
    GradcheckError,
    GraphError,
    IndexingError,
    InplaceModificationError,
    LinAlgError,
    NotDifferentiableError,
    ShapeError,
    TraceError,
    TraceMismatchError,
    TraceWarning,
)
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .ops import REGISTRY, Op, defop, primitive
from .ops.arithmetic import fmod, reciprocal, remainder, square
from .ops.arrange import (
    array_split,
    chunk,
    flip,
    fliplr,
    flipud,
    meshgrid,
    moveaxis,
    movedim,
    repeat,
    repeat_interleave,
    roll,
    split,
    tensor_split,
    tile,
)
from .ops.covariance import corrcoef, cov
from .ops.decompositions import det, slogdet
from .ops.decompositions import inv as inverse
from .ops.diagonals import diag, diag_embed, diagonal, tril, triu  # trace: ag.linalg.trace (ag.trace traces)
from .ops.elementwise import (
    absolute,
    add,
    clip,
    div,
    exp,
    log,
    maximum,
    minimum,
    mul,
    neg,
    power,
    relu,
    sigmoid,
    sqrt,
    sub,
    tanh,
    where,
)
from .ops.gather import (
    gather,
    index_put,
    index_select,
    masked_fill,
    masked_select,
    put_along_axis,
    scatter,
    scatter_add,
    take,
    take_along_axis,
)
from .ops.joining import (
    atleast_1d,
    atleast_2d,
    atleast_3d,
    column_stack,
    dstack,
    hstack,
    kron,
    permute,
    ravel,
    row_stack,
    vstack,
)
from .ops.linalg import einsum, matmul, tensordot
from .ops.linear import linear
from .ops.logexp import exp2, log2, log10, logaddexp, logaddexp2
from .ops.matrix_chains import matrix_power
from .ops.nan_reductions import (
    nancumsum,
    nanmax,
    nanmin,
    nanpercentile,
    nanprod,
    nanstd,
    nanvar,
    percentile,
)
from .ops.norms import matrix_norm, norm, vector_norm
from .ops.numeric import (
    cbrt,
    copysign,
    deg2rad,
    degrees,
    fmax,
    fmin,
    heaviside,
    isclose,
    isfinite,
    isinf,
    isnan,
    isneginf,
    isposinf,
    rad2deg,
    radians,
)
from .ops.products import cross, dot, inner, outer, vdot
from .ops.quantiles import median, nanmedian, nanquantile, quantile
from .ops.reduce import amax as max
from .ops.reduce import amin as min
from .ops.reduce import logsumexp, mean
from .ops.reduce import sum_ as sum
from .ops.rounding import ceil, floor, floor_divide, round, sign, trunc
from .ops.scans import cumprod, cumsum, logcumsumexp, prod
from .ops.selection import all_ as all
from .ops.selection import any_ as any
from .ops.selection import (
    argmax,
    argmin,
    argpartition,
    argsort,
    kthvalue,
    max_with_indices,
    min_with_indices,
    partition,
    sort,
    topk,
)
from .ops.shape import (
    as_value,
    broadcast_to,
    concatenate,
    flatten,
    getitem,
    pad,
    reshape,
    squeeze,
    stack,
    swapaxes,
    transpose,
    unsqueeze,
)
from .ops.special import (
    binary_cross_entropy,
    erf,
    expm1,
    log1p,
    log_sigmoid,
    log_softmax,
    sigmoid_cross_entropy,
    softmax,
    softmax_cross_entropy,
    softmax_nll,
    softplus,
)
from .ops.special_functions import digamma, erfc, gammaln, lgamma, logit, polygamma, psi, sinc, xlogy
from .ops.stats import std, var
from .ops.summaries import average, cummax, cummin, diff, nanmean, nansum, ptp
from .ops.trig import (
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
from .ops.window_max import window_max
from .ops.windows import fold, sliding_windows
from .scope import named_scope
from .value import Value
from .viz import draw_dot, draw_graph, explain_backward, render

abs = absolute
pow = power
expand_dims = unsqueeze
# PyTorch's (and numpy 2's) short names for the inverse functions, numpy's older aliases
asin, acos, atan, atan2 = arcsin, arccos, arctan, arctan2
asinh, acosh, atanh = arcsinh, arccosh, arctanh
mod, fix = remainder, trunc
cat = concat = concatenate  # PyTorch's names
amax, amin = max, min  # numpy's and PyTorch's names for the reductions

__version__ = "0.1.0"

from . import functional, linalg, tracing
from .functional import grad, hessian, jacobian, jvp, value_and_grad, vjp
from .gradcheck import GradcheckPrecisionWarning, gradcheck, gradgradcheck
from .ops import domain as _domain
from .tracing import Traced, trace

_domain.install(REGISTRY)  # outside an op's domain: one warning naming the op, not numpy's (ops/domain.py)
