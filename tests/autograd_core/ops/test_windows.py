"""sliding_windows against numpy's sliding_window_view, its fold transpose, and conv/pool uses."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.lib.stride_tricks import sliding_window_view

import autograd_core as ag
from autograd_core import ShapeError, Value
from autograd_core.gradcheck import gradcheck, gradgradcheck
from autograd_core.opdb.windows import window_params
from autograd_core.ops.windows import fold, normalize_window_args
from autograd_core.testing import shapes


def reference(x, window_shape, axes, stride, dilation):
    """numpy's sliding_window_view over the dilated extent, then strided slicing."""
    window, axes, stride, dilation = normalize_window_args(x.shape, window_shape, axes, stride, dilation)
    v = sliding_window_view(x, [(w - 1) * d + 1 for w, d in zip(window, dilation)], axis=axes)
    idx = [slice(None)] * x.ndim
    for a, s in zip(axes, stride):
        idx[a] = slice(None, None, s)
    return v[(*idx, *(slice(None, None, d) for d in dilation))]


@st.composite
def window_case(draw, max_dims=4, max_side=6):
    shape = draw(shapes(min_dims=1, max_dims=max_dims, max_side=max_side))
    return np.random.default_rng(0).standard_normal(shape), window_params(draw, shape)


@given(window_case())
def test_values_match_numpy_and_fold_is_the_transpose(case):
    x, p = case
    y = ag.sliding_windows(Value(x), **p)
    ref = reference(x, **p)
    assert y.shape == ref.shape
    np.testing.assert_array_equal(y.data, ref)
    # fold scatter-adds: brute force through the flat positions each window element came from
    g = np.random.default_rng(1).standard_normal(y.shape)
    positions = reference(np.arange(x.size).reshape(x.shape), **p)
    expected = np.zeros(x.size)
    np.add.at(expected, positions.ravel(), g.ravel())
    window, axes, stride, dilation = normalize_window_args(x.shape, **p)
    folded = fold(g, shape=x.shape, window_shape=window, axes=axes, stride=stride, dilation=dilation)
    np.testing.assert_allclose(folded.data, expected.reshape(x.shape), atol=1e-12)


def test_is_a_view_not_a_copy():
    x = Value(np.random.default_rng(0).standard_normal((4, 3, 10, 10)))
    y = ag.sliding_windows(x, (3, 3), axes=(2, 3), stride=2)
    assert y.shape == (4, 3, 4, 4, 3, 3)
    assert np.shares_memory(y.data, x.data)
    assert not y.data.flags.writeable


def test_default_axes_are_the_last_ones_and_ints_broadcast():
    x = np.arange(30.0).reshape(5, 6)
    y = ag.sliding_windows(Value(x), (2, 3), stride=(1, 3))
    np.testing.assert_array_equal(y.data, sliding_window_view(x, (2, 3))[:, ::3])
    z = ag.sliding_windows(Value(x), 2, axes=0, dilation=2)
    np.testing.assert_array_equal(z.data, sliding_window_view(x, 3, axis=0)[..., ::2])


@pytest.mark.parametrize("stride, window", [((2, 2), (2, 2)), ((3, 2), (3, 2)), ((2, 2), (3, 3)), ((1, 1), (2, 2))])
def test_fold_paths_tiling_and_overlapping(stride, window):
    """Non-overlapping tiles (pooling) take a reshape path, overlaps the per-offset adds."""
    x = np.random.default_rng(2).standard_normal((2, 7, 8))
    gradcheck(lambda v: ag.sliding_windows(v, window, axes=(1, 2), stride=stride) ** 2, [x])


@given(window_case(max_dims=2, max_side=5))
def test_second_derivatives_of_a_conv_like_composition(case):
    x, p = case
    window = normalize_window_args(x.shape, **p)[0]
    w = np.random.default_rng(3).standard_normal(window)
    nw = len(window)

    def conv(v, k):
        win = ag.sliding_windows(v * v, **p)
        return ag.tensordot(win, k, axes=nw)

    gradgradcheck(conv, [x, w])


def test_conv2d_through_windows_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    x, w = rng.standard_normal((2, 3, 7, 6)), rng.standard_normal((4, 3, 3, 2))
    xv, wv = Value(x), Value(w)
    win = ag.sliding_windows(xv, (3, 2), axes=(2, 3), stride=(2, 1), dilation=(1, 2))  # (N, C, OH, OW, kh, kw)
    y = ag.einsum("nchwij,ocij->nohw", win, wv)
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    yt = torch.nn.functional.conv2d(xt, wt, stride=(2, 1), dilation=(1, 2))
    np.testing.assert_allclose(y.data, yt.detach().numpy(), atol=1e-12)
    g = rng.standard_normal(y.shape)
    y.backward(g)
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(xv.grad, xt.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(wv.grad, wt.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize(
    "kwargs, msg",
    [
        ({"window_shape": 4, "axes": 0}, "does not fit"),
        ({"window_shape": 2, "axes": 0, "dilation": 3}, "dilation 3"),
        ({"window_shape": (2, 2), "axes": 0}, "differ in length"),
        ({"window_shape": (2, 2), "axes": (0, 0)}, "repeated axis"),
        ({"window_shape": 2, "axes": 5}, "out of range"),
        ({"window_shape": 0, "axes": 0}, "positive"),
        ({"window_shape": 2, "axes": 0, "stride": 0}, "positive"),
        ({"window_shape": 2, "axes": 0, "stride": (1, 1)}, "one entry per window axis"),
    ],
)
def test_errors_name_the_op_and_shape(kwargs, msg):
    with pytest.raises(ShapeError, match=f"sliding_windows.*{msg}"):
        ag.sliding_windows(Value(np.ones((3, 4))), **kwargs)


def test_float32_through_windows_and_fold():
    x = Value(np.ones((2, 6, 6), np.float32))
    y = ag.sliding_windows(x, (3, 3), axes=(1, 2))
    assert y.dtype == np.float32
    (y * y).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad[0, 0], [2, 4, 6, 6, 4, 2])
