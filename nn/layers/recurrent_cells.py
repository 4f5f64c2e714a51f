"""RNNCell, LSTMCell and GRUCell (one time step, PyTorch's parameters and layouts), and the step
functions RNN, LSTM and GRU loop over.

Each step is written with recorded ops (``F.linear``, ``ag.sigmoid``, ``ag.tanh``, slicing), so the
gradient through time comes from the engine, at every order: backpropagation through time is
backward over the unrolled graph. Gate rows of the (gates * hidden, ...) weights are in PyTorch's
order: LSTM i, f, g, o; GRU r, z, n.

Sources: the Elman RNN ``h' = tanh(W_ih x + b_ih + W_hh h + b_hh)``; LSTM (Hochreiter &
Schmidhuber, 1997) with the forget gate (Gers et al., 2000); GRU (Cho et al., 2014) in PyTorch's
form ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``, ``h' = (1 - z) * n + z * h``.
"""

import math

import numpy as np

import autograd_core as ag

from .. import functional as F
from .. import init
from ..dtypes import cast_inputs
from ..functional._utils import as_value
from ..module import Module
from ..parameter import Parameter

__all__ = ["GRUCell", "LSTMCell", "RNNCell"]

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def rnn_step(gi, state, w_hh, b_hh, nonlinearity):
    """Elman step: ``act(gi + h W_hh^T + b_hh)``; gi = x W_ih^T + b_ih, (N, H). Returns h', (N, H)."""
    pre = gi + F.linear(state, w_hh, b_hh)
    return ag.tanh(pre) if nonlinearity == "tanh" else ag.relu(pre)


def lstm_step(gi, state, w_hh, b_hh):
    """LSTM step on gi = x W_ih^T + b_ih, (N, 4H), and state (h, c): gates i, f, g, o;
    ``c' = f * c + i * g``, ``h' = o * tanh(c')``. Returns (h', c')."""
    h, c = state
    gates = gi + F.linear(h, w_hh, b_hh)
    n = gates.shape[-1] // 4
    i, f = ag.sigmoid(gates[..., :n]), ag.sigmoid(gates[..., n : 2 * n])
    g, o = ag.tanh(gates[..., 2 * n : 3 * n]), ag.sigmoid(gates[..., 3 * n :])
    c = f * c + i * g
    return o * ag.tanh(c), c


def gru_step(gi, state, w_hh, b_hh):
    """GRU step on gi = x W_ih^T + b_ih, (N, 3H), and h: gates r, z, n with PyTorch's
    ``n = tanh(gi_n + r * (W_hn h + b_hn))``; returns ``(1 - z) * n + z * h``."""
    gh = F.linear(state, w_hh, b_hh)
    k = gh.shape[-1] // 3
    r = ag.sigmoid(gi[..., :k] + gh[..., :k])
    z = ag.sigmoid(gi[..., k : 2 * k] + gh[..., k : 2 * k])
    n = ag.tanh(gi[..., 2 * k :] + r * gh[..., 2 * k :])
    return n + z * (state - n)


def step(mode, gi, state, w_hh, b_hh):
    """One step of ``mode`` (a key of GATES) from the input projection gi and the state."""
    if mode == "LSTM":
        return lstm_step(gi, state, w_hh, b_hh)
    if mode == "GRU":
        return gru_step(gi, state, w_hh, b_hh)
    return rnn_step(gi, state, w_hh, b_hh, "tanh" if mode == "RNN_TANH" else "relu")


def check_nonlinearity(nonlinearity, where):
    """``nonlinearity`` if it is 'tanh' or 'relu', else ValueError naming ``where``."""
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"{where}: unknown nonlinearity {nonlinearity!r}; use 'tanh' or 'relu'")
    return nonlinearity


def reset_uniform(module, hidden_size, rng):
    """Every parameter of ``module`` from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) (PyTorch's default)."""
    bound = 1.0 / math.sqrt(hidden_size)
    for p in module.parameters():
        init.uniform_(p, -bound, bound, rng)


