"""nn.TransformerEncoderLayer/Encoder and TransformerDecoderLayer/Decoder against torch.nn's with torch's
state dict loaded (eval mode, float64): outputs, every input's and parameter's gradient, state-dict keys both
ways; plus train-mode dropout (deterministic with a generator) and errors."""

import numpy as np
import pytest
import torch
from _torch_helpers import torch_state

import autograd_core as ag
import nn
import nn.functional as F

# torch.nn.Transformer builds its encoder with the nested-tensor default and warns that it cannot use it
pytestmark = pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")
RNG = np.random.default_rng(0)
E, H, FF, N, S, T = 8, 2, 12, 3, 5, 4


def _causal(n):
    return np.triu(np.ones((n, n), bool), 1)  # True = may not attend (the future)


def _padding(n, s):
    m = np.zeros((n, s), bool)
    m[0, -2:] = True
    m[-1, -1] = True
    return m


def _compare(ours, theirs, arrays, rtol=1e-9, atol=1e-10, **fwd):
    """Load torch's state dict into ours, run both in eval mode, compare outputs and all gradients."""
    ours.load_state_dict(torch_state(theirs))
    ours.eval()
    theirs.eval()
    vals = [ag.Value(a) for a in arrays]
    tens = [torch.tensor(a, requires_grad=True) for a in arrays]
    tfwd = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in fwd.items()}
    y, ty = ours(*vals, **fwd), theirs(*tens, **tfwd)
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=rtol, atol=atol)
    g = RNG.normal(size=y.shape)
    (y * g).sum().backward()
    (ty * torch.tensor(g)).sum().backward()
    for i, (v, t) in enumerate(zip(vals, tens)):
        np.testing.assert_allclose(v.grad, t.grad.numpy(), rtol=rtol, atol=atol, err_msg=f"input {i}")
    tparams = dict(theirs.named_parameters())
    assert sorted(tparams) == sorted(n for n, _ in ours.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad, tparams[name].grad.numpy(), rtol=rtol, atol=atol, err_msg=name)


def _layers(kind, **kw):
    torch.manual_seed(0)
    theirs = getattr(torch.nn, kind)(E, H, FF, dtype=torch.float64, **kw)
    ours = getattr(nn, kind)(E, H, FF, dtype=np.float64, seed=1, **kw)
    return ours, theirs


def _x(length, batch_first=False, batched=True):
    if not batched:
        return RNG.normal(size=(length, E))
    return RNG.normal(size=(N, length, E) if batch_first else (length, N, E))


@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_matches_torch(norm_first, activation):
    ours, theirs = _layers("TransformerEncoderLayer", norm_first=norm_first, activation=activation)
    _compare(ours, theirs, [_x(S)])


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_batch_first_causal_and_padding_masks(norm_first):
    ours, theirs = _layers("TransformerEncoderLayer", batch_first=True, norm_first=norm_first)
    fwd = dict(src_mask=_causal(S), src_key_padding_mask=_padding(N, S), is_causal=True)
    _compare(ours, theirs, [_x(S, batch_first=True)], **fwd)


def test_encoder_layer_unbatched_float_mask_and_callable_activation():
    torch.manual_seed(0)
    theirs = torch.nn.TransformerEncoderLayer(E, H, FF, activation=torch.tanh, bias=False, dtype=torch.float64)
    ours = nn.TransformerEncoderLayer(E, H, FF, activation=F.tanh, bias=False, dtype=np.float64)
    assert ours.linear1.bias is None and ours.norm1.bias is None
    mask = np.where(_causal(S), -np.inf, 0.0) + RNG.normal(size=(S, S))
    _compare(ours, theirs, [_x(S, batched=False)], src_mask=mask)


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_stack_with_norm_matches_torch(norm_first):
    torch.manual_seed(0)
    tl = torch.nn.TransformerEncoderLayer(E, H, FF, norm_first=norm_first, dtype=torch.float64)
    tnorm = torch.nn.LayerNorm(E, dtype=torch.float64)
    theirs = torch.nn.TransformerEncoder(tl, 2, norm=tnorm, enable_nested_tensor=False)
    with torch.no_grad():  # make the copies differ, so a layer mix-up would show
        for p in theirs.layers[1].parameters():
            p.add_(0.1 * torch.randn_like(p))
    ol = nn.TransformerEncoderLayer(E, H, FF, norm_first=norm_first, dtype=np.float64, seed=0)
    ours = nn.TransformerEncoder(ol, 2, norm=nn.LayerNorm(E, dtype=np.float64))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    fwd = dict(mask=_causal(S), src_key_padding_mask=_padding(N, S), is_causal=True)
    _compare(ours, theirs, [_x(S)], **fwd)


@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("norm_first", [False, True])
def test_decoder_layer_matches_torch(norm_first, activation):
    ours, theirs = _layers("TransformerDecoderLayer", norm_first=norm_first, activation=activation)
    _compare(ours, theirs, [_x(T), _x(S)])


@pytest.mark.parametrize("batch_first", [False, True])
def test_decoder_layer_with_every_mask(batch_first):
    ours, theirs = _layers("TransformerDecoderLayer", batch_first=batch_first)
    fwd = dict(
        tgt_mask=_causal(T),
        memory_mask=RNG.normal(size=(T, S)),
        tgt_key_padding_mask=_padding(N, T),
        memory_key_padding_mask=np.where(_padding(N, S), -np.inf, 0.0),  # float like memory_mask
        tgt_is_causal=True,
    )
    _compare(ours, theirs, [_x(T, batch_first), _x(S, batch_first)], **fwd)


