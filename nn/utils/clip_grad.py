"""Gradient clipping, as ``torch.nn.utils.clip_grad_norm_`` and ``clip_grad_value_`` define it.

Both change ``p.grad`` of each parameter that has one (by installing a new array: gradients are
read-only) and leave parameters without a gradient alone.
"""

import math

import numpy as np

from autograd_core import Value

__all__ = ["clip_grad_norm_", "clip_grad_value_", "get_total_norm"]


def _params(parameters):
    """A single Value or an iterable of Values as a list (generators are read once)."""
    if isinstance(parameters, Value):
        return [parameters]
    params = list(parameters)
    for p in params:
        if not isinstance(p, Value):
            raise TypeError(f"expected Values (e.g. model.parameters()), got {type(p).__name__}")
    return params


def _vector_norm(x, p):
    """The p-norm of the flattened array ``x`` (as torch.linalg.vector_norm): p = inf is max |x|,
    -inf min |x|, 0 the count of non-zeros, otherwise (sum |x|^p)^(1/p)."""
    with np.errstate(over="ignore", invalid="ignore"):  # an inf/overflowing norm is the result, as PyTorch's
        return _vector_norm_of_abs(np.abs(np.ravel(x)), p)


def _vector_norm_of_abs(a, p):
    if p == math.inf:
        return a.max() if a.size else a.dtype.type(0)
    if p == -math.inf:
        return a.min() if a.size else a.dtype.type(math.inf)
    if p == 0:
        return a.dtype.type(np.count_nonzero(a))
    if p == 1:
        return a.sum()
    if p == 2:
        return np.sqrt(np.dot(a, a))
    return np.sum(a**p) ** (1.0 / p)


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The ``norm_type``-norm of all ``tensors`` together, as if concatenated into one vector.

    ``tensors``: arrays (or Values, whose data is used). Computed as PyTorch does: the norm of each
    array, then the norm of those norms (equal to the norm of the concatenation for every p).
    Returns a 0-d numpy value in the arrays' result dtype (0.0 for no arrays). ``foreach`` is
    accepted for compatibility and ignored. Raises RuntimeError when ``error_if_nonfinite`` and the
    norm is nan or inf.
    """
    norm_type = float(norm_type)
    arrays = [t.data if isinstance(t, Value) else np.asarray(t) for t in tensors]
    if not arrays:
        return np.float64(0.0)
    dtype = np.result_type(*arrays)
    norms = np.array([_vector_norm(a, norm_type) for a in arrays], dtype=dtype)
    total = dtype.type(_vector_norm(norms, norm_type))
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite ({total}), so it "
            "cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, "
            "set `error_if_nonfinite=False`"
        )
    return total


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scale the gradients of ``parameters`` so that their total ``norm_type``-norm is at most ``max_norm``.

    **Arguments:** ``parameters`` a Value or an iterable of Values (``model.parameters()``);
    ``max_norm`` float; ``norm_type`` float, ``inf`` for the max-norm (any p that
    ``torch.linalg.vector_norm`` takes); ``error_if_nonfinite`` raise RuntimeError (before any
    gradient changes) when the total norm is nan or inf; ``foreach`` ignored (PyTorch's speed switch).

    **Returns:** the total norm of the gradients *before* clipping, as if they were one vector (a
    0-d numpy value in the gradients' dtype; 0.0 when no parameter has a gradient).

    PyTorch's rule: every gradient is multiplied by ``min(max_norm / (total + 1e-6), 1)``, so a
    norm below ``max_norm`` leaves the gradients unchanged and a nan norm (with
    ``error_if_nonfinite=False``) makes them nan.
    """
    params = _params(parameters)
    grads = [p.grad for p in params if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite)
    if not grads:
        return total
    coef = min(float(max_norm) / (float(total) + 1e-6), 1.0) if not np.isnan(total) else math.nan
    with np.errstate(invalid="ignore"):  # inf * 0 = nan, as PyTorch scales an inf gradient
        for p in params:
            if p.grad is not None:
                p.grad = (p.grad * p.grad.dtype.type(coef)).astype(p.grad.dtype, copy=False)
    return total


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient of ``parameters`` elementwise into ``[-clip_value, clip_value]``; returns None.

    ``parameters`` a Value or an iterable of Values; ``clip_value`` a float (a negative one raises
    ValueError, before any gradient changes); ``foreach`` accepted and ignored. nan stays nan.
    """
    clip_value = float(clip_value)
    if clip_value < 0:
        raise ValueError(f"clip_grad_value_: clip_value must be non-negative, got {clip_value}")
    for p in _params(parameters):
        if p.grad is not None:
            p.grad = np.clip(p.grad, -clip_value, clip_value).astype(p.grad.dtype, copy=False)
