"""autograd-core: reverse-mode automatic differentiation on numpy, readable and checked."""

from . import operators, ops  # operators binds +, *, .sum(), .backward(), ... onto Value
from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .engine import backward, gradients
from .errors import (
    AnomalyError,
    AutogradError,
    CheckpointError,
    DTypeError,
    GradcheckError,
    GraphError,
    IndexingError,
    InplaceModificationError,
    ShapeError,
)
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .ops import REGISTRY, Op, defop, primitive
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
from .ops.linalg import einsum, matmul, tensordot
from .ops.linear import linear
from .ops.reduce import amax as max
from .ops.reduce import amin as min
from .ops.reduce import logsumexp, mean
from .ops.reduce import sum_ as sum
from .ops.shape import (
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
from .ops.window_max import window_max
from .ops.windows import sliding_windows
from .value import Value
from .viz import draw_graph, render

abs = absolute
pow = power
expand_dims = unsqueeze

__version__ = "0.1.0"

from . import functional
from .functional import grad, hessian, jacobian, jvp, value_and_grad, vjp
from .gradcheck import GradcheckPrecisionWarning, gradcheck, gradgradcheck