def test_decoder_layer_unbatched():
    ours, theirs = _layers("TransformerDecoderLayer", norm_first=True)
    _compare(ours, theirs, [_x(T, batched=False), _x(S, batched=False)], tgt_mask=_causal(T))


def test_decoder_stack_with_norm_matches_torch():
    torch.manual_seed(0)
    tl = torch.nn.TransformerDecoderLayer(E, H, FF, dtype=torch.float64)
    theirs = torch.nn.TransformerDecoder(tl, 3, norm=torch.nn.LayerNorm(E, dtype=torch.float64))
    with torch.no_grad():
        for p in theirs.parameters():
            p.add_(0.1 * torch.randn_like(p))
    ours = nn.TransformerDecoder(
        nn.TransformerDecoderLayer(E, H, FF, dtype=np.float64), 3, nn.LayerNorm(E, dtype=np.float64)
    )
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _compare(ours, theirs, [_x(T), _x(S)], tgt_mask=_causal(T), memory_key_padding_mask=_padding(N, S))


@pytest.mark.parametrize("kind", ["TransformerEncoderLayer", "TransformerDecoderLayer"])
def test_state_dict_loads_into_torch(kind):
    ours = getattr(nn, kind)(E, H, FF, dtype=np.float64, seed=3)
    theirs = getattr(torch.nn, kind)(E, H, FF, dtype=torch.float64)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    theirs.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in ours.state_dict().items()})
    for k, v in ours.state_dict().items():
        np.testing.assert_array_equal(theirs.state_dict()[k].numpy(), np.asarray(v))


def test_train_mode_dropout_is_active_and_deterministic_with_a_generator():
    x = _x(S)

    def run(seed):
        layer = nn.TransformerEncoderLayer(E, H, FF, dropout=0.5, dtype=np.float64, seed=seed)
        model = nn.TransformerEncoder(layer, 2)
        return model, model(x, src_key_padding_mask=_padding(N, S)).numpy()

    model, a = run(7)
    _, b = run(7)
    np.testing.assert_array_equal(a, b)
    assert np.all(np.isfinite(a))
    model.eval()
    c = model(x, src_key_padding_mask=_padding(N, S)).numpy()
    assert not np.allclose(a, c)  # dropout changed the training-mode output
    # the copies share one generator: a second forward draws fresh masks
    model.train()
    assert not np.allclose(model(x).numpy(), model(x).numpy())


def test_errors():
    with pytest.raises(ValueError, match="activation"):
        nn.TransformerEncoderLayer(E, H, activation="swishy")
    with pytest.raises(ValueError, match="multiple of num_heads"):
        nn.TransformerDecoderLayer(E, 3)
    with pytest.raises(TypeError, match="TransformerEncoderLayer"):
        nn.TransformerEncoder(nn.Linear(E, E), 2)
    with pytest.raises(ValueError, match="num_layers"):
        nn.TransformerDecoder(nn.TransformerDecoderLayer(E, H, FF), 0)
    with pytest.raises(ValueError, match="is_causal"):
        nn.TransformerEncoderLayer(E, H, FF)(_x(S), is_causal=True)


def _models(**kw):
    torch.manual_seed(0)
    size = dict(d_model=E, nhead=H, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=FF)
    theirs = torch.nn.Transformer(**size, dtype=torch.float64, **kw)
    ours = nn.Transformer(**size, dtype=np.float64, seed=0, **kw)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    return ours, theirs


@pytest.mark.parametrize("norm_first", [False, True])
def test_transformer_matches_torch_with_masks(norm_first):
    ours, theirs = _models(norm_first=norm_first, activation="gelu")
    causal = nn.Transformer.generate_square_subsequent_mask(T, dtype=np.float64)
    np.testing.assert_array_equal(causal, torch.nn.Transformer.generate_square_subsequent_mask(T).numpy())
    fwd = dict(tgt_mask=causal, tgt_is_causal=True, src_key_padding_mask=_padding(N, S))
    fwd["memory_key_padding_mask"] = fwd["src_key_padding_mask"]
    _compare(ours, theirs, [_x(S), _x(T)], **fwd)


def test_transformer_batch_first_and_unbatched():
    ours, theirs = _models(batch_first=True)
    _compare(ours, theirs, [_x(S, batch_first=True), _x(T, batch_first=True)], tgt_mask=_causal(T))
    ours, theirs = _models()
    _compare(ours, theirs, [_x(S, batched=False), _x(T, batched=False)])


def test_transformer_init_redraws_each_copy_and_checks_shapes():
    model = nn.Transformer(E, H, 2, 2, FF, seed=0)
    w0, w1 = (model.encoder.layers[i].linear1.weight.numpy() for i in (0, 1))
    assert not np.array_equal(w0, w1)  # xavier_uniform_ redraws every matrix, as PyTorch's _reset_parameters
    bound = np.sqrt(6.0 / (E + FF))
    assert np.all(np.abs(w0) <= bound) and np.abs(w0).max() > bound / 2
    with pytest.raises(ag.ShapeError, match="batch size"):
        model(np.zeros((S, N, E), np.float32), np.zeros((T, N + 1, E), np.float32))
    with pytest.raises(ag.ShapeError, match="d_model"):
        model(np.zeros((S, N, E), np.float32), np.zeros((T, N, E + 1), np.float32))
