"""Op database entries: the cross product (ops/products.py) and the matrix functions of
ops/decompositions.py (inv, det, logabsdet, solve, cholesky, qr, svdvals), ops/spectral.py (eigh, svd)
and ops/pseudoinverse.py (pinv)."""

import numpy as np

import autograd_core as ag

from .draw import arrays, broadcastable_shapes, shapes, st
from .info import OpInfo, torch
from .samples import uniform

_A = np.array([[2.0, 0.5, -0.3], [0.4, 1.5, 0.2], [-0.1, 0.3, 1.8]])  # well conditioned


def _batch(draw, max_dims=2):
    return draw(shapes(0, max_dims, max_side=2))


def _well_conditioned(draw, batch, n):
    """Matrices near ``n I`` (entries in [-0.5, 0.5] added): diagonally dominant, far from singular."""
    return draw(arrays((*batch, n, n), min_value=-0.5, max_value=0.5)) + n * np.eye(n)


def _cross_inputs(draw):
    sa, sb = draw(broadcastable_shapes(2, max_dims=2, max_side=3))
    return [draw(arrays((*sa, 3))), draw(arrays((*sb, 3)))], {}


def _square_inputs(conditioned):
    def inputs(draw):
        batch, n = _batch(draw), draw(st.integers(1, 3))
        x = _well_conditioned(draw, batch, n) if conditioned else draw(arrays((*batch, n, n)))
        return [x], {}

    return inputs


def _solve_inputs(draw):
    n = draw(st.integers(1, 3))
    ba, bb = draw(broadcastable_shapes(2, max_dims=2, max_side=2))
    vector = draw(st.booleans())
    b = draw(arrays((*ba, n) if vector else (*bb, n, draw(st.integers(1, 3)))))
    return [_well_conditioned(draw, ba, n), b], {}


def _qr_inputs(draw):
    n = draw(st.integers(1, 3))
    m = draw(st.integers(n, 4))
    batch = _batch(draw, 1)
    # full column rank, with margin; no exact zeros: LAPACK's Householder step flips signs there
    x = draw(arrays((*batch, m, n), min_value=-1.0, max_value=1.0, away_from=(0,), margin=0.1))
    x[..., :n, :] += 3 * np.eye(n)
    return [x], {}


def _full_rank_inputs(draw):
    """Tall, wide or square matrices of full rank with margin (the pseudo-inverse's rule needs the
    rank to be constant nearby): a unit diagonal added to small entries."""
    batch, m, n = _batch(draw, 1), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    x = draw(arrays((*batch, m, n), min_value=-0.3, max_value=0.3))
    k = min(m, n)
    x[..., :k, :k] += np.eye(k)
    return [x], {}


def _svdvals_inputs(draw):
    batch, m, n = _batch(draw, 1), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    k = min(m, n)
    x = draw(arrays((*batch, m, n), min_value=-0.3, max_value=0.3))
    x[..., :k, :k] += np.diag(np.arange(1.0, k + 1))  # singular values apart: the rule needs them distinct
    return [x], {}


def _spd(x):
    """A symmetric positive-definite matrix from x (entries in [-3, 3]): its symmetric part plus (3n + 1) I
    (Values and arrays via numpy's eye, tensors via torch's)."""
    n = x.shape[-1]
    eye = torch.eye(n, dtype=x.dtype) if type(x).__module__.startswith("torch") else np.eye(n, dtype=x.dtype)
    return (x + x.swapaxes(-1, -2)) * 0.5 + eye * (3.0 * n + 1.0)  # Gershgorin: eigenvalues >= 1


def _symmetric_spread(draw):
    """A (batch of) n x n matrices whose symmetric part has eigenvalues at least 0.5 apart: 2 i on the
    diagonal plus entries in [-0.25, 0.25] (Weyl: each eigenvalue moves at most n / 4 <= 0.75)."""
    batch, n = _batch(draw, 1), draw(st.integers(1, 3))
    return [draw(arrays((*batch, n, n), min_value=-0.25, max_value=0.25)) + np.diag(2.0 * np.arange(n))], {}


def _eigh_gauge_free(x):
    """What of eigh(sym(x)) does not depend on the eigenvectors' signs: w stacked over V sin(w) V^T
    (a matrix function: its derivative needs the eigenvectors'). Values and tensors alike."""
    sym = (x + x.swapaxes(-1, -2)) * 0.5
    if type(x).__module__.startswith("torch"):
        w, v = torch.linalg.eigh(sym)
        return torch.cat([w[..., None, :], (v * torch.sin(w)[..., None, :]) @ v.mT], dim=-2)
    w, v = ag.linalg.eigh(sym)
    return ag.concatenate([w[..., None, :], (v * ag.sin(w)[..., None, :]) @ v.swapaxes(-1, -2)], axis=-2)


