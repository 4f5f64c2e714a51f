"""pinv and lstsq (ops/pseudoinverse.py): values against numpy at every rank, gradients against
PyTorch and finite differences (the op database sweeps pinv at both orders too)."""

import numpy as np
import pytest
import torch

import autograd_core as ag
from autograd_core import ArgumentError, ShapeError, Value, gradcheck, gradgradcheck

RNG = np.random.default_rng(7)
TALL, WIDE = RNG.standard_normal((5, 3)), RNG.standard_normal((3, 5))
DEFICIENT = np.c_[TALL[:, :2], TALL[:, :1] - TALL[:, 1:2]]  # rank 2 of 3


@pytest.mark.parametrize("a", [TALL, WIDE, DEFICIENT, np.eye(3), RNG.standard_normal((2, 3, 4)), np.zeros((0, 2))])
def test_pinv_matches_numpy(a):
    got = ag.linalg.pinv(a).data
    assert got.shape == a.shape[:-2] + a.shape[-2:][::-1]
    np.testing.assert_allclose(got, np.linalg.pinv(a) if a.size else np.zeros(got.shape), atol=1e-12)
    np.testing.assert_allclose(np.linalg.pinv(Value(a)).data, got)  # numpy's function on a Value


@pytest.mark.parametrize("a", [TALL, WIDE, DEFICIENT, np.eye(3)])
def test_pinv_gradient_matches_pytorch(a):
    """Golub & Pereyra's rule, also at repeated singular values (the identity) and a rank-deficient A
    (PyTorch uses the same rule, valid where the rank is locally constant)."""
    g = RNG.standard_normal(a.shape[::-1])
    v = Value(a)
    ag.linalg.pinv(v).backward(g)
    t = torch.tensor(a, requires_grad=True)
    torch.linalg.pinv(t).backward(torch.tensor(g))
    np.testing.assert_allclose(v.grad, t.grad.numpy(), atol=1e-10)


@pytest.mark.parametrize("b", [RNG.standard_normal(5), RNG.standard_normal((5, 2))])
@pytest.mark.parametrize("a", [TALL, DEFICIENT, RNG.standard_normal((5, 6))[:, :5]])
def test_lstsq_returns_numpys_four_results(a, b):
    got, want = ag.linalg.lstsq(a, b), np.linalg.lstsq(a, b)
    for k, (x, y) in enumerate(zip(got, want)):
        np.testing.assert_allclose(np.asarray(getattr(x, "data", x)), y, atol=1e-10, err_msg=got._fields[k])
    np.testing.assert_allclose(np.linalg.lstsq(Value(a), b)[0].data, want[0], atol=1e-12)


def test_lstsq_gradients():
    a, b = RNG.standard_normal((4, 2)), RNG.standard_normal((4, 3))
    assert gradcheck(lambda a, b: ag.linalg.lstsq(a, b).solution, [a, b])
    assert gradgradcheck(lambda a, b: ag.linalg.lstsq(a, b).solution, [a, b])
    assert gradcheck(lambda a, b: ag.linalg.lstsq(a, b).residuals, [a, b])
    va, vb = Value(a), Value(b)
    ag.linalg.lstsq(va, vb).solution.sum().backward()
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    torch.linalg.lstsq(ta, tb).solution.sum().backward()
    np.testing.assert_allclose(va.grad, ta.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(vb.grad, tb.grad.numpy(), atol=1e-10)


def test_errors_name_the_problem():
    with pytest.raises(ShapeError, match="pinv"):
        ag.linalg.pinv(np.ones(3))
    with pytest.raises(ArgumentError, match="rtol"):
        ag.linalg.pinv(TALL, atol=1e-3)
    with pytest.raises(ShapeError, match="share m"):
        ag.linalg.lstsq(TALL, np.ones(4))
    with pytest.raises(ArgumentError, match="gelsd"):
        ag.linalg.lstsq(TALL, np.ones(5), driver="gels")
    np.testing.assert_allclose(ag.linalg.pinv(DEFICIENT, rcond=0.5).data, np.linalg.pinv(DEFICIENT, rcond=0.5))
