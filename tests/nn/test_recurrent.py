"""RNN, LSTM, GRU and their cells against PyTorch (float64): state dicts load both ways by key; outputs,
final states, and the gradients of the input, the initial states and every parameter agree for several
configurations; finite differences at first and second order through a cell and a short sequence."""

import numpy as np
import pytest
import torch
from _torch_helpers import torch_state

import autograd_core as ag
import nn
from autograd_core.testing import assert_gradients_match

F64 = np.float64
KINDS = {
    "rnn_tanh": (lambda **kw: nn.RNN(3, 4, dtype=F64, **kw), lambda **kw: torch.nn.RNN(3, 4, **kw)),
    "rnn_relu": (
        lambda **kw: nn.RNN(3, 4, nonlinearity="relu", dtype=F64, **kw),
        lambda **kw: torch.nn.RNN(3, 4, nonlinearity="relu", **kw),
    ),
    "lstm": (lambda **kw: nn.LSTM(3, 4, dtype=F64, **kw), lambda **kw: torch.nn.LSTM(3, 4, **kw)),
    "gru": (lambda **kw: nn.GRU(3, 4, dtype=F64, **kw), lambda **kw: torch.nn.GRU(3, 4, **kw)),
}
CONFIGS = {
    "plain": ({}, (5, 2), False),
    "two_layers_with_state": ({"num_layers": 2}, (5, 2), True),
    "bidirectional_with_state": ({"bidirectional": True}, (4, 3), True),
    "deep_bidirectional_batch_first": ({"num_layers": 2, "bidirectional": True, "batch_first": True}, (2, 5), False),
    "batch_first_with_state_no_bias": ({"batch_first": True, "bias": False}, (3, 4), True),
    "unbatched_with_state": ({"num_layers": 2, "bidirectional": True}, (5,), True),
    "unbatched": ({}, (4,), False),
}


def _states(kind, model, lead, rng):
    """Initial state(s) for ``lead`` = (L, N) / (N, L) / (L,): arrays shaped (D*layers, [N,] H)."""
    batch = () if len(lead) == 1 else (lead[0] if model.batch_first else lead[1],)
    shape = (model.num_layers * (2 if model.bidirectional else 1), *batch, 4)
    n = 2 if kind == "lstm" else 1
    return [rng.normal(size=shape) for _ in range(n)]


def _flat(out):
    """(output, h_n) or (output, (h_n, c_n)) as a flat list."""
    y, h = out
    return [y, *h] if isinstance(h, tuple) else [y, h]


@pytest.mark.parametrize("config", sorted(CONFIGS))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_matches_torch_by_state_dict(kind, config):
    kw, lead, with_state = CONFIGS[config]
    make, make_torch = KINDS[kind]
    torch.manual_seed(0)
    theirs = make_torch(**kw).double()
    ours = make(**kw)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict(torch_state(theirs))
    rng = np.random.default_rng(1)
    x = rng.normal(size=(*lead, 3))
    states = _states(kind, ours, lead, rng) if with_state else []
    xs = [ag.Value(a) for a in [x, *states]]
    ts = [torch.tensor(a, requires_grad=True) for a in [x, *states]]
    if not with_state:
        hx, thx = None, None
    elif kind == "lstm":
        hx, thx = tuple(xs[1:]), tuple(ts[1:])
    else:
        hx, thx = xs[1], ts[1]
    outs, touts = _flat(ours(xs[0], hx)), _flat(theirs(ts[0], thx))
    cots = [rng.normal(size=o.shape) for o in outs]
    for o, t in zip(outs, touts):
        np.testing.assert_allclose(o.data, t.detach().numpy(), rtol=1e-10, atol=1e-12)
    sum((o * c).sum() for o, c in zip(outs, cots)).backward()
    torch.autograd.backward(touts, [torch.tensor(c) for c in cots])
    for i, (v, t) in enumerate(zip(xs, ts)):
        np.testing.assert_allclose(v.grad, t.grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=f"input {i}")
    tparams = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad, tparams[name].grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_our_weights_load_into_torch_and_give_the_same_outputs(kind):
    make, make_torch = KINDS[kind]
    ours = make(num_layers=2, bidirectional=True, seed=3)
    bound = 1 / np.sqrt(4)
    assert all(np.all(np.abs(p.data) <= bound) for p in ours.parameters())  # PyTorch's U(-1/sqrt(H), 1/sqrt(H))
    theirs = make_torch(num_layers=2, bidirectional=True).double()
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(0).normal(size=(4, 2, 3))
    for o, t in zip(_flat(ours(x)), _flat(theirs(torch.tensor(x)))):
        np.testing.assert_allclose(o.data, t.detach().numpy(), rtol=1e-10, atol=1e-12)


