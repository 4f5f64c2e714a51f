"""The matrix functions at their edges: det at singular matrices (the adjugate), slogdet's sign,
solve's vector rule, cholesky's symmetric gradient, qr's conditions, svdvals and the spectral and
nuclear norms; errors naming the op."""

import numpy as np
import pytest
import torch

import autograd_core as ag
from autograd_core import ArgumentError, LinAlgError, ShapeError, Value
from autograd_core.gradcheck import gradcheck, gradgradcheck

rng = np.random.default_rng(0)


def grads(f, *xs):
    vs = [Value(x) for x in xs]
    out = f(*vs)
    out.backward(np.ones(out.shape))
    return [v.grad for v in vs]


def torch_grads(f, *xs):
    ts = [torch.tensor(x, requires_grad=True) for x in xs]
    out = f(*ts)
    out.backward(torch.ones_like(out))
    return [t.grad.numpy() for t in ts]


SINGULAR = {
    "rank 1": np.array([[1.0, 2.0], [2.0, 4.0]]),
    "zero": np.zeros((3, 3)),
    "rank 2 of 3": np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 2.0]]),
    "1 x 1": np.array([[0.0]]),
}


def cofactors(a):
    """adj(A)^T entry by entry: (-1)^(i+j) det(A without row i and column j) (Jacobi's formula)."""
    n = a.shape[-1]
    if n == 1:
        return np.ones_like(a)
    out = np.empty_like(a)
    for i in range(n):
        for j in range(n):
            minor = np.delete(np.delete(a, i, axis=-2), j, axis=-1)
            out[..., i, j] = (-1) ** (i + j) * np.linalg.det(minor)
    return out


@pytest.mark.parametrize("name", SINGULAR)
def test_det_gradient_at_singular_matrices_is_the_adjugate(name):
    """PyTorch 2.13 returns 0 for the rank-deficient cases; the cofactors (and finite differences) do not."""
    a = SINGULAR[name]
    (got,) = grads(ag.det, a)
    np.testing.assert_allclose(got, cofactors(a), atol=1e-12)
    gradcheck(ag.det, [a])
    with pytest.raises(NotImplementedError, match="det: second derivatives at a singular matrix"):
        gradgradcheck(ag.det, [a])


def test_det_batched_with_singular_and_regular_matrices():
    a = np.stack([SINGULAR["rank 1"], np.array([[2.0, 1.0], [0.5, 3.0]])])
    (got,) = grads(ag.det, a)
    np.testing.assert_allclose(got, cofactors(a), atol=1e-12)


def test_slogdet_sign_and_log_and_its_refusal_at_singular_matrices():
    a = np.array([[[0.0, 2.0], [3.0, 1.0]], [[2.0, 0.0], [0.0, 3.0]]])
    sign, logdet = ag.slogdet(a)
    np.testing.assert_array_equal(sign.data, [-1.0, 1.0])
    np.testing.assert_allclose(logdet.data, np.log(np.abs(np.linalg.det(a))))
    assert not sign.requires_grad
    big = np.eye(3) * 1e200  # det overflows; log|det| does not
    np.testing.assert_allclose(ag.slogdet(big).logabsdet.data, 3 * np.log(1e200))
    with pytest.raises(LinAlgError, match=r"slogdet: log\|det\| of a singular matrix"):
        grads(lambda v: ag.slogdet(v).logabsdet, SINGULAR["rank 1"])


def test_inv_and_solve_refuse_singular_matrices_naming_the_op():
    with pytest.raises(LinAlgError, match="inv: Singular matrix"):
        ag.linalg.inv(SINGULAR["rank 1"])
    with pytest.raises(LinAlgError, match="solve: Singular matrix"):
        ag.linalg.solve(SINGULAR["rank 1"], np.ones(2))
    with pytest.raises(ShapeError, match="inv: needs square matrices"):
        ag.linalg.inv(np.ones((2, 3)))


