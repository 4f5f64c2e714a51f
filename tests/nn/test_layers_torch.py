"""Every layer against its PyTorch twin in float64: PyTorch's state dict (as numpy) loads by key and
gives the same outputs, input gradients and parameter gradients."""

import numpy as np
import pytest
import torch
from _torch_helpers import compare_module, torch_state
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
import nn

F64 = np.float64
pytestmark = pytest.mark.filterwarnings("ignore:Using padding=.same.:UserWarning")


def _pair(ours, theirs, shape, seed=0, **kw):
    torch.manual_seed(seed)
    t = theirs().double()
    x = np.random.default_rng(seed).normal(size=shape)
    return compare_module(ours(), t, x, **kw), t


CASES = {
    "linear": (lambda: nn.Linear(5, 3, dtype=F64), lambda: torch.nn.Linear(5, 3), (4, 5)),
    "linear_3d_nobias": (lambda: nn.Linear(5, 3, bias=False, dtype=F64), lambda: torch.nn.Linear(5, 3, bias=False), (2, 4, 5)),
    "conv1d": (lambda: nn.Conv1d(3, 4, 3, stride=2, padding=1, dtype=F64), lambda: torch.nn.Conv1d(3, 4, 3, stride=2, padding=1), (2, 3, 9)),
    "conv2d": (lambda: nn.Conv2d(3, 4, 3, padding=1, dtype=F64), lambda: torch.nn.Conv2d(3, 4, 3, padding=1), (2, 3, 6, 5)),
    "conv2d_groups": (
        lambda: nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding="valid", dilation=(1, 2), groups=2, dtype=F64),
        lambda: torch.nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding="valid", dilation=(1, 2), groups=2),
        (2, 4, 7, 6),
    ),
    "conv2d_same": (lambda: nn.Conv2d(2, 3, 4, padding="same", bias=False, dtype=F64), lambda: torch.nn.Conv2d(2, 3, 4, padding="same", bias=False), (1, 2, 5, 6)),
    "maxpool2d": (lambda: nn.MaxPool2d(3, 2, 1), lambda: torch.nn.MaxPool2d(3, 2, 1), (2, 3, 7, 6)),
    "maxpool1d": (lambda: nn.MaxPool1d(2, ceil_mode=True), lambda: torch.nn.MaxPool1d(2, ceil_mode=True), (2, 3, 7)),
    "avgpool2d": (lambda: nn.AvgPool2d(3, 2, 1, ceil_mode=True), lambda: torch.nn.AvgPool2d(3, 2, 1, ceil_mode=True), (2, 3, 7, 6)),
    "avgpool1d": (lambda: nn.AvgPool1d(3, 1, 1, count_include_pad=False), lambda: torch.nn.AvgPool1d(3, 1, 1, count_include_pad=False), (2, 3, 7)),
    "adaptive": (lambda: nn.AdaptiveAvgPool2d((3, 2)), lambda: torch.nn.AdaptiveAvgPool2d((3, 2)), (2, 3, 7, 6)),
    "global": (lambda: nn.AdaptiveAvgPool2d(1), lambda: torch.nn.AdaptiveAvgPool2d(1), (2, 3, 7, 6)),
    "flatten": (lambda: nn.Flatten(), lambda: torch.nn.Flatten(), (2, 3, 4, 5)),
    "flatten_mid": (lambda: nn.Flatten(1, 2), lambda: torch.nn.Flatten(1, 2), (2, 3, 4, 5)),
    "unflatten": (lambda: nn.Unflatten(1, (2, 3)), lambda: torch.nn.Unflatten(1, (2, 3)), (2, 6, 4)),
    "layernorm": (lambda: nn.LayerNorm((4, 5), dtype=F64), lambda: torch.nn.LayerNorm((4, 5)), (3, 4, 5)),
    "groupnorm": (lambda: nn.GroupNorm(2, 4, dtype=F64), lambda: torch.nn.GroupNorm(2, 4), (3, 4, 5)),
    "batchnorm1d": (lambda: nn.BatchNorm1d(4, dtype=F64), lambda: torch.nn.BatchNorm1d(4), (6, 4)),
    "batchnorm1d_3d": (lambda: nn.BatchNorm1d(4, momentum=0.3, dtype=F64), lambda: torch.nn.BatchNorm1d(4, momentum=0.3), (6, 4, 3)),
    "batchnorm2d": (lambda: nn.BatchNorm2d(3, dtype=F64), lambda: torch.nn.BatchNorm2d(3), (4, 3, 5, 5)),
    "batchnorm2d_noaffine": (lambda: nn.BatchNorm2d(3, affine=False, dtype=F64), lambda: torch.nn.BatchNorm2d(3, affine=False), (4, 3, 2, 2)),
    "batchnorm_nostats": (lambda: nn.BatchNorm2d(3, track_running_stats=False, dtype=F64), lambda: torch.nn.BatchNorm2d(3, track_running_stats=False), (4, 3, 2, 2)),
    "identity": (lambda: nn.Identity(), lambda: torch.nn.Identity(), (2, 3)),
    "dropout_eval": (lambda: nn.Dropout(0.5).eval(), lambda: torch.nn.Dropout(0.5).eval(), (2, 3)),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_matches_torch(name):
    ours, theirs, shape = CASES[name]
    _pair(ours, theirs, shape, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("name", ["linear", "conv2d", "layernorm", "batchnorm1d"])
def test_layer_with_random_affine_params(name):
    """Non-trivial weights everywhere (BatchNorm/LayerNorm start at 1 and 0)."""
    ours, theirs, shape = CASES[name]
    torch.manual_seed(1)
    t = theirs().double()
    with torch.no_grad():
        for p in t.parameters():
            p.normal_()
    compare_module(ours(), t, np.random.default_rng(1).normal(size=shape), rtol=1e-8, atol=1e-10)


@given(
    st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.sampled_from([1, 2]), st.sampled_from([0, 1, "same"]),
    st.integers(0, 999),
)  # fmt: skip
def test_conv2d_layer_hypothesis(cin, cout, k, stride, padding, seed):
    if padding == "same":
        stride = 1
    _pair(
        lambda: nn.Conv2d(cin, cout, k, stride, padding, dtype=F64),
        lambda: torch.nn.Conv2d(cin, cout, k, stride, padding),
        (2, cin, k + 3, k + 2),
        seed=seed,
        rtol=1e-8,
        atol=1e-10,
    )


def test_batchnorm_running_stats_track_torch_over_steps():
    ours = nn.BatchNorm2d(3, momentum=0.2, dtype=F64)
    t = torch.nn.BatchNorm2d(3, momentum=0.2).double()
    rng = np.random.default_rng(0)
    for _ in range(4):
        x = rng.normal(2.0, 3.0, size=(5, 3, 4, 4))
        ours(x)
        t(torch.tensor(x))
    state = torch_state(t)
    for k, v in ours.state_dict().items():
        np.testing.assert_allclose(v, state[k], rtol=1e-12, err_msg=k)
    assert int(ours.num_batches_tracked) == 4 and ours.num_batches_tracked.dtype == np.int64
    # eval mode uses the running statistics and leaves them alone
    ours.eval()
    t.eval()
    x = rng.normal(size=(2, 3, 4, 4))
    np.testing.assert_allclose(ours(x).data, t(torch.tensor(x)).detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.running_mean, state["running_mean"])
    assert int(ours.num_batches_tracked) == 4


def test_batchnorm_cumulative_average_momentum_none():
    ours = nn.BatchNorm1d(2, momentum=None, dtype=F64)
    t = torch.nn.BatchNorm1d(2, momentum=None).double()
    rng = np.random.default_rng(0)
    for _ in range(3):
        x = rng.normal(size=(4, 2))
        ours(x)
        t(torch.tensor(x))
    np.testing.assert_allclose(ours.running_mean, t.running_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.running_var, t.running_var.numpy(), rtol=1e-12)
    assert int(ours.num_batches_tracked) == int(t.num_batches_tracked) == 3
    ours.eval()
    t.eval()
    x = rng.normal(size=(3, 2))
    np.testing.assert_allclose(ours(x).data, t(torch.tensor(x)).detach().numpy(), rtol=1e-12)


def test_batchnorm_a_failing_forward_changes_no_statistic():
    bn = nn.BatchNorm1d(2, momentum=None, dtype=F64)
    bn(np.random.default_rng(0).normal(size=(4, 2)))
    before = {k: v.copy() for k, v in bn.state_dict().items()}
    with pytest.raises(ValueError, match="more than 1 value"):
        bn(np.ones((1, 2)))
    for k, v in bn.state_dict().items():
        np.testing.assert_array_equal(v, before[k], err_msg=k)


def test_batchnorm_float32_buffers_stay_float32():
    bn = nn.BatchNorm2d(2)
    bn(np.random.default_rng(0).normal(size=(3, 2, 2, 2)).astype(np.float32))
    assert bn.running_mean.dtype == np.float32 and bn.running_var.dtype == np.float32


def test_batchnorm_loads_torch_checkpoint_and_evaluates_identically():
    torch.manual_seed(0)
    t = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.Flatten(), torch.nn.Linear(16, 2)
    )
    t = t.double()
    for _ in range(3):
        t(torch.randn(5, 1, 4, 4, dtype=torch.float64))
    t.eval()
    ours = nn.Sequential(
        nn.Conv2d(1, 4, 3, dtype=F64), nn.BatchNorm2d(4, dtype=F64), nn.Flatten(), nn.Linear(16, 2, dtype=F64)
    )
    ours.load_state_dict(torch_state(t))
    ours.eval()
    x = np.random.default_rng(0).normal(size=(3, 1, 4, 4))
    np.testing.assert_allclose(ours(x).data, t(torch.tensor(x)).detach().numpy(), rtol=1e-10)


