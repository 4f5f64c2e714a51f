"""Scaled dot-product attention (Vaswani et al., 2017, "Attention Is All You Need", eq. 1; PyTorch's
F.scaled_dot_product_attention), composed of recorded engine ops: matmul, where, softmax, dropout.

A query row whose every key is masked out (boolean False everywhere, or -inf everywhere after the float
mask is added) attends to nothing: its weights, its output and the gradients through it are zero, which
is what PyTorch 2.x's CPU kernels return (a naive softmax would give NaN there).
"""

import math

import numpy as np

import autograd_core as ag
from autograd_core import ShapeError, Value

from ._utils import as_value
from .dropout import dropout

__all__ = ["attention_weights", "scaled_dot_product_attention"]


def _check_shapes(q, k, v):
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2:
        raise ShapeError(
            "scaled_dot_product_attention: query, key and value need at least 2 dims (..., L, E), (..., S, E), "
            f"(..., S, Ev); got shapes {q.shape}, {k.shape}, {v.shape}"
        )
    if q.shape[-1] != k.shape[-1]:
        raise ShapeError(
            f"scaled_dot_product_attention: query's last dim ({q.shape[-1]}) must equal key's ({k.shape[-1]}); "
            f"got shapes {q.shape} and {k.shape}"
        )
    if k.shape[-2] != v.shape[-2]:
        raise ShapeError(
            f"scaled_dot_product_attention: key and value need the same sequence length S (dim -2); "
            f"got shapes {k.shape} and {v.shape}"
        )


def _masked_logits(logits, attn_mask, is_causal):
    """The logits with the mask applied: boolean masks put -inf where False, float masks are added."""
    L, S = logits.shape[-2:]
    if is_causal:
        if attn_mask is not None:
            raise ValueError(
                "scaled_dot_product_attention: pass attn_mask or is_causal=True, not both (as in PyTorch); "
                "fold the causal mask into attn_mask instead"
            )
        return ag.where(np.tril(np.ones((L, S), dtype=bool)), logits, -np.inf)
    if attn_mask is None:
        return logits
    dtype = attn_mask.dtype if isinstance(attn_mask, Value) else np.asarray(attn_mask).dtype
    try:
        np.broadcast_shapes(np.shape(attn_mask), logits.shape)
    except ValueError:
        raise ShapeError(
            f"scaled_dot_product_attention: attn_mask of shape {np.shape(attn_mask)} does not broadcast "
            f"against the attention logits of shape {logits.shape} (..., L, S)"
        ) from None
    if dtype == np.bool_:
        keep = attn_mask.numpy() if isinstance(attn_mask, Value) else np.asarray(attn_mask)
        return ag.where(keep, logits, -np.inf)
    if not np.issubdtype(dtype, np.floating):
        raise TypeError(
            f"scaled_dot_product_attention: attn_mask must be bool (True = take part) or float (added to the "
            f"logits), got dtype {dtype}"
        )
    return logits + as_value(attn_mask)


def attention_weights(query, key, attn_mask=None, is_causal=False, scale=None):
    """softmax(q k^T * scale + mask) over the last dim: the attention probabilities, before dropout.

    query (..., L, E), key (..., S, E) -> (..., L, S); masks and scale as in
    :func:`scaled_dot_product_attention`. Fully masked rows give zeros. Shared with nn.MultiheadAttention.
    """
    q, k = as_value(query), as_value(key)
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else float(scale)
    logits = _masked_logits((q @ k.transpose(-2, -1)) * scale, attn_mask, is_causal)
    dead = np.all(np.isneginf(logits.numpy()), axis=-1, keepdims=True)
    if not dead.any():
        return ag.softmax(logits, axis=-1)
    return ag.where(dead, 0.0, ag.softmax(ag.where(dead, 0.0, logits), axis=-1))


def scaled_dot_product_attention(
    query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False, *, generator=None
):
    """softmax(Q K^T * scale + mask) V (Vaswani et al., 2017, eq. 1; PyTorch 2.x's F.scaled_dot_product_attention).

    **Arguments:**
    query: (..., L, E); key: (..., S, E); value: (..., S, Ev); float Values or arrays, leading (batch,
        head) dims broadcast against one another.
    attn_mask: None, a bool array broadcastable to (..., L, S) where True means "takes part" and False
        means "masked out", or a float array/Value (differentiable) added to the logits.
    dropout_p: dropout probability applied to the attention weights (always, as PyTorch's functional
        form does: pass 0.0 in evaluation).
    is_causal: mask with the lower-triangular (L, S) mask (query i sees keys 0..i); not with attn_mask.
    scale: the logit scale; default 1/sqrt(E).
    enable_gqa: grouped-query attention is not supported; True raises NotImplementedError.
    generator: the ``numpy.random.Generator`` of the dropout mask (default: nn's default generator).

    **Returns:** (..., L, Ev), in the inputs' dtype. A fully masked query row gives zeros (PyTorch's
    CPU result), with zero gradient.

    Raises ShapeError for mismatched E or S or a mask that does not broadcast, ValueError for
    is_causal together with attn_mask or dropout_p outside [0, 1], TypeError for a non-bool,
    non-float mask, NotImplementedError for enable_gqa=True.
    """
    if enable_gqa:
        raise NotImplementedError(
            "scaled_dot_product_attention: enable_gqa=True (grouped-query attention) is not supported; repeat "
            "key and value along the head dim (e.g. with repeat_interleave) and pass enable_gqa=False"
        )
    q, k, v = as_value(query), as_value(key), as_value(value)
    _check_shapes(q, k, v)
    if not 0.0 <= dropout_p <= 1.0:
        raise ValueError(f"scaled_dot_product_attention: dropout_p must be in [0, 1], got {dropout_p}")
    weights = attention_weights(q, k, attn_mask, is_causal, scale)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, training=True, generator=generator)
    return weights @ v
