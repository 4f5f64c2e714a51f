"""RNN, LSTM and GRU: multi-layer, optionally bidirectional recurrent layers with PyTorch's parameter
names, layouts, arguments and outputs, unrolled over time with recorded ops (recurrent_cells.py).

Parameters, for layer k and direction suffix '' or '_reverse': weight_ih_l{k} (G*H, I_k) with I_0 =
input_size and I_k = D*H above, weight_hh_l{k} (G*H, H), bias_ih_l{k}, bias_hh_l{k} (G*H,); G = 1, 4,
3 for RNN, LSTM, GRU; D = 2 when bidirectional. The state dict lists them in PyTorch's order, so a
PyTorch checkpoint loads by key.
"""

import numpy as np

import autograd_core as ag

from .. import functional as F
from .. import init
from ..dtypes import cast_inputs
from ..functional._utils import as_value
from ..module import Module
from ..parameter import Parameter
from .recurrent_cells import GATES, check_nonlinearity, reset_uniform, step

__all__ = ["GRU", "LSTM", "RNN"]


class _RNNBase(Module):
    """Shared construction and unrolling of RNN, LSTM and GRU (PyTorch's RNNBase)."""

    _mode = "LSTM"

    def __init__(
        self,
        input_size,
        hidden_size,
        num_layers=1,
        bias=True,
        batch_first=False,
        dropout=0.0,
        bidirectional=False,
        dtype=np.float32,
        rng=None,
        seed=None,
        *,
        generator=None,
        proj_size=0,
    ):
        super().__init__()
        name = type(self).__name__
        if proj_size:
            raise ValueError(f"{name}: proj_size={proj_size} (projected hidden states) is not supported; use 0")
        self.proj_size = 0
        if input_size < 1 or hidden_size < 1 or num_layers < 1:
            raise ValueError(f"{name}: input_size, hidden_size and num_layers must be positive")
        if not 0.0 <= dropout <= 1.0:
            raise ValueError(f"{name}: dropout should be a number in [0, 1], got {dropout}")
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout, self.bidirectional = bias, batch_first, float(dropout), bidirectional
        explicit = generator is not None or rng is not None or seed is not None
        gen = init.resolve_rng(rng, seed, generator)
        self.generator = gen if explicit else None  # dropout masks: the same generator, else nn's default
        g = GATES[self._mode] * hidden_size
        for k in range(num_layers):
            width = input_size if k == 0 else hidden_size * self.num_directions
            for sfx in self._suffixes():
                setattr(self, f"weight_ih_l{k}{sfx}", Parameter(np.empty((g, width), dtype=dtype)))
                setattr(self, f"weight_hh_l{k}{sfx}", Parameter(np.empty((g, hidden_size), dtype=dtype)))
                if bias:
                    setattr(self, f"bias_ih_l{k}{sfx}", Parameter(np.empty(g, dtype=dtype)))
                    setattr(self, f"bias_hh_l{k}{sfx}", Parameter(np.empty(g, dtype=dtype)))
        self.reset_parameters(gen)

    @property
    def num_directions(self):
        """2 when bidirectional, else 1."""
        return 2 if self.bidirectional else 1

    def _suffixes(self):
        return ("", "_reverse") if self.bidirectional else ("",)

    def reset_parameters(self, rng=None):
        """Draw every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as PyTorch."""
        reset_uniform(self, self.hidden_size, rng)

    def flatten_parameters(self):
        """A no-op kept for PyTorch code (cuDNN's weight packing has no counterpart here)."""

    def _weights(self, k, sfx):
        get = lambda n: getattr(self, f"{n}_l{k}{sfx}", None)
        return get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh")

    def _check_input(self, x):
        """x as a Value (L, N, I) (batch_first moved), and whether it was unbatched."""
        x = as_value(x)
        name = type(self).__name__
        if x.ndim not in (2, 3) or x.shape[-1] != self.input_size:
            layout = "(N, L, H_in)" if self.batch_first else "(L, N, H_in)"
            raise ValueError(
                f"{name}: expected input {layout} or unbatched (L, H_in) with H_in = {self.input_size}, got {x.shape}"
            )
        if x.shape[1 if x.ndim == 3 and self.batch_first else 0] == 0:
            raise ValueError(f"{name}: expected a sequence of length at least 1, got input {x.shape}")
        if x.ndim == 2:
            return x[:, None], True
        return (ag.swapaxes(x, 0, 1) if self.batch_first else x), False

    def _check_state(self, h, batch, unbatched, what):
        """A state (D*num_layers, N, H) (or (D*num_layers, H) unbatched), cast to the weights' dtype; zeros if None."""
        shape = (self.num_layers * self.num_directions, batch, self.hidden_size)
        if h is None:
            return ag.Value(np.zeros(shape, dtype=self.weight_hh_l0.dtype), requires_grad=False)
        (h,) = cast_inputs(self, (as_value(h),))
        want = (shape[0], shape[2]) if unbatched else shape
        if h.shape != want:
            raise ValueError(f"{type(self).__name__}: expected {what} of shape {want}, got {h.shape}")
        return h[:, None] if unbatched else h

    def _run(self, x, state):
        """Unroll every layer and direction over time. x (L, N, I); state a tuple of (D*layers, N, H)
        arrays (h, or h and c). Returns the last layer's output (L, N, D*H) and the final states."""
        finals = [[] for _ in state]
        for k in range(self.num_layers):
            outs = []
            for d, sfx in enumerate(self._suffixes()):
                w_ih, w_hh, b_ih, b_hh = self._weights(k, sfx)
                gi = F.linear(x, w_ih, b_ih)  # every time step's input projection in one op
                s = tuple(h[k * self.num_directions + d] for h in state)
                s = s if self._mode == "LSTM" else s[0]
                times = range(x.shape[0] - 1, -1, -1) if d else range(x.shape[0])
                hs = [None] * x.shape[0]
                for t in times:
                    s = step(self._mode, gi[t], s, w_hh, b_hh)
                    hs[t] = s[0] if self._mode == "LSTM" else s
                outs.append(ag.stack(hs, axis=0))
                for f, v in zip(finals, s if self._mode == "LSTM" else (s,)):
                    f.append(v)
            x = outs[0] if len(outs) == 1 else ag.concatenate(outs, axis=-1)
            if self.dropout and self.training and k < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True, generator=self.generator)
        return x, tuple(ag.stack(f, axis=0) for f in finals)

    def _forward(self, x, states):
        x, unbatched = self._check_input(x)
        names = ("h_0", "c_0")
        state = tuple(self._check_state(h, x.shape[1], unbatched, n) for h, n in zip(states, names))
        out, finals = self._run(x, state)
        if unbatched:
            return out[:, 0], tuple(f[:, 0] for f in finals)
        return (ag.swapaxes(out, 0, 1) if self.batch_first else out), finals

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        for attr, default in (("bias", True), ("batch_first", False), ("dropout", 0.0), ("bidirectional", False)):
            if getattr(self, attr) != default:
                s += f", {attr}={getattr(self, attr)}"
        return s


