"""float16 scans accumulate wider and round each entry once, as PyTorch's do: long rows, forward and
vjp (a reversed cumsum), against PyTorch CPU."""

import numpy as np
import pytest
import torch

import autograd_core as ag

N = 3000  # past 2,048, where a float16 running sum of ones stops growing


@pytest.mark.parametrize(
    "name, x",
    [
        ("cumsum", np.full(N, 1.0)),
        ("cumsum", np.full((2, N), 0.1)),
        ("cumprod", np.full(N, 1.001)),
        ("logcumsumexp", np.zeros(N)),
    ],
)
def test_float16_scans_match_pytorch_on_long_rows(name, x):
    """Values along the whole row, and the gradient of a weighted sum, equal PyTorch's float16 results."""
    x16 = x.astype(np.float16)
    w = np.random.default_rng(0).uniform(0, 1e-3, x.shape).astype(np.float16)
    v, t = ag.Value(x16), torch.tensor(x16, requires_grad=True)
    out_v, out_t = getattr(v, name)(-1), getattr(torch, name)(t, -1)
    assert out_v.dtype == np.float16
    np.testing.assert_allclose(out_v.data.astype(np.float64), out_t.detach().numpy(), rtol=2e-3)
    (out_v * w).sum().backward()
    (out_t * torch.tensor(w)).sum().backward()
    assert v.grad.dtype == np.float16
    np.testing.assert_allclose(v.grad.astype(np.float64), t.grad.numpy(), rtol=5e-3, atol=1e-4)


def test_float16_cumsum_of_ones_reaches_the_count():
    """The reported case: 3,000 ones sum to 3,000 (float16 alone stops at 2,048); nancumsum as well."""
    v = ag.Value(np.full(N, 1.0, np.float16))
    assert float(v.cumsum()[-1].data) == N == float(torch.ones(N, dtype=torch.float16).cumsum(0)[-1])
    assert float(ag.nancumsum(v)[-1].data) == N
