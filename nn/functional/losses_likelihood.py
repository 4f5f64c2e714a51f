# ruff: noqa: A002  (PyTorch names the first argument `input`)
"""Negative log-likelihood losses of a Poisson and a Gaussian model, with PyTorch's names,
arguments, defaults and reductions: poisson_nll_loss and gaussian_nll_loss. Compositions of
autograd_core ops; every argument PyTorch differentiates (input, target, var) is differentiated.
"""

import math

import numpy as np

import autograd_core as ag

from ._utils import as_value
from .losses import _raw, _reduce, _reduction, _target

__all__ = ["gaussian_nll_loss", "poisson_nll_loss"]

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def poisson_nll_loss(
    input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None, reduction="mean"
):
    """Poisson negative log-likelihood (PyTorch's F.poisson_nll_loss): exp(x) - t x with
    ``log_input`` (x is the log-rate), else x - t log(x + eps); ``full`` adds Stirling's term
    t log t - t + 0.5 log(2 pi t) where t > 1 (0 elsewhere, its gradient too).

    input, target: float, broadcasting (usually the same shape). Raises ValueError for an unknown reduction.
    """
    reduction = _reduction("poisson_nll_loss", reduction, size_average, reduce)
    x, t = as_value(input), _target(target)
    loss = ag.exp(x) - t * x if log_input else x - t * ag.log(x + eps)
    if full:
        big = _raw(t) > 1
        ts = ag.where(big, t, 1.0)  # log only ever sees t > 1 (1 elsewhere: every term finite, unselected)
        stirling = ts * ag.log(ts) - ts + ag.log(ts * (2 * math.pi)) * 0.5
        loss = loss + ag.where(big, stirling, 0.0)
    return _reduce(loss, reduction)


def _homoscedastic_var(x, var):
    """var broadcast as PyTorch allows: input's shape; input's shape without its last dimension
    (unsqueezed); or input's shape but for one dimension of size 1."""
    if var.shape == x.shape:
        return var
    if var.shape == x.shape[:-1]:
        return var.reshape(var.shape + (1,))
    if var.ndim == x.ndim and sum(v for a, v in zip(x.shape, var.shape) if a != v) == 1:
        return var
    raise ValueError(
        f"gaussian_nll_loss: var of shape {var.shape} is of incorrect size for input {x.shape}: give input's "
        "shape, input's shape without its last dimension, or input's shape with one dimension of size 1"
    )


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """Gaussian negative log-likelihood 0.5 (log v + (x - t)**2 / v) (+ 0.5 log(2 pi) with ``full``)
    (PyTorch's F.gaussian_nll_loss; Nix & Weigend 1994), v = max(var, eps).

    The clamp at eps is invisible to the gradient, as PyTorch's (it clamps under no_grad): the
    derivative with respect to var is the formula's at v, also where var < eps.
    input, target: float, broadcasting; var: a number, input's shape, input's shape without its last
    dimension, or input's shape with one dimension of size 1. Raises ValueError for a negative var,
    a var of another shape or an unknown reduction.
    """
    x, t = as_value(input), _target(target)
    if isinstance(var, (int, float)):
        if var < 0:
            raise ValueError("gaussian_nll_loss: var has negative entry/entries")
        var = np.full(x.shape, var, dtype=x.dtype)
    v = as_value(var)
    if np.any(v.numpy() < 0):
        raise ValueError("gaussian_nll_loss: var has negative entry/entries")
    v = _homoscedastic_var(x, v)
    reduction = _reduction("gaussian_nll_loss", reduction)
    vd = v.numpy()
    v = v + np.where(vd < eps, eps - vd, 0).astype(vd.dtype)  # max(var, eps), gradient as the identity
    d = x - t
    loss = (ag.log(v) + d * d / v) * 0.5
    if full:
        loss = loss + _HALF_LOG_2PI
    return _reduce(loss, reduction)
