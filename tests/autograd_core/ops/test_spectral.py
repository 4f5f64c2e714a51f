"""eigh and eigvalsh (ops/spectral.py) beyond the op database's sign-free sweep: eigenvectors with
their signs fixed against PyTorch (as PyTorch's own OpInfo does), eigvalsh's gradient, the triangle
read (UPLO), numpy's dispatch, repeated eigenvalues refused by name, errors."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import ArgumentError, LinAlgError, ShapeError, Value
from autograd_core.gradcheck import gradcheck, gradgradcheck
from autograd_core.testing import arrays

S = np.array([[2.0, 0.5, -0.3], [0.5, 1.0, 0.2], [-0.3, 0.2, -1.5]])  # symmetric, eigenvalues apart


def _sign_fixed(v):
    """Each eigenvector's sign chosen so that its first entry is positive (a sign-free function of V)."""
    first = v[..., :1, :]
    return v * (first / abs(first))


def _spread(draw):
    n = draw(st.integers(2, 3))
    x = draw(arrays((n, n), min_value=-0.25, max_value=0.25)) + np.diag(2.0 * np.arange(n))
    return (x + x.T) / 2 + 0.1  # no zero first entries in the eigenvectors: every entry nudged off 0


@given(x=st.composite(lambda d: _spread(d))())
def test_sign_fixed_eigenvectors_match_pytorch_values_and_gradients(x):
    v, t = Value(x), torch.tensor(x, requires_grad=True)
    ours, theirs = _sign_fixed(ag.linalg.eigh(v).eigenvectors), _sign_fixed(torch.linalg.eigh(t).eigenvectors)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), atol=1e-12)
    cot = np.random.default_rng(0).standard_normal(x.shape)
    (g,) = ag.gradients(ours, [v], cot)
    (h,) = torch.autograd.grad(theirs, [t], torch.from_numpy(cot))
    np.testing.assert_allclose(g.data, h.numpy(), atol=1e-10)


def test_eigvalsh_gradient_is_v_diag_g_vt_and_matches_pytorch():
    v, t = Value(S), torch.tensor(S, requires_grad=True)
    w = ag.linalg.eigvalsh(v)
    np.testing.assert_allclose(w.data, np.linalg.eigvalsh(S), rtol=1e-14)
    cot = np.array([0.3, -1.0, 2.0])
    (g,) = ag.gradients(w, [v], cot)
    vecs = np.linalg.eigh(S).eigenvectors
    np.testing.assert_allclose(g.data, vecs @ np.diag(cot) @ vecs.T, atol=1e-14)
    (h,) = torch.autograd.grad(torch.linalg.eigvalsh(t), [t], torch.from_numpy(cot))
    np.testing.assert_allclose(g.data, h.numpy(), atol=1e-13)
    gradgradcheck(lambda x: ag.linalg.eigvalsh((x + x.swapaxes(-1, -2)) / 2), [S])


def test_only_the_named_triangle_is_read():
    lower_only = np.tril(S) + np.triu(np.full((3, 3), 9.0), 1)
    for uplo, a in (("L", lower_only), ("U", lower_only.T)):
        w, v = ag.linalg.eigh(a, UPLO=uplo)
        np.testing.assert_allclose(w.data, np.linalg.eigvalsh(S), rtol=1e-14)
        np.testing.assert_allclose(np.abs(v.data), np.abs(np.linalg.eigh(S).eigenvectors), atol=1e-14)
    out = np.linalg.eigh(Value(S), "U")
    assert isinstance(out.eigenvalues, Value) and out.eigenvectors.shape == (3, 3)
    np.testing.assert_allclose(np.linalg.eigvalsh(Value(S)).data, np.linalg.eigvalsh(S))


