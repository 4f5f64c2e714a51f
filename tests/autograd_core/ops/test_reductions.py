"""prod, cumprod, var/std and norms at their special points (zeros, zero variance, the zero vector,
huge and tiny entries), against PyTorch and numpy; argument spellings and errors."""

import math

import numpy as np
import pytest
import torch

import autograd_core as ag
from autograd_core import ShapeError, Value
from autograd_core.gradcheck import gradcheck, gradgradcheck


def ours_and_torch(f_ours, f_torch, x):
    v, t = Value(x), torch.tensor(x, requires_grad=True)
    out, ref = f_ours(v), f_torch(t)
    cot = np.arange(1.0, out.size + 1).reshape(out.shape)
    out.backward(cot)
    ref.backward(torch.tensor(cot))
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12, atol=1e-300)
    return v.grad, np.zeros(x.shape) if t.grad is None else t.grad.numpy()  # torch: None for ord 0


ZERO_CASES = {
    "no zero": [2.0, -1.5, 3.0, 0.5],
    "one zero": [2.0, 0.0, 3.0, 0.5],
    "two zeros": [0.0, -1.5, 0.0, 0.5],
    "all zeros": [0.0, 0.0, 0.0, 0.0],
}


@pytest.mark.parametrize("name", ZERO_CASES)
def test_prod_and_cumprod_gradients_with_zeros_match_pytorch(name):
    x = np.array(ZERO_CASES[name])
    got, want = ours_and_torch(ag.prod, torch.prod, x)
    np.testing.assert_array_equal(got, want)
    got, want = ours_and_torch(lambda v: v.cumprod(0), lambda t: t.cumprod(0), x)
    np.testing.assert_allclose(got, want, rtol=1e-14)
    m = np.stack([x, x[::-1]])
    got, want = ours_and_torch(lambda v: ag.prod(v, dim=1), lambda t: torch.prod(t, dim=1), m)
    np.testing.assert_array_equal(got, want)


def test_prod_gradient_is_the_product_of_the_others():
    x = Value(np.array([2.0, 0.0, 3.0]))
    ag.prod(x).backward()
    np.testing.assert_array_equal(x.grad, [0.0, 6.0, 0.0])  # one zero: the rest's product at the zero
    y = Value(np.array([[0.0, 5.0, 0.0]]))
    y.prod(axis=(0, 1)).backward()
    np.testing.assert_array_equal(y.grad, [[0.0, 0.0, 0.0]])  # two zeros: 0 everywhere


@pytest.mark.parametrize(
    "x", [[0.0, 2.0, 0.0, 3.0], [1.0, 0.0, 0.0, 2.0], [0.0, 0.0, 0.0], [1e-200, 2.0, 1e-200], [5e-324, 5e-324]]
)
def test_prod_and_cumprod_second_derivatives_at_zeros_and_tiny_entries(x):
    x = [np.array(x)]
    for f in (lambda v: ag.prod(v), lambda v: ag.cumprod(v, 0), lambda v: ag.prod(v.reshape(-1, 1), dim=0)):
        gradcheck(f, x)
        gradgradcheck(f, x)


def test_cumsum_and_cumprod_of_none_run_over_the_flattened_input():
    x = np.arange(1.0, 7.0).reshape(2, 3)
    np.testing.assert_array_equal(ag.cumsum(x).data, np.cumsum(x))
    np.testing.assert_array_equal(ag.cumprod(Value(x)).data, np.cumprod(x))
    with pytest.raises(ShapeError, match="cumsum: axis 2"):
        ag.cumsum(x, 2)


def test_var_and_std_match_numpy_and_default_to_pytorchs_correction():
    x = np.array([[1.0, 2.0, 4.0], [3.0, 3.0, 3.5]])
    np.testing.assert_allclose(ag.var(x).data, np.var(x, ddof=1))
    np.testing.assert_allclose(Value(x).var(axis=1, ddof=0).data, np.var(x, axis=1))
    np.testing.assert_allclose(ag.std(x, 0, correction=0, keepdim=True).data, np.std(x, axis=0, keepdims=True))
    np.testing.assert_allclose(ag.std(x, unbiased=False).data, np.std(x))
    with pytest.raises(TypeError, match="correction and ddof"):
        ag.var(x, correction=1, ddof=1)
    with pytest.raises(ValueError, match="non-negative"):
        ag.std(x, ddof=-1)


def test_std_gradient_at_zero_variance_is_zero_as_in_pytorch():
    x = np.array([[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]])
    got, want = ours_and_torch(lambda v: ag.std(v, dim=1), lambda t: torch.std(t, dim=1), x)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_array_equal(got[0], [0.0, 0.0, 0.0])


