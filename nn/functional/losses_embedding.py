# ruff: noqa: A002  (PyTorch names the first argument `input`)
"""Embedding and ranking losses with PyTorch's names, arguments, defaults and reductions:
margin_ranking_loss, hinge_embedding_loss, cosine_embedding_loss, triplet_margin_loss, and the
pairwise_distance they build on.

Each is a composition of autograd_core ops. Hinges max(0, z) follow PyTorch's ``clamp_min``: at
z = 0 the gradient passes (its backward keeps ``z >= 0``). Distances are finite at zero: the
p-norm's gradient at the zero vector is 0, and ``eps`` is added to the difference, as PyTorch.
Labels (+-1 targets of the hinge and cosine losses) carry no gradient (the losses are piecewise
constant in them); margin_ranking_loss's target is differentiated, as in PyTorch.
"""

import numpy as np

import autograd_core as ag
from autograd_core import ShapeError

from ._utils import as_value
from .losses import _raw, _reduce, _reduction, _target

__all__ = [
    "cosine_embedding_loss",
    "hinge_embedding_loss",
    "margin_ranking_loss",
    "pairwise_distance",
    "triplet_margin_loss",
]

_COS_EPS = 1e-12  # PyTorch's EPSILON in cosine_embedding_loss, added to each squared norm


def hinge(z):
    """max(z, 0) with the gradient passing at z = 0 (PyTorch's clamp_min backward)."""
    return ag.where(z.numpy() >= 0, z, 0.0)


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """max(0, -y (x1 - x2) + margin) (PyTorch's F.margin_ranking_loss): y = 1 ranks x1 above x2.

    input1, input2, target: the same number of dimensions, broadcasting; float. The target is
    differentiated too (PyTorch's composition). Returns the broadcast shape for 'none', else a scalar.
    Raises ShapeError for differing numbers of dimensions, ValueError for an unknown reduction.
    """
    reduction = _reduction("margin_ranking_loss", reduction, size_average, reduce)
    x1, x2, y = as_value(input1), as_value(input2), _target(target)
    if not x1.ndim == x2.ndim == np.ndim(y):
        raise ShapeError(
            "margin_ranking_loss: all input tensors should have the same number of dimensions, got shapes "
            f"{x1.shape}, {x2.shape} and {np.shape(y)}"
        )
    return _reduce(hinge(-y * (x1 - x2) + margin), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    """x where y = 1, max(0, margin - x) where y = -1 (PyTorch's F.hinge_embedding_loss; other
    labels get both terms, as PyTorch). input: float, any shape; target: labels broadcasting with it."""
    reduction = _reduction("hinge_embedding_loss", reduction, size_average, reduce)
    x, y = as_value(input), _raw(target)
    shape = np.broadcast_shapes(x.shape, y.shape)
    x = ag.broadcast_to(x, shape) if x.shape != shape else x
    loss = ag.where(y != 1, hinge(margin - x), 0.0) + ag.where(y != -1, x, 0.0)
    return _reduce(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1 (PyTorch's
    F.cosine_embedding_loss), cos = <x1, x2> / sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12)), PyTorch's eps.

    input1, input2: (N, D) or (D,), float; target: (N,) or () labels. Returns (N,)/() for 'none'.
    Zero vectors give cos = 0 and finite gradients. Raises ShapeError for other layouts.
    """
    name = "cosine_embedding_loss"
    reduction = _reduction(name, reduction, size_average, reduce)
    x1, x2, y = as_value(input1), as_value(input2), _raw(target)
    if x1.ndim != x2.ndim or x1.ndim not in (1, 2) or y.ndim != x1.ndim - 1:
        raise ShapeError(
            f"{name}: expected inputs (N, D) with target (N,) or inputs (D,) with a 0-d target, got "
            f"{x1.shape}, {x2.shape} and target {y.shape}"
        )
    d = x1.ndim - 1
    m1 = (x1 * x1).sum(axis=d) + _COS_EPS
    m2 = (x2 * x2).sum(axis=d) + _COS_EPS
    cos = (x1 * x2).sum(axis=d) / ag.sqrt(m1 * m2)
    loss = ag.where(y == 1, 1.0 - cos, 0.0) + ag.where(y == -1, hinge(cos - margin), 0.0)
    return _reduce(loss, reduction)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """||x1 - x2 + eps||_p over the last dimension (PyTorch's F.pairwise_distance).

    x1, x2: float, broadcasting, e.g. (N, D) and (N, D) or (D,); returns the broadcast shape
    without its last dimension (kept as 1 with ``keepdim``). p: as ``autograd_core.vector_norm``
    (p > 0, 0, inf, -inf); the gradient at a zero difference is 0. Raises ArgumentError for another p.
    """
    diff = as_value(x1) - as_value(x2) + eps
    if diff.ndim == 0:
        out = ag.vector_norm(diff.reshape(1), ord=p, axis=-1, keepdims=keepdim)
        return out if keepdim else out.reshape(())
    return ag.vector_norm(diff, ord=p, axis=-1, keepdims=keepdim)


def triplet_margin_loss(
    anchor,
    positive,
    negative,
    margin=1.0,
    p=2,
    eps=1e-6,
    swap=False,
    size_average=None,
    reduce=None,
    reduction="mean",
):
    """max(0, margin + d(a, p) - d(a, n)) with d = pairwise_distance(., ., p, eps) (Schroff et al.
    2015; PyTorch's F.triplet_margin_loss); ``swap`` uses min(d(a, n), d(p, n)) (Balntas et al. 2016),
    ties sharing the gradient evenly as PyTorch's minimum.

    anchor, positive, negative: float, the same number of dimensions, (N, D) or (D,); returns (N,)
    for 'none'. Raises ShapeError for differing numbers of dimensions, ValueError for margin <= 0.
    """
    reduction = _reduction("triplet_margin_loss", reduction, size_average, reduce)
    if not margin > 0:
        raise ValueError(f"triplet_margin_loss: margin must be greater than 0, got {margin}")
    a, pos, neg = as_value(anchor), as_value(positive), as_value(negative)
    if not a.ndim == pos.ndim == neg.ndim:
        raise ShapeError(
            "triplet_margin_loss: the anchor, positive and negative tensors are expected to have the same "
            f"number of dimensions, got shapes {a.shape}, {pos.shape} and {neg.shape}"
        )
    d_pos = pairwise_distance(a, pos, p, eps)
    d_neg = pairwise_distance(a, neg, p, eps)
    if swap:
        d_neg = ag.minimum(d_neg, pairwise_distance(pos, neg, p, eps))
    return _reduce(hinge(d_pos - d_neg + margin), reduction)