def test_batchnorm_input_checks():
    with pytest.raises(ValueError, match="channels"):
        nn.BatchNorm2d(3)(np.zeros((2, 4, 2, 2)))
    with pytest.raises(ValueError, match="4-d"):
        nn.BatchNorm2d(3)(np.zeros((2, 3)))


def test_dropout_layer_train_eval_and_seed():
    d = nn.Dropout(0.5, seed=0)
    x = np.ones((50, 40))
    y = d(x).data
    assert 0.4 < (y == 0).mean() < 0.6
    assert not np.array_equal(y, d(x).data)  # fresh masks each call
    np.testing.assert_array_equal(nn.Dropout(0.5, seed=3)(x).data, nn.Dropout(0.5, seed=3)(x).data)
    d.eval()
    np.testing.assert_array_equal(d(x).data, x)
    with pytest.raises(ValueError):
        nn.Dropout(-0.1)


def test_layers_accept_plain_arrays_and_values():
    lin = nn.Linear(3, 2, dtype=F64)
    x = np.ones((4, 3))
    np.testing.assert_array_equal(lin(x).data, lin(ag.Value(x, requires_grad=False)).data)


def test_bilinear_matches_torch():
    torch.manual_seed(0)
    t = torch.nn.Bilinear(3, 4, 2).double()
    ours = nn.Bilinear(3, 4, 2, dtype=F64)
    ours.load_state_dict(torch_state(t))
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(5, 3)), rng.normal(size=(5, 4))
    np.testing.assert_allclose(ours(a, b).data, t(torch.tensor(a), torch.tensor(b)).detach().numpy(), rtol=1e-10)