CELLS = {
    "rnn_cell": (lambda: nn.RNNCell(3, 4, dtype=F64), lambda: torch.nn.RNNCell(3, 4), 1),
    "rnn_cell_relu": (
        lambda: nn.RNNCell(3, 4, bias=False, nonlinearity="relu", dtype=F64),
        lambda: torch.nn.RNNCell(3, 4, bias=False, nonlinearity="relu"),
        1,
    ),
    "lstm_cell": (lambda: nn.LSTMCell(3, 4, dtype=F64), lambda: torch.nn.LSTMCell(3, 4), 2),
    "gru_cell": (lambda: nn.GRUCell(3, 4, dtype=F64), lambda: torch.nn.GRUCell(3, 4), 1),
}


@pytest.mark.parametrize("batch", [(2,), ()])
@pytest.mark.parametrize("name", sorted(CELLS))
def test_cells_match_torch(name, batch):
    make, make_torch, n_states = CELLS[name]
    torch.manual_seed(0)
    theirs = make_torch().double()
    ours = make()
    ours.load_state_dict(torch_state(theirs))
    assert repr(ours) == repr(theirs)
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=(*batch, 3))] + [rng.normal(size=(*batch, 4)) for _ in range(n_states)]
    xs, ts = [ag.Value(a) for a in arrays], [torch.tensor(a, requires_grad=True) for a in arrays]
    hx = (tuple(xs[1:]) if n_states == 2 else xs[1], tuple(ts[1:]) if n_states == 2 else ts[1])
    outs, touts = ours(xs[0], hx[0]), theirs(ts[0], hx[1])
    outs, touts = (outs, touts) if n_states == 2 else ((outs,), (touts,))
    for o, t in zip(outs, touts):
        np.testing.assert_allclose(o.data, t.detach().numpy(), rtol=1e-10, atol=1e-12)
    sum(o.sum() * (i + 1) for i, o in enumerate(outs)).backward()
    sum(t.sum() * (i + 1) for i, t in enumerate(touts)).backward()
    for v, t in zip(xs, ts):
        np.testing.assert_allclose(v.grad, t.grad.numpy(), rtol=1e-9, atol=1e-12)
    tparams = dict(theirs.named_parameters())
    for pname, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad, tparams[pname].grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=pname)
    # no state given: zeros, as PyTorch
    y0, ty0 = ours(arrays[0]), theirs(torch.tensor(arrays[0]))
    y0, ty0 = (y0[1], ty0[1]) if n_states == 2 else (y0, ty0)
    np.testing.assert_allclose(y0.data, ty0.detach().numpy(), rtol=1e-10)


