"""The Moore-Penrose pseudo-inverse and least squares, on the last two axes (batched over the rest).

``pinv`` is one primitive: numpy's SVD-based forward (singular values below ``rtol * max(s)``
count as zero) and the derivative of Golub & Pereyra 1973, "The differentiation of pseudo-inverses
and nonlinear least squares problems whose variables separate" (PyTorch's ``pinv_backward``), for
``P = A⁺`` and cotangent ``g``:

    gA = -Pᵀ g Pᵀ + (I - A P) gᵀ P Pᵀ + Pᵀ P gᵀ (I - P A)

It holds where the rank of A is constant near A (every full-rank A; at a rank change the
pseudo-inverse is not even continuous). Written with ops (matmul, transpose), so second derivatives
follow. Unlike a route through ``svd``, it needs no distinct singular values (``pinv(I)`` is fine).

``lstsq`` composes ``pinv``: the minimum-norm least-squares solution ``X = A⁺ B``, as numpy's and
PyTorch's ``lstsq`` return it for any rank.
"""

from collections import namedtuple

import numpy as np

from ..errors import ArgumentError, ShapeError
from .args import one_of
from .decompositions import svdvals
from .registry import as_operand, defop
from .shape import as_value

LstsqResult = namedtuple("LstsqResult", "solution residuals rank singular_values")


def _data(x):
    return getattr(x, "_data", x)


def _t(x):
    return x.swapaxes(-1, -2)


def _pinv(a, rtol=None):
    if a.ndim < 2:
        raise ShapeError(f"pinv: needs matrices in the last two axes, got shape {a.shape}")
    if a.dtype.kind != "f":
        a = a.astype(np.float64)
    if rtol is None:  # numpy 2's and PyTorch's default: max(m, n) * eps
        rtol = max(a.shape[-2:]) * np.finfo(a.dtype).eps
    if 0 in a.shape:
        return np.zeros(a.shape[:-2] + a.shape[-2:][::-1], dtype=a.dtype)
    return np.linalg.pinv(a, rcond=rtol).astype(a.dtype, copy=False)


def _pinv_vjp(g, out, a, rtol=None):
    m, n = _data(a).shape[-2:]
    eye_m, eye_n = np.eye(m, dtype=_data(out).dtype), np.eye(n, dtype=_data(out).dtype)
    pt, gt = _t(out), _t(g)
    return -(pt @ g @ pt) + (eye_m - a @ out) @ gt @ (out @ pt) + (pt @ out) @ gt @ (eye_n - out @ a)


_pinv_op = defop("pinv", _pinv, _pinv_vjp, kind="linalg")


def pinv(a, rtol=None, hermitian=False, *, rcond=None, atol=None):
    """The Moore-Penrose pseudo-inverse ``A⁺`` of matrices in the last two axes (batched):
    (..., m, n) -> (..., n, m), float dtype (integers as float64), as ``torch.linalg.pinv`` and
    ``numpy.linalg.pinv``.

    **Arguments:** ``rtol`` (PyTorch, numpy 2) or ``rcond`` (numpy): singular values below ``rtol *
    max(s)`` count as zero (default ``max(m, n) * eps``). ``hermitian`` is accepted (numpy's and
    PyTorch's flag, a speed hint there) and changes nothing here.

    **Gradient:** Golub & Pereyra 1973 (see the module docstring), valid where A's rank is locally
    constant; second derivatives follow.
    **Raises:** ShapeError for fewer than 2 dimensions; ArgumentError for ``atol`` (not supported: give
    ``rtol``) or for both ``rtol`` and ``rcond``.
    """
    if atol is not None:
        raise ArgumentError("pinv: atol= is not supported; give a relative tolerance rtol= (or numpy's rcond=)")
    tol = one_of("pinv", rtol=rtol, rcond=rcond)
    del hermitian  # a speed hint for numpy and PyTorch; the SVD forward is the same
    return _pinv_op(as_operand(a, "pinv"), rtol=None if tol is None else float(tol))


def lstsq(a, b, rcond=None, *, driver=None):
    """The least-squares solution of ``A X = B``: a named tuple ``(solution, residuals, rank,
    singular_values)`` as ``torch.linalg.lstsq`` (numpy's ``lstsq`` returns the same four as a tuple).

    **Shapes:** ``a`` (m, n) or batched (..., m, n); ``b`` (m,) or (..., m, k). ``solution`` is the
    minimum-norm least-squares solution ``A⁺ B``, (n,) or (..., n, k), for any rank (numpy's and
    PyTorch's gelsd answer). ``residuals``: the squared residual norms ``sum((A X - B)², axis=-2)``
    when m > n and A has full rank ((1,) for a vector b), else an empty array (numpy's rule). ``rank``: an integer array
    (no gradient). ``singular_values``: ``svdvals(A)``, differentiable.

    **Gradient:** through ``pinv`` (Golub & Pereyra 1973) and matmul; valid where A's rank is locally
    constant. **Raises:** ShapeError for mismatched shapes; ArgumentError for a ``driver`` other than
    None or 'gelsd' (the SVD-based answer this computes).
    """
    if driver not in (None, "gelsd"):
        raise ArgumentError(f"lstsq: driver={driver!r}: only the SVD-based 'gelsd' answer is computed")
    a, b = as_value(as_operand(a, "lstsq")), as_value(as_operand(b, "lstsq"))
    vector = b.ndim == 1
    if a.ndim < 2 or b.ndim < 1 or (a.shape[-2] != (b.shape[0] if vector else b.shape[-2])):
        raise ShapeError(f"lstsq: a (..., m, n) and b (m,) or (..., m, k) must share m; got {a.shape} and {b.shape}")
    m, n = a.shape[-2:]
    p = pinv(a, rtol=rcond)
    bb = b.reshape((m, 1)) if vector else b
    x = p @ bb
    s = svdvals(a)
    tol = (max(m, n) * np.finfo(s.dtype).eps if rcond is None else rcond) * np.max(s.data, axis=-1, initial=0)
    rank = np.sum(s.data > np.expand_dims(tol, -1), axis=-1)
    if m > n and np.all(rank == n):
        residuals = ((a @ x - bb) ** 2).sum(axis=-2)  # (..., k); (1,) for a vector b, as numpy
    else:
        residuals = as_value(np.zeros((0,), dtype=x.dtype))
    return LstsqResult(x.reshape((n,)) if vector else x, residuals, rank, s)
