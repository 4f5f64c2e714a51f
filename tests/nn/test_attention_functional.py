"""F.scaled_dot_product_attention against PyTorch (values and gradients of q, k, v in float64, masks and
causal), first and second derivatives against finite differences, fully masked rows, dropout and errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from _torch_helpers import assert_close_both
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
import nn.functional as F
from autograd_core import ShapeError
from autograd_core.testing import assert_gradients_match

RNG = np.random.default_rng(0)


def _qkv(batch=(2, 3), L=4, S=5, E=3, Ev=2):
    return [RNG.normal(size=batch + (n, d)) for n, d in ((L, E), (S, E), (S, Ev))]


def _bool_mask(shape):
    m = RNG.random(shape) > 0.4
    m[..., 0] = True  # no fully masked rows here (tested on their own below)
    return m


MASKS = {
    "none": lambda: None,
    "bool": lambda: _bool_mask((4, 5)),
    "bool-batched": lambda: _bool_mask((2, 1, 4, 5)),
    "float": lambda: RNG.normal(size=(4, 5)),
    "float-inf": lambda: np.where(_bool_mask((3, 4, 5)), RNG.normal(size=(3, 4, 5)), -np.inf),
}


@pytest.mark.parametrize("mask", sorted(MASKS))
@pytest.mark.parametrize("scale", [None, 0.7])
def test_sdpa_matches_torch(mask, scale):
    m = MASKS[mask]()
    tm = None if m is None else torch.tensor(m)
    assert_close_both(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, attn_mask=m, scale=scale),
        lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, attn_mask=tm, scale=scale),
        _qkv(),
    )


@pytest.mark.parametrize("L,S", [(4, 4), (3, 5), (5, 3)])
def test_sdpa_causal_matches_torch(L, S):
    assert_close_both(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True),
        lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, is_causal=True),
        _qkv(batch=(2,), L=L, S=S),
    )


def test_sdpa_float_mask_gradient_matches_torch():
    q, k, v = _qkv(batch=(2,))
    assert_close_both(
        lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, attn_mask=m),
        lambda q, k, v, m: TF.scaled_dot_product_attention(q, k, v, attn_mask=m),
        [q, k, v, RNG.normal(size=(4, 5))],
    )


def test_sdpa_fully_masked_row_gives_zero_like_torch():
    q, k, v = _qkv(batch=(2,))
    m = _bool_mask((4, 5))
    m[1] = False
    mf = np.where(m, 0.0, -np.inf)
    for mask in (m, mf):
        assert_close_both(
            lambda q, k, v, mask=mask: F.scaled_dot_product_attention(q, k, v, attn_mask=mask),
            lambda q, k, v, mask=mask: TF.scaled_dot_product_attention(q, k, v, attn_mask=torch.tensor(mask)),
            [q, k, v],
        )
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=m)
    assert np.all(out.numpy()[:, 1] == 0) and np.all(np.isfinite(out.numpy()))


def test_sdpa_is_stable_for_huge_logits():
    q, k, v = _qkv(batch=(1,))
    out = F.scaled_dot_product_attention(ag.Value(q * 1e4), ag.Value(k * 1e4), v)
    want = TF.scaled_dot_product_attention(*(torch.tensor(a) for a in (q * 1e4, k * 1e4, v)))
    np.testing.assert_allclose(out.numpy(), want.numpy(), rtol=1e-9, atol=1e-12)


@given(
    batch=st.sampled_from([(), (2,), (1, 2)]),
    L=st.integers(1, 3),
    S=st.integers(1, 3),
    causal=st.booleans(),
)
def test_sdpa_first_and_second_derivatives(batch, L, S, causal):
    rng = np.random.default_rng(L * 7 + S)
    arrays = [rng.normal(size=batch + (n, 2)) for n in (L, S, S)]
    assert_gradients_match(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=causal) ** 2,
        *arrays,
        second_order=True,
    )


def test_sdpa_derivatives_with_bool_and_float_masks():
    q, k, v = _qkv(batch=(1,), L=3, S=4, E=2, Ev=2)
    m = _bool_mask((3, 4))
    m[2] = False
    assert_gradients_match(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, attn_mask=m) ** 2, q, k, v, second_order=True
    )
    assert_gradients_match(
        lambda q, k, v, f: F.scaled_dot_product_attention(q, k, v, attn_mask=f) ** 2,
        q,
        k,
        v,
        RNG.normal(size=(3, 4)),
        second_order=True,
    )


def test_sdpa_dropout_uses_the_generator_and_keeps_expectation():
    q, k, v = _qkv(batch=(2,))
    a = F.scaled_dot_product_attention(q, k, v, dropout_p=0.5, generator=np.random.default_rng(3))
    b = F.scaled_dot_product_attention(q, k, v, dropout_p=0.5, generator=np.random.default_rng(3))
    plain = F.scaled_dot_product_attention(q, k, v)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.allclose(a.numpy(), plain.numpy())
    zero = F.scaled_dot_product_attention(q, k, v, dropout_p=1.0)
    np.testing.assert_array_equal(zero.numpy(), 0.0)


def test_sdpa_errors_name_the_problem():
    q, k, v = _qkv(batch=(2,))
    with pytest.raises(NotImplementedError, match="enable_gqa"):
        F.scaled_dot_product_attention(q, k, v, enable_gqa=True)
    with pytest.raises(ValueError, match="not both"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=_bool_mask((4, 5)), is_causal=True)
    with pytest.raises(ShapeError, match="last dim"):
        F.scaled_dot_product_attention(q, k[..., :2], v)
    with pytest.raises(ShapeError, match="sequence length"):
        F.scaled_dot_product_attention(q, k, v[:, :3])
    with pytest.raises(ShapeError, match="does not broadcast"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=np.ones((3, 5), dtype=bool))
    with pytest.raises(TypeError, match="bool"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=np.ones((4, 5), dtype=np.int64))
    with pytest.raises(ValueError, match="dropout_p"):
        F.scaled_dot_product_attention(q, k, v, dropout_p=1.5)


def test_sdpa_keeps_float32():
    q, k, v = (a.astype(np.float32) for a in _qkv())
    assert F.scaled_dot_product_attention(q, k, v, is_causal=True).dtype == np.float32