@pytest.mark.parametrize("name", ["lstm_cell", "gru_cell", "rnn_cell"])
def test_cell_derivatives_match_finite_differences_at_first_and_second_order(name):
    cell = CELLS[name][0]()
    names = [n for n, _ in cell.named_parameters()]
    rng = np.random.default_rng(2)
    x, h, c = rng.normal(size=(2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    params = [p.numpy() for p in cell.parameters()]

    def f(x, h, c, *ps):
        """The cell's output(s) as a function of its input, state and parameters."""
        hx = (h, c) if name == "lstm_cell" else h
        out = nn.functional_call(cell, dict(zip(names, ps)), (x, hx))
        return out[0] * out[1] if name == "lstm_cell" else out

    assert_gradients_match(f, x, h, c, *params, second_order=True)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_sequence_derivatives_through_time_match_finite_differences(kind):
    model = KINDS[kind][0](bidirectional=True, seed=0)
    names = [n for n, _ in model.named_parameters()]
    x = np.random.default_rng(3).normal(size=(3, 1, 3))
    assert_gradients_match(
        lambda x, *ps: nn.functional_call(model, dict(zip(names, ps)), (x,))[0],
        x,
        *[p.numpy() for p in model.parameters()],
        second_order=True,
        fast=True,
    )


def test_dropout_between_layers_uses_the_generator_and_only_in_training():
    x = np.random.default_rng(0).normal(size=(5, 2, 3))
    a, b = (nn.LSTM(3, 4, num_layers=3, dropout=0.5, seed=7, dtype=F64) for _ in range(2))
    ya, yb = a(x)[0].data, b(x)[0].data
    np.testing.assert_array_equal(ya, yb)  # same seed: same weights and same masks
    assert not np.array_equal(ya, a(x)[0].data)  # fresh masks each call
    a.eval()
    theirs = torch.nn.LSTM(3, 4, num_layers=3, dropout=0.5).double().eval()
    theirs.load_state_dict({k: torch.tensor(v) for k, v in a.state_dict().items()})
    np.testing.assert_allclose(a(x)[0].data, theirs(torch.tensor(x))[0].detach().numpy(), rtol=1e-10)
    one = nn.GRU(3, 4, dropout=0.5, seed=1, dtype=F64)  # a single layer has nothing between layers
    np.testing.assert_array_equal(one(x)[0].data, one.eval()(x)[0].data)


def test_float32_model_casts_inputs_and_states():
    lstm = nn.LSTM(3, 4, seed=0)
    h = np.zeros((1, 2, 4))
    y, (hn, cn) = lstm(np.ones((5, 2, 3)), (h, h))
    assert y.dtype == hn.dtype == cn.dtype == np.float32


def test_argument_and_shape_errors_say_what_is_expected():
    with pytest.raises(ValueError, match=r"LSTM: expected input \(L, N, H_in\).*H_in = 3"):
        nn.LSTM(3, 4)(np.zeros((5, 2, 2)))
    with pytest.raises(ValueError, match=r"GRU: expected h_0 of shape \(2, 2, 4\)"):
        nn.GRU(3, 4, bidirectional=True)(np.zeros((5, 2, 3)), np.zeros((1, 2, 4)))
    with pytest.raises(ValueError, match=r"LSTM: expected c_0 of shape \(1, 4\)"):
        nn.LSTM(3, 4)(np.zeros((5, 3)), (np.zeros((1, 4)), np.zeros((1, 2, 4))))
    with pytest.raises(TypeError, match=r"hx must be a pair"):
        nn.LSTM(3, 4)(np.zeros((5, 2, 3)), np.zeros((1, 2, 4)))
    with pytest.raises(ValueError, match="proj_size"):
        nn.LSTM(3, 4, proj_size=2)
    with pytest.raises(ValueError, match="unknown nonlinearity 'sigmoid'"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="dropout"):
        nn.GRU(3, 4, dropout=1.5)
    with pytest.raises(ValueError, match=r"LSTMCell: expected input of shape \(N, 3\)"):
        nn.LSTMCell(3, 4)(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="length at least 1"):
        nn.RNN(3, 4)(np.zeros((0, 2, 3)))


def test_summary_and_repr_show_the_recurrent_layers():
    model = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    assert repr(model) == repr(torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True))
    s = nn.Sequential(model).summary((5, 2, 3))
    assert s.total_params == sum(p.numel() for p in torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True).parameters())
    assert "0 (LSTM)" in str(s) and "(5, 2, 8), (4, 2, 4), (4, 2, 4)" in str(s)  # output, (h_n, c_n)
