"""Pooling: PyTorch float64 cross-checks (ties included: the gradient goes to the first maximum),
finite differences of first and second order, ceil_mode and count_include_pad divisors."""

import numpy as np
import pytest
import torch.nn.functional as TF
from _torch_helpers import assert_close_both, run_both
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
import nn.functional as F
from autograd_core.testing import assert_gradients_match


@st.composite
def pool2d_cases(draw, dilation=True):
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = draw(st.sampled_from([None, 1, 2, (2, 1)]))
    padding = (draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2)))
    dil = draw(st.sampled_from([1, 2])) if dilation else 1
    ceil_mode = draw(st.booleans())
    h = draw(st.integers(dil * (kh - 1) + 1, dil * (kh - 1) + 5))
    w = draw(st.integers(dil * (kw - 1) + 1, dil * (kw - 1) + 5))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2)), h, w)
    seed = draw(st.integers(0, 2**16))
    kw_ = dict(kernel_size=(kh, kw), stride=stride, padding=padding, ceil_mode=ceil_mode)
    if dilation:
        kw_["dilation"] = dil
    return shape, seed, kw_


@given(pool2d_cases(), st.booleans())
def test_max_pool2d_matches_torch_including_ties(case, ties):
    shape, seed, kw = case
    rng = np.random.default_rng(seed)
    x = rng.integers(-2, 3, size=shape).astype(np.float64) if ties else rng.normal(size=shape)
    assert_close_both(lambda v: F.max_pool2d(v, **kw), lambda t: TF.max_pool2d(t, **kw), [x])


@given(pool2d_cases())
def test_max_pool2d_derivatives(case):
    shape, seed, kw = case
    # distinct values spaced apart, so no finite-difference step changes which element is the max
    x = np.random.default_rng(seed).permutation(np.prod(shape)).reshape(shape) * 0.1
    assert_gradients_match(lambda v: F.max_pool2d(v, **kw), x, second_order=True)


def test_max_pool_routes_to_first_max():
    x = ag.Value(np.array([[[[1.0, 1.0], [1.0, 1.0]]]]))
    F.max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad, [[[[1.0, 0.0], [0.0, 0.0]]]])
    y = ag.Value(np.array([[[3.0, 1.0, 3.0, 3.0]]]))
    F.max_pool1d(y, 3, stride=1).sum().backward()
    np.testing.assert_array_equal(y.grad, [[[1.0, 0.0, 1.0, 0.0]]])


@given(pool2d_cases(dilation=False), st.booleans())
def test_avg_pool2d_matches_torch(case, include_pad):
    shape, seed, kw = case
    x = np.random.default_rng(seed).normal(size=shape)
    kw = dict(kw, count_include_pad=include_pad)
    assert_close_both(lambda v: F.avg_pool2d(v, **kw), lambda t: TF.avg_pool2d(t, **kw), [x])
    assert_gradients_match(lambda v: F.avg_pool2d(v, **kw), x, second_order=True, fast=True)


@given(
    st.integers(1, 4), st.sampled_from([None, 1, 2, 3]), st.integers(0, 2), st.booleans(), st.integers(5, 11),
    st.integers(0, 1000),
)  # fmt: skip
def test_pool1d_matches_torch(k, stride, pad, ceil_mode, length, seed):
    pad = min(pad, k // 2)
    x = np.random.default_rng(seed).normal(size=(2, 3, length))
    kw = dict(kernel_size=k, stride=stride, padding=pad, ceil_mode=ceil_mode)
    assert_close_both(lambda v: F.max_pool1d(v, **kw), lambda t: TF.max_pool1d(t, **kw), [x])
    assert_close_both(lambda v: F.avg_pool1d(v, **kw), lambda t: TF.avg_pool1d(t, **kw), [x])


@pytest.mark.parametrize("out", [1, (1, 1), (2, 3), (3, 2), (5, 7), (4, None), (9, 8)])
def test_adaptive_avg_pool2d_matches_torch(out):
    x = np.random.default_rng(0).normal(size=(2, 3, 9, 8))
    assert_close_both(lambda v: F.adaptive_avg_pool2d(v, out), lambda t: TF.adaptive_avg_pool2d(t, out), [x])
    assert_gradients_match(lambda v: F.adaptive_avg_pool2d(v, out), x[:1, :1], second_order=True)


def test_adaptive_avg_pool1d_matches_torch():
    x = np.random.default_rng(0).normal(size=(2, 3, 10))
    for out in (1, 3, 4, 10):
        assert_close_both(
            lambda v, o=out: F.adaptive_avg_pool1d(v, o), lambda t, o=out: TF.adaptive_avg_pool1d(t, o), [x]
        )


def test_pool_argument_errors():
    with pytest.raises(ValueError, match="half of the kernel"):
        F.max_pool2d(np.zeros((1, 1, 4, 4)), 2, padding=2)
    with pytest.raises(ag.ShapeError, match="too small"):
        F.max_pool2d(np.zeros((1, 1, 2, 2)), 3)
    with pytest.raises(ag.ShapeError, match="4-d"):
        F.max_pool2d(np.zeros((4,)), 2)


def test_pool_output_size_matches_torch_ceil_rule():
    # the last window must start inside the input or the left padding
    for size, k, s, p in [(5, 2, 2, 0), (6, 3, 2, 1), (7, 3, 3, 1), (10, 4, 3, 2)]:
        for ceil in (False, True):
            x = np.zeros((1, 1, size))
            import torch

            expected = TF.max_pool1d(torch.tensor(x), k, s, p, ceil_mode=ceil).shape[-1]
            assert F.pool_output_size(size, k, s, p, 1, ceil) == expected


def test_avg_pool2d_divisor_override_matches_torch():
    x = np.random.default_rng(0).normal(size=(1, 2, 5, 5))
    kw = dict(kernel_size=3, stride=2, padding=1, divisor_override=4)
    assert_close_both(lambda v: F.avg_pool2d(v, **kw), lambda t: TF.avg_pool2d(t, **kw), [x])


def test_max_pool_nan_windows_match_torch():
    x = np.array([[[[1.0, np.nan, 3.0, 0.0], [np.nan, 2.0, 1.0, 5.0]]]])
    (y, (g,)), (ty, (tg,)) = run_both(lambda v: F.max_pool2d(v, 2), lambda t: TF.max_pool2d(t, 2), [x])
    np.testing.assert_array_equal(y, ty)
    np.testing.assert_array_equal(g, tg)


def test_window_max_names_the_layout_it_needs():
    import autograd_core as ag

    with pytest.raises(ag.ShapeError, match="window_max"):
        ag.REGISTRY["window_max"](ag.Value(np.ones((2, 3, 3))), nwin=2)
