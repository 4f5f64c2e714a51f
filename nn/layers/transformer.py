"""TransformerEncoderLayer/Encoder and TransformerDecoderLayer/Decoder (Vaswani et al., 2017, section 3.1)
with PyTorch 2.x's submodule names, defaults and forward signatures (torch.nn.TransformerEncoderLayer and
friends), composed of MultiheadAttention, Linear, LayerNorm and Dropout, so PyTorch checkpoints load by key."""

import copy

import numpy as np

from .. import functional as F
from ..containers import ModuleList
from ..module import Module
from .attention import MultiheadAttention
from .dropout import Dropout, module_generator
from .linear import Linear
from .normalization import LayerNorm

__all__ = ["TransformerDecoder", "TransformerDecoderLayer", "TransformerEncoder", "TransformerEncoderLayer"]


def _activation(activation):
    """'relu' -> F.relu, 'gelu' -> F.gelu (exact, erf), a callable (function or Module) as it is."""
    if activation == "relu":
        return F.relu
    if activation == "gelu":
        return F.gelu
    if callable(activation):
        return activation
    raise ValueError(f"activation should be 'relu', 'gelu' or a callable, not {activation!r}")


class _Block(Module):
    """What the encoder and decoder layers share: the feed-forward block, norms and dropouts.

    Builds ``linear1`` (d_model -> dim_feedforward), ``dropout``, ``linear2`` (dim_feedforward -> d_model) and
    ``norm{i}``/``dropout{i}`` for i = 1..n_norms, all drawing from one generator (see the layers' docstrings).
    """

    def __init__(
        self, attns, d_model, dim_feedforward, dropout, activation, layer_norm_eps, norm_first, bias, dtype, gen
    ):
        super().__init__()
        for name, attn in attns.items():  # first, in PyTorch's state-dict order
            setattr(self, name, attn)
        self.norm_first = norm_first
        n = len(attns) + 1
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, dtype=dtype, rng=gen)
        self.dropout = Dropout(dropout, generator=gen)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, dtype=dtype, rng=gen)
        for i in range(1, n + 1):
            setattr(self, f"norm{i}", LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype))
        for i in range(1, n + 1):
            setattr(self, f"dropout{i}", Dropout(dropout, generator=gen))
        self.activation = _activation(activation)

    def _ff_block(self, x, drop):
        """linear2(dropout(activation(linear1(x)))), then ``drop`` (the last dropout{i})."""
        return drop(self.linear2(self.dropout(self.activation(self.linear1(x)))))

    def _residual(self, x, blocks):
        """Each (norm, block) in turn: x + block(norm(x)) when norm_first, else norm(x + block(x))."""
        for norm, block in blocks:
            x = x + block(norm(x)) if self.norm_first else norm(x + block(x))
        return x


def _attend(attn, drop, x, kv, mask, key_padding_mask, is_causal):
    """drop(attn(x, kv, kv, ...)[0]) without computing the attention weights."""
    out = attn(
        x, kv, kv, attn_mask=mask, key_padding_mask=key_padding_mask, need_weights=False, is_causal=bool(is_causal)
    )
    return drop(out[0])


