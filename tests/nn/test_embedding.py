"""nn.Embedding and F.embedding against torch (state dict, forward, backward) and finite differences."""

import numpy as np
import pytest
import torch
from _torch_helpers import torch_state
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core import ShapeError, gradcheck, gradgradcheck


def _compare(ours, theirs, idx, seed=0):
    ours.load_state_dict(torch_state(theirs))
    y = ours(idx)
    ty = theirs(torch.tensor(idx))
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
    g = np.random.default_rng(seed).normal(size=y.shape)
    y.backward(g)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), rtol=1e-12)


@given(
    st.lists(st.integers(1, 4), min_size=0, max_size=3),
    st.sampled_from([None, 0, 3, -1]),
    st.sampled_from([None, 0.5, 2.0]),
    st.sampled_from([2.0, 1.0]),
    st.integers(0, 100),
)
def test_embedding_matches_torch(shape, padding_idx, max_norm, norm_type, seed):
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, 6, size=shape)
    kw = dict(padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type)
    theirs = torch.nn.Embedding(6, 3, **kw).double()
    with torch.no_grad():
        theirs.weight.normal_()  # a non-zero padding row too: its value is looked up, its gradient stays 0
    _compare(nn.Embedding(6, 3, dtype=np.float64, **kw), theirs, idx, seed)


def test_padding_row_is_zero_at_init_and_gets_no_gradient():
    emb = nn.Embedding(5, 4, padding_idx=1, seed=0)
    np.testing.assert_array_equal(emb.weight.data[1], 0)
    assert emb.weight.dtype == np.float32
    emb(np.array([[1, 2, 1], [0, 1, 2]])).sum().backward()
    np.testing.assert_array_equal(emb.weight.grad[1], 0)
    np.testing.assert_array_equal(emb.weight.grad[2], 2)  # repeated indices accumulate
    assert emb(np.array([1, 3])).shape == (2, 4)


def test_functional_embedding_gradcheck_first_and_second_order():
    rng = np.random.default_rng(0)
    idx = np.array([[0, 2, 2], [3, 1, 0]])
    w = rng.normal(size=(4, 3))
    gradcheck(lambda w: F.embedding(idx, w) ** 2, [w])
    gradgradcheck(lambda w: F.embedding(idx, w) ** 2, [w])


@pytest.mark.parametrize("kw", [{"padding_idx": 2}, {"padding_idx": -4}])
def test_padding_gradient_differentiates_as_torch(kw):
    """padding_idx overrides the gradient on purpose (finite differences disagree by design), so
    its second derivative is checked against torch's double backward."""
    rng = np.random.default_rng(1)
    idx = np.array([[0, 2, 2], [3, 1, 0]])
    w, v = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    hv = ag.grad(lambda w: (ag.grad(lambda u: (F.embedding(idx, u, **kw) ** 3).sum())(w) * v).sum())(ag.Value(w))
    tw = torch.tensor(w, requires_grad=True)
    (tg,) = torch.autograd.grad(
        (torch.nn.functional.embedding(torch.tensor(idx), tw, **kw) ** 3).sum(), tw, create_graph=True
    )
    (thv,) = torch.autograd.grad((tg * torch.tensor(v)).sum(), tw)
    np.testing.assert_allclose(np.asarray(getattr(hv, "data", hv)), thv.numpy(), rtol=1e-12)


def test_from_pretrained_is_frozen_and_max_norm_renorms_in_place():
    table = np.array([[3.0, 4.0], [0.3, 0.4]])
    emb = nn.Embedding.from_pretrained(table, max_norm=1.0)
    assert not emb.weight.requires_grad
    out = emb(np.array([0]))
    np.testing.assert_allclose(out.data, [[0.6, 0.8]], rtol=1e-6)
    np.testing.assert_allclose(emb.weight.data, [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)  # only looked-up rows
    assert nn.Embedding.from_pretrained(table, freeze=False).weight.requires_grad


def test_bad_inputs_are_refused_with_clear_errors():
    emb = nn.Embedding(4, 2, seed=0)
    with pytest.raises(TypeError, match="integer indices"):
        emb(np.array([0.0, 1.0]))
    with pytest.raises(IndexError, match="index 4 is out of range"):
        emb(np.array([0, 4]))
    with pytest.raises(NotImplementedError, match="scale_grad_by_freq"):
        F.embedding(np.array([0]), emb.weight, scale_grad_by_freq=True)
    with pytest.raises(ValueError, match="padding_idx"):
        nn.Embedding(4, 2, padding_idx=4)
    with pytest.raises(ShapeError, match="2-D"):
        F.embedding(np.array([0]), ag.Value(np.ones(3)))
    before = emb.weight.data.copy()
    with pytest.raises(IndexError):
        F.embedding(np.array([-1]), emb.weight, max_norm=0.1)
    np.testing.assert_array_equal(emb.weight.data, before)
    assert "padding_idx=1" in repr(nn.Embedding(3, 2, padding_idx=-2))
