"""Learnable activations (PReLU, Swish, MPELU, Maxout) against PyTorch float64 and finite differences,
and every activation Module against its functional form."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd_core import Value
from autograd_core.testing import arrays, assert_gradients_match

RAISE = {"over": "raise", "invalid": "raise", "divide": "raise"}
FEW = max(5, settings.default.max_examples // 3)


@st.composite
def nchw_and_params(draw, max_dims=4):
    """An input (N, C, ...) kept away from 0, and a parameter count of 1 or C."""
    ndim = draw(st.integers(1, max_dims))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim)))
    x = draw(arrays(shape, away_from=(0,), margin=0.05))
    channels = shape[1] if ndim >= 2 else 1
    n = draw(st.sampled_from(sorted({1, channels})))
    return x, n


def _torch_mpelu(x, alpha, beta):
    shape = (-1,) + (1,) * (x.dim() - 2) if x.dim() >= 2 and alpha.numel() > 1 else ()
    a, b = alpha.reshape(shape), beta.reshape(shape)
    return torch.where(x > 0, x, a * torch.expm1(b * torch.clamp(x, max=0)))


@given(nchw_and_params())
def test_prelu_matches_pytorch_module(data):
    x, n = data
    ours = nn.PReLU(n, init=0.3, dtype=np.float64)
    ours.weight.data = np.linspace(0.1, 0.9, n)
    theirs = torch.nn.PReLU(n, init=0.3).double()
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    g = np.random.default_rng(0).standard_normal(x.shape)
    xv, xt = Value(x), torch.tensor(x, requires_grad=True)
    out, ref = ours(xv), theirs(xt)
    out.backward(g)
    ref.backward(torch.tensor(g))
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(xv.grad, xt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=1e-10, atol=1e-14)


@given(nchw_and_params())
def test_mpelu_matches_pytorch_formula(data):
    x, n = data
    alpha, beta = np.linspace(0.2, 1.5, n), np.linspace(0.5, 2.0, n)
    m = nn.MPELU(n, dtype=np.float64)
    m.alpha.data, m.beta.data = alpha, beta
    xv = Value(x)
    at, bt, xt = (torch.tensor(a, requires_grad=True) for a in (alpha, beta, x))
    g = np.random.default_rng(1).standard_normal(x.shape)
    out, ref = m(xv), _torch_mpelu(xt, at, bt)
    out.backward(g)
    ref.backward(torch.tensor(g))
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12)
    for ours, theirs in [(xv.grad, xt), (m.alpha.grad, at), (m.beta.grad, bt)]:
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-10, atol=1e-14)


@settings(max_examples=FEW)
@given(nchw_and_params(max_dims=3))
def test_learnable_activations_first_and_second_derivatives(data):
    x, n = data
    w = np.linspace(0.2, 0.8, n)
    assert_gradients_match(F.prelu, x, w, second_order=True)
    assert_gradients_match(F.mpelu, x, w, w + 0.5, second_order=True)
    assert_gradients_match(lambda a, b: F.swish(a, b), x, np.array(1.3), second_order=True)


def test_mpelu_special_cases_are_elu_and_prelu_like():
    x = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(F.mpelu(x, 1.0, 1.0).data, TF.elu(torch.tensor(x)).numpy(), rtol=1e-12)
    m = nn.MPELU()
    assert m.alpha.data.tolist() == [0.25] and m.beta.data.tolist() == [1.0]  # the paper's initialisation


def test_swish_learnable_beta_gradient_matches_pytorch():
    x = np.linspace(-4, 4, 9)
    m = nn.Swish(beta=1.7, learnable=True, dtype=np.float64)
    assert [k for k, _ in m.named_parameters()] == ["beta"]
    xv = Value(x)
    m(xv).sum().backward()
    bt, xt = torch.tensor(1.7, dtype=torch.float64, requires_grad=True), torch.tensor(x, requires_grad=True)
    (xt * torch.sigmoid(bt * xt)).sum().backward()
    np.testing.assert_allclose(m.beta.grad, bt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(xv.grad, xt.grad.numpy(), rtol=1e-12)
    assert list(nn.Swish(2.0).parameters()) == []


@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))
def test_maxout_matches_pytorch_linear_then_max(batch, in_features, out_features, k):
    m = nn.Maxout(in_features, out_features, k=k, dtype=np.float64, seed=0)
    lin = torch.nn.Linear(in_features, out_features * k).double()
    lin.load_state_dict({k_: torch.tensor(v) for k_, v in m.state_dict().items()})
    x = np.random.default_rng(batch).standard_normal((batch, in_features))
    xv, xt = Value(x), torch.tensor(x, requires_grad=True)
    out = m(xv)
    ref = lin(xt).view(batch, out_features, k).max(dim=-1).values
    g = np.random.default_rng(2).standard_normal(out.shape)
    out.backward(g)
    ref.backward(torch.tensor(g))
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(xv.grad, xt.grad.numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(m.weight.grad, lin.weight.grad.numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(m.bias.grad, lin.bias.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_maxout_finite_differences_and_tie_split():
    x = np.random.default_rng(3).standard_normal((2, 6))
    assert_gradients_match(lambda v: F.maxout(v, 3), x, second_order=True)
    v = Value(np.array([[1.0, 1.0, 0.0]]))
    F.maxout(v, 3).sum().backward()
    np.testing.assert_allclose(v.grad, [[0.5, 0.5, 0.0]])  # ties share evenly (DESIGN.md)


def test_learnable_activations_at_1000():
    x = np.array([[-1000.0, 1000.0], [1000.0, -1000.0]])
    for m in (nn.PReLU(2, dtype=np.float64), nn.MPELU(2, dtype=np.float64), nn.Swish(1.0, learnable=True)):
        xv = Value(x)
        with np.errstate(**RAISE):
            m(xv).sum().backward()
        assert np.isfinite(xv.grad).all()
        assert all(np.isfinite(p.grad).all() for p in m.parameters())


MODULES = [
    (nn.Sigmoid(), F.sigmoid, {}),
    (nn.Tanh(), F.tanh, {}),
    (nn.ReLU(), F.relu, {}),
    (
        nn.ReLU(negative_slope=0.1, max_value=2.0, threshold=0.5),
        F.relu,
        dict(negative_slope=0.1, max_value=2.0, threshold=0.5),
    ),
    (nn.LeakyReLU(0.2), F.leaky_relu, {"negative_slope": 0.2}),
    (nn.ReLU6(), F.relu6, {}),
    (nn.Hardtanh(-0.5, 2.0), F.hardtanh, {"min_val": -0.5, "max_val": 2.0}),
    (nn.ELU(0.5), F.elu, {"alpha": 0.5}),
    (nn.SELU(), F.selu, {}),
    (nn.CELU(2.0), F.celu, {"alpha": 2.0}),
    (nn.Softplus(2.0, 5.0), F.softplus, {"beta": 2.0, "threshold": 5.0}),
    (nn.SiLU(), F.silu, {}),
    (nn.Swish(0.5), F.swish, {"beta": 0.5}),
    (nn.GELU("tanh"), F.gelu, {"approximate": "tanh"}),
    (nn.Mish(), F.mish, {}),
    (nn.Hardsigmoid(), F.hardsigmoid, {}),
    (nn.Hardswish(), F.hardswish, {}),
    (nn.LogSigmoid(), F.log_sigmoid, {}),
    (nn.Softmax(dim=0), F.softmax, {"dim": 0}),
    (nn.LogSoftmax(dim=1), F.log_softmax, {"dim": 1}),
    (nn.Softmin(dim=-1), F.softmin, {"dim": -1}),
]


@pytest.mark.parametrize("module, fn, kwargs", MODULES, ids=[type(m).__name__ for m, _, _ in MODULES])
def test_module_equals_functional(module, fn, kwargs):
    x = np.linspace(-5, 5, 12).reshape(3, 4)
    np.testing.assert_array_equal(module(x).data, fn(x, **kwargs).data)
    assert list(module.parameters()) == [] and module.state_dict() == {}
    assert repr(module).startswith(type(module).__name__ + "(")


def test_module_reprs_and_state_dicts_follow_pytorch():
    assert repr(nn.LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
    assert repr(nn.Softmax(dim=1)) == "Softmax(dim=1)"
    assert repr(nn.ReLU()) == "ReLU()"
    assert list(nn.PReLU(3).state_dict()) == ["weight"]
    assert nn.PReLU().weight.data.dtype == np.float32
    assert list(nn.MPELU(4).state_dict()) == ["alpha", "beta"]
    assert list(nn.Maxout(5, 3, k=4).state_dict()) == ["weight", "bias"]
    assert nn.Maxout(5, 3, k=4).weight.shape == (12, 5)


def test_module_constructor_errors():
    with pytest.raises(ValueError, match="approximate"):
        nn.GELU("fast")
    with pytest.raises(ValueError, match="min_val"):
        nn.Hardtanh(2.0, 1.0)
    with pytest.raises(ValueError, match="k must be"):
        nn.Maxout(3, 2, k=0)
