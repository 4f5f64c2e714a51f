"""MultiheadAttention (Vaswani et al., 2017, section 3.2.2) with PyTorch's parameter names, layouts,
defaults and forward signature (torch.nn.MultiheadAttention), so PyTorch checkpoints load by key."""

import numpy as np

from autograd_core import ShapeError, Value

from .. import functional as F
from .. import init
from ..functional._utils import as_value
from ..functional.attention import attention_weights
from ..module import Module
from ..parameter import Parameter
from .dropout import module_generator
from .linear import Linear

__all__ = ["MultiheadAttention"]


def _additive(mask, name, dtype):
    """A PyTorch MHA mask as an additive float mask: bool True (= masked out) becomes -inf, False 0;
    a float mask is added as it is (a Value keeps its gradient)."""
    if mask is None:
        return None
    if isinstance(mask, Value) and mask.dtype != np.bool_:
        return mask
    m = np.asarray(mask.numpy() if isinstance(mask, Value) else mask)
    if m.dtype == np.bool_:
        return np.where(m, -np.inf, 0.0).astype(dtype)
    if not np.issubdtype(m.dtype, np.floating):
        raise TypeError(f"MultiheadAttention: {name} must be bool (True = masked out) or float, got dtype {m.dtype}")
    return m.astype(dtype)