def test_conv_layer_argument_errors():
    with pytest.raises(ValueError, match="groups"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="same"):
        nn.Conv2d(3, 4, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="padding"):
        nn.Conv2d(3, 4, 3, padding="full")


def _small_cnns():
    torch.manual_seed(0)
    t = torch.nn.Sequential(
        torch.nn.Conv2d(1, 2, 3, padding=1),
        torch.nn.Tanh(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(2, 3, 2),
        torch.nn.Flatten(),
        torch.nn.Linear(3, 4),
        torch.nn.LayerNorm(4),
    ).double()
    ours = nn.Sequential(
        nn.Conv2d(1, 2, 3, padding=1, dtype=F64),
        nn.Tanh(),
        nn.MaxPool2d(2),
        nn.Conv2d(2, 3, 2, dtype=F64),
        nn.Flatten(),
        nn.Linear(3, 4, dtype=F64),
        nn.LayerNorm(4, dtype=F64),
    )
    ours.load_state_dict(torch_state(t))
    return ours, t


def test_second_derivatives_through_a_small_cnn():
    from autograd_core.testing import assert_gradients_match

    ours, _ = _small_cnns()
    x = np.random.default_rng(0).permutation(32).reshape(2, 1, 4, 4) * 0.1  # distinct: no max-pool ties
    assert_gradients_match(lambda v: ours(v), x, second_order=True, fast=True)


def test_double_backward_matches_torch():
    """Gradient penalty: d/dparams of ||d out/d x||^2, ours vs PyTorch."""
    ours, t = _small_cnns()
    rng = np.random.default_rng(1)
    x, c = rng.normal(size=(2, 1, 4, 4)), rng.normal(size=(2, 4))
    xv = ag.Value(x)
    (gx,) = ag.gradients((ours(xv) * c).sum(), [xv], create_graph=True)
    (gx * gx).sum().backward()
    tx = torch.tensor(x, requires_grad=True)
    (tgx,) = torch.autograd.grad((t(tx) * torch.tensor(c)).sum(), [tx], create_graph=True)
    (tgx * tgx).sum().backward()
    np.testing.assert_allclose(gx.data, tgx.detach().numpy(), rtol=1e-9, atol=1e-12)
    tparams = dict(t.named_parameters())
    for name, p in ours.named_parameters():
        tg = tparams[name].grad
        if tg is None:  # the penalty does not depend on it (LayerNorm's bias)
            assert p.grad is None or not np.any(p.grad), name
        else:
            np.testing.assert_allclose(p.grad, tg.numpy(), rtol=1e-8, atol=1e-11, err_msg=name)
