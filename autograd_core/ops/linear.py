"""linear(x, weight, bias): y = x W^T + b with PyTorch's (out_features, in_features) weight.

One fused primitive (like PyTorch's addmm) rather than matmul + transpose + add: the bias is
added in place into the fresh matmul output, so a layer keeps one activation alive instead of
two, and backward runs three BLAS-shaped products. Its vjps are written with matmul/reshape,
so they are differentiable again (second derivatives) and gradchecked like any op.
"""

import numpy as np

from ..errors import ShapeError
from .precision import widen_half
from .registry import as_operand, defop


@widen_half
def _forward(x, w, b=None):
    y = np.matmul(x, w.T)
    if b is not None:
        if y.dtype == np.result_type(y, b):
            y += b  # y is fresh: adding in place saves an activation-sized temporary
        else:
            y = y + b
    return y


@widen_half  # float16: the contractions (over the batch for the weight) accumulate in float32
def _vjp_x(g, out, x, w, b=None):
    return g @ w


@widen_half
def _vjp_w(g, out, x, w, b=None):
    n_out, n_in = w.shape
    return g.reshape((-1, n_out)).swapaxes(0, 1) @ x.reshape((-1, n_in))


def _vjp_b(g, out, x, w, b=None):
    return g  # the engine sums it over the batch dimensions down to (out,)


_linear = defop("linear", _forward, _vjp_x, _vjp_w, _vjp_b, kind="linalg")
_linear_nobias = defop("linear_nobias", _forward, _vjp_x, _vjp_w, kind="linalg")


def linear(x, weight, bias=None):
    """x: (..., in), weight: (out, in), bias: (out,) or any shape broadcasting to (..., out) -> (..., out).

    Operands may be Values, arrays, numbers or lists (a list holding Values is stacked, recorded).
    Raises ShapeError when the shapes do not fit.
    """
    x, weight, bias = (np.asarray(a) if type(a) in (float, int) else as_operand(a, "linear") for a in (x, weight, bias))
    if x.shape[-1:] != weight.shape[1:] or np.ndim(weight) != 2:
        raise ShapeError(f"linear: input of shape {x.shape} does not fit weight of shape {weight.shape} (out, in)")
    if bias is None:
        return _linear_nobias(x, weight)
    out_shape = x.shape[:-1] + weight.shape[:1]
    try:
        fits = np.broadcast_shapes(out_shape, np.shape(bias)) == out_shape
    except ValueError:
        fits = False
    if not fits:  # PyTorch's rule: the bias broadcasts to the output (..., out)
        raise ShapeError(f"linear: bias of shape {np.shape(bias)} does not broadcast to the output shape {out_shape}")
    return _linear(x, weight, bias)
