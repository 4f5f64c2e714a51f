"""GLU, RReLU in training, Softmax2d and the Modules of nn.layers.activation_extra: PyTorch float64,
central finite differences (first and second order) over hypothesis-drawn shapes, errors. The
elementwise ones (shrinks, softsign, threshold, rrelu in eval) are swept in test_activations.py."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd_core import ShapeError, Value
from autograd_core.testing import arrays, assert_gradients_match

RAISE = {"over": "raise", "invalid": "raise", "divide": "raise"}
FEW = max(5, settings.default.max_examples // 3)


@st.composite
def glu_inputs(draw, max_dims=3):
    ndim = draw(st.integers(1, max_dims))
    shape = list(draw(st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim)))
    dim = draw(st.integers(-ndim, ndim - 1))
    shape[dim] *= 2
    return draw(arrays(tuple(shape))), dim


@given(glu_inputs())
def test_glu_matches_pytorch(case):
    x, dim = case
    v, t = Value(x), torch.tensor(x, requires_grad=True)
    out, ref = F.glu(v, dim), TF.glu(t, dim)
    g = np.random.default_rng(0).standard_normal(out.shape)
    out.backward(g)
    ref.backward(torch.tensor(g))
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(v.grad, t.grad.numpy(), rtol=1e-12, atol=1e-14)


@settings(max_examples=FEW)
@given(glu_inputs(max_dims=2))
def test_glu_first_and_second_derivatives(case):
    x, dim = case
    assert_gradients_match(lambda v: F.glu(v, dim), x, second_order=True)


def test_glu_at_1000_and_errors():
    x = np.array([[-1000.0, 1000.0, 1000.0, -1000.0]])
    v = Value(x)
    with np.errstate(**RAISE):
        out = F.glu(v)
        out.backward(np.ones((1, 2)))
    np.testing.assert_allclose(out.data, [[-1000.0, 0.0]])
    np.testing.assert_allclose(v.grad, [[1.0, 0.0, 0.0, 0.0]])
    np.testing.assert_array_equal(F.glu(x, axis=1).data, F.glu(x, dim=1).data)
    with pytest.raises(ShapeError, match="even"):
        F.glu(np.zeros((2, 3)))
    with pytest.raises(ShapeError, match="0-d"):
        F.glu(np.array(1.0))
    with pytest.raises(ShapeError, match="out of range"):
        F.glu(np.zeros((2, 2)), dim=2)


def test_rrelu_training_draws_slopes_from_the_generator():
    x = np.linspace(-3, 3, 601)
    a, b = Value(x), Value(x)
    out = F.rrelu(a, 0.1, 0.4, training=True, generator=np.random.default_rng(5))
    again = F.rrelu(b, 0.1, 0.4, training=True, generator=np.random.default_rng(5))
    np.testing.assert_array_equal(out.data, again.data)  # the generator decides the slopes
    neg = x <= 0
    np.testing.assert_array_equal(out.data[~neg], x[~neg])
    slopes = out.data[x < 0] / x[x < 0]
    assert slopes.min() >= 0.1 and slopes.max() <= 0.4 and np.unique(slopes).size == slopes.size
    out.sum().backward()
    np.testing.assert_allclose(a.grad[x < 0], slopes, rtol=1e-12)  # the derivative is the drawn slope
    np.testing.assert_array_equal(a.grad[x > 0], 1.0)
    assert 0.1 <= a.grad[300] <= 0.4  # at 0: the slope, as PyTorch's rrelu_with_noise
    assert abs(slopes.mean() - 0.25) < 0.02  # U(0.1, 0.4) has mean 0.25 (300 draws)


def test_rrelu_training_gradient_is_torch_rule_given_the_same_slopes():
    x = np.random.default_rng(1).standard_normal((3, 4))
    v = Value(x)
    out = F.rrelu(v, training=True, generator=np.random.default_rng(2))
    slopes = np.random.default_rng(2).uniform(1 / 8, 1 / 3, x.shape)
    np.testing.assert_allclose(out.data, np.where(x > 0, x, x * slopes), rtol=1e-15)
    assert_gradients_match(
        lambda u: F.rrelu(u, training=True, generator=np.random.default_rng(2)), x, second_order=True
    )


def test_rrelu_module_train_and_eval():
    m = nn.RReLU(0.2, 0.3, seed=0)
    x = -np.ones(1000)
    train = m(x).data
    assert np.all((train >= -0.3) & (train <= -0.2)) and np.unique(train).size > 900
    np.testing.assert_array_equal(m(x).data != train, True)  # a fresh draw each forward
    m.eval()
    np.testing.assert_allclose(m(x).data, -0.25, rtol=1e-15)
    ref = torch.nn.RReLU(0.2, 0.3).eval()(torch.tensor(x)).numpy()
    np.testing.assert_allclose(m(x).data, ref, rtol=1e-15)
    assert repr(nn.RReLU()) == repr(torch.nn.RReLU())


@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (3, 2, 2)])
def test_softmax2d_matches_pytorch(shape):
    x = np.random.default_rng(0).standard_normal(shape)
    v, t = Value(x), torch.tensor(x, requires_grad=True)
    out, ref = nn.Softmax2d()(v), torch.nn.Softmax2d()(t)
    g = np.random.default_rng(1).standard_normal(shape)
    out.backward(g)
    ref.backward(torch.tensor(g))
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(v.grad, t.grad.numpy(), rtol=1e-10, atol=1e-15)
    with pytest.raises(ShapeError, match="3D or 4D, got 2D"):
        nn.Softmax2d()(np.zeros((2, 3)))


def test_softsign_is_accurate_where_the_product_rule_cancels():
    x = np.array([-1e8, -1e3, 1e3, 1e8, 1e300])
    v = Value(x)
    with np.errstate(**RAISE):
        F.softsign(v).backward(np.ones_like(x))
    np.testing.assert_allclose(v.grad, (1 / (1 + np.abs(x))) ** 2, rtol=1e-15)


MODULES = [
    (nn.GLU(1), lambda x: F.glu(x, 1)),
    (nn.Hardshrink(1.5), lambda x: F.hardshrink(x, 1.5)),
    (nn.Softshrink(), F.softshrink),
    (nn.Tanhshrink(), F.tanhshrink),
    (nn.Softsign(), F.softsign),
    (nn.Threshold(0.5, -3.0), lambda x: F.threshold(x, 0.5, -3.0)),
    (nn.RReLU(0.1, 0.2).eval(), lambda x: F.rrelu(x, 0.1, 0.2)),
]


@pytest.mark.parametrize("module, fn", MODULES, ids=[type(m).__name__ for m, _ in MODULES])
def test_modules_equal_functional_and_print_like_pytorch(module, fn):
    x = np.linspace(-5, 5, 12).reshape(3, 4)
    np.testing.assert_array_equal(module(x).data, fn(x).data)
    assert list(module.parameters()) == [] and module.state_dict() == {}
    theirs = {
        "GLU": torch.nn.GLU(1),
        "Hardshrink": torch.nn.Hardshrink(1.5),
        "Softshrink": torch.nn.Softshrink(),
        "Tanhshrink": torch.nn.Tanhshrink(),
        "Softsign": torch.nn.Softsign(),
        "Threshold": torch.nn.Threshold(0.5, -3.0),
        "RReLU": torch.nn.RReLU(0.1, 0.2),
    }[type(module).__name__]
    assert repr(module) == repr(theirs)


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda: F.softshrink(np.zeros(2), -0.1), ValueError, "lambd"),
        (lambda: nn.Softshrink(-1.0), ValueError, "lambd"),
        (lambda: F.rrelu(np.zeros(2), 0.5, 0.1), ValueError, "lower"),
        (lambda: nn.RReLU(0.5, 0.1), ValueError, "lower"),
        (lambda: F.rrelu(np.zeros(2), 0.1, 0.2, True, np.random.default_rng(0)), TypeError, "generator="),
        (lambda: nn.RReLU(seed=1, generator=np.random.default_rng(0)), ValueError, "one of"),
    ],
)
def test_clear_errors(call, err, match):
    with pytest.raises(err, match=match):
        call()
