"""Every activation: PyTorch float64 (values and gradients, kinks included), central finite differences
(first and second derivatives) over hypothesis-drawn shapes and arguments, and +-1000 / +-inf under
np.errstate(raise). Learnable activations and Module forms are in test_activations_modules.py."""

from dataclasses import dataclass

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given, settings
from hypothesis import strategies as st

import nn.functional as F
from autograd_core import Value
from autograd_core.testing import arrays, assert_gradients_match, shapes

RAISE = {"over": "raise", "invalid": "raise", "divide": "raise"}
FEW = max(5, settings.default.max_examples // 3)  # second derivatives are the slow part


@dataclass
class Act:
    ours: object  # (x, **params) -> Value
    ref: object  # (tensor, **params) -> tensor, float64
    params: object = None  # ndim -> strategy of params dicts
    kinks: object = lambda p: ()  # params -> points x is kept away from
    lo: float = -3.0
    hi: float = 3.0
    kink_points: tuple = ()  # exact points where the gradient convention is compared with PyTorch
    grad_rtol: float = 1e-10


def _none(ndim):
    return st.just({})


def _dim(ndim):
    return st.integers(-ndim, ndim - 1).map(lambda d: {"dim": d}) if ndim else st.just({"dim": 0})


def _keras_ref(x, negative_slope=0.0, max_value=None, threshold=0.0):
    low = negative_slope * (x - threshold)
    mid = torch.where(x > threshold, x, low)
    return mid if max_value is None else torch.where(x >= max_value, torch.full_like(x, max_value), mid)


_keras_params = st.fixed_dictionaries(
    {
        "negative_slope": st.sampled_from([0.0, 0.1, 0.3]),
        "max_value": st.sampled_from([None, 1.5, 6.0]),
        "threshold": st.sampled_from([0.0, -0.5, 0.5]),
    }
)


def _shrink(ours, ref):
    """A shrink activation: lambd drawn from {0.5 (default), 1, 0}, kept away from +-lambd."""
    return Act(
        ours,
        ref,
        params=lambda n: st.sampled_from([{}, {"lambd": 1.0}, {"lambd": 0.0}]),
        kinks=lambda p: (-p.get("lambd", 0.5), p.get("lambd", 0.5)),
        kink_points=(-0.5, 0.0, 0.5),
    )


ACTS = {
    "sigmoid": Act(F.sigmoid, torch.sigmoid),
    "tanh": Act(F.tanh, torch.tanh),
    "relu": Act(F.relu, TF.relu, kinks=lambda p: (0,), kink_points=(0.0,)),
    "relu_keras": Act(
        F.relu,
        _keras_ref,
        params=lambda n: _keras_params,
        kinks=lambda p: (p["threshold"],) + ((p["max_value"],) if p["max_value"] is not None else ()),
        hi=7.0,
    ),
    "leaky_relu": Act(
        F.leaky_relu,
        TF.leaky_relu,
        params=lambda n: st.sampled_from([{}, {"negative_slope": 0.2}, {"negative_slope": 1.5}]),
        kinks=lambda p: (0,),
        kink_points=(0.0,),
    ),
    "relu6": Act(F.relu6, TF.relu6, kinks=lambda p: (0, 6), lo=-2.0, hi=8.0, kink_points=(0.0, 6.0)),
    "hardtanh": Act(
        F.hardtanh,
        TF.hardtanh,
        params=lambda n: st.sampled_from([{}, {"min_val": -2.0, "max_val": 0.5}]),
        kinks=lambda p: (p.get("min_val", -1.0), p.get("max_val", 1.0)),
        kink_points=(-1.0, 1.0),
    ),
    "elu": Act(
        F.elu,
        TF.elu,
        params=lambda n: st.sampled_from([{}, {"alpha": 0.5}, {"alpha": 2.0}]),
        kinks=lambda p: (0,),
        kink_points=(0.0,),
    ),
    "selu": Act(F.selu, TF.selu, kinks=lambda p: (0,), kink_points=(0.0,)),
    "celu": Act(
        F.celu,
        TF.celu,
        params=lambda n: st.sampled_from([{}, {"alpha": 0.5}, {"alpha": 2.0}]),
        kinks=lambda p: (0,),
        kink_points=(0.0,),
    ),
    "softplus": Act(
        F.softplus,
        TF.softplus,
        params=lambda n: st.sampled_from([{}, {"beta": 2.0, "threshold": 3.0}, {"beta": 0.5, "threshold": 1.0}]),
        kinks=lambda p: (p.get("threshold", 20.0) / p.get("beta", 1.0),),
    ),
    "silu": Act(F.silu, TF.silu),
    "swish": Act(
        F.swish,
        lambda x, beta: x * torch.sigmoid(beta * x),
        params=lambda n: st.sampled_from([{"beta": 1.0}, {"beta": 0.5}, {"beta": 2.5}]),
    ),
    "gelu": Act(
        F.gelu,
        TF.gelu,
        params=lambda n: st.sampled_from([{}, {"approximate": "tanh"}]),
    ),
    "mish": Act(F.mish, TF.mish),
    # PyTorch's hardsigmoid backward multiplies by a float32 1/6 even in float64, hence grad_rtol.
    "hardsigmoid": Act(
        F.hardsigmoid, TF.hardsigmoid, kinks=lambda p: (-3, 3), lo=-5.0, hi=5.0, kink_points=(-3.0, 3.0), grad_rtol=1e-7
    ),
    "hardswish": Act(F.hardswish, TF.hardswish, kinks=lambda p: (-3, 3), lo=-5.0, hi=5.0, kink_points=(-3.0, 3.0)),
    "log_sigmoid": Act(F.log_sigmoid, TF.logsigmoid),
    "softmax": Act(F.softmax, TF.softmax, params=_dim),
    "log_softmax": Act(F.log_softmax, TF.log_softmax, params=_dim),
    "softmin": Act(F.softmin, TF.softmin, params=_dim),
    "hardshrink": _shrink(F.hardshrink, TF.hardshrink),
    "softshrink": _shrink(F.softshrink, TF.softshrink),
    "tanhshrink": Act(F.tanhshrink, TF.tanhshrink),
    # f'' jumps at 0; kink_points: where the formula switches
    "softsign": Act(F.softsign, TF.softsign, kinks=lambda p: (0,), kink_points=(-1.0, 0.0, 1.0)),
    "threshold": Act(
        lambda x, threshold=0.5, value=-2.0: F.threshold(x, threshold, value),
        lambda x, threshold=0.5, value=-2.0: TF.threshold(x, threshold, value),
        params=lambda n: st.sampled_from([{}, {"threshold": -1.0, "value": 3.0}]),
        kinks=lambda p: (p.get("threshold", 0.5),),
        kink_points=(0.5,),
    ),
    "rrelu_eval": Act(
        F.rrelu,
        TF.rrelu,
        params=lambda n: st.sampled_from([{}, {"lower": 0.1, "upper": 0.5}, {"lower": 0.3, "upper": 0.3}]),
        kinks=lambda p: (0,),
        kink_points=(0.0,),
    ),
}
NAMES = sorted(ACTS)


@st.composite
def act_inputs(draw, act, max_dims=3, max_side=4):
    shape = draw(shapes(min_dims=0, max_dims=max_dims, max_side=max_side))
    params = draw((act.params or _none)(len(shape)))
    x = draw(arrays(shape, min_value=act.lo, max_value=act.hi, away_from=act.kinks(params), margin=0.05))
    return x, params


def _torch_value_and_grad(act, x, params, g):
    t = torch.tensor(x, requires_grad=True)
    out = act.ref(t, **params)
    out.backward(torch.tensor(g))
    return out.detach().numpy(), t.grad.numpy()


def _ours_value_and_grad(act, x, params, g):
    v = Value(x)
    out = act.ours(v, **params)
    out.backward(g)
    return out.data, v.grad


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_matches_pytorch_float64(name, data):
    act = ACTS[name]
    x, params = data.draw(act_inputs(act))
    g = np.random.default_rng(0).standard_normal(x.shape)
    out, grad = _ours_value_and_grad(act, x, params, g)
    ref_out, ref_grad = _torch_value_and_grad(act, x, params, g)
    assert out.shape == ref_out.shape and out.dtype == np.float64
    np.testing.assert_allclose(out, ref_out, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grad, ref_grad, rtol=act.grad_rtol, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=FEW)
@given(data=st.data())
def test_first_and_second_derivatives_match_finite_differences(name, data):
    act = ACTS[name]
    x, params = data.draw(act_inputs(act, max_dims=2, max_side=3))
    assert_gradients_match(lambda v: act.ours(v, **params), x, second_order=True)


@pytest.mark.parametrize("name", [n for n in NAMES if ACTS[n].kink_points])
def test_kink_conventions_match_pytorch(name):
    act = ACTS[name]
    x = np.array(act.kink_points)
    g = np.ones_like(x)
    out, grad = _ours_value_and_grad(act, x, {}, g)
    ref_out, ref_grad = _torch_value_and_grad(act, x, {}, g)
    np.testing.assert_allclose(out, ref_out, rtol=1e-12)
    np.testing.assert_allclose(grad, ref_grad, rtol=max(act.grad_rtol, 1e-12))


def test_relu_derivative_at_zero_is_zero():
    x = Value(np.zeros(3))
    F.relu(x).sum().backward()
    np.testing.assert_array_equal(x.grad, 0)


def _params_for_extremes(name):
    return {
        "softmax": {"dim": -1},
        "log_softmax": {"dim": -1},
        "softmin": {"dim": -1},
        "swish": {"beta": 1.5},
        "relu_keras": {"negative_slope": 0.1, "max_value": 6.0, "threshold": 0.5},
    }.get(name, {})


@pytest.mark.parametrize("name", NAMES)
def test_finite_and_correct_at_plus_minus_1000(name):
    act = ACTS[name]
    params = _params_for_extremes(name)
    x = np.array([[-1000.0, 1000.0, 0.5], [1000.0, -1000.0, -1000.0]])
    g = np.array([[1.0, -2.0, 0.5], [0.25, 1.5, -1.0]])
    with np.errstate(**RAISE):
        out, grad = _ours_value_and_grad(act, x, params, g)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(grad))
    ref_out, ref_grad = _torch_value_and_grad(act, x, params, g)
    np.testing.assert_allclose(out, ref_out, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(grad, ref_grad, rtol=max(act.grad_rtol, 1e-12), atol=1e-300)


INF_LIMITS = {  # f(-inf), f(+inf), f'(-inf), f'(+inf)
    "sigmoid": (0, 1, 0, 0),
    "tanh": (-1, 1, 0, 0),
    "relu": (0, np.inf, 0, 1),
    "relu_keras": (0, np.inf, 0, 1),
    "leaky_relu": (-np.inf, np.inf, 0.01, 1),
    "relu6": (0, 6, 0, 0),
    "hardtanh": (-1, 1, 0, 0),
    "elu": (-1, np.inf, 0, 1),
    "selu": (-1.7580993408473766, np.inf, 0, 1.0507009873554805),
    "celu": (-1, np.inf, 0, 1),
    "softplus": (0, np.inf, 0, 1),
    "hardsigmoid": (0, 1, 0, 0),
    "hardswish": (0, np.inf, 0, 1),
    "log_sigmoid": (-np.inf, 0, 1, 0),
    "hardshrink": (-np.inf, np.inf, 1, 1),
    "softshrink": (-np.inf, np.inf, 1, 1),
    "tanhshrink": (-np.inf, np.inf, 1, 1),
    "softsign": (-1, 1, 0, 0),  # PyTorch: inf / inf = NaN
    "threshold": (-2, np.inf, 0, 1),
    "rrelu_eval": (-np.inf, np.inf, 11 / 48, 1),
}


@pytest.mark.parametrize("name", sorted(INF_LIMITS))
def test_limits_at_plus_minus_inf(name):
    f_lo, f_hi, d_lo, d_hi = INF_LIMITS[name]
    x = np.array([-np.inf, np.inf])
    with np.errstate(**RAISE):
        out, grad = _ours_value_and_grad(ACTS[name], x, {}, np.ones(2))
    np.testing.assert_allclose(out, [f_lo, f_hi], rtol=1e-12)
    np.testing.assert_allclose(grad, [d_lo, d_hi], rtol=1e-12)


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_softmax_family_at_inf(name):
    # -inf logits get probability 0; +inf logits share all of it (PyTorch gives NaN for those rows).
    x = np.array([[0.0, -np.inf, 1.0], [np.inf, 0.0, -np.inf]])
    with np.errstate(**RAISE):
        out, grad = _ours_value_and_grad(ACTS[name], x, {"dim": 1}, np.array([[1.0, 2, 3], [4, 5, 6]]))
    assert np.all(np.isfinite(grad))
    p = np.exp(out) if name == "log_softmax" else out
    e = np.e
    expected = [[0, 1, 0], [0, 0, 1]] if name == "softmin" else [[1 / (1 + e), 0, e / (1 + e)], [1, 0, 0]]
    np.testing.assert_allclose(p, expected, rtol=1e-12)


def test_silu_family_at_minus_inf_follows_pytorch():
    # x * sigmoid(x) at -inf is -inf * 0: NaN in PyTorch and here (documented); +-1000 is exact.
    x = np.array([-np.inf])
    for ours, ref in [(F.silu, TF.silu), (F.gelu, TF.gelu), (F.mish, TF.mish)]:
        with np.errstate(invalid="ignore"):
            assert np.isnan(ours(Value(x)).data).all()
        assert torch.isnan(ref(torch.tensor(x))).all()


def test_float32_stays_float32():
    x = Value(np.linspace(-4, 4, 12, dtype=np.float32).reshape(3, 4))
    for name in NAMES:
        out = ACTS[name].ours(x, **_params_for_extremes(name))
        assert out.dtype == np.float32, name
        out.sum().backward()
        assert x.grad.dtype == np.float32, name
        x.grad = None


def test_plain_arrays_are_accepted():
    out = F.relu(np.array([-1.0, 2.0]))
    assert isinstance(out, Value) and not out.requires_grad
    np.testing.assert_array_equal(out.data, [0, 2])


def test_keras_relu_documented_examples():
    x = np.array([-10.0, -5.0, 0.0, 5.0, 10.0])
    np.testing.assert_array_equal(F.relu(x).data, [0, 0, 0, 5, 10])
    np.testing.assert_array_equal(F.relu(x, negative_slope=0.5).data, [-5, -2.5, 0, 5, 10])
    np.testing.assert_array_equal(F.relu(x, max_value=5.0).data, [0, 0, 0, 5, 5])
    np.testing.assert_array_equal(F.relu(x, threshold=5.0).data, [0, 0, 0, 0, 10])
    np.testing.assert_array_equal(F.relu(x, negative_slope=0.1, threshold=-5.0).data, [-0.5, 0, 0, 5, 10])


def test_softmax_implicit_dim_warns_like_pytorch():
    x = np.zeros((2, 3))
    with pytest.warns(UserWarning, match="Implicit dimension"):
        out = F.softmax(x)
    np.testing.assert_allclose(out.data, np.full((2, 3), 1 / 3))  # dim 1 for 2-D, as PyTorch
    np.testing.assert_allclose(F.softmax(np.array(3.0), dim=0).data, 1.0)


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda: F.softmax(np.zeros((2, 3)), dim=2), ValueError, "out of range"),
        (lambda: F.gelu(np.zeros(2), approximate="fast"), ValueError, "approximate"),
        (lambda: F.hardtanh(np.zeros(2), 1.0, -1.0), ValueError, "min_val"),
        (lambda: F.celu(np.zeros(2), alpha=0.0), ValueError, "alpha"),
        (lambda: F.prelu(np.zeros((2, 3)), np.ones(2)), ValueError, "3 channels"),
        (lambda: F.maxout(np.zeros((2, 5)), 2), ValueError, "multiple of 2"),
        (lambda: F.mpelu(np.zeros((2, 3, 4)), np.ones(4), 1.0), ValueError, "channels"),
    ],
)
def test_clear_errors(call, err, match):
    with pytest.raises(err, match=match):
        call()


@pytest.mark.parametrize("name", NAMES)
def test_empty_batches_flow_through(name):
    x = Value(np.zeros((0, 3)))
    out = ACTS[name].ours(x, **_params_for_extremes(name))
    assert out.shape == (0, 3)
    out.backward(np.zeros((0, 3)))
    assert x.grad.shape == (0, 3)