class TransformerEncoderLayer(_Block):
    """One Transformer encoder layer: self-attention then a position-wise feed-forward network, each with a
    residual connection and LayerNorm (Vaswani et al., 2017; PyTorch's torch.nn.TransformerEncoderLayer).

    norm_first=False (post-norm, the paper's): x = norm1(x + SA(x)); x = norm2(x + FF(x)).
    norm_first=True (pre-norm): x = x + SA(norm1(x)); x = x + FF(norm2(x)).
    SA(x) = dropout1(self_attn(x, x, x)); FF(x) = dropout2(linear2(dropout(activation(linear1(x))))).

    **Arguments:** d_model (E) and nhead (E must divide by nhead); dim_feedforward; dropout (every dropout,
    attention weights included); activation: 'relu', 'gelu' (exact, erf) or a callable; layer_norm_eps;
    batch_first: (N, S, E) instead of (S, N, E); norm_first; bias: of every Linear, the attention and the
    LayerNorms; dtype (default float32); rng/seed/generator: the ``numpy.random.Generator`` for the
    initialisation and every dropout mask (default: nn's).

    **Submodules** (PyTorch's names, so state dicts load both ways): self_attn (MultiheadAttention), linear1,
    dropout, linear2, norm1, norm2, dropout1, dropout2.

    Raises ValueError for a bad activation, d_model not divisible by nhead, or dropout outside [0, 1].
    """

    def __init__(
        self,
        d_model,
        nhead,
        dim_feedforward=2048,
        dropout=0.1,
        activation="relu",
        layer_norm_eps=1e-5,
        batch_first=False,
        norm_first=False,
        bias=True,
        dtype=np.float32,
        rng=None,
        seed=None,
        *,
        generator=None,
    ):
        gen = module_generator(rng, seed, generator)
        attn = MultiheadAttention(d_model, nhead, dropout, bias, batch_first=batch_first, dtype=dtype, generator=gen)
        args = (d_model, dim_feedforward, dropout, activation, layer_norm_eps, norm_first, bias, dtype, gen)
        super().__init__({"self_attn": attn}, *args)
        self.batch_first = batch_first

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal=False):
        """Encode ``src``: (S, N, E), or (N, S, E) with batch_first, or (S, E) unbatched -> the same shape.

        src_mask: (S, S) or (N * nhead, S, S), bool (True = may not attend) or float (added to the scores);
        src_key_padding_mask: (N, S) or (S,) unbatched, bool (True = padding, ignored as a key) or float.
        is_causal: PyTorch's hint that src_mask is the causal mask (src_mask is still required and is what
        is applied). Padded positions get outputs as on PyTorch's autograd path (its no-grad nested-tensor
        fast path gives zeros there). Float dtype of src is kept.

        Raises ShapeError for inconsistent shapes (from MultiheadAttention), ValueError for is_causal
        without src_mask.
        """
        sa = (
            self.norm1,
            lambda x: _attend(self.self_attn, self.dropout1, x, x, src_mask, src_key_padding_mask, is_causal),
        )
        ff = (self.norm2, lambda x: self._ff_block(x, self.dropout2))
        return self._residual(src, [sa, ff])


class TransformerDecoderLayer(_Block):
    """One Transformer decoder layer: self-attention, attention over the encoder's ``memory``, then a
    feed-forward network, each with a residual connection and LayerNorm (Vaswani et al., 2017; PyTorch's
    torch.nn.TransformerDecoderLayer).

    norm_first=False: x = norm1(x + SA(x)); x = norm2(x + MHA(x, memory)); x = norm3(x + FF(x)).
    norm_first=True: x = x + SA(norm1(x)); x = x + MHA(norm2(x), memory); x = x + FF(norm3(x)).

    **Arguments:** as :class:`TransformerEncoderLayer`. **Submodules** (PyTorch's names): self_attn,
    multihead_attn, linear1, dropout, linear2, norm1, norm2, norm3, dropout1, dropout2, dropout3.

    Raises ValueError for a bad activation, d_model not divisible by nhead, or dropout outside [0, 1].
    """

    def __init__(
        self,
        d_model,
        nhead,
        dim_feedforward=2048,
        dropout=0.1,
        activation="relu",
        layer_norm_eps=1e-5,
        batch_first=False,
        norm_first=False,
        bias=True,
        dtype=np.float32,
        rng=None,
        seed=None,
        *,
        generator=None,
    ):
        gen = module_generator(rng, seed, generator)
        kw = dict(batch_first=batch_first, dtype=dtype, generator=gen)
        attns = {
            name: MultiheadAttention(d_model, nhead, dropout, bias, **kw) for name in ("self_attn", "multihead_attn")
        }
        args = (d_model, dim_feedforward, dropout, activation, layer_norm_eps, norm_first, bias, dtype, gen)
        super().__init__(attns, *args)
        self.batch_first = batch_first

    def forward(
        self,
        tgt,
        memory,
        tgt_mask=None,
        memory_mask=None,
        tgt_key_padding_mask=None,
        memory_key_padding_mask=None,
        tgt_is_causal=False,
        memory_is_causal=False,
    ):
        """Decode ``tgt`` (T, N, E) attending to ``memory`` (S, N, E) -> (T, N, E); with batch_first (N, T, E)
        and (N, S, E); unbatched (T, E) and (S, E).

        tgt_mask (T, T) or (N * nhead, T, T); memory_mask (T, S) or (N * nhead, T, S); tgt_key_padding_mask
        (N, T); memory_key_padding_mask (N, S): bool (True = masked out) or float (added to the scores).
        tgt_is_causal/memory_is_causal: PyTorch's hints that the mask is causal (the mask is still required).

        Raises ShapeError for inconsistent shapes, ValueError for a causal hint without its mask.
        """
        sa_mask, sa_kpm = tgt_mask, tgt_key_padding_mask
        sa = (self.norm1, lambda x: _attend(self.self_attn, self.dropout1, x, x, sa_mask, sa_kpm, tgt_is_causal))
        ca_mask, ca_kpm = memory_mask, memory_key_padding_mask
        ca = (
            self.norm2,
            lambda x: _attend(self.multihead_attn, self.dropout2, x, memory, ca_mask, ca_kpm, memory_is_causal),
        )
        ff = (self.norm3, lambda x: self._ff_block(x, self.dropout3))
        return self._residual(tgt, [sa, ca, ff])


