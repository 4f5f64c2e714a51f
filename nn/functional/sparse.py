"""Embedding lookup (``torch.nn.functional.embedding``): rows of a weight table picked by integer indices.

The lookup is indexing (``weight[indices]``), whose gradient is a scatter-add, so repeated indices
accumulate. ``padding_idx`` changes only the gradient, never the value: ``out = g * m + stop(g) * (1 - m)`` with
``g = weight[indices]`` and ``m`` 0 at padding positions, 1 elsewhere; first and second derivatives
match PyTorch's. ``scale_grad_by_freq`` is refused: a gradient divided by index counts is the
gradient of no function, and differentiating it again through recorded ops gives the count squared
where PyTorch's double backward gives it once, which would be a silently different second derivative.
"""

import numpy as np

import autograd_core as ag
from autograd_core import ShapeError, Value

__all__ = ["embedding", "embedding_renorm_", "one_hot"]


def _checked_indices(indices, num_embeddings):
    """The indices as an integer ndarray, each checked to lie in [0, num_embeddings)."""
    idx = indices.numpy() if isinstance(indices, Value) else np.asarray(indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"embedding: input must hold integer indices, got dtype {idx.dtype} (cast with .astype(int))")
    if idx.size and (idx.min() < 0 or idx.max() >= num_embeddings):
        bad = idx[(idx < 0) | (idx >= num_embeddings)].ravel()[0]
        raise IndexError(f"embedding: index {bad} is out of range for a table of {num_embeddings} rows")
    return idx


def padding_row(padding_idx, num_embeddings):
    """``padding_idx`` as a non-negative row number (negative counts from the end), or None."""
    if padding_idx is None:
        return None
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise ValueError(f"Embedding: padding_idx {padding_idx} must be within [-{num_embeddings}, {num_embeddings})")
    return padding_idx % num_embeddings


def embedding_renorm_(weight, indices, max_norm, norm_type=2.0):
    """Rescale, in place, each row of ``weight`` named in ``indices`` whose ``norm_type``-norm exceeds
    ``max_norm`` to norm ``max_norm`` (times max_norm / (norm + 1e-7), as PyTorch). Not recorded.

    ``weight``: a Value (its data is replaced) or a writeable ndarray (changed in place).
    """
    table = weight.numpy() if isinstance(weight, Value) else weight
    rows = np.unique(indices)
    if rows.size == 0:
        return weight
    sub = table[rows]
    norms = np.linalg.norm(sub, ord=float(norm_type), axis=1)
    scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0).astype(table.dtype)
    if not (scale != 1).any():
        return weight
    new = table.copy()
    new[rows] = sub * scale[:, None]
    if isinstance(weight, Value):
        weight.data = new
    elif not weight.flags.writeable:
        raise ValueError("embedding: max_norm renormalises the weight in place, but the weight array is read-only")
    else:
        weight[...] = new
    return weight


def embedding(indices, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False):
    """Look up rows of ``weight``: ``out[..., :] = weight[indices[...], :]``.

    **Arguments:** ``indices`` integer indices of any shape (ndarray or integer Value); ``weight`` a
    (num_embeddings, embedding_dim) Value or array; ``padding_idx`` a row whose gradient is always 0
    (its value is still looked up; negative counts from the end); ``max_norm`` when given, rows named
    in ``indices`` with a ``norm_type``-norm above it are first rescaled to ``max_norm`` *in place*
    (PyTorch's ``embedding_renorm_``, not recorded); ``scale_grad_by_freq`` must be False (see the
    module docstring); ``sparse`` accepted and ignored (the gradient is dense, with the same values).

    **Returns:** ``indices.shape + (embedding_dim,)``, weight's dtype.

    **Raises:** NotImplementedError for ``scale_grad_by_freq=True``, TypeError for non-integer
    indices, IndexError for an index out of range, ValueError for a bad ``padding_idx``, ShapeError
    for a weight that is not 2-D; all before any change.
    """
    if max_norm is not None and not isinstance(weight, (Value, np.ndarray)):
        raise TypeError("embedding: max_norm renormalises the weight in place; pass a Value or a writeable ndarray")
    w = ag.as_value(weight)  # a list holding Values is stacked (recorded); an ndarray is viewed, not copied
    if w.ndim != 2:
        raise ShapeError(f"embedding: weight must be 2-D (num_embeddings, embedding_dim), got shape {w.shape}")
    num = w.shape[0]
    idx = _checked_indices(indices, num)
    pad = padding_row(padding_idx, num)
    if scale_grad_by_freq:
        raise NotImplementedError(
            "embedding: scale_grad_by_freq=True is not supported (its second derivative would differ from "
            "PyTorch's without warning); scale the loss per token instead"
        )
    if max_norm is not None:
        embedding_renorm_(weight, idx, max_norm, norm_type)
    out = ag.getitem(w, idx)
    if pad is None:
        return out
    keep = (idx != pad)[..., None].astype(out.dtype)
    stopped = ag.getitem(w.detach(), idx)
    return out * keep + stopped * (1 - keep)


def one_hot(tensor, num_classes=-1):
    """Class indices of any shape (*) -> int64 array (*, num_classes) with a 1 at each index
    (torch.nn.functional.one_hot). ``num_classes=-1``: the largest index + 1.

    Not differentiable (indices have no gradient): returns a plain ndarray. **Raises:** TypeError
    for non-integer input; ValueError for a negative index or one >= num_classes.
    """
    idx = tensor.numpy() if isinstance(tensor, Value) else np.asarray(tensor)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"one_hot: expected integer class indices, got dtype {idx.dtype}; cast with .astype(np.int64)")
    if idx.size and idx.min() < 0:
        raise ValueError(f"one_hot: class indices must be non-negative, got {int(idx.min())}")
    if num_classes == -1:
        if idx.size == 0:
            raise ValueError("one_hot: cannot infer num_classes from an empty input; pass num_classes")
        num_classes = int(idx.max()) + 1
    if idx.size and idx.max() >= num_classes:
        raise ValueError(f"one_hot: class index {int(idx.max())} is out of range for num_classes={num_classes}")
    return (idx[..., None] == np.arange(num_classes)).astype(np.int64)
