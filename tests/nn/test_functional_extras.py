"""F.pad, F.one_hot, F.kl_div, F.cosine_similarity against PyTorch: values and gradients (float64),
first and second derivatives against finite differences."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from _torch_helpers import assert_close_both
from hypothesis import assume, given
from hypothesis import strategies as st

import nn.functional as F
from autograd_core.testing import arrays, assert_gradients_match

RNG = np.random.default_rng(0)
MODES = ["constant", "reflect", "replicate", "circular"]
PADS = [(1, 2), (2, 1, 3, 0), (0, 0, 1, 3), (-1, 2, 1, -2), (3, 3, 2, 2)]


@pytest.mark.parametrize("pad", PADS)
@pytest.mark.parametrize("mode", MODES)
def test_pad_matches_torch(mode, pad):
    x = RNG.normal(size=(2, 3, 4, 5) if len(pad) == 4 else (3, 4, 5))  # PyTorch's dims for its modes
    kw = {"value": 1.5} if mode == "constant" else {}
    assert_close_both(lambda v: F.pad(v, pad, mode=mode, **kw), lambda t: TF.pad(t, pad, mode=mode, **kw), [x])


@pytest.mark.parametrize("mode", MODES)
def test_pad_first_and_second_derivatives(mode):
    assert_gradients_match(
        lambda v: F.pad(v, (2, 1, 1, 2), mode=mode) ** 2, RNG.normal(size=(1, 3, 4)), second_order=True
    )


def test_pad_errors_name_the_problem():
    x = RNG.normal(size=(1, 2, 3))
    with pytest.raises(ValueError, match="even length"):
        F.pad(x, (1, 2, 3))
    with pytest.raises(ValueError, match="at most 2 on dimension 2"):
        F.pad(x, (3, 0), mode="reflect")
    with pytest.raises(ValueError, match="mode must be one of"):
        F.pad(x, (1, 1), mode="mirror")
    with pytest.raises(ValueError, match="only used with mode='constant'"):
        F.pad(x, (1, 1), mode="reflect", value=2.0)


def test_one_hot_matches_torch():
    idx = np.array([[0, 3], [1, 1]])
    for n in (-1, 5):
        want = TF.one_hot(torch.tensor(idx), n).numpy()
        got = F.one_hot(idx, n)
        np.testing.assert_array_equal(got, want)
        assert got.dtype == np.int64
    with pytest.raises(TypeError, match="integer class indices"):
        F.one_hot(np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="out of range"):
        F.one_hot(np.array([0, 4]), 3)
    with pytest.raises(ValueError, match="non-negative"):
        F.one_hot(np.array([-1, 0]))


def _log_probs(shape):
    z = RNG.normal(size=shape)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


@pytest.mark.parametrize("reduction", ["batchmean", "sum", "none", "mean"])
@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.filterwarnings("ignore:.*reduction")
def test_kl_div_matches_torch(reduction, log_target):
    x, lt = _log_probs((4, 3)), _log_probs((4, 3))
    t = lt if log_target else np.exp(lt)
    kw = {"reduction": reduction, "log_target": log_target}
    assert_close_both(lambda a, b: F.kl_div(a, b, **kw), lambda a, b: TF.kl_div(a, b, **kw), [x, t])
    assert_gradients_match(lambda a, b: F.kl_div(a, b, **kw), x, t, second_order=True)


def test_kl_div_zero_targets_and_the_mean_warning():
    x = _log_probs((2, 3))
    t = np.array([[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]])
    want = TF.kl_div(torch.tensor(x), torch.tensor(t), reduction="batchmean").item()
    assert np.isclose(float(F.kl_div(x, t, reduction="batchmean")), want, rtol=1e-12)
    with pytest.warns(UserWarning, match="batchmean"):
        F.kl_div(x, t)
    with pytest.raises(ValueError, match="reduction"):
        F.kl_div(x, t, reduction="avg")


@given(arrays(shape=st.sampled_from([(3, 4), (2, 3, 4), (1, 4)])), st.sampled_from([1, -1, 0]))
def test_cosine_similarity_matches_torch(x, dim):
    assume(np.all(np.linalg.norm(x, axis=dim) > 0.1))  # the zero vector is a kink (gradient 1/eps, as torch)
    y = RNG.normal(size=(3, 4)) if x.ndim == 2 else RNG.normal(size=x.shape[-1:])  # broadcasting too
    assert_close_both(
        lambda a, b: F.cosine_similarity(a, b, dim=dim), lambda a, b: TF.cosine_similarity(a, b, dim=dim), [x, y]
    )
    assert_gradients_match(lambda a, b: F.cosine_similarity(a, b, dim=dim), x, y, second_order=True)


def test_cosine_similarity_eps_as_torch_defines_it():
    for a, b in (([1e-5, 0.0], [1e-5, 0.0]), ([1e-10, 0.0], [1.0, 0.0]), ([0.0, 0.0], [1.0, 2.0])):
        a, b = np.array([a]), np.array([b])
        want = TF.cosine_similarity(torch.tensor(a), torch.tensor(b)).numpy()
        np.testing.assert_allclose(F.cosine_similarity(a, b).numpy(), want, rtol=1e-12)
