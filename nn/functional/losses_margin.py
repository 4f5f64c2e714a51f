# ruff: noqa: A002  (PyTorch names the first argument `input`)
"""Classification margin losses with PyTorch's names, arguments, defaults and reductions:
soft_margin_loss, multilabel_soft_margin_loss, multi_margin_loss.

Logistic terms are single stable ops (softplus, sigmoid_cross_entropy): finite at +-1000 and at
+-inf logits, where PyTorch's log1p(exp(-y x)) overflows. multi_margin_loss's hinge has derivative 0
at its kink, as PyTorch's kernel (it counts a term only where it is positive).
"""

import numpy as np

import autograd_core as ag
from autograd_core import DTypeError, IndexingError, ShapeError

from ._utils import as_value, constant
from .losses import _raw, _reduce, _reduction, _target

__all__ = ["multi_margin_loss", "multilabel_soft_margin_loss", "soft_margin_loss"]


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + exp(-y x)) (PyTorch's F.soft_margin_loss), as softplus(-y x): finite for any x.

    input: float, any shape; target: labels (usually +-1) broadcasting with it. The target is not
    differentiable (as in PyTorch): a Value that requires grad is refused (NotDifferentiableError).
    """
    reduction = _reduction("soft_margin_loss", reduction, size_average, reduce)
    x = as_value(input)
    y = constant("soft_margin_loss", "target", target)
    return _reduce(ag.softplus(-x * y.astype(x.dtype, copy=False)), reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """-(y log sigmoid(x) + (1 - y) log sigmoid(-x)) * weight, averaged over the classes (the last
    dimension) (PyTorch's F.multilabel_soft_margin_loss); one stable op per element.

    input: (N, C) or (C,), float; target: its shape, in [0, 1] (differentiated, as PyTorch); weight:
    broadcasting with input (usually (C,)), differentiated. Returns (N,)/() for 'none'.
    Raises ShapeError for a 0-d input or a target of another shape.
    """
    name = "multilabel_soft_margin_loss"
    reduction = _reduction(name, reduction, size_average, reduce)
    x, y = as_value(input), _target(target)
    if x.ndim == 0 or np.shape(y) != x.shape:
        raise ShapeError(
            f"{name}: expected input (N, C) or (C,) and a target of its shape, got {x.shape}, {np.shape(y)}"
        )
    loss = ag.sigmoid_cross_entropy(x, y)
    if weight is not None:
        loss = loss * as_value(weight)
    return _reduce(loss.sum(axis=-1) * (1.0 / x.shape[-1]), reduction)


def _class_target(name, x, target):
    """Integer class indices of shape x.shape[:-1], checked against the class count."""
    y = _raw(target)
    if y.dtype.kind not in "iu":
        raise DTypeError(f"{name}: targets must be integer class indices, got dtype {y.dtype}")
    if y.shape != x.shape[:-1] and not (x.ndim == 1 and y.shape == (1,)):
        raise ShapeError(f"{name}: target of shape {y.shape} does not fit input of shape {x.shape}")
    y = y.reshape(x.shape[:-1])
    if y.size and (y.min() < 0 or y.max() >= x.shape[-1]):
        raise IndexingError(f"{name}: target out of range for {x.shape[-1]} classes")
    return y


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction="mean"):
    """sum over i != y of w[y] max(0, margin - x[y] + x[i])**p / C (PyTorch's F.multi_margin_loss;
    Weston & Watkins' multi-class hinge).

    input: (N, C) or (C,), float; target: (N,) or () integer classes; p: 1 or 2; weight: (C,) class
    weights, not differentiable (as PyTorch: a Value that requires grad is refused). Returns (N,)/()
    for 'none'. Raises ValueError for another p, ShapeError, DTypeError or IndexingError for targets.
    """
    name = "multi_margin_loss"
    reduction = _reduction(name, reduction, size_average, reduce)
    if p not in (1, 2):
        raise ValueError(f"{name}: only p == 1 and p == 2 are supported, got {p}")
    x = as_value(input)
    if x.ndim not in (1, 2) or x.shape[-1] == 0:
        raise ShapeError(f"{name}: expected a non-empty (C,) or (N, C) input, got shape {x.shape}")
    n_classes = x.shape[-1]
    y = _class_target(name, x, target)
    picked = ag.take_along_axis(x, y[..., None], axis=-1)
    z = x - picked + margin
    h = ag.where(z.numpy() > 0, z, 0.0)
    if p == 2:
        h = h * h
    if weight is not None:
        w = constant(name, "weight", weight)
        if w.shape != (n_classes,):
            raise ShapeError(f"{name}: weight must have shape ({n_classes},), got {w.shape}")
        h = h * w[y][..., None].astype(x.dtype, copy=False)
    own = np.arange(n_classes) == y[..., None]
    loss = ag.where(own, 0.0, h).sum(axis=-1) * (1.0 / n_classes)
    if np.ndim(_raw(target)) == 1 and x.ndim == 1:  # a (C,) input with a (1,) target: PyTorch's (1,) loss
        loss = loss.reshape((1,))
    return _reduce(loss, reduction)
