"""The dtype rule for layers: a layer with parameters computes in its parameters' dtype.

A floating-point input (Value or ndarray) of another dtype is cast to the parameters' dtype before
``forward`` runs, as Keras does (PyTorch raises instead). numpy makes float64 arrays by default, so
without the cast a float32 model fed numpy data would silently compute, and return, float64. The cast
of a Value is the differentiable ``astype`` op, so a gradient reaches a float64 input as float64.
Integer and bool inputs (indices, masks, targets) and non-array arguments are left alone, as are
layers without parameters or floating buffers (ReLU, pooling, dropout keep their input's dtype).
"""

import numpy as np

from autograd_core import Value


def parameter_dtype(module):
    """The dtype of the module's own first parameter, else of its first floating buffer (BatchNorm
    without affine keeps float running stats), else None."""
    for p in module._parameters.values():
        if p is not None:
            return p.dtype
    for b in module._buffers.values():
        if isinstance(b, np.ndarray) and b.dtype.kind == "f":
            return b.dtype
    return None


def _needs_cast(x, dtype):
    return isinstance(x, (Value, np.ndarray)) and x.dtype.kind == "f" and x.dtype != dtype


def cast_inputs(module, args):
    """``args`` with floating-point Values and arrays cast to the module's parameter dtype (the same
    tuple, untouched, when nothing needs a cast: the common case costs no allocation)."""
    dtype = parameter_dtype(module)
    if dtype is None:
        return args
    for a in args:
        if _needs_cast(a, dtype):
            return tuple(a.astype(dtype) if _needs_cast(a, dtype) else a for a in args)
    return args
