"""ConvTranspose1d/2d and F.conv_transpose1d/2d against torch (state dict, forward, backward) and
finite differences (first and second order)."""

import numpy as np
import pytest
import torch
from _torch_helpers import assert_close_both, compare_module
from hypothesis import given
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd_core import ShapeError, gradcheck, gradgradcheck


@st.composite
def _configs(draw, nd):
    groups = draw(st.sampled_from([1, 2]))
    c_in = groups * draw(st.integers(1, 2))
    c_out = groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(nd))
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    size = tuple(draw(st.integers(1, 4)) for _ in range(nd))
    out = [
        (L - 1) * s - 2 * p + d * (k - 1) + op + 1
        for L, k, s, p, op, d in zip(size, kernel, stride, padding, output_padding, dilation)
    ]
    if min(out) < 1:
        padding = (0,) * nd
    n = draw(st.integers(1, 2))
    kw = dict(stride=stride, padding=padding, output_padding=output_padding, groups=groups, dilation=dilation)
    return (n, c_in) + size, (c_in, c_out // groups) + kernel, c_out, kw


@given(_configs(1), st.booleans())
def test_conv_transpose1d_matches_torch(cfg, bias):
    _match(cfg, bias, F.conv_transpose1d, torch.nn.functional.conv_transpose1d)


@given(_configs(2), st.booleans())
def test_conv_transpose2d_matches_torch(cfg, bias):
    _match(cfg, bias, F.conv_transpose2d, torch.nn.functional.conv_transpose2d)


def _match(cfg, bias, ours, theirs):
    xs, ws, c_out, kw = cfg
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=xs), rng.normal(size=ws)] + ([rng.normal(size=c_out)] if bias else [])
    assert_close_both(lambda *a: ours(*a, **kw), lambda *a: theirs(*a, **kw), arrays)


@pytest.mark.parametrize(
    "ours, theirs, x_shape",
    [
        (
            nn.ConvTranspose1d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2, dtype=np.float64, seed=0),
            torch.nn.ConvTranspose1d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2),
            (2, 4, 5),
        ),
        (
            nn.ConvTranspose2d(3, 2, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), dtype=np.float64, seed=0),
            torch.nn.ConvTranspose2d(3, 2, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2)),
            (2, 3, 4, 3),
        ),
        (
            nn.ConvTranspose2d(2, 2, 2, stride=2, bias=False, dtype=np.float64, seed=0),
            torch.nn.ConvTranspose2d(2, 2, 2, stride=2, bias=False),
            (1, 2, 3, 3),
        ),
    ],
)
def test_layers_match_torch_by_state_dict(ours, theirs, x_shape):
    theirs = theirs.double()
    assert ours.state_dict().keys() == theirs.state_dict().keys()
    assert ours.weight.shape == tuple(theirs.weight.shape)
    compare_module(ours, theirs, np.random.default_rng(1).normal(size=x_shape))


def test_default_init_has_pytorchs_bound():
    layer = nn.ConvTranspose2d(8, 4, 3, seed=0)  # fan_in = (out / groups) * kh * kw = 36
    bound = 1 / np.sqrt(36)
    assert layer.weight.dtype == np.float32
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.weight.data).max() > 0.8 * bound
    assert np.abs(layer.bias.data).max() <= bound


def test_gradcheck_first_and_second_order():
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(1, 2, 3, 2)), rng.normal(size=(2, 1, 2, 2)), rng.normal(size=2)

    def fn(x, w, b):
        return F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2)

    gradcheck(fn, [x, w, b])
    gradgradcheck(fn, [x, w, b])
    x1, w1 = rng.normal(size=(2, 3)), rng.normal(size=(2, 2, 2))
    gradgradcheck(lambda x, w: F.conv_transpose1d(x, w, dilation=2), [x1, w1])  # unbatched input


def test_output_size_and_errors():
    layer = nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, seed=0)
    x = np.ones((1, 1, 4, 4))
    assert layer(x).shape == (1, 1, 7, 7)
    assert layer(x, output_size=(8, 8)).shape == (1, 1, 8, 8)  # the size a stride-2 conv came from
    with pytest.raises(ValueError, match="not reachable"):
        layer(x, output_size=(9, 9))
    with pytest.raises(ValueError, match="output_padding"):
        nn.ConvTranspose1d(1, 1, 3, stride=2, output_padding=2)
    with pytest.raises(ShapeError, match="channels"):
        F.conv_transpose1d(np.ones((1, 3, 4)), np.ones((2, 1, 3)))
    with pytest.raises(ShapeError, match="bias"):
        F.conv_transpose1d(np.ones((1, 2, 4)), np.ones((2, 1, 3)), np.ones(2))
    assert "output_padding=(1,)" in repr(nn.ConvTranspose1d(1, 1, 3, stride=2, output_padding=1))
