"""The symmetric eigendecomposition ``A = V diag(w) V^T`` (``eigh``, ``eigvalsh``) and the reduced
singular value decomposition ``A = U diag(S) Vh`` (``svd``), each one primitive; the SVD's rule and
its limits are in :func:`svd`'s docstring (Townsend 2016), and follow the same pattern as eigh's below.

``eigh_op`` returns the eigenvalues (ascending) stacked over the eigenvectors in one array
``(..., n + 1, n)``: row 0 holds w, rows 1.. hold V (columns are eigenvectors), so one vjp sees both
cotangents. Only the triangle ``UPLO`` names is read ('L', the default, as numpy and PyTorch).

**The rule** (Giles 2008, "An extended collection of matrix derivative results for forward and
reverse mode algorithmic differentiation", section 3.1; PyTorch's ``linalg_eig_backward`` in its
Hermitian case): with ``E_ij = w_j - w_i`` (i != j),

    gA = V (diag(gw) + skew(V^T gV) / E) V^T,    skew(M) = (M - M^T) / 2,

symmetric, as A is taken to be (PyTorch's convention, and our ``cholesky``'s): finite differences in
a symmetric direction see it exactly. The vjp is written with ops, so second derivatives follow.

**Where it is not defined:** an eigenvector of a repeated eigenvalue is any vector of its eigenspace
(and each one's sign is arbitrary anywhere), so a loss that reads the eigenvectors has no gradient
where two eigenvalues coincide: the vjp raises LinAlgError naming ``eigh`` when a pair is equal to
within ``n * eps * max|w|`` and the eigenvector cotangent is not zero (PyTorch gives inf or NaN
there). A loss of the eigenvalues alone (``eigvalsh``, or ``w`` with V unused) has the gradient
``V diag(gw) V^T`` everywhere; its second derivative needs the eigenvectors' and raises there too
(the division by E then skips the repeated pairs, where the eigenvector cotangent is 0; a derivative
taken with respect to that cotangent itself gets 0 from them).
"""

from collections import namedtuple

import numpy as np

from ..errors import ArgumentError, LinAlgError, ShapeError
from .registry import as_operand, defop

EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])


def _data(x):
    return np.asarray(getattr(x, "_data", x))


def _swap(x):
    return x.swapaxes(-1, -2)


def _uplo(uplo, fn):
    if uplo not in ("L", "U"):
        raise ArgumentError(f"{fn}: UPLO must be 'L' or 'U', got {uplo!r}")
    return uplo


def _eigh(a, UPLO="L"):
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(f"eigh: needs square matrices in the last two axes, got shape {a.shape}")
    w, v = np.linalg.eigh(a, UPLO=_uplo(UPLO, "eigh"))
    return np.concatenate([w[..., None, :], v], axis=-2)


def _repeated(w):
    """Pairs (i, j) of eigenvalues equal to rounding, ``|w_j - w_i| <= n eps max|w|``, the diagonal included."""
    wd = _data(w)
    tol = wd.shape[-1] * np.finfo(wd.dtype).eps * np.max(np.abs(wd), axis=-1, keepdims=True)
    return np.abs(wd[..., None, :] - wd[..., :, None]) <= tol[..., None]


def _eigh_vjp(g, out, a, UPLO="L"):
    w, v = out[..., 0, :], out[..., 1:, :]
    gw, gv = g[..., 0, :], g[..., 1:, :]
    n = np.shape(_data(w))[-1]
    eye = np.eye(n, dtype=_data(w).dtype)
    same = _repeated(w)
    if ((same.sum(axis=(-2, -1)) > n) & _data(gv).any(axis=(-2, -1))).any():
        raise LinAlgError(
            "eigh: the gradient through the eigenvectors is not defined at repeated eigenvalues "
            f"(eigenvalues {np.array2string(_data(w), precision=6)}); use a loss of the eigenvalues alone "
            "(eigvalsh) or move the eigenvalues apart"
        )
    inner = _swap(v) @ gv
    gaps = w[..., None, :] - w[..., :, None] + same.astype(eye.dtype)  # E_ij = w_j - w_i; 1 + E where gv is 0
    middle = (inner - _swap(inner)) * 0.5 / gaps + gw[..., None, :] * eye
    return v @ middle @ _swap(v)


eigh_op = defop("eigh", _eigh, _eigh_vjp, kind="linalg")


def eigh(a, UPLO="L"):
    """The eigendecomposition of symmetric matrices in the last two axes (batched over the leading
    ones), ``A = V diag(w) V^T``, as ``torch.linalg.eigh`` and ``numpy.linalg.eigh``: a named tuple
    ``(eigenvalues, eigenvectors)``, w (..., n) ascending and V (..., n, n) with orthonormal columns
    (signs as LAPACK gives them). Only the triangle ``UPLO`` ('L' or 'U') is read. Float dtype kept
    (integers give float64).

    **Gradient** (Giles 2008; PyTorch's ``linalg_eigh`` backward): ``V (diag(gw) + skew(V^T gV) / E)
    V^T`` with ``E_ij = w_j - w_i``, symmetric (A is taken as symmetric). Well defined for losses of the
    eigenvalues, and for losses of the eigenvectors that do not depend on their signs, at distinct
    eigenvalues.

    **Raises:** ShapeError for non-square input; ArgumentError for another UPLO; LinAlgError from the
    backward pass when eigenvalues repeat and the loss reads the eigenvectors (module docstring).
    """
    both = eigh_op(as_operand(a, "eigh"), UPLO=UPLO)
    return EighResult(both[..., 0, :], both[..., 1:, :])