class RNN(_RNNBase):
    """Elman RNN (torch.nn.RNN): ``h_t = act(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh)``, act
    ``nonlinearity`` 'tanh' or 'relu'. forward(input, hx=None) returns (output, h_n).

    input (L, N, H_in), or (N, L, H_in) with batch_first, or unbatched (L, H_in). Output (L, N, D*H)
    (batch_first: (N, L, D*H); unbatched (L, D*H)): the last layer's hidden state at every step, the two
    directions concatenated (the reverse direction read right to left). States (D*num_layers, N, H),
    unbatched (D*num_layers, H), zeros when not given; layer k direction d is row k*D + d.

    Arguments as PyTorch's: num_layers, bias, batch_first, dropout (applied to every layer's output but
    the last, in training, from ``generator``/``rng``/``seed`` when given, else nn's default generator),
    bidirectional; dtype for the parameters. Every parameter starts from U(-1/sqrt(H), 1/sqrt(H)).
    Raises ValueError for non-positive sizes, dropout outside [0, 1], mis-shaped input or states."""

    def __init__(
        self,
        input_size,
        hidden_size,
        num_layers=1,
        nonlinearity="tanh",
        bias=True,
        batch_first=False,
        dropout=0.0,
        bidirectional=False,
        dtype=np.float32,
        rng=None,
        seed=None,
        *,
        generator=None,
    ):
        self.nonlinearity = check_nonlinearity(nonlinearity, "RNN")
        self._mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        args = (bias, batch_first, dropout, bidirectional, dtype, rng, seed)
        super().__init__(input_size, hidden_size, num_layers, *args, generator=generator)

    def forward(self, x, hx=None):
        """(output, h_n) for input and initial state hx; shapes in the class docstring."""
        out, (h,) = self._forward(x, (hx,))
        return out, h

    def extra_repr(self):
        s = super().extra_repr()
        return s if self.nonlinearity == "tanh" else s + f", nonlinearity={self.nonlinearity}"


