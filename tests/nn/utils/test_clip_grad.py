"""nn.utils gradient clipping and parameter vectors against torch.nn.utils (float64 and float32)."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
import nn
from autograd_core import ShapeError

_shapes = st.lists(st.lists(st.integers(1, 4), min_size=0, max_size=3), min_size=1, max_size=4)


def _pair(shapes, seed, scale, dtype=np.float64):
    """Our parameters and torch's with the same data and the same gradients."""
    rng = np.random.default_rng(seed)
    ours, theirs = [], []
    for shape in shapes:
        data = rng.normal(size=shape).astype(dtype)
        grad = (scale * rng.normal(size=shape)).astype(dtype)
        p = nn.Parameter(data)
        p.grad = grad
        t = torch.nn.Parameter(torch.tensor(data))
        t.grad = torch.tensor(grad)
        ours.append(p)
        theirs.append(t)
    return ours, theirs


@given(_shapes, st.sampled_from([2.0, 1.0, 3.0, 0.5, math.inf, -math.inf, 0.0]), st.sampled_from([0.1, 1.0, 100.0]))
def test_clip_grad_norm_matches_torch(shapes, norm_type, max_norm):
    ours, theirs = _pair(shapes, seed=len(shapes), scale=2.0)
    total = nn.utils.clip_grad_norm_(iter(ours), max_norm, norm_type=norm_type)
    ttotal = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    np.testing.assert_allclose(total, ttotal.item(), rtol=1e-12)
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p.grad, t.grad.numpy(), rtol=1e-12)


def test_clip_grad_norm_float32_keeps_dtype_and_scales_to_max_norm():
    ours, theirs = _pair([(3, 4), (4,)], seed=1, scale=5.0, dtype=np.float32)
    total = nn.utils.clip_grad_norm_(ours, 1.0)
    ttotal = torch.nn.utils.clip_grad_norm_(theirs, 1.0)
    assert all(p.grad.dtype == np.float32 for p in ours)
    np.testing.assert_allclose(total, ttotal.item(), rtol=1e-6)
    after = nn.utils.get_total_norm([p.grad for p in ours])
    np.testing.assert_allclose(after, 1.0, rtol=1e-5)
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p.grad, t.grad.numpy(), rtol=1e-6)


def test_clip_grad_norm_below_max_leaves_grads_and_skips_params_without_grad():
    model = nn.Linear(3, 2, dtype=np.float64, seed=0)
    y = model(np.ones((1, 3))).sum()
    y.backward()
    extra = nn.Parameter(np.ones(2))
    before = model.weight.grad.copy()
    total = nn.utils.clip_grad_norm_([*model.parameters(), extra], 1e6)
    np.testing.assert_array_equal(model.weight.grad, before)
    assert extra.grad is None
    np.testing.assert_allclose(total, np.sqrt((before**2).sum() + 2.0))  # the bias gradient is ones
    assert nn.utils.clip_grad_norm_([extra], 1.0) == 0.0


def test_clip_grad_norm_nonfinite():
    ours, _ = _pair([(3,)], seed=0, scale=1.0)
    ours[0].grad = np.array([1.0, np.nan, 2.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    np.testing.assert_array_equal(ours[0].grad, [1.0, np.nan, 2.0])  # unchanged by the refusal
    assert np.isnan(nn.utils.clip_grad_norm_(ours, 1.0))
    assert np.isnan(ours[0].grad).all()  # as PyTorch: scaled by a nan coefficient


@given(_shapes, st.sampled_from([0.0, 0.3, 1.0, 10.0]))
def test_clip_grad_value_matches_torch(shapes, clip):
    ours, theirs = _pair(shapes, seed=3, scale=2.0)
    assert nn.utils.clip_grad_value_(ours, clip) is None
    torch.nn.utils.clip_grad_value_(theirs, clip)
    for p, t in zip(ours, theirs):
        np.testing.assert_array_equal(p.grad, t.grad.numpy())


def test_clip_grad_value_refuses_negative_and_non_values():
    ours, _ = _pair([(2,)], seed=0, scale=1.0)
    with pytest.raises(ValueError, match="non-negative"):
        nn.utils.clip_grad_value_(ours, -1.0)
    with pytest.raises(TypeError, match="expected Values"):
        nn.utils.clip_grad_norm_([np.ones(2)], 1.0)


def test_parameters_to_vector_and_back_match_torch():
    tmodel = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 2)).double()
    model = nn.Sequential(nn.Linear(3, 4, dtype=np.float64), nn.Linear(4, 2, dtype=np.float64))
    model.load_state_dict({k: v.detach().numpy() for k, v in tmodel.state_dict().items()})
    vec = nn.utils.parameters_to_vector(model.parameters())
    tvec = torch.nn.utils.parameters_to_vector(tmodel.parameters())
    np.testing.assert_array_equal(vec.data, tvec.detach().numpy())
    (vec * vec).sum().backward()  # the vector is recorded: gradients reach the parameters
    np.testing.assert_allclose(model[0].weight.grad, 2 * model[0].weight.data)

    new = np.arange(vec.shape[0], dtype=np.float64)
    nn.utils.vector_to_parameters(ag.Value(new), model.parameters())
    torch.nn.utils.vector_to_parameters(torch.tensor(new), tmodel.parameters())
    for (k, p), (tk, t) in zip(model.named_parameters(), tmodel.named_parameters()):
        assert k == tk
        np.testing.assert_array_equal(p.data, t.detach().numpy())


def test_vector_to_parameters_refuses_bad_vectors_before_changing_anything():
    model = nn.Linear(2, 2, dtype=np.float64, seed=0)
    before = model.weight.data.copy()
    with pytest.raises(ShapeError, match="length 6"):
        nn.utils.vector_to_parameters(np.zeros(7), model.parameters())
    with pytest.raises(TypeError, match="Value or an ndarray"):
        nn.utils.vector_to_parameters([0.0] * 6, model.parameters())
    np.testing.assert_array_equal(model.weight.data, before)
