"""nn.init: gains and fans against PyTorch, distribution bounds and moments, generators, and the
default initialisation of Linear and Conv layers (PyTorch's schemes)."""

import math

import numpy as np
import pytest
import torch

import nn
from nn import Parameter, init


@pytest.mark.parametrize(
    ("name", "param"),
    [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None),
     ("leaky_relu", 0.2), ("selu", None)],
)  # fmt: skip
def test_calculate_gain_matches_torch(name, param):
    assert init.calculate_gain(name, param) == pytest.approx(torch.nn.init.calculate_gain(name, param))


def test_calculate_gain_rejects_unknown():
    with pytest.raises(ValueError):
        init.calculate_gain("softmax2")


@pytest.mark.parametrize("shape", [(3, 4), (8, 2, 3, 3), (5, 7, 2), (6, 1, 3, 3, 3)])
def test_fans_match_torch(shape):
    assert init._calculate_fan_in_and_fan_out(
        Parameter(np.zeros(shape))
    ) == torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(shape))


def test_fans_need_two_dims():
    with pytest.raises(ValueError):
        init._calculate_fan_in_and_fan_out(Parameter(np.zeros(3)))


def _p(shape):
    return Parameter(np.zeros(shape))


def test_uniform_and_normal_moments():
    g = np.random.default_rng(0)
    u = init.uniform_(_p((400, 500)), -2, 3, generator=g).data
    assert u.min() >= -2 and u.max() < 3 and abs(u.mean() - 0.5) < 0.02
    n = init.normal_(_p((400, 500)), 1.0, 2.0, generator=g).data
    assert abs(n.mean() - 1) < 0.02 and abs(n.std() - 2) < 0.02


@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
@pytest.mark.parametrize(("nonlin", "a"), [("relu", 0), ("leaky_relu", math.sqrt(5)), ("tanh", 0)])
def test_kaiming(mode, nonlin, a):
    shape = (64, 32, 3, 3)
    fan = 32 * 9 if mode == "fan_in" else 64 * 9
    std = init.calculate_gain(nonlin, a) / math.sqrt(fan)
    u = init.kaiming_uniform_(_p(shape), a=a, mode=mode, nonlinearity=nonlin, generator=np.random.default_rng(0)).data
    bound = math.sqrt(3) * std
    assert np.abs(u).max() <= bound and np.abs(u).max() > 0.99 * bound
    assert u.std() == pytest.approx(std, rel=0.03)
    n = init.kaiming_normal_(_p(shape), a=a, mode=mode, nonlinearity=nonlin, generator=np.random.default_rng(1)).data
    assert n.std() == pytest.approx(std, rel=0.03)


def test_xavier():
    shape = (100, 300)
    bound = 2.0 * math.sqrt(6 / 400)
    u = init.xavier_uniform_(_p(shape), gain=2.0, generator=np.random.default_rng(0)).data
    assert np.abs(u).max() <= bound and np.abs(u).max() > 0.99 * bound
    n = init.xavier_normal_(_p(shape), generator=np.random.default_rng(0)).data
    assert n.std() == pytest.approx(math.sqrt(2 / 400), rel=0.03)


def test_constants_keep_dtype_and_rebind():
    p = Parameter(np.ones((2, 3), np.float32))
    old = p.data
    assert init.zeros_(p) is p
    assert p.dtype == np.float32 and (p.data == 0).all() and old is not p.data and (old == 1).all()
    init.ones_(p)
    assert (p.data == 1).all()
    init.constant_(p, 0.25)
    assert (p.data == 0.25).all()
    init.eye_(p)
    np.testing.assert_array_equal(p.data, np.eye(2, 3))


def test_orthogonal_and_trunc_normal():
    q = init.orthogonal_(_p((4, 6)), generator=np.random.default_rng(0)).data
    np.testing.assert_allclose(q @ q.T, np.eye(4), atol=1e-12)
    t = init.trunc_normal_(_p((1000,)), std=1.0, a=-0.5, b=0.5, generator=np.random.default_rng(0)).data
    assert t.min() >= -0.5 and t.max() <= 0.5


def test_generators_make_init_reproducible():
    a = init.kaiming_uniform_(_p((5, 5)), generator=np.random.default_rng(3)).data
    b = init.kaiming_uniform_(_p((5, 5)), generator=np.random.default_rng(3)).data
    np.testing.assert_array_equal(a, b)
    init.manual_seed(11)
    c = init.normal_(_p(4)).data
    init.manual_seed(11)
    np.testing.assert_array_equal(c, init.normal_(_p(4)).data)


def test_layers_take_seed_or_rng():
    np.testing.assert_array_equal(nn.Linear(4, 3, seed=1).weight.data, nn.Linear(4, 3, seed=1).weight.data)
    np.testing.assert_array_equal(
        nn.Conv2d(2, 3, 3, rng=np.random.default_rng(2)).weight.data, nn.Conv2d(2, 3, 3, seed=2).weight.data
    )
    assert not np.array_equal(nn.Linear(4, 3, seed=1).weight.data, nn.Linear(4, 3, seed=2).weight.data)
    with pytest.raises(ValueError):
        nn.Linear(2, 2, rng=np.random.default_rng(0), seed=1)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda: nn.Linear(50, 40, seed=0), lambda: torch.nn.Linear(50, 40)),
        (lambda: nn.Conv2d(6, 20, 3, seed=0), lambda: torch.nn.Conv2d(6, 20, 3)),
        (lambda: nn.Conv2d(6, 20, (5, 3), groups=2, seed=0), lambda: torch.nn.Conv2d(6, 20, (5, 3), groups=2)),
        (lambda: nn.Conv1d(8, 30, 5, seed=0), lambda: torch.nn.Conv1d(8, 30, 5)),
    ],
)
def test_default_init_matches_pytorch_scheme(ours, theirs):
    """kaiming_uniform_(a=sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights, and the same bound for biases."""
    m, t = ours(), theirs()
    for name, p in m.named_parameters():
        tp = dict(t.named_parameters())[name]
        assert p.shape == tuple(tp.shape) and p.dtype == np.float32
        fan_in = init._calculate_fan_in_and_fan_out(m.weight)[0]
        bound = 1 / math.sqrt(fan_in)
        assert np.abs(p.data).max() <= bound
        assert np.abs(tp.detach().numpy()).max() <= bound
        assert np.abs(p.data).max() > 0.8 * bound  # spread over the whole interval
        assert abs(p.data.std() - bound / math.sqrt(3)) < 0.25 * bound / math.sqrt(3)
