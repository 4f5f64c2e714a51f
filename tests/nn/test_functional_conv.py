"""conv1d/conv2d: PyTorch float64 cross-checks over hypothesis-drawn arguments, finite differences
(first and second order), the output-size formula and argument errors."""

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

pytestmark = pytest.mark.filterwarnings("ignore:Using padding=.same.:UserWarning")


@st.composite
def conv2d_cases(draw):
    groups = draw(st.sampled_from([1, 1, 2]))
    cin = groups * draw(st.integers(1, 2))
    cout = groups * draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = draw(st.sampled_from([1, 2, (1, 2)]))
    dilation = draw(st.sampled_from([1, 2, (2, 1)]))
    padding = draw(st.sampled_from([0, 1, (1, 0), "valid", "same"]))
    if padding == "same":
        stride = 1
    dil = (dilation, dilation) if isinstance(dilation, int) else dilation
    h = draw(st.integers(dil[0] * (kh - 1) + 1, dil[0] * (kh - 1) + 4))
    w = draw(st.integers(dil[1] * (kw - 1) + 1, dil[1] * (kw - 1) + 4))
    n = draw(st.integers(1, 2))
    bias = draw(st.booleans())
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    arrays = [rng.normal(size=(n, cin, h, w)), rng.normal(size=(cout, cin // groups, kh, kw))]
    if bias:
        arrays.append(rng.normal(size=cout))
    return arrays, dict(stride=stride, padding=padding, dilation=dilation, groups=groups)


def _call(fn, kw):
    return lambda x, w, b=None: fn(x, w, b, **kw)


@given(conv2d_cases())
def test_conv2d_matches_torch(case):
    arrays, kw = case
    assert_close_both(_call(F.conv2d, kw), _call(TF.conv2d, kw), arrays)


@given(conv2d_cases())
def test_conv2d_first_and_second_derivatives(case):
    arrays, kw = case
    assert_gradients_match(_call(F.conv2d, kw), *arrays, second_order=True, fast=True)


@given(
    st.integers(1, 2), st.integers(1, 3), st.integers(1, 3), st.integers(1, 4), st.sampled_from([1, 2]),
    st.sampled_from([0, 1, 2, "same"]), st.sampled_from([1, 2]), st.integers(0, 1000),
)  # fmt: skip
def test_conv1d_matches_torch(n, cin, cout, k, stride, padding, dilation, seed):
    if padding == "same":
        stride = 1
    rng = np.random.default_rng(seed)
    length = dilation * (k - 1) + 1 + int(rng.integers(0, 5))
    arrays = [rng.normal(size=(n, cin, length)), rng.normal(size=(cout, cin, k)), rng.normal(size=cout)]
    kw = dict(stride=stride, padding=padding, dilation=dilation)
    assert_close_both(_call(F.conv1d, kw), _call(TF.conv1d, kw), arrays)
    assert_gradients_match(_call(F.conv1d, kw), *arrays, second_order=True, fast=True)


def test_conv2d_full_jacobian_small():
    rng = np.random.default_rng(1)
    x, w, b = rng.normal(size=(1, 2, 4, 5)), rng.normal(size=(3, 2, 2, 3)), rng.normal(size=3)
    kw = dict(stride=(2, 1), padding=1, dilation=(1, 2))
    assert_gradients_match(_call(F.conv2d, kw), x, w, b, second_order=True)


@pytest.mark.parametrize(
    ("size", "k", "s", "p", "d"),
    [(28, 3, 1, 1, 1), (28, 5, 2, 0, 1), (17, 3, 2, 2, 2), (9, 4, 3, 1, 1), (7, 7, 1, 0, 1)],
)
def test_output_size_formula(size, k, s, p, d):
    expected = (size + 2 * p - d * (k - 1) - 1) // s + 1
    assert F.conv_output_size(size, k, s, p, d) == expected
    y = F.conv2d(np.zeros((1, 1, size, size)), ag.Value(np.zeros((1, 1, k, k))), stride=s, padding=p, dilation=d)
    assert y.shape == (1, 1, expected, expected)
    assert (
        tuple(TF.conv2d(torch.zeros(1, 1, size, size), torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d).shape)
        == y.shape
    )


def test_conv_accepts_plain_arrays_and_unbatched_input():
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(2, 5, 5)), rng.normal(size=(3, 2, 3, 3))
    y = F.conv2d(x, w)
    assert y.shape == (3, 3, 3) and not y.requires_grad
    np.testing.assert_allclose(y.data, TF.conv2d(torch.tensor(x), torch.tensor(w)).numpy(), atol=1e-12)


def test_float32_stays_float32():
    x = np.ones((2, 1, 6, 6), np.float32)
    w = ag.Value(np.ones((4, 1, 3, 3), np.float32))
    y = F.conv2d(x, w, ag.Value(np.zeros(4, np.float32)), padding=1)
    assert y.dtype == np.float32
    y.sum().backward()
    assert w.grad.dtype == np.float32


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "kw", "match"),
    [
        ((1, 3, 5, 5), (2, 2, 3, 3), {}, "channels"),
        ((1, 4, 5, 5), (3, 2, 3, 3), {"groups": 2}, "groups"),
        ((1, 2, 2, 2), (1, 2, 3, 3), {}, "smaller than"),
        ((2, 5, 5), (1, 1, 3, 3, 3), {}, "expected input"),
    ],
)
def test_conv_shape_errors(x_shape, w_shape, kw, match):
    with pytest.raises(ag.ShapeError, match=match):
        F.conv2d(np.zeros(x_shape), np.zeros(w_shape), **kw)


def test_same_padding_rejects_stride():
    with pytest.raises(ValueError, match="same"):
        F.conv2d(np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 3, 3)), stride=2, padding="same")


def test_conv3d_matches_torch():
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=(2, 2, 4, 5, 3)), rng.normal(size=(3, 2, 2, 3, 2)), rng.normal(size=3)]
    kw = dict(stride=(1, 2, 1), padding=(1, 0, 1), dilation=(2, 1, 1))
    assert_close_both(_call(F.conv3d, kw), _call(TF.conv3d, kw), arrays)
    assert_gradients_match(_call(F.conv3d, kw), *arrays, fast=True)
