"""nn.Transformer: the encoder-decoder model of Vaswani et al., 2017 (section 3) with PyTorch 2.x's
arguments, submodule names and forward signature (torch.nn.Transformer), so PyTorch checkpoints load by key."""

import numpy as np

from autograd_core import ShapeError

from .. import init
from ..module import Module
from .dropout import module_generator
from .normalization import LayerNorm
from .transformer import TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer

__all__ = ["Transformer"]


class Transformer(Module):
    """An encoder stack (``num_encoder_layers`` TransformerEncoderLayers and a final LayerNorm) and a decoder
    stack (``num_decoder_layers`` TransformerDecoderLayers and a final LayerNorm), as PyTorch's
    torch.nn.Transformer (Vaswani et al., 2017). Like PyTorch, it has no embeddings, positional encoding or
    output projection: inputs are already d_model-sized vectors.

    **Arguments:** d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048,
    dropout=0.1, activation ('relu', 'gelu' or a callable), custom_encoder/custom_decoder (modules used in
    place of the stacks), layer_norm_eps, batch_first, norm_first, bias: as the layers; dtype (default
    float32); rng/seed/generator: the ``numpy.random.Generator`` for initialisation and dropout.

    **Submodules:** ``encoder`` (TransformerEncoder: ``encoder.layers.{i}``, ``encoder.norm``) and ``decoder``
    (TransformerDecoder). Init as PyTorch: every parameter with more than one dimension is redrawn
    xavier_uniform_ (the layers' copies then differ); biases and norms keep the layers' init.

    Raises ValueError for a bad activation or d_model not divisible by nhead.
    """

    def __init__(
        self,
        d_model=512,
        nhead=8,
        num_encoder_layers=6,
        num_decoder_layers=6,
        dim_feedforward=2048,
        dropout=0.1,
        activation="relu",
        custom_encoder=None,
        custom_decoder=None,
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
        super().__init__()
        gen = module_generator(rng, seed, generator)
        args = (d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first, bias)
        if custom_encoder is None:
            layer = TransformerEncoderLayer(*args, dtype=dtype, generator=gen)
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
            custom_encoder = TransformerEncoder(layer, num_encoder_layers, norm)
        if custom_decoder is None:
            layer = TransformerDecoderLayer(*args, dtype=dtype, generator=gen)
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
            custom_decoder = TransformerDecoder(layer, num_decoder_layers, norm)
        self.encoder, self.decoder = custom_encoder, custom_decoder
        self.d_model, self.nhead, self.batch_first = d_model, nhead, batch_first
        self.generator = gen
        self._reset_parameters()

    def _reset_parameters(self):
        """PyTorch's init: xavier_uniform_ on every parameter with more than one dimension."""
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p, generator=self.generator)

    def forward(
        self,
        src,
        tgt,
        src_mask=None,
        tgt_mask=None,
        memory_mask=None,
        src_key_padding_mask=None,
        tgt_key_padding_mask=None,
        memory_key_padding_mask=None,
        src_is_causal=None,
        tgt_is_causal=None,
        memory_is_causal=False,
    ):
        """Encode ``src`` into memory, decode ``tgt`` against it; returns the decoder's output.

        Shapes (batch_first=False): src (S, N, E), tgt (T, N, E) -> (T, N, E); batch_first: (N, S, E),
        (N, T, E) -> (N, T, E); unbatched: drop N. src_mask (S, S), tgt_mask (T, T), memory_mask (T, S), each
        also (N * nhead, ., .); key padding masks (N, S), (N, T), (N, S). Masks: bool (True = masked out)
        or float (added to the attention scores). The *_is_causal flags are PyTorch's hints (the mask is
        still required). See :meth:`generate_square_subsequent_mask` for a causal tgt_mask.

        Raises ShapeError when src and tgt differ in batch size or their feature size is not d_model.
        """
        src_shape, tgt_shape = np.shape(src), np.shape(tgt)
        b = 0 if self.batch_first else 1
        if len(src_shape) == 3 and (len(tgt_shape) != 3 or src_shape[b] != tgt_shape[b]):
            raise ShapeError(f"Transformer: src {src_shape} and tgt {tgt_shape} must have the same batch size")
        if src_shape[-1] != self.d_model or tgt_shape[-1] != self.d_model:
            raise ShapeError(
                f"Transformer: the feature size of src {src_shape} and tgt {tgt_shape} must be d_model={self.d_model}"
            )
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal)
        return self.decoder(
            tgt,
            memory,
            tgt_mask=tgt_mask,
            memory_mask=memory_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
            tgt_is_causal=tgt_is_causal,
            memory_is_causal=memory_is_causal,
        )

    @staticmethod
    def generate_square_subsequent_mask(sz, dtype=np.float32):
        """The (sz, sz) causal float mask: 0 on and below the diagonal, -inf above (PyTorch's
        Transformer.generate_square_subsequent_mask), for tgt_mask. Raises ValueError for sz < 0."""
        if sz < 0:
            raise ValueError(f"generate_square_subsequent_mask: sz must be >= 0, got {sz}")
        return np.triu(np.full((sz, sz), -np.inf, dtype=dtype), 1)