def eigvalsh(a, UPLO="L"):
    """The eigenvalues of symmetric matrices, ascending, (..., n) (``torch.linalg.eigvalsh``,
    ``numpy.linalg.eigvalsh``); arguments and errors as :func:`eigh`. **Gradient:** ``V diag(g) V^T``,
    computed everywhere (at a repeated eigenvalue with unequal g, one valid choice of V, as PyTorch);
    the second derivative needs the eigenvectors' and raises LinAlgError at repeated eigenvalues."""
    return eigh(a, UPLO).eigenvalues


# -- the singular value decomposition ----------------------------------------------------------------
SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])


def _svd(a):
    """U (m x k), S (one row, k) and V (n x k) stacked in one array (m + 1 + n, k), k = min(m, n)."""
    if a.ndim < 2:
        raise ShapeError(f"svd: needs matrices in the last two axes, got shape {a.shape}")
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    return np.concatenate([u, s[..., None, :], _swap(vh)], axis=-2)


def _svd_refuse(s, gu, gv, m, n):
    """LinAlgError where the singular vectors' gradient does not exist and the loss reads them."""
    sd, k = _data(s), _data(s).shape[-1]
    reads = _data(gu).any(axis=(-2, -1)) | _data(gv).any(axis=(-2, -1))
    tol = k * np.finfo(sd.dtype).eps * np.max(sd, axis=-1, keepdims=True) ** 2
    repeated = (np.abs(np.diff(sd * sd, axis=-1)) <= tol).any(axis=-1)
    zero = (sd == 0).any(axis=-1) & (m != n)
    if (reads & (repeated | zero)).any():
        raise LinAlgError(
            "svd: the gradient through the singular vectors is not defined at repeated singular values "
            f"or, for a non-square matrix, a zero one (singular values {np.array2string(sd, precision=6)}); "
            "use a loss of the singular values alone (svdvals) or move them apart"
        )
    return np.abs(sd[..., None, :] ** 2 - sd[..., :, None] ** 2) <= tol[..., None]


def _svd_vjp(g, out, a):
    m, n = np.shape(_data(a))[-2:]
    u, s, v = out[..., :m, :], out[..., m, :], out[..., m + 1 :, :]
    gu, gs, gv = g[..., :m, :], g[..., m, :], g[..., m + 1 :, :]
    eye = np.eye(s.shape[-1], dtype=_data(s).dtype)
    if not (_data(gu).any() or _data(gv).any()):
        return (u * gs[..., None, :]) @ _swap(v)
    same = _svd_refuse(s, gu, gv, m, n)
    ugu, vgv = _swap(u) @ gu, _swap(v) @ gv
    ugu, vgv = ugu - _swap(ugu), vgv - _swap(vgv)
    gaps = s[..., None, :] * s[..., None, :] - s[..., :, None] * s[..., :, None] + same.astype(eye.dtype)
    middle = (ugu * s[..., None, :] + s[..., :, None] * vgv) / gaps + gs[..., None, :] * eye
    grad = u @ middle @ _swap(v)
    if m > n:  # the part of gU outside U's span: (I - U U^T) gU S^-1 V^T
        gus = gu / s[..., None, :]
        grad = grad + (gus - u @ (_swap(u) @ gus)) @ _swap(v)
    if n > m:  # and of gV outside V's span: U S^-1 gV^T (I - V V^T)
        sgv = _swap(gv) / s[..., :, None]
        grad = grad + u @ (sgv - (sgv @ v) @ _swap(v))
    return grad


svd_op = defop("svd", _svd, _svd_vjp, kind="linalg")


def svd(a, full_matrices=True):
    """The singular value decomposition ``A = U diag(S) Vh`` of matrices in the last two axes (batched),
    as ``torch.linalg.svd``: a named tuple ``(U, S, Vh)``, U (..., m, k), S (..., k) descending, Vh
    (..., k, n), k = min(m, n). Only the reduced form is differentiable: ``full_matrices=True`` (the
    default, as PyTorch and numpy) is accepted for square matrices, where both forms agree.

    **Gradient** (Townsend 2016, "Differentiating the singular value decomposition"; PyTorch's
    ``svd_backward``): ``U (diag(gS) + (skew(U^T gU) S + S skew(V^T gV)) / E) V^T`` with ``E_ij = S_j^2
    - S_i^2`` and ``skew(X) = X - X^T``, plus ``(I - U U^T) gU S^-1 V^T`` when m > n and ``U S^-1 gV^T
    (I - V V^T)`` when n > m. Signs of the singular vectors are arbitrary: a loss should not depend on
    them. Written with ops, so second derivatives follow.

    **Raises:** ShapeError for fewer than 2 dimensions; ArgumentError for ``full_matrices=True`` on a
    non-square matrix (its extra vectors have no gradient: pass False); LinAlgError from the backward
    pass when the loss reads the singular vectors at repeated singular values, or at a zero one of a
    non-square matrix.
    """
    a = as_operand(a, "svd")
    shape = np.shape(_data(a))
    if full_matrices and len(shape) >= 2 and shape[-1] != shape[-2]:
        raise ArgumentError(
            f"svd: full_matrices=True on a {shape[-2]} x {shape[-1]} matrix adds singular vectors that have no "
            "gradient; pass full_matrices=False"
        )
    both = svd_op(a)
    m = shape[-2]
    return SVDResult(both[..., :m, :], both[..., m, :], both[..., m + 1 :, :].swapaxes(-1, -2))
