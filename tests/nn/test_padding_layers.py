"""Padding layers, KLDivLoss and CosineSimilarity: the Module forms of F.pad, F.kl_div and
F.cosine_similarity, against torch.nn's (values and input gradients, float64)."""

import warnings

import numpy as np
import pytest
import torch

import nn
from autograd_core import Value

RNG = np.random.default_rng(3)
KINDS = ["Zero", "Constant", "Reflection", "Replication", "Circular"]


def _pair(ours, theirs, *inputs):
    vs = [Value(x) for x in inputs]
    ts = [torch.tensor(x, requires_grad=True) for x in inputs]
    out, want = ours(*vs), theirs(*ts)
    np.testing.assert_allclose(out.data, want.detach().numpy(), rtol=1e-12, atol=1e-14)
    g = RNG.standard_normal(out.shape)
    out.backward(g)
    want.backward(torch.tensor(g))
    for v, t in zip(vs, ts):
        np.testing.assert_allclose(v.grad, t.grad.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("padding", [1, "tuple"])
def test_padding_layers_match_torch(kind, nd, padding):
    padding = tuple(range(1, 2 * nd + 1)) if padding == "tuple" else padding
    args = (padding, 2.5) if kind == "Constant" else (padding,)
    name = f"{kind}Pad{nd}d"
    x = RNG.standard_normal((2, 3) + (7,) * nd)
    _pair(getattr(nn, name)(*args), getattr(torch.nn, name)(*args), x)
    _pair(getattr(nn, name)(*args), getattr(torch.nn, name)(*args), x[0])  # unbatched


def test_padding_layer_repr_and_errors():
    assert repr(nn.ZeroPad2d(1)) == "ZeroPad2d((1, 1, 1, 1))"
    assert repr(nn.ConstantPad1d((1, 2), 3.5)) == "ConstantPad1d((1, 2), value=3.5)"
    with pytest.raises(ValueError):
        nn.ReflectionPad1d(5)(Value(np.ones((1, 1, 3))))  # reflect pads must be smaller than the size


@pytest.mark.parametrize("reduction", ["mean", "batchmean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_loss_matches_torch(reduction, log_target):
    x = np.log(RNG.dirichlet(np.ones(4), size=3))
    t = RNG.dirichlet(np.ones(4), size=3)
    t = np.log(t) if log_target else t
    ours = nn.KLDivLoss(reduction=reduction, log_target=log_target)
    theirs = torch.nn.KLDivLoss(reduction=reduction, log_target=log_target)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # both warn for 'mean' (not the mathematical KL)
        _pair(ours, theirs, x, t)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cosine_similarity_matches_torch(dim):
    a, b = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))
    b[1] = 0.0  # a zero vector: PyTorch's eps rule
    _pair(nn.CosineSimilarity(dim=dim), torch.nn.CosineSimilarity(dim=dim), a, b)