class _Cell(Module):
    """Shared parameters of the cells: weight_ih (G*H, I), weight_hh (G*H, H), bias_ih, bias_hh (G*H,)."""

    _mode = "RNN_TANH"

    def __init__(self, input_size, hidden_size, bias=True, dtype=np.float32, rng=None, seed=None, *, generator=None):
        super().__init__()
        if input_size < 1 or hidden_size < 1:
            raise ValueError(
                f"{type(self).__name__}: input_size and hidden_size must be positive, got {input_size}, {hidden_size}"
            )
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        g = GATES[self._mode] * hidden_size
        self.weight_ih = Parameter(np.empty((g, input_size), dtype=dtype))
        self.weight_hh = Parameter(np.empty((g, hidden_size), dtype=dtype))
        if bias:
            self.bias_ih = Parameter(np.empty(g, dtype=dtype))
            self.bias_hh = Parameter(np.empty(g, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters(init.resolve_rng(rng, seed, generator))

    def reset_parameters(self, rng=None):
        """Draw every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as PyTorch."""
        reset_uniform(self, self.hidden_size, rng)

    def _input(self, x):
        x = as_value(x)
        if x.ndim not in (1, 2) or x.shape[-1] != self.input_size:
            raise ValueError(
                f"{type(self).__name__}: expected input of shape (N, {self.input_size}) or ({self.input_size},), "
                f"got {x.shape}"
            )
        return x

    def _state(self, h, x):
        """A given state (cast to the weights' dtype) checked against x, or zeros."""
        shape = x.shape[:-1] + (self.hidden_size,)
        if h is None:
            return ag.Value(np.zeros(shape, dtype=self.weight_hh.dtype), requires_grad=False)
        (h,) = cast_inputs(self, (as_value(h),))
        if h.shape != shape:
            raise ValueError(f"{type(self).__name__}: expected hidden state of shape {shape}, got {h.shape}")
        return h

    def extra_repr(self):
        return f"{self.input_size}, {self.hidden_size}" + ("" if self.bias else ", bias=False")


class RNNCell(_Cell):
    """Elman cell (torch.nn.RNNCell): ``h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)``, act tanh or relu.

    weight_ih (H, I), weight_hh (H, H), bias_ih, bias_hh (H,), all from U(-1/sqrt(H), 1/sqrt(H))
    (``rng``/``generator`` or ``seed`` for reproducibility). forward(input, hx=None): input (N, I)
    or unbatched (I,); hx of shape (N, H) or (H,), zeros when None. Returns h' (N, H) or (H,).
    Raises ValueError for an unknown nonlinearity or mis-shaped input or state.
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        bias=True,
        nonlinearity="tanh",
        dtype=np.float32,
        rng=None,
        seed=None,
        *,
        generator=None,
    ):
        self.nonlinearity = check_nonlinearity(nonlinearity, "RNNCell")
        self._mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(input_size, hidden_size, bias, dtype, rng, seed, generator=generator)

    def forward(self, x, hx=None):
        """One step; see the class docstring for shapes."""
        x = self._input(x)
        gi = F.linear(x, self.weight_ih, self.bias_ih)
        return rnn_step(gi, self._state(hx, x), self.weight_hh, self.bias_hh, self.nonlinearity)

    def extra_repr(self):
        return super().extra_repr() + ("" if self.nonlinearity == "tanh" else f", nonlinearity={self.nonlinearity}")


class LSTMCell(_Cell):
    """LSTM cell (torch.nn.LSTMCell; Hochreiter & Schmidhuber 1997, forget gate Gers et al. 2000).

    weight_ih (4H, I), weight_hh (4H, H), biases (4H,), gate rows i, f, g, o; init U(-1/sqrt(H), 1/sqrt(H)).
    forward(input, hx=None): input (N, I) or (I,); hx a pair (h, c) of (N, H) or (H,), zeros when None.
    Returns (h', c'). Raises ValueError for mis-shaped input or state.
    """

    _mode = "LSTM"

    def forward(self, x, hx=None):
        """One step; see the class docstring for shapes."""
        x = self._input(x)
        h, c = (None, None) if hx is None else hx
        gi = F.linear(x, self.weight_ih, self.bias_ih)
        return lstm_step(gi, (self._state(h, x), self._state(c, x)), self.weight_hh, self.bias_hh)


class GRUCell(_Cell):
    """GRU cell (torch.nn.GRUCell; Cho et al., 2014, PyTorch's form of the candidate n).

    weight_ih (3H, I), weight_hh (3H, H), biases (3H,), gate rows r, z, n; init U(-1/sqrt(H), 1/sqrt(H)).
    forward(input, hx=None): input (N, I) or (I,); hx (N, H) or (H,), zeros when None. Returns h'.
    Raises ValueError for mis-shaped input or state.
    """

    _mode = "GRU"

    def forward(self, x, hx=None):
        """One step; see the class docstring for shapes."""
        x = self._input(x)
        gi = F.linear(x, self.weight_ih, self.bias_ih)
        return gru_step(gi, self._state(hx, x), self.weight_hh, self.bias_hh)
