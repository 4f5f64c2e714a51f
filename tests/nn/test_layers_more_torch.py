"""InstanceNorm, RMSNorm, LocalResponseNorm, the 3-d, adaptive-max and power-average pools, the shuffles,
Dropout3d, ParameterList and ParameterDict against their PyTorch twins (float64, by state dict)."""

import numpy as np
import pytest
import torch
from _torch_helpers import compare_module, torch_state

import nn

F64 = np.float64

CASES = {
    "instancenorm1d": (lambda: nn.InstanceNorm1d(3, dtype=F64), lambda: torch.nn.InstanceNorm1d(3), (2, 3, 5)),
    "instancenorm2d_affine": (lambda: nn.InstanceNorm2d(3, affine=True, dtype=F64), lambda: torch.nn.InstanceNorm2d(3, affine=True), (2, 3, 4, 5)),
    "instancenorm3d_stats": (
        lambda: nn.InstanceNorm3d(2, momentum=0.3, affine=True, track_running_stats=True, dtype=F64),
        lambda: torch.nn.InstanceNorm3d(2, momentum=0.3, affine=True, track_running_stats=True),
        (2, 2, 3, 2, 4),
    ),
    "instancenorm1d_unbatched": (lambda: nn.InstanceNorm1d(3, affine=True, dtype=F64), lambda: torch.nn.InstanceNorm1d(3, affine=True), (3, 6)),
    "rmsnorm": (lambda: nn.RMSNorm((4, 5), dtype=F64), lambda: torch.nn.RMSNorm((4, 5)), (3, 4, 5)),
    "rmsnorm_plain": (lambda: nn.RMSNorm(5, eps=1e-3, elementwise_affine=False, dtype=F64), lambda: torch.nn.RMSNorm(5, eps=1e-3, elementwise_affine=False), (3, 5)),
    "lrn": (lambda: nn.LocalResponseNorm(3, alpha=0.2), lambda: torch.nn.LocalResponseNorm(3, alpha=0.2), (2, 5, 4, 3)),
    "maxpool3d": (lambda: nn.MaxPool3d(2, 1, 1), lambda: torch.nn.MaxPool3d(2, 1, 1), (2, 2, 4, 3, 5)),
    "avgpool3d": (lambda: nn.AvgPool3d(2, ceil_mode=True, divisor_override=3), lambda: torch.nn.AvgPool3d(2, ceil_mode=True, divisor_override=3), (2, 2, 5, 3, 4)),
    "adaptivemaxpool1d": (lambda: nn.AdaptiveMaxPool1d(4), lambda: torch.nn.AdaptiveMaxPool1d(4), (2, 3, 7)),
    "adaptivemaxpool2d": (lambda: nn.AdaptiveMaxPool2d((3, None)), lambda: torch.nn.AdaptiveMaxPool2d((3, None)), (2, 3, 7, 5)),
    "lppool1d": (lambda: nn.LPPool1d(2, 3, 2), lambda: torch.nn.LPPool1d(2, 3, 2), (2, 3, 8)),
    "lppool2d": (lambda: nn.LPPool2d(1.5, (2, 3), ceil_mode=True), lambda: torch.nn.LPPool2d(1.5, (2, 3), ceil_mode=True), (2, 3, 5, 7)),
    "pixelshuffle": (lambda: nn.PixelShuffle(3), lambda: torch.nn.PixelShuffle(3), (2, 9, 2, 3)),
    "pixelunshuffle": (lambda: nn.PixelUnshuffle(2), lambda: torch.nn.PixelUnshuffle(2), (2, 1, 4, 6)),
    "channelshuffle": (lambda: nn.ChannelShuffle(2), lambda: torch.nn.ChannelShuffle(2), (2, 6, 3)),
    "dropout3d_eval": (lambda: nn.Dropout3d(0.5).eval(), lambda: torch.nn.Dropout3d(0.5).eval(), (2, 3, 2, 2, 2)),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_matches_torch(name):
    ours, theirs, shape = CASES[name]
    torch.manual_seed(0)
    t = theirs().double()
    with torch.no_grad():
        for p in t.parameters():
            p.normal_()
    x = np.random.default_rng(0).normal(size=shape)
    if "lppool" in name:
        x = np.abs(x)  # PyTorch's lp_pool of a negative window sum with fractional 1/p is nan
    compare_module(ours(), t, x, rtol=1e-8, atol=1e-10)
    assert repr(ours()) == repr(t)  # the same settings printed the same way


def test_instance_norm_running_statistics_follow_torch_over_steps_and_in_eval():
    ours = nn.InstanceNorm2d(3, momentum=None, affine=True, track_running_stats=True, dtype=F64)
    t = torch.nn.InstanceNorm2d(3, momentum=None, affine=True, track_running_stats=True).double()
    ours.load_state_dict(torch_state(t))
    rng = np.random.default_rng(0)
    for momentum in (None, 0.2, 0.2):
        ours.momentum = t.momentum = momentum
        x = rng.normal(1.0, 2.0, size=(4, 3, 3, 5))
        ours(x)
        t(torch.tensor(x))
    state = torch_state(t)
    assert list(ours.state_dict()) == list(state)
    for k, v in ours.state_dict().items():
        np.testing.assert_allclose(v, state[k], rtol=1e-12, err_msg=k)
    ours.eval()
    t.eval()
    x = rng.normal(size=(3, 3, 5))  # unbatched, running statistics
    np.testing.assert_allclose(ours(x).data, t(torch.tensor(x)).detach().numpy(), rtol=1e-12)


def test_instance_norm_channel_checks():
    with pytest.raises(ValueError, match="InstanceNorm1d: expected 3 channels"):
        nn.InstanceNorm1d(3, affine=True)(np.ones((2, 4, 5)))
    with pytest.warns(UserWarning, match="num_features is unused"):
        nn.InstanceNorm1d(3)(np.random.default_rng(0).normal(size=(2, 4, 5)))
    with pytest.raises(ValueError, match=r"2-d \(unbatched\) or 3-d"):
        nn.InstanceNorm1d(3)(np.ones((2, 3, 4, 5)))


def test_adaptive_max_pool_layer_returns_indices_like_torch():
    x = np.random.default_rng(1).normal(size=(2, 3, 7, 6))
    y, idx = nn.AdaptiveMaxPool2d((4, 3), return_indices=True)(x)
    ty, tidx = torch.nn.AdaptiveMaxPool2d((4, 3), return_indices=True)(torch.tensor(x))
    np.testing.assert_array_equal(y.data, ty.numpy())
    np.testing.assert_array_equal(idx, tidx.numpy())


def test_dropout3d_drops_whole_channels_reproducibly():
    x = np.ones((8, 6, 2, 3, 2))
    y = nn.Dropout3d(0.5, seed=0)(x).data
    per_channel = y.reshape(8, 6, -1)
    assert np.all((per_channel == 0).all(-1) | (per_channel == 2).all(-1))
    assert 0.2 < (per_channel[..., 0] == 0).mean() < 0.8
    np.testing.assert_array_equal(y, nn.Dropout3d(0.5, seed=0)(x).data)
    unbatched = nn.Dropout3d(0.5, seed=0)(x[0]).data.reshape(6, -1)
    assert np.all((unbatched == 0).all(-1) | (unbatched == 2).all(-1))


class _Mixture(nn.Module):
    """A module holding a ParameterList and a ParameterDict, as users write them."""

    def __init__(self):
        super().__init__()
        rng = np.random.default_rng(0)
        self.weights = nn.ParameterList([rng.normal(size=(2, 3)), nn.Parameter(rng.normal(size=3))])
        self.scales = nn.ParameterDict({"a": rng.normal(size=2), "b": nn.Parameter(rng.normal(size=(1,)))})

    def forward(self, x):
        """x (N, 2) -> (N, 3)."""
        return (x * self.scales["a"]) @ self.weights[0] + self.weights[1] * self.scales["b"]


def test_parameter_containers_register_for_parameters_state_dict_optimisers_and_save(tmp_path):
    m = _Mixture()
    keys = ["weights.0", "weights.1", "scales.a", "scales.b"]
    assert [k for k, _ in m.named_parameters()] == keys
    assert list(m.state_dict()) == keys
    assert m.weights[0].dtype == F64 and len(m.weights) == 2 and list(m.scales) == ["a", "b"]
    loss = m(np.ones((4, 2))).sum()
    loss.backward()
    opt = nn.optim.SGD(m.parameters(), lr=0.1)
    before = m.scales["a"].numpy().copy()
    opt.step()
    assert not np.array_equal(before, m.scales["a"].numpy())
    nn.save(m.state_dict(), tmp_path / "m.safetensors")
    fresh = _Mixture()
    fresh.scales["a"] = np.zeros(2)  # replacing an entry keeps its key and place
    assert list(fresh.state_dict()) == keys
    fresh.load_state_dict(nn.load(tmp_path / "m.safetensors"))
    for k, v in m.state_dict().items():
        np.testing.assert_array_equal(fresh.state_dict()[k], v)
    # and PyTorch's containers produce the same keys
    t = torch.nn.Module()
    t.weights = torch.nn.ParameterList([torch.zeros(2, 3), torch.zeros(3)])
    t.scales = torch.nn.ParameterDict({"a": torch.zeros(2), "b": torch.zeros(1)})
    assert list(t.state_dict()) == keys


def test_parameter_list_and_dict_behave_like_a_list_and_a_dict():
    pl = nn.ParameterList()
    pl.append(np.zeros(2)).extend([np.ones(3)])
    pl += [np.ones(1)]
    assert [p.shape for p in pl] == [(2,), (3,), (1,)] and pl[-1].shape == (1,)
    assert isinstance(pl[1:], nn.ParameterList) and len(pl[1:]) == 2
    pl[0] = np.full(4, 2.0)
    assert pl[0].shape == (4,) and isinstance(pl[0], nn.Parameter)
    with pytest.raises(IndexError, match="out of range"):
        pl[3]
    with pytest.raises(TypeError, match="expected a Parameter"):
        pl.append("weight")
    pd = nn.ParameterDict([("x", np.zeros(2))])
    pd.update({"y": np.ones(1)})
    assert "x" in pd and list(pd.keys()) == ["x", "y"] and pd.get("z") is None
    assert pd.pop("x").shape == (2,) and list(pd) == ["y"]
    for bad in ("a.b", "training", "forward", ""):
        with pytest.raises(KeyError, match="invalid key"):
            pd[bad] = np.zeros(1)
    with pytest.raises(TypeError, match="keys must be strings"):
        pd[1] = np.zeros(1)
    assert "y" in repr(pd) and "(0)" in repr(pl)