def test_a_batch_and_float32_keep_their_shapes_and_dtype():
    batch = np.stack([S, S * 2, np.diag([3.0, 1.0, 2.0])]).astype(np.float32)
    w, v = ag.linalg.eigh(batch)
    assert w.shape == (3, 3) and v.shape == (3, 3, 3) and w.dtype == np.float32 == v.dtype
    np.testing.assert_allclose((v.data * w.data[:, None, :]) @ v.data.swapaxes(-1, -2), batch, atol=1e-5)
    gradcheck(lambda x: ag.linalg.eigvalsh((x + x.swapaxes(-1, -2)) / 2), [batch.astype(np.float64)])


def test_repeated_eigenvalues_refuse_losses_of_the_eigenvectors_but_not_of_the_eigenvalues():
    rot = np.linalg.qr(np.array([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0], [1.5, 0.2, 1.0]])).Q
    for a in (np.eye(3), rot @ np.diag([1.0, 1.0, 2.0]) @ rot.T, np.zeros((2, 2))):
        v = Value(a)
        w, vecs = ag.linalg.eigh(v)
        with pytest.raises(LinAlgError, match="eigh: the gradient through the eigenvectors is not defined"):
            ag.gradients((vecs**2).sum() + w.sum(), [v])
        (g,) = ag.gradients(ag.linalg.eigvalsh(v).sum(), [v])  # the trace's gradient: the identity
        np.testing.assert_allclose(g.data, np.eye(len(a)), atol=1e-14)
        with pytest.raises(LinAlgError, match="eigh: the gradient through the eigenvectors"):
            gradgradcheck(ag.linalg.eigvalsh, [a])
    distinct = np.stack([S, np.eye(3)])  # a batch: only the repeated matrix's eigenvectors are refused
    v = Value(distinct)
    ag.gradients((ag.linalg.eigh(v).eigenvectors[0] ** 3).sum(), [v])


def test_bad_arguments_are_refused_naming_the_function():
    with pytest.raises(ShapeError, match="eigh: needs square matrices"):
        ag.linalg.eigh(np.ones((2, 3)))
    with pytest.raises(ArgumentError, match="eigh: UPLO must be 'L' or 'U'"):
        ag.linalg.eigvalsh(S, UPLO="X")


def test_svd_reconstructs_and_numpy_dispatches():
    rng = np.random.default_rng(3)
    for shape in [(4, 2), (2, 4), (2, 3, 3)]:
        a = rng.standard_normal(shape)
        u, s, vh = ag.linalg.svd(a, full_matrices=False)
        assert u.shape == shape[:-1] + (min(shape[-2:]),) and vh.shape[-1] == shape[-1]
        np.testing.assert_allclose(((u * s[..., None, :]) @ vh).data, a, atol=1e-13)
        np.testing.assert_allclose(s.data, np.linalg.svd(a, compute_uv=False), rtol=1e-13)
    out = np.linalg.svd(Value(np.eye(3) + 0.1))  # square: numpy's full_matrices=True default is allowed
    assert isinstance(out.U, Value) and isinstance(np.linalg.svd(Value(a), compute_uv=False), Value)


def test_svd_refuses_what_has_no_gradient_naming_the_op():
    with pytest.raises(ArgumentError, match="svd: full_matrices=True on a 4 x 2 matrix"):
        ag.linalg.svd(np.ones((4, 2)))
    with pytest.raises(ag.NotDifferentiableError, match="hermitian"):
        np.linalg.svd(Value(np.eye(2)), hermitian=True)
    for a in (np.eye(3), np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]])):  # repeated; tall with a zero
        v = Value(a)
        u, s, vh = ag.linalg.svd(v, full_matrices=False)
        with pytest.raises(LinAlgError, match="svd: the gradient through the singular vectors is not defined"):
            ag.gradients((u**3).sum() + s.sum(), [v])
        u, s, vh = ag.linalg.svd(v, full_matrices=False)
        (g,) = ag.gradients(s.sum(), [v])  # the singular values alone: U V^T
        np.testing.assert_allclose(g.data, (u @ vh).data, atol=1e-14)
