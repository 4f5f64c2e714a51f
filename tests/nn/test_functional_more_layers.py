"""rms_norm, instance_norm's running statistics, local_response_norm, the 3-d and power-average pools,
adaptive max pooling and the pixel/channel shuffles: PyTorch cross-checks (float64) and finite differences
at first and second order."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from _torch_helpers import assert_close_both
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
import nn.functional as F
from autograd_core.testing import assert_gradients_match

RNG = np.random.default_rng(0)
X4 = RNG.normal(size=(2, 6, 5, 7))
X5 = RNG.normal(size=(2, 3, 5, 6, 4))

PAIRS = {
    "rms_norm": (lambda a: F.rms_norm(a, (5, 7), eps=1e-6), lambda a: TF.rms_norm(a, (5, 7), eps=1e-6), [X4]),
    "rms_norm_weight": (lambda a, w: F.rms_norm(a, 7, w), lambda a, w: TF.rms_norm(a, (7,), w), [X4, RNG.normal(size=7)]),
    "lrn": (lambda a: F.local_response_norm(a, 3, 0.3, 0.6, 2.0), lambda a: TF.local_response_norm(a, 3, 0.3, 0.6, 2.0), [X4]),
    "lrn_even_3d": (lambda a: F.local_response_norm(a, 4), lambda a: TF.local_response_norm(a, 4), [X4[:, :, 0]]),
    "pixel_shuffle": (lambda a: F.pixel_shuffle(a, 2), lambda a: TF.pixel_shuffle(a, 2), [RNG.normal(size=(2, 8, 3, 4))]),
    "pixel_unshuffle": (lambda a: F.pixel_unshuffle(a, 2), lambda a: TF.pixel_unshuffle(a, 2), [RNG.normal(size=(3, 2, 4, 6))]),
    "channel_shuffle": (lambda a: F.channel_shuffle(a, 3), lambda a: TF.channel_shuffle(a, 3), [X4]),
    "lp_pool2d": (lambda a: F.lp_pool2d(a, 2, (2, 3), ceil_mode=True), lambda a: TF.lp_pool2d(a, 2, (2, 3), ceil_mode=True), [X4]),
    "lp_pool1d_p3": (lambda a: F.lp_pool1d(a, 3, 3, 2), lambda a: TF.lp_pool1d(a, 3, 3, 2), [np.abs(X4[:, :, 0]) + 0.1]),
    "lp_pool1d_inf": (lambda a: F.lp_pool1d(a, float("inf"), 3, 2), lambda a: TF.lp_pool1d(a, float("inf"), 3, 2), [X4[:, :, 0]]),
    "max_pool3d": (lambda a: F.max_pool3d(a, 3, 2, 1), lambda a: TF.max_pool3d(a, 3, 2, 1), [X5]),
    "avg_pool3d": (
        lambda a: F.avg_pool3d(a, (2, 3, 2), padding=1, ceil_mode=True, count_include_pad=False),
        lambda a: TF.avg_pool3d(a, (2, 3, 2), padding=1, ceil_mode=True, count_include_pad=False),
        [X5],
    ),
    "adaptive_max_pool1d": (lambda a: F.adaptive_max_pool1d(a, 3), lambda a: TF.adaptive_max_pool1d(a, 3), [X4[:, :, 0]]),
    "adaptive_max_pool1d_unbatched": (lambda a: F.adaptive_max_pool1d(a, 4), lambda a: TF.adaptive_max_pool1d(a, 4), [X4[0, :, 0]]),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_matches_torch_and_finite_differences(name):
    ours, theirs, arrays = PAIRS[name]
    assert_close_both(ours, theirs, arrays, rtol=1e-9, atol=1e-10)
    small = [a[(slice(0, 1),) * min(a.ndim - 2, 1)] if a.ndim > 2 else a for a in arrays]
    assert_gradients_match(ours, *small, second_order=True, fast=True)


@given(st.integers(1, 7), st.integers(1, 8), st.integers(1, 7), st.integers(1, 8), st.integers(0, 99))
def test_adaptive_max_pool2d_values_gradients_and_indices_match_torch(h, w, oh, ow, seed):
    x = np.random.default_rng(seed).normal(size=(2, 3, h, w))
    assert_close_both(lambda a: F.adaptive_max_pool2d(a, (oh, ow)), lambda a: TF.adaptive_max_pool2d(a, (oh, ow)), [x])
    idx = F.adaptive_max_pool2d(x, (oh, ow), return_indices=True)[1]
    tidx = TF.adaptive_max_pool2d(torch.tensor(x), (oh, ow), return_indices=True)[1].numpy()
    assert idx.dtype == np.int64
    np.testing.assert_array_equal(idx, tidx)


def test_adaptive_max_pool_routes_ties_to_the_first_maximum_as_torch():
    x = np.zeros((1, 1, 5, 5))  # all ties: overlapping bins of uneven size
    assert_close_both(lambda a: F.adaptive_max_pool2d(a, 3), lambda a: TF.adaptive_max_pool2d(a, 3), [x])
    np.testing.assert_array_equal(
        F.adaptive_max_pool2d(x, 3, True)[1], TF.adaptive_max_pool2d(torch.tensor(x), 3, True)[1].numpy()
    )
    assert_gradients_match(lambda a: F.adaptive_max_pool2d(a, (2, 3)), RNG.normal(size=(1, 2, 5, 4)), second_order=True)


def test_instance_norm_running_statistics_match_torch():
    x, w, b = X4, RNG.normal(size=6), RNG.normal(size=6)
    rm, rv = np.zeros(6), np.ones(6)
    trm, trv = torch.zeros(6, dtype=torch.float64), torch.ones(6, dtype=torch.float64)
    assert_close_both(
        lambda a, w, b: F.instance_norm(a, rm, rv, w, b, momentum=0.3),
        lambda a, w, b: TF.instance_norm(a, trm, trv, w, b, momentum=0.3),
        [x, w, b],
    )
    np.testing.assert_allclose(rm, trm.numpy(), rtol=1e-12)
    np.testing.assert_allclose(rv, trv.numpy(), rtol=1e-12)
    assert_close_both(
        lambda a: F.instance_norm(a, rm, rv, use_input_stats=False),
        lambda a: TF.instance_norm(a, trm, trv, use_input_stats=False),
        [x],
    )
    assert_gradients_match(lambda a, w: F.instance_norm(a, weight=w), x[:1, :2, :3], w[:2], second_order=True)


def test_lp_pool_of_an_all_zero_window_is_zero_with_zero_gradient():
    z = ag.Value(np.zeros((1, 2, 4)))
    y = F.lp_pool1d(z, 2, 2)
    y.sum().backward()
    assert np.all(y.data == 0) and np.all(z.grad == 0)
    tz = torch.zeros((1, 2, 4), dtype=torch.float64, requires_grad=True)
    TF.lp_pool1d(tz, 2, 2).sum().backward()
    np.testing.assert_array_equal(z.grad, tz.grad.numpy())


def test_rms_norm_default_eps_is_the_dtypes_and_float32_stays_float32():
    x = RNG.normal(size=(3, 4)).astype(np.float32)
    y = F.rms_norm(x, 4)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.data, TF.rms_norm(torch.tensor(x), (4,)).numpy(), rtol=1e-6)
    tiny = np.full((1, 4), 1e-300)
    np.testing.assert_allclose(F.rms_norm(tiny, 4).data, TF.rms_norm(torch.tensor(tiny), (4,)).numpy())


def test_argument_errors_name_the_function_and_the_problem():
    with pytest.raises(ag.ShapeError, match="rms_norm: normalized_shape"):
        F.rms_norm(X4, (6,))
    with pytest.raises(ag.ShapeError, match="pixel_shuffle: 6 channels"):
        F.pixel_shuffle(X4, 2)
    with pytest.raises(ag.ShapeError, match="pixel_unshuffle: spatial size"):
        F.pixel_unshuffle(X4, 2)
    with pytest.raises(ag.ShapeError, match="channel_shuffle: 6 channels"):
        F.channel_shuffle(X4, 4)
    with pytest.raises(ValueError, match="lp_pool1d: norm_type must be nonzero"):
        F.lp_pool1d(X4[0], 0, 2)
    with pytest.raises(ag.ShapeError, match="adaptive_max_pool2d: expected a 3-d or 4-d"):
        F.adaptive_max_pool2d(X4[0, 0, 0], 2)
    with pytest.raises(ValueError, match="instance_norm: expected more than 1 spatial element"):
        F.instance_norm(np.ones((2, 3, 1)))
    with pytest.raises(ag.ShapeError, match="local_response_norm: expected 3 or more dims"):
        F.local_response_norm(X4[0, 0], 2)
    with pytest.raises(ag.ShapeError, match="dropout3d"):
        F.dropout3d(X4[0], 0.5)
