"""nn.MultiheadAttention against torch.nn.MultiheadAttention with torch's state dict loaded: outputs,
attention weights and every parameter's and input's gradient in float64; init, layouts and errors."""

import numpy as np
import pytest
import torch
from _torch_helpers import torch_state

import autograd_core as ag
import nn
from autograd_core import ShapeError
from autograd_core.testing import assert_gradients_match

RNG = np.random.default_rng(0)
E, H, N, L, S = 6, 2, 3, 4, 5


def _pair(**kw):
    torch.manual_seed(0)
    theirs = torch.nn.MultiheadAttention(E, H, dtype=torch.float64, **kw)
    ours = nn.MultiheadAttention(E, H, dtype=np.float64, seed=1, **kw)
    ours.load_state_dict(torch_state(theirs))
    return ours, theirs


def _compare(ours, theirs, arrays, rtol=1e-9, atol=1e-11, **fwd):
    vals = [ag.Value(a) for a in arrays]
    tens = [torch.tensor(a, requires_grad=True) for a in arrays]
    tfwd = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in fwd.items()}
    y, w = ours(*vals, **fwd)
    ty, tw = theirs(*tens, **tfwd)
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=rtol, atol=atol)
    g = RNG.normal(size=y.shape)
    loss, tloss = (y * g).sum(), (ty * torch.tensor(g)).sum()
    if tw is None:
        assert w is None
    else:
        np.testing.assert_allclose(w.numpy(), tw.detach().numpy(), rtol=rtol, atol=atol)
        gw = RNG.normal(size=w.shape)
        loss, tloss = loss + (w * gw).sum(), tloss + (tw * torch.tensor(gw)).sum()
    loss.backward()
    tloss.backward()
    for i, (v, t) in enumerate(zip(vals, tens)):
        np.testing.assert_allclose(v.grad, t.grad.numpy(), rtol=rtol, atol=atol, err_msg=f"input {i}")
    tparams = dict(theirs.named_parameters())
    assert sorted(tparams) == sorted(n for n, _ in ours.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad, tparams[name].grad.numpy(), rtol=rtol, atol=atol, err_msg=name)


def _inputs(kdim=E, vdim=E, batch_first=False, batched=True):
    shapes = [(L, E), (S, kdim), (S, vdim)]
    if batched:
        shapes = [(N, *s) if batch_first else (s[0], N, s[1]) for s in shapes]
    return [RNG.normal(size=s) for s in shapes]


def _bool(shape):
    m = RNG.random(shape) < 0.4  # True = masked out (PyTorch's MHA convention)
    m[..., 0] = False  # every query keeps a key
    return m


@pytest.mark.parametrize("average", [True, False])
@pytest.mark.parametrize("bias", [True, False])
def test_self_attention_matches_torch(average, bias):
    ours, theirs = _pair(bias=bias)
    x = RNG.normal(size=(L, N, E))
    _compare(ours, theirs, [x, x, x], average_attn_weights=average)


def test_cross_attention_with_kdim_vdim_matches_torch():
    ours, theirs = _pair(kdim=4, vdim=5)
    assert ours.in_proj_weight is None and ours.k_proj_weight.shape == (E, 4)
    _compare(ours, theirs, _inputs(4, 5))


@pytest.mark.parametrize("kdim", [None, 4])
def test_batch_first_with_masks_matches_torch(kdim):
    ours, theirs = _pair(batch_first=True, kdim=kdim, vdim=kdim)
    d = kdim or E
    _compare(
        ours,
        theirs,
        _inputs(d, d, batch_first=True),
        key_padding_mask=np.where(_bool((N, S)), -np.inf, 0.0),
        attn_mask=RNG.normal(size=(L, S)),
    )


@pytest.mark.parametrize(
    "mask",
    [lambda: _bool((L, S)), lambda: RNG.normal(size=(N * H, L, S)), lambda: _bool((N * H, L, S))],
)
def test_attn_mask_forms_match_torch(mask):
    ours, theirs = _pair()
    m = mask()
    kpm = _bool((N, S)) if m.dtype == bool else RNG.normal(size=(N, S))  # same kind, as PyTorch asks
    _compare(ours, theirs, _inputs(), attn_mask=m, key_padding_mask=kpm)


