# ruff: noqa: A002  (PyTorch names the first argument `input`)
"""Kullback-Leibler divergence and cosine similarity, as torch.nn.functional defines them."""

import warnings

import numpy as np

import autograd_core as ag

from ._utils import as_value
from .losses import _reduce, _reduction
from .normalization import normalize

__all__ = ["cosine_similarity", "kl_div"]


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """KL divergence loss with ``input`` log-probabilities (torch.nn.functional.kl_div).

    Pointwise ``target * (log(target) - input)`` (0 where target is 0: ``xlogy``), or with
    ``log_target=True`` (target given as log-probabilities) ``exp(target) * (target - input)``.

    **Arguments:** ``input`` and ``target`` of broadcastable shapes (N, *), float; ``reduction``
    'mean' (over every element; PyTorch warns that this is not the KL divergence, so do we),
    'batchmean' (sum / N: the mathematical KL divergence per sample), 'sum' or 'none'; the legacy
    ``size_average``/``reduce`` flags as PyTorch.

    **Returns:** a 0-d Value, or the pointwise loss for 'none'. Gradients reach input and target.

    **Raises:** ValueError for an unknown reduction.
    """
    x, t = as_value(input), as_value(target)
    if reduction != "batchmean" or size_average is not None or reduce is not None:
        reduction = _reduction("kl_div", reduction, size_average, reduce)
    loss = ag.exp(t) * (t - x) if log_target else ag.xlogy(t, t) - t * x
    if reduction == "batchmean":
        return loss.sum() / loss.shape[0] if loss.ndim else loss.sum()
    if reduction == "mean":
        warnings.warn(
            "kl_div: reduction='mean' divides the total loss by both the batch size and the support size; "
            "'batchmean' divides only by the batch size and is the KL divergence (as PyTorch warns)",
            UserWarning,
            stacklevel=2,
        )
    return _reduce(loss, reduction)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """Cosine similarity along ``dim`` (torch.nn.functional.cosine_similarity): ``sum(x1_n * x2_n, dim)``
    with each input divided by ``max(||x||_2, eps)`` first, as PyTorch computes it (so vectors shorter
    than eps are scaled, not renormalised, and a zero vector gives 0 instead of nan).

    **Arguments:** ``x1``, ``x2``: broadcastable float arrays or Values; ``dim`` an int (negative
    counts from the end); ``eps`` a small positive float.

    **Returns:** a Value of the broadcast shape without ``dim``, in the inputs' dtype.

    **Raises:** ShapeError for shapes that do not broadcast or a ``dim`` out of range.
    """
    x1, x2 = as_value(x1), as_value(x2)
    shape = np.broadcast_shapes(x1.shape, x2.shape)
    x1, x2 = ag.broadcast_to(x1, shape), ag.broadcast_to(x2, shape)
    return (normalize(x1, 2.0, dim, eps) * normalize(x2, 2.0, dim, eps)).sum(axis=dim)
