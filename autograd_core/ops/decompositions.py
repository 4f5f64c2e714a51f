"""Matrix functions on the last two axes (batched over the leading ones): inv, det, log|det|, solve,
cholesky, qr and the singular values. Each vjp states its source; each is written with ops (matmul,
solve, inv, tril), so second derivatives come for free, except where noted.

- ``inv``: ``gA = -A^{-T} g A^{-T}`` (Giles 2008, "An extended collection of matrix derivative
  results", eq. for C = A^{-1}; PyTorch's ``inverse`` rule).
- ``det``: ``gA = g det(A) A^{-T}``, the adjugate's transpose (Jacobi's formula). At a singular
  matrix (det exactly 0) the adjugate is formed from the SVD instead,
  ``det(U) det(V) U diag(prod_{j != i} s_j) V^T``, which is its continuous extension (PyTorch does
  the same); second derivatives there are not implemented and say so.
- ``logabsdet`` (slogdet's second result): ``gA = g A^{-T}``; undefined (refused) at a singular matrix.
- ``solve(A, B)`` with ``X = A^{-1} B``: ``gB = A^{-T} g``, ``gA = -gB X^T`` (Giles 2008).
- ``cholesky``: Murray 2016, "Differentiation of the Cholesky decomposition" (arXiv:1602.07527),
  as PyTorch's ``cholesky_backward``: ``P = Phi(L^T gL)``, ``gA = L^{-T} P L^{-1}`` symmetrised. The
  gradient is symmetric: A is taken as symmetric (numpy reads only its lower triangle).
- ``qr`` (reduced, m >= n, full rank): Liao et al. 2019, "Differentiable programming tensor
  networks" (and Walter & Lehmann 2018): ``M = R gR^T - gQ^T Q``, ``gA = (gQ + Q copyltu(M)) R^{-T}``
  with ``copyltu(M) = tril(M) + tril(M, -1)^T``. Independent of the signs numpy picks for R's diagonal.
- ``svdvals``: ``gA = U diag(g) V^T`` (Townsend 2016, "Differentiating the singular value
  decomposition"; PyTorch's ``svd_backward`` with only gS), stable for distinct singular values.
  Its second derivative needs the singular vectors' derivatives and is refused.
"""

from collections import namedtuple

import numpy as np

from ..errors import ArgumentError, LinAlgError, ShapeError
from ..value import Value
from .registry import as_operand, defop
from .shape import reshape, swapaxes


def _data(x):
    return getattr(x, "_data", x)


def _swap(x):
    return x.swapaxes(-1, -2)


def _square(a, fn):
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(f"{fn}: needs square matrices in the last two axes, got shape {a.shape}")


def _linalg(fn, name, *args):
    """Run numpy's ``fn``; its LinAlgError (singular, not positive definite) becomes ours, naming ``name``."""
    try:
        return fn(*args)
    except np.linalg.LinAlgError as err:
        raise LinAlgError(f"{name}: {err} (shapes {[np.shape(a) for a in args]})") from None


def _inv(a):
    _square(a, "inv")
    return _linalg(np.linalg.inv, "inv", a)


inv = defop("inv", _inv, lambda g, out, a: -(_swap(out) @ g @ _swap(out)), kind="linalg")


def _det(a):
    _square(a, "det")
    return np.linalg.det(a)


def _adjugate_t(a):
    """adj(A)^T (= det(A) A^{-T} when A is invertible) from the SVD, defined at singular A too."""
    u, s, vt = np.linalg.svd(a)
    others = np.prod(s[..., None, :] + np.eye(s.shape[-1], dtype=s.dtype) * (1 - s[..., None, :]), axis=-1)
    sign = np.linalg.det(u) * np.linalg.det(vt)
    return sign[..., None, None] * (u * others[..., None, :]) @ vt


def _det_vjp(g, out, a):
    g1 = g[..., None, None]
    if not (_data(out) == 0).any():
        return g1 * out[..., None, None] * _swap(inv.dispatch(a))
    if isinstance(g, Value):
        raise NotImplementedError("det: second derivatives at a singular matrix are not implemented")
    return g1 * _adjugate_t(a)


det = defop("det", _det, _det_vjp, kind="linalg")


def _logabsdet(a):
    _square(a, "slogdet")
    return np.linalg.slogdet(a)[1]


def _logabsdet_vjp(g, out, a):
    if np.isneginf(_data(out)).any():
        raise LinAlgError("slogdet: log|det| of a singular matrix is -inf; its gradient does not exist")
    return g[..., None, None] * _swap(inv.dispatch(a))


logabsdet = defop("logabsdet", _logabsdet, _logabsdet_vjp, kind="linalg")


def _solve(a, b):
    _square(a, "solve")
    if b.ndim < 2 or b.shape[-2] != a.shape[-1]:
        raise ShapeError(f"solve: right-hand sides of shape {b.shape} do not fit matrices of shape {a.shape}")
    return _linalg(np.linalg.solve, "solve", a, b)


def _solve_vjp_b(g, out, a, b):
    return solve_op.dispatch(_swap(a), g)


solve_op = defop(
    "solve",
    _solve,
    lambda g, out, a, b: -(_solve_vjp_b(g, out, a, b) @ _swap(out)),
    _solve_vjp_b,
    kind="linalg",
)


def _tril(x, k=0):
    n, m = np.shape(_data(x))[-2:]
    return x * np.tri(n, m, k, dtype=_data(x).dtype)


def _cholesky(a):
    _square(a, "cholesky")
    return _linalg(np.linalg.cholesky, "cholesky", a)


