"""Linear algebra: matmul (1-D, 2-D, batched with broadcasting) and einsum."""

import numpy as np

from ..errors import ShapeError
from .registry import defop


def _matmul(a, b):
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(f"matmul: operands must be at least 1-D, got shapes {a.shape} and {b.shape}")
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
        raise ShapeError(
            f"matmul: shapes {a.shape} and {b.shape} do not align ({a.shape[-1]} vs {b.shape[-2 if b.ndim > 1 else 0]})"
        )
    return np.matmul(a, b)


def _swap(x):
    return x.swapaxes(-1, -2)


def _matmul_vjp_a(g, out, a, b):
    if b.ndim == 1:  # (..., n) @ (n,) -> (...): da = g[..., None] * b
        return g.reshape(g.shape + (1,)) * b if a.ndim > 1 else g * b
    if a.ndim == 1:  # (n,) @ (..., n, m) -> (..., m): da = b @ g summed by the engine
        return (b @ g.reshape(g.shape + (1,))).reshape(g.shape[:-1] + (b.shape[-2],))
    return g @ _swap(b)


def _matmul_vjp_b(g, out, a, b):
    if a.ndim == 1:  # (n,) @ (..., n, m): db = a[:, None] * g[..., None, :]
        if b.ndim == 1:
            return g * a
        return a.reshape((a.shape[0], 1)) * g.reshape(g.shape[:-1] + (1, g.shape[-1]))
    if b.ndim == 1:  # (..., k, n) @ (n,) -> (..., k): db = sum over batch of a^T g
        return (_swap(a) @ g.reshape(g.shape + (1,))).reshape(a.shape[:-2] + (a.shape[-1],))
    return _swap(a) @ g


matmul = defop("matmul", _matmul, _matmul_vjp_a, _matmul_vjp_b, kind="linalg")