class MultiheadAttention(Module):
    """Multi-head attention: softmax(Q_h K_h^T / sqrt(d) + mask) V_h per head h, heads concatenated and
    projected by ``out_proj`` (Vaswani et al., 2017; PyTorch's torch.nn.MultiheadAttention).

    **Arguments:** embed_dim E; num_heads H (E must divide by H; head dim E / H); dropout: on the
    attention weights in training; bias: in_proj_bias (3E,) and out_proj.bias; kdim/vdim: key and value
    feature sizes (default E); batch_first: (N, L, E) instead of (L, N, E); dtype; rng/seed/generator:
    the ``numpy.random.Generator`` for the initialisation and the dropout masks (default: nn's).
    add_bias_kv=True and add_zero_attn=True are not supported (NotImplementedError).

    **Parameters** (PyTorch's names and layouts): ``in_proj_weight`` (3E, E) when kdim == vdim == E, else
    ``q_proj_weight`` (E, E), ``k_proj_weight`` (E, kdim), ``v_proj_weight`` (E, vdim); ``in_proj_bias``
    (3E,); ``out_proj`` a Linear(E, E). Init as PyTorch: xavier_uniform_ for the input projections, zero
    biases, out_proj's weight Linear's default.

    Raises ValueError when E is not divisible by H, NotImplementedError for add_bias_kv/add_zero_attn.
    """

    def __init__(
        self,
        embed_dim,
        num_heads,
        dropout=0.0,
        bias=True,
        add_bias_kv=False,
        add_zero_attn=False,
        kdim=None,
        vdim=None,
        batch_first=False,
        dtype=np.float32,
        rng=None,
        seed=None,
        *,
        generator=None,
    ):
        super().__init__()
        if add_bias_kv or add_zero_attn:
            raise NotImplementedError(
                "MultiheadAttention: add_bias_kv=True and add_zero_attn=True are not supported; append the extra "
                "key/value rows to key and value yourself (and extend the masks), or leave both False"
            )
        if embed_dim <= 0 or num_heads <= 0 or embed_dim % num_heads:
            raise ValueError(
                f"MultiheadAttention: embed_dim ({embed_dim}) must be a positive multiple of num_heads ({num_heads})"
            )
        if not 0.0 <= dropout <= 1.0:
            raise ValueError(f"MultiheadAttention: dropout must be in [0, 1], got {dropout}")
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self.head_dim = embed_dim // num_heads
        self.batch_first = batch_first
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.generator = module_generator(rng, seed, generator)
        E = embed_dim
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(np.empty((3 * E, E), dtype=dtype))
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.register_parameter("in_proj_weight", None)
            self.q_proj_weight = Parameter(np.empty((E, E), dtype=dtype))
            self.k_proj_weight = Parameter(np.empty((E, self.kdim), dtype=dtype))
            self.v_proj_weight = Parameter(np.empty((E, self.vdim), dtype=dtype))
        if bias:
            self.in_proj_bias = Parameter(np.empty(3 * E, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = Linear(E, E, bias=bias, dtype=dtype, rng=self.generator)
        self.reset_parameters()

    def reset_parameters(self):
        """PyTorch's init: xavier_uniform_ for the input projections, zeros for in_proj_bias and out_proj.bias."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight, generator=self.generator)
        else:
            for w in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(w, generator=self.generator)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)

    def _projections(self):
        E = self.embed_dim
        if self._qkv_same_embed_dim:
            w = self.in_proj_weight
            ws = (w[:E], w[E : 2 * E], w[2 * E :])
        else:
            ws = (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight)
        b = self.in_proj_bias
        bs = (None, None, None) if b is None else (b[:E], b[E : 2 * E], b[2 * E :])
        return ws, bs

    def _batch_first_inputs(self, query, key, value):
        q, k, v = as_value(query), as_value(key), as_value(value)
        if q.ndim not in (2, 3) or k.ndim != q.ndim or v.ndim != q.ndim:
            raise ShapeError(
                "MultiheadAttention: query, key and value must all be 3-d (batched) or all 2-d (unbatched); "
                f"got shapes {q.shape}, {k.shape}, {v.shape}"
            )
        if q.ndim == 2:
            return q[None], k[None], v[None]
        if not self.batch_first:
            return q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1)
        return q, k, v

    def _check(self, q, k, v):
        N, E = q.shape[0], q.shape[2]
        if self.embed_dim != E or k.shape[-1] != self.kdim or v.shape[-1] != self.vdim:
            raise ShapeError(
                f"MultiheadAttention: expected feature sizes (E={self.embed_dim}, kdim={self.kdim}, "
                f"vdim={self.vdim}), got query {q.shape}, key {k.shape}, value {v.shape}"
            )
        if k.shape[:2] != v.shape[:2] or k.shape[0] != N:
            raise ShapeError(
                f"MultiheadAttention: key and value need the same batch and length and query's batch; got "
                f"query {q.shape}, key {k.shape}, value {v.shape} (batch-first view)"
            )

    def _mask(self, attn_mask, key_padding_mask, N, L, S, dtype, batched):
        """One additive (N, H or 1, L, S)-broadcastable mask from attn_mask and key_padding_mask."""
        H = self.num_heads
        am = _additive(attn_mask, "attn_mask", dtype)
        if am is not None:
            shape = np.shape(am)
            if shape == (N * H, L, S) or (not batched and shape == (H, L, S)):
                am = am.reshape(N, H, L, S)
            elif shape != (L, S):
                want = f"({L}, {S}) or ({N * H}, {L}, {S})" if batched else f"({L}, {S}) or ({H}, {L}, {S})"
                raise ShapeError(f"MultiheadAttention: attn_mask must have shape {want}, got {shape}")
        kpm = _additive(key_padding_mask, "key_padding_mask", dtype)
        if kpm is not None:
            if np.shape(kpm) != ((N, S) if batched else (S,)):
                raise ShapeError(
                    f"MultiheadAttention: key_padding_mask must have shape {(N, S) if batched else (S,)}, "
                    f"got {np.shape(kpm)}"
                )
            kpm = kpm.reshape(N, 1, 1, S)
            am = kpm if am is None else am + kpm
        return am

    def forward(
        self,
        query,
        key,
        value,
        key_padding_mask=None,
        need_weights=True,
        attn_mask=None,
        average_attn_weights=True,
        is_causal=False,
    ):
        """Attend ``query`` to ``key``/``value``; returns ``(attn_output, attn_weights)`` as PyTorch does.

        Shapes (batch_first=False; with batch_first=True swap the first two dims; unbatched: drop N):
        query (L, N, E), key (S, N, kdim), value (S, N, vdim) -> attn_output (L, N, E).
        key_padding_mask (N, S): bool True = ignore that key, or float added. attn_mask (L, S) or
        (N * H, L, S): bool True = not allowed to attend, or float added. is_causal is PyTorch's hint that
        attn_mask is the causal mask (attn_mask is required and is what is applied).
        attn_weights: None unless need_weights; then (N, L, S) averaged over heads, or (N, H, L, S) with
        average_attn_weights=False, after dropout as PyTorch returns them. A query whose keys are all
        masked gets zero weights and output (PyTorch gives NaN on this path).

        Raises ShapeError for inconsistent shapes or masks, TypeError for a non-bool non-float mask,
        ValueError for is_causal without attn_mask.
        """
        if is_causal and attn_mask is None:
            raise ValueError(
                "MultiheadAttention: is_causal=True is a hint that attn_mask is the causal mask; pass attn_mask "
                "too (e.g. np.triu(np.ones((L, L), bool), 1))"
            )
        batched = np.ndim(query) == 3
        q, k, v = self._batch_first_inputs(query, key, value)
        self._check(q, k, v)
        (N, L, E), S, H, D = q.shape, k.shape[1], self.num_heads, self.head_dim
        mask = self._mask(attn_mask, key_padding_mask, N, L, S, q.dtype, batched)
        (wq, wk, wv), (bq, bk, bv) = self._projections()
        q = F.linear(q, wq, bq).reshape(N, L, H, D).transpose(1, 2)
        k = F.linear(k, wk, bk).reshape(N, S, H, D).transpose(1, 2)
        v = F.linear(v, wv, bv).reshape(N, S, H, D).transpose(1, 2)
        weights = attention_weights(q, k, mask)
        if self.training and self.dropout > 0.0:
            weights = F.dropout(weights, self.dropout, training=True, generator=self.generator)
        out = self.out_proj((weights @ v).transpose(1, 2).reshape(N, L, E))
        if batched and not self.batch_first:
            out = out.transpose(0, 1)
        if need_weights:
            weights = weights.mean(axis=1) if average_attn_weights else weights
        else:
            weights = None
        if not batched:
            out = out[0]
            weights = None if weights is None else weights[0]
        return out, weights

    def extra_repr(self):
        """The constructor's arguments for the module's repr."""
        return (
            f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, dropout={self.dropout}, "
            f"kdim={self.kdim}, vdim={self.vdim}, batch_first={self.batch_first}"
        )