class LSTM(_RNNBase):
    """Long short-term memory (torch.nn.LSTM; Hochreiter & Schmidhuber 1997, forget gate Gers et
    al. 2000): gates i, f, g, o (rows of the (4H, ...) weights in that order), ``c_t = f * c_(t-1) + i * g``,
    ``h_t = o * tanh(c_t)``. forward(input, hx=None), hx = (h_0, c_0), returns (output, (h_n, c_n)).
    PyTorch's proj_size (keyword here) is not supported: ValueError when nonzero.

    input (L, N, H_in), or (N, L, H_in) with batch_first, or unbatched (L, H_in). Output (L, N, D*H)
    (batch_first: (N, L, D*H); unbatched (L, D*H)): the last layer's hidden state at every step, the two
    directions concatenated (the reverse direction read right to left). States (D*num_layers, N, H),
    unbatched (D*num_layers, H), zeros when not given; layer k direction d is row k*D + d.

    Arguments as PyTorch's: num_layers, bias, batch_first, dropout (applied to every layer's output but
    the last, in training, from ``generator``/``rng``/``seed`` when given, else nn's default generator),
    bidirectional; dtype for the parameters. Every parameter starts from U(-1/sqrt(H), 1/sqrt(H)).
    Raises ValueError for non-positive sizes, dropout outside [0, 1], mis-shaped input or states."""

    _mode = "LSTM"

    def forward(self, x, hx=None):
        """(output, (h_n, c_n)) for input and initial states hx = (h_0, c_0); shapes in the class docstring."""
        if hx is not None and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            raise TypeError("LSTM: hx must be a pair (h_0, c_0)")
        out, (h, c) = self._forward(x, (None, None) if hx is None else tuple(hx))
        return out, (h, c)


class GRU(_RNNBase):
    """Gated recurrent unit (torch.nn.GRU; Cho et al., 2014, PyTorch's form): gates r, z, n,
    ``n_t = tanh(W_in x_t + b_in + r * (W_hn h_(t-1) + b_hn))``, ``h_t = (1 - z) * n_t + z * h_(t-1)``.
    forward(input, hx=None) returns (output, h_n).

    input (L, N, H_in), or (N, L, H_in) with batch_first, or unbatched (L, H_in). Output (L, N, D*H)
    (batch_first: (N, L, D*H); unbatched (L, D*H)): the last layer's hidden state at every step, the two
    directions concatenated (the reverse direction read right to left). States (D*num_layers, N, H),
    unbatched (D*num_layers, H), zeros when not given; layer k direction d is row k*D + d.

    Arguments as PyTorch's: num_layers, bias, batch_first, dropout (applied to every layer's output but
    the last, in training, from ``generator``/``rng``/``seed`` when given, else nn's default generator),
    bidirectional; dtype for the parameters. Every parameter starts from U(-1/sqrt(H), 1/sqrt(H)).
    Raises ValueError for non-positive sizes, dropout outside [0, 1], mis-shaped input or states."""

    _mode = "GRU"

    def forward(self, x, hx=None):
        """(output, h_n) for input and initial state hx; shapes in the class docstring."""
        out, (h,) = self._forward(x, (hx,))
        return out, h
