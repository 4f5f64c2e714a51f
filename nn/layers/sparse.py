"""Embedding: a learnable lookup table, weight (num_embeddings, embedding_dim), as torch.nn.Embedding."""

import numpy as np

from .. import functional as F
from .. import init
from ..functional.sparse import padding_row
from ..module import Module
from ..parameter import Parameter

__all__ = ["Embedding"]


class Embedding(Module):
    """Rows of ``weight`` (num_embeddings, embedding_dim) picked by integer indices.

    Input: integer indices of any shape (*); output (*, embedding_dim). The weight starts N(0, 1)
    (PyTorch's default) with the ``padding_idx`` row zeroed; that row never receives a gradient.
    ``max_norm``/``norm_type`` renormalise looked-up rows in place before each lookup (see
    :func:`nn.functional.embedding`); ``scale_grad_by_freq=True`` is refused (NotImplementedError). ``_weight`` supplies the initial table; ``dtype``, ``rng`` and
    ``seed`` as for every layer.
    """

    _index_args = (0,)  # the indices stay integer (nn/dtypes.py)

    def __init__(
        self,
        num_embeddings,
        embedding_dim,
        padding_idx=None,
        max_norm=None,
        norm_type=2.0,
        scale_grad_by_freq=False,
        sparse=False,
        _weight=None,
        _freeze=False,
        dtype=np.float32,
        rng=None,
        seed=None,
    ):
        super().__init__()
        if scale_grad_by_freq:
            raise NotImplementedError(
                "Embedding: scale_grad_by_freq=True is not supported (see nn.functional.embedding)"
            )
        if padding_idx is not None:
            padding_idx = padding_row(padding_idx, num_embeddings)
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx, self.max_norm, self.norm_type = padding_idx, max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=dtype))
            self.reset_parameters(init.resolve_rng(rng, seed))
        else:
            w = np.asarray(getattr(_weight, "data", _weight))
            if w.shape != (num_embeddings, embedding_dim):
                raise ValueError(f"Embedding: _weight has shape {w.shape}, expected {(num_embeddings, embedding_dim)}")
            self.weight = Parameter(w)
        self.weight.requires_grad_(not _freeze)

    def reset_parameters(self, rng=None):
        """N(0, 1) entries, then the padding row zeroed (PyTorch's initialisation)."""
        init.normal_(self.weight, generator=rng)
        if self.padding_idx is not None:
            w = self.weight.numpy().copy()
            w[self.padding_idx] = 0
            self.weight.data = w

    @classmethod
    def from_pretrained(
        cls, embeddings, freeze=True, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False
    ):
        """An Embedding holding the 2-D float array ``embeddings`` (frozen unless ``freeze=False``)."""
        w = np.asarray(getattr(embeddings, "data", embeddings))
        if w.ndim != 2:
            raise ValueError(f"Embedding.from_pretrained: embeddings must be 2-D, got shape {w.shape}")
        return cls(
            *w.shape,
            padding_idx=padding_idx,
            max_norm=max_norm,
            norm_type=norm_type,
            scale_grad_by_freq=scale_grad_by_freq,
            _weight=w,
            _freeze=freeze,
        )

    def forward(self, indices):
        return F.embedding(
            indices, self.weight, self.padding_idx, self.max_norm, self.norm_type, self.scale_grad_by_freq, self.sparse
        )

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.scale_grad_by_freq:
            s += ", scale_grad_by_freq=True"
        return s