def test_var_with_too_few_elements_is_inf_or_nan_without_a_warning():
    with np.errstate(all="raise"):
        assert np.isnan(ag.var(np.array([1.0])).data)
        assert np.isinf(ag.var(np.array([1.0, 2.0]), correction=2).data)


@pytest.mark.parametrize("ord_", [2, 1, 3, 0.5, math.inf, -math.inf, 0])
def test_vector_norm_gradient_at_the_zero_vector_is_zero(ord_):
    v = Value(np.zeros(4))
    out = ag.vector_norm(v, ord_)
    assert out.item() == 0
    out.backward()
    np.testing.assert_array_equal(v.grad, np.zeros(4))


@pytest.mark.parametrize("ord_", [2, 1, 3, 0.5, 1.5, math.inf, -math.inf, 0])
def test_vector_norm_with_a_zero_entry_matches_pytorch(ord_):
    x = np.array([[0.0, -2.0, 1.0], [3.0, 0.5, -0.25]])
    got, want = ours_and_torch(
        lambda v: ag.vector_norm(v, ord_, dim=1), lambda t: torch.linalg.vector_norm(t, ord_, dim=1), x
    )
    np.testing.assert_allclose(got, np.nan_to_num(want), rtol=1e-12)  # torch: NaN at 0 for p < 1


@pytest.mark.parametrize("scale", [1e200, 1e-200])
def test_norms_of_huge_and_tiny_vectors_are_finite_and_right(scale):
    for ord_ in (2, 3, 0.5):
        v = Value(np.array([3.0, 4.0]) * scale)
        out = ag.vector_norm(v, ord_)
        want = (3.0**ord_ + 4.0**ord_) ** (1 / ord_)
        np.testing.assert_allclose(out.data / scale, want)
        out.backward()
        np.testing.assert_allclose(v.grad, np.array([3.0, 4.0]) ** (ord_ - 1) / want ** (ord_ - 1))


def test_inf_norm_splits_the_gradient_between_ties():
    v = Value(np.array([3.0, -3.0, 1.0]))
    ag.norm(v, math.inf).backward()
    np.testing.assert_allclose(v.grad, [0.5, -0.5, 0.0])


MATRIX = np.array([[1.0, -2.0, 0.5], [3.0, 4.0, -1.0]])


@pytest.mark.parametrize("ord_", [None, "fro", 1, -1, math.inf, -math.inf])
def test_matrix_norms_match_numpy_and_pytorch(ord_):
    want = np.linalg.norm(MATRIX, ord_)
    np.testing.assert_allclose(ag.norm(MATRIX, ord_).data, want)
    np.testing.assert_allclose(ag.linalg.matrix_norm(Value(MATRIX), "fro" if ord_ is None else ord_).data, want)
    got, theirs = ours_and_torch(
        lambda v: ag.linalg.norm(v, ord_, dim=(0, 1)), lambda t: torch.linalg.norm(t, ord_, dim=(0, 1)), MATRIX
    )
    np.testing.assert_allclose(got, theirs, rtol=1e-12)
    gradcheck(lambda v: ag.norm(v, ord_), [MATRIX])


def test_norm_spellings():
    x = np.arange(24.0).reshape(2, 3, 4) - 10
    np.testing.assert_allclose(ag.norm(x).data, np.linalg.norm(x))
    np.testing.assert_allclose(Value(x).norm(p=1, dim=2).data, torch.norm(torch.tensor(x), p=1, dim=2).numpy())
    np.testing.assert_allclose(Value(x).norm().data, torch.tensor(x).norm().numpy())
    np.testing.assert_allclose(
        ag.norm(x, axis=(1, 2), keepdims=True).data, np.linalg.norm(x, axis=(1, 2), keepdims=True)
    )
    np.testing.assert_allclose(ag.norm(x, 1, axis=(2, 1)).data, np.linalg.norm(x, 1, axis=(2, 1)))
    np.testing.assert_allclose(ag.vector_norm(x, 0, dim=-1).data, np.count_nonzero(x, axis=-1))
    with pytest.raises(ValueError, match="1-D or 2-D"):
        ag.norm(x, 2)
    with pytest.raises(ValueError, match="ord -1"):
        ag.vector_norm(x, -1)
    np.testing.assert_allclose(ag.linalg.matrix_norm(x, "nuc").data, np.linalg.norm(x, "nuc", axis=(-2, -1)))
    with pytest.raises(TypeError, match="dim and axis"):
        ag.norm(x, dim=1, axis=1)