@pytest.mark.parametrize(
    "sa, sb", [((3, 3), (3,)), ((2, 3, 3), (2, 3)), ((3, 3), (3, 2)), ((2, 3, 3), (3, 1)), ((1, 3, 3), (4, 3, 2))]
)
def test_solve_follows_pytorchs_vector_rule_and_broadcasts(sa, sb):
    a = rng.standard_normal(sa) + 3 * np.eye(3)
    b = rng.standard_normal(sb)
    want = torch.linalg.solve(torch.tensor(a), torch.tensor(b)).numpy()
    np.testing.assert_allclose(ag.linalg.solve(a, b).data, want, atol=1e-12)
    got = grads(ag.linalg.solve, a, b)
    for g, w in zip(got, torch_grads(torch.linalg.solve, a, b)):
        np.testing.assert_allclose(g, w, atol=1e-12)
    if b.ndim == 2 and sa == (3, 3):  # X A = B^T
        x = ag.linalg.solve(a, b.T, left=False)
        np.testing.assert_allclose(x.data @ a, b.T, atol=1e-12)


def test_cholesky_gradient_is_symmetric_and_matches_pytorch():
    x = rng.standard_normal((3, 3))
    a = x @ x.T + 3 * np.eye(3)
    (got,) = grads(ag.linalg.cholesky, a)
    np.testing.assert_allclose(got, got.T, atol=1e-12)
    np.testing.assert_allclose(got, torch_grads(torch.linalg.cholesky, a)[0], atol=1e-12)
    upper = ag.linalg.cholesky(a, upper=True)
    np.testing.assert_allclose(upper.data.T @ upper.data, a, atol=1e-12)
    with pytest.raises(LinAlgError, match="cholesky: Matrix is not positive definite"):
        ag.linalg.cholesky(-a)


def test_qr_reconstructs_and_refuses_what_it_cannot_differentiate():
    a = rng.standard_normal((4, 3))
    q, r = ag.linalg.qr(Value(a))
    np.testing.assert_allclose((q @ r).data, a, atol=1e-12)
    wide = Value(rng.standard_normal((2, 3)))
    qw, rw = ag.linalg.qr(wide)
    np.testing.assert_allclose((qw @ rw).data, wide.data, atol=1e-12)
    with pytest.raises(NotImplementedError, match="qr: the gradient for wide matrices"):
        (qw.sum() + rw.sum()).backward()
    with pytest.raises(ArgumentError, match="qr: only mode='reduced'"):
        ag.linalg.qr(a, mode="complete")


@pytest.mark.parametrize("ord_", [2, -2, "nuc"])
def test_spectral_and_nuclear_norms_match_numpy_and_pytorch(ord_):
    a = rng.standard_normal((2, 4, 3))
    np.testing.assert_allclose(ag.linalg.matrix_norm(a, ord_).data, np.linalg.norm(a, ord_, axis=(-2, -1)))
    got = grads(lambda v: ag.linalg.matrix_norm(v, ord_), a)[0]
    np.testing.assert_allclose(got, torch_grads(lambda t: torch.linalg.matrix_norm(t, ord_), a)[0], atol=1e-10)
    kept = ag.norm(a, ord_, dim=(0, 2), keepdim=True)
    np.testing.assert_allclose(kept.data, np.linalg.norm(a, ord_, axis=(0, 2), keepdims=True))


def test_svdvals_second_derivatives_are_refused_not_wrong():
    a = rng.standard_normal((3, 2))
    gradcheck(ag.linalg.svdvals, [a])
    with pytest.raises(NotImplementedError, match="svdvals: second derivatives"):
        gradgradcheck(ag.linalg.svdvals, [a])


def test_matrix_functions_as_methods_and_top_level_names():
    a = np.array([[2.0, 1.0], [0.5, 3.0]])
    v = Value(a)
    np.testing.assert_allclose(v.det().data, np.linalg.det(a))
    np.testing.assert_allclose(v.inverse().data, np.linalg.inv(a))
    np.testing.assert_allclose(ag.inverse(a).data, np.linalg.inv(a))
    np.testing.assert_allclose(v.slogdet().logabsdet.data, np.linalg.slogdet(a)[1])
    np.testing.assert_allclose(v.trace().data, np.trace(a))
    assert ag.linalg.vecdot is ag.linalg.vdot