def _svd_spread(draw):
    """m x n matrices with singular values at least 0.2 apart and above 1: 2, 4, ... on the diagonal
    plus entries in [-0.3, 0.3] (each singular value moves at most 3 * 0.3)."""
    batch, m, n = _batch(draw, 1), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    x = draw(arrays((*batch, m, n), min_value=-0.3, max_value=0.3))
    return [x + np.eye(m, n) * 2.0 * np.arange(1, n + 1)], {}


def _svd_gauge_free(x):
    """Sign-free functions of svd(x): U cos(S) Vh, the projectors U U^T and V V^T, and S, flattened."""
    if type(x).__module__.startswith("torch"):
        u, s, vh = torch.linalg.svd(x, full_matrices=False)
        parts = [(u * torch.cos(s)[..., None, :]) @ vh, u @ u.mT, vh.mT @ vh, s]
        return torch.cat([p.reshape(-1) for p in parts])
    u, s, vh = ag.linalg.svd(x, full_matrices=False)
    parts = [(u * ag.cos(s)[..., None, :]) @ vh, u @ u.swapaxes(-1, -2), vh.swapaxes(-1, -2) @ vh, s]
    return ag.concatenate([p.reshape(-1) for p in parts])


def _qr_both(a):
    q, r = ag.linalg.qr(a)
    return ag.concatenate([q, r], axis=-2)


ENTRIES = [
    OpInfo(
        "cross",
        ag.cross,
        sample=([uniform(2, 3), uniform(3)], {}),
        inputs=_cross_inputs,
        torch=lambda a, b: torch.linalg.cross(*torch.broadcast_tensors(a, b)),
    ),
    OpInfo("inv", ag.linalg.inv, sample=([_A], {}), inputs=_square_inputs(True), torch="linalg.inv"),
    # nonsingular draws: at a singular matrix the second derivative is refused (tests/.../test_matrices.py
    # checks the first derivative there)
    OpInfo("det", ag.det, sample=([uniform(2, 3, 3)], {}), inputs=_square_inputs(True), torch="linalg.det"),
    OpInfo(
        "logabsdet",
        lambda a: ag.slogdet(a).logabsdet,
        sample=([_A], {}),
        inputs=_square_inputs(True),
        torch=lambda a: torch.linalg.slogdet(a)[1],
    ),
    OpInfo(
        "solve",
        ag.linalg.solve,
        sample=([_A, uniform(3, 2)], {}),
        inputs=_solve_inputs,
        torch="linalg.solve",
    ),
    # cholesky reads a symmetric matrix: called on the symmetric part of x (plus n I), so finite
    # differences in every entry of x see the symmetric gradient
    OpInfo(
        "cholesky",
        lambda x: ag.linalg.cholesky(_spd(x)),
        sample=([_A], {}),
        inputs=_square_inputs(False),
        torch=lambda x: torch.linalg.cholesky(_spd(x)),
    ),
    OpInfo(
        "qr",
        _qr_both,
        sample=([uniform(4, 3) + np.eye(4, 3) * 2], {}),
        inputs=_qr_inputs,
        torch=lambda a: torch.cat(torch.linalg.qr(a), dim=-2),
    ),
    OpInfo(
        "pinv",
        ag.linalg.pinv,
        sample=([uniform(4, 3) + np.eye(4, 3)], {}),
        inputs=_full_rank_inputs,
        torch="linalg.pinv",
    ),
    OpInfo(
        "svdvals",
        ag.linalg.svdvals,
        sample=([uniform(3, 2) * 0.3 + np.eye(3, 2) * [1.0, 2.0]], {}),
        inputs=_svdvals_inputs,
        torch="linalg.svdvals",
        second_order=False,  # its second derivative needs the singular vectors' derivatives: refused
    ),
    # eigh reads a symmetric matrix and its eigenvectors have arbitrary signs: called on sym(x) through
    # a sign-free function of (w, V), with eigenvalues apart (the rule needs them distinct)
    OpInfo(
        "eigh",
        _eigh_gauge_free,
        sample=([_A], {}),
        inputs=_symmetric_spread,
        torch=_eigh_gauge_free,
    ),
    OpInfo(
        "svd",
        _svd_gauge_free,
        sample=([uniform(4, 3) + np.eye(4, 3) * 2], {}),
        inputs=_svd_spread,
        torch=_svd_gauge_free,
    ),
]