def _clones(layer, n):
    """``n`` deep copies of ``layer`` (PyTorch's: equal initial weights); numpy generators stay shared, so
    the copies' dropout masks differ from each other (a copied generator would repeat the same masks)."""
    memo = {}
    for m in layer.modules():
        g = getattr(m, "generator", None)
        if isinstance(g, np.random.Generator):
            memo[id(g)] = g
    return ModuleList([copy.deepcopy(layer, dict(memo)) for _ in range(n)])


def _check_layers(owner, layer, kind, num_layers):
    if not isinstance(layer, kind):
        raise TypeError(f"{owner}: expected a {kind.__name__} to copy, got {type(layer).__name__}")
    if not isinstance(num_layers, (int, np.integer)) or num_layers < 1:
        raise ValueError(f"{owner}: num_layers must be a positive int, got {num_layers!r}")


class TransformerEncoder(Module):
    """A stack of ``num_layers`` deep copies of ``encoder_layer``, then ``norm`` if given (PyTorch's
    torch.nn.TransformerEncoder; state-dict keys ``layers.{i}.…`` and ``norm.…``). The copies start with
    equal weights, as in PyTorch; they share the layer's generator for dropout.

    PyTorch's enable_nested_tensor and mask_check are accepted and ignored (there is no nested-tensor path).
    Raises TypeError when encoder_layer is not a TransformerEncoderLayer, ValueError for num_layers < 1.
    """

    def __init__(self, encoder_layer, num_layers, norm=None, enable_nested_tensor=True, mask_check=True):
        super().__init__()
        _check_layers("TransformerEncoder", encoder_layer, TransformerEncoderLayer, num_layers)
        self.layers = _clones(encoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal=None):
        """Pass ``src`` through every layer with the same ``mask`` (their src_mask), ``src_key_padding_mask``
        and ``is_causal``, then ``norm``. Shapes, dtypes and errors as TransformerEncoderLayer.forward."""
        x = src
        for layer in self.layers:
            x = layer(x, src_mask=mask, src_key_padding_mask=src_key_padding_mask, is_causal=bool(is_causal))
        return x if self.norm is None else self.norm(x)


class TransformerDecoder(Module):
    """A stack of ``num_layers`` deep copies of ``decoder_layer``, then ``norm`` if given (PyTorch's
    torch.nn.TransformerDecoder; state-dict keys ``layers.{i}.…`` and ``norm.…``).

    Raises TypeError when decoder_layer is not a TransformerDecoderLayer, ValueError for num_layers < 1.
    """

    def __init__(self, decoder_layer, num_layers, norm=None):
        super().__init__()
        _check_layers("TransformerDecoder", decoder_layer, TransformerDecoderLayer, num_layers)
        self.layers = _clones(decoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(
        self,
        tgt,
        memory,
        tgt_mask=None,
        memory_mask=None,
        tgt_key_padding_mask=None,
        memory_key_padding_mask=None,
        tgt_is_causal=None,
        memory_is_causal=False,
    ):
        """Pass ``tgt`` through every layer, each attending to the same ``memory`` with the same masks, then
        ``norm``. Shapes, dtypes and errors as TransformerDecoderLayer.forward."""
        x = tgt
        for layer in self.layers:
            x = layer(
                x,
                memory,
                tgt_mask,
                memory_mask,
                tgt_key_padding_mask,
                memory_key_padding_mask,
                tgt_is_causal=bool(tgt_is_causal),
                memory_is_causal=memory_is_causal,
            )
        return x if self.norm is None else self.norm(x)