def _cholesky_vjp(g, out, a):
    lower = out
    p = _tril(_swap(lower) @ g)
    p = 0.5 * (p + _swap(_tril(p, -1)))  # symmetric, its diagonal halved: Murray's Phi, symmetrised
    left = solve_op.dispatch(_swap(lower), p)  # L^{-T} P
    return _swap(solve_op.dispatch(_swap(lower), _swap(left)))  # (L^{-T} (L^{-T} P)^T)^T = L^{-T} P L^{-1}


cholesky_op = defop("cholesky", _cholesky, _cholesky_vjp, kind="linalg")


def _qr(a):
    """Q (m x n) stacked over R (n x n) in one array (m + n, n): one primitive with both factors."""
    if a.ndim < 2:
        raise ShapeError(f"qr: needs matrices in the last two axes, got shape {a.shape}")
    q, r = np.linalg.qr(a, mode="reduced")
    if q.shape[-1] < r.shape[-1]:  # wide: Q is m x m, padded with zero columns to R's width
        q = np.concatenate([q, np.zeros(q.shape[:-1] + (r.shape[-1] - q.shape[-1],), q.dtype)], axis=-1)
    return np.concatenate([q, r], axis=-2)


def _qr_vjp(g, out, a):
    m, n = np.shape(_data(a))[-2:]
    if m < n:
        raise NotImplementedError(f"qr: the gradient for wide matrices (m < n, here {m} x {n}) is not implemented")
    q, r = out[..., :m, :], out[..., m:, :]
    gq, gr = g[..., :m, :], g[..., m:, :]
    mm = r @ _swap(gr) - _swap(gq) @ q
    sym = _tril(mm) + _swap(_tril(mm, -1))
    b = gq + q @ sym
    try:
        return _swap(solve_op.dispatch(r, _swap(b)))  # b R^{-T}
    except LinAlgError:
        raise LinAlgError("qr: the gradient needs a full-rank input (R is singular)") from None


qr_op = defop("qr", _qr, _qr_vjp, kind="linalg")


def _svdvals(a):
    if a.ndim < 2:
        raise ShapeError(f"svdvals: needs matrices in the last two axes, got shape {a.shape}")
    return np.linalg.svd(a, compute_uv=False)


def _svdvals_vjp(g, out, a):
    if isinstance(g, Value):
        raise NotImplementedError("svdvals: second derivatives (which need the singular vectors') are not implemented")
    u, _, vt = np.linalg.svd(a, full_matrices=False)
    return (u * g[..., None, :]) @ vt


svdvals = defop("svdvals", _svdvals, _svdvals_vjp, kind="linalg")


# -- the public functions (PyTorch's torch.linalg names; numpy's spellings too) -----------------------
SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])
QRResult = namedtuple("QRResult", ["Q", "R"])


def slogdet(a):
    """``(sign, logabsdet)`` of the determinant of each matrix in the last two axes: ``det = sign *
    exp(logabsdet)`` without overflow. ``sign`` (-1, 0 or 1) is a constant; ``logabsdet`` has gradient
    ``A^{-T}`` (refused at a singular matrix, where it is -inf)."""
    a = as_operand(a, "slogdet")
    out = logabsdet(a)  # checks the shape first
    sign = np.linalg.slogdet(_data(a))[0]
    return SlogdetResult(Value(np.asarray(sign, dtype=out.dtype), requires_grad=False), out)


def solve(a, b, *, left=True):
    """``X`` with ``A X = B`` (``torch.linalg.solve``): A (..., n, n); B (..., n, k), or a batch of
    vectors (..., n) when B is 1-D or has A's shape without its last axis (PyTorch's rule; numpy's
    vector case is the 1-D one). Batch dimensions broadcast. ``left=False`` solves ``X A = B``.

    **Raises:** LinAlgError for a singular A; ShapeError when the shapes do not fit.
    """
    a, b = as_operand(a, "solve"), as_operand(b, "solve")
    if not left:
        return _swap_any(solve(_swap_any(a), _swap_any(b)))
    sa, sb = np.shape(_data(a)), np.shape(_data(b))
    if len(sb) == 1 or (len(sb) == len(sa) - 1 and sb == sa[:-1]):
        return reshape(
            solve_op(a, reshape(b, shape=(*np.shape(_data(b)), 1))),
            shape=np.shape(_data(b))[:-1] + np.shape(_data(a))[-1:],
        )
    return solve_op(a, b)


def _swap_any(x):
    nd = np.ndim(_data(x))
    return swapaxes(x, a=-1, b=-2) if nd >= 2 else x


def cholesky(a, upper=False):
    """The Cholesky factor of symmetric positive-definite matrices: lower L with ``A = L L^T``
    (``upper=True``: ``U = L^T``, ``A = U^T U``). Only A's lower triangle is read, as numpy does; the
    gradient is symmetric. **Raises:** LinAlgError when A is not positive definite."""
    lower = cholesky_op(a)
    return _swap_any(lower) if upper else lower


def qr(a, mode="reduced"):
    """The reduced QR decomposition ``A = Q R`` (Q: m x k orthonormal columns, R: k x n upper triangular,
    k = min(m, n)), as a named tuple ``(Q, R)``. The gradient needs m >= n and full rank.
    **Raises:** ArgumentError for a mode other than 'reduced'."""
    if mode != "reduced":
        raise ArgumentError(f"qr: only mode='reduced' is supported, got {mode!r}")
    a = as_operand(a, "qr")
    both = qr_op(a)
    m, n = np.shape(_data(a))[-2:]
    k = min(m, n)
    return QRResult(both[..., :m, :k], both[..., m:, :])