def test_causal_hint_and_need_weights_false_match_torch():
    ours, theirs = _pair()
    x = RNG.normal(size=(L, N, E))
    causal = np.triu(np.ones((L, L), dtype=bool), 1)
    _compare(ours, theirs, [x, x, x], attn_mask=causal, is_causal=True, need_weights=False)


def test_unbatched_matches_torch():
    ours, theirs = _pair(kdim=4, vdim=3)
    _compare(ours, theirs, _inputs(4, 3, batched=False), key_padding_mask=_bool((S,)), attn_mask=_bool((H, L, S)))


def test_second_derivatives_against_finite_differences():
    ours = nn.MultiheadAttention(4, 2, kdim=3, vdim=2, dtype=np.float64, seed=0)
    q, k, v = RNG.normal(size=(2, 1, 4)), RNG.normal(size=(3, 1, 3)), RNG.normal(size=(3, 1, 2))
    m = _bool((2, 3))
    assert_gradients_match(lambda q, k, v: ours(q, k, v, attn_mask=m)[0] ** 2, q, k, v, second_order=True)


def test_default_init_is_pytorchs():
    m = nn.MultiheadAttention(8, 2, seed=0)
    a = np.sqrt(6 / (8 + 24))
    assert m.in_proj_weight.shape == (24, 8) and m.in_proj_weight.dtype == np.float32
    assert np.abs(m.in_proj_weight.data).max() <= a and np.abs(m.in_proj_weight.data).max() > 0.8 * a
    np.testing.assert_array_equal(m.in_proj_bias.data, 0.0)
    np.testing.assert_array_equal(m.out_proj.bias.data, 0.0)
    assert isinstance(m.out_proj, nn.Linear) and m.out_proj.weight.shape == (8, 8)
    keys = set(torch.nn.MultiheadAttention(8, 2).state_dict())
    assert set(m.state_dict()) == keys
    again = nn.MultiheadAttention(8, 2, seed=0)
    np.testing.assert_array_equal(again.in_proj_weight.data, m.in_proj_weight.data)


def test_dropout_in_training_only():
    m = nn.MultiheadAttention(E, H, dropout=0.5, dtype=np.float64, seed=0)
    x = RNG.normal(size=(L, N, E))
    a, wa = m(x, x, x)
    b, _ = m(x, x, x)
    assert not np.allclose(wa.numpy().sum(-1), 1.0)  # dropped weights, as PyTorch returns them
    assert not np.allclose(a.numpy(), b.numpy())
    m.eval()
    c, wc = m(x, x, x)
    np.testing.assert_allclose(wc.numpy().sum(-1), 1.0)
    np.testing.assert_array_equal(c.numpy(), m(x, x, x)[0].numpy())


def test_errors_name_the_problem():
    with pytest.raises(NotImplementedError, match="add_bias_kv"):
        nn.MultiheadAttention(E, H, add_bias_kv=True)
    with pytest.raises(NotImplementedError, match="add_zero_attn"):
        nn.MultiheadAttention(E, H, add_zero_attn=True)
    with pytest.raises(ValueError, match="multiple of num_heads"):
        nn.MultiheadAttention(E, 4)
    m = nn.MultiheadAttention(E, H, dtype=np.float64)
    x = RNG.normal(size=(L, N, E))
    with pytest.raises(ValueError, match="is_causal"):
        m(x, x, x, is_causal=True)
    with pytest.raises(ShapeError, match="feature sizes"):
        m(x, x[..., :4], x)
    with pytest.raises(ShapeError, match="attn_mask must have shape"):
        m(x, x, x, attn_mask=np.zeros((L, L + 1)))
    with pytest.raises(ShapeError, match="key_padding_mask"):
        m(x, x, x, key_padding_mask=np.zeros((L, N), dtype=bool)[:, :2])
    with pytest.raises(ShapeError, match="all be 3-d"):
        m(x, x[0], x)
    with pytest.raises(TypeError, match="bool"):
        m(x, x, x, attn_mask=np.zeros((L, L), dtype=np.int64))
