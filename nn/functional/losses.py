# ruff: noqa: A002  (PyTorch names the first argument `input`)
"""Losses with PyTorch's names, argument orders, defaults and reduction semantics.

``reduction`` is 'mean' | 'sum' | 'none' (the legacy ``size_average``/``reduce`` flags are honoured
as in PyTorch). Weighted means follow PyTorch exactly: cross_entropy/nll_loss divide by the sum of
the target classes' weights, mse/l1 with ``weight`` by the sum of the weights, BCE and huber by the
element count. A mean over zero elements (empty batch, every target ignored) is NaN, as in PyTorch;
a sum over zero elements is 0.

Risky maths are single stable ops from autograd_core: cross-entropy from logits
(``softmax_nll`` for class indices, reduction fused in; ``softmax_cross_entropy`` for probabilities
and label smoothing; gradient softmax - onehot), BCE from logits (``sigmoid_cross_entropy``)
and BCE on probabilities with logs clamped at -100 (``binary_cross_entropy``), all finite at
+-1000, at +-inf logits and at probabilities exactly 0 and 1.
"""

import warnings

import numpy as np

import autograd_core as ag
from autograd_core import DTypeError, IndexingError, ShapeError, Value

from ._utils import as_value, constant

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "huber_loss",
    "l1_loss",
    "mse_loss",
    "nll_loss",
    "smooth_l1_loss",
]

_REDUCTIONS = ("mean", "sum", "none")


def _raw(x):
    """The data of an argument that carries no gradient (integer class targets)."""
    return x.numpy() if isinstance(x, Value) else as_value(x).numpy()


def _target(t):
    """Targets may be Values (differentiable where PyTorch allows it: a list holding Values is stacked)
    or plain arrays."""
    return t if isinstance(t, (Value, np.ndarray)) else as_value(t)


def _reduction(name, reduction, size_average=None, reduce=None):
    if size_average is not None or reduce is not None:  # PyTorch's legacy flags override reduction
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else ("sum" if reduce else "none")
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{name}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    return reduction


def _reduce(loss, reduction, denom=None):
    """Apply a reduction; ``denom`` replaces the element count of 'mean' (weighted means)."""
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    n = loss.size if denom is None else denom
    if n == 0:
        return loss.sum() * np.nan  # 0/0, as PyTorch, without a floating-point error
    # sum / n as mean * (size / n): the mean fits wherever the result does (a float16 sum may not)
    return loss.mean() * (loss.size / n) if denom is not None else loss.mean()


def _check_pair(name, x, t):
    """PyTorch broadcasts input and target of different shapes with a warning; unbroadcastable is an error."""
    if x.shape == t.shape:
        return
    try:
        np.broadcast_shapes(x.shape, t.shape)
    except ValueError:
        raise ShapeError(
            f"{name}: target of shape {t.shape} does not broadcast with input of shape {x.shape}"
        ) from None
    warnings.warn(
        f"{name}: using a target size ({t.shape}) that is different to the input size ({x.shape}). "
        "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
        UserWarning,
        stacklevel=3,
    )


def _elementwise_weight(name, weight, x):
    """The weight (input's shape) and the weighted mean's denominator sum(weight); PyTorch
    differentiates both with respect to a weight that requires grad, and so do we."""
    w = as_value(weight)
    if w.shape != x.shape:
        raise ShapeError(f"{name}: weight of shape {w.shape} must have the input's shape {x.shape}")
    return w, (w.sum() if w.requires_grad else float(w.numpy().sum(dtype=np.float64)))


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """(input - target)^2; with ``weight`` (input's shape) the mean divides by sum(weight)."""
    reduction = _reduction("mse_loss", reduction, size_average, reduce)
    x, t = as_value(input), _target(target)
    _check_pair("mse_loss", x, t)
    d = x - t
    with np.errstate(over="ignore"):  # a square past the dtype's range is inf, as in PyTorch
        loss = d * d
    if weight is None:
        return _reduce(loss, reduction)
    w, denom = _elementwise_weight("mse_loss", weight, x)
    return _reduce(loss * w, reduction, denom=denom)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """|input - target| (gradient 0 where they are equal); weighted mean divides by sum(weight)."""
    reduction = _reduction("l1_loss", reduction, size_average, reduce)
    x, t = as_value(input), _target(target)
    _check_pair("l1_loss", x, t)
    loss = ag.abs(x - t)
    if weight is None:
        return _reduce(loss, reduction)
    w, denom = _elementwise_weight("l1_loss", weight, x)
    return _reduce(loss * w, reduction, denom=denom)


def _huber(d, delta):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta)."""
    a = ag.abs(d)
    small = a.numpy() < delta
    with np.errstate(over="ignore", invalid="ignore"):  # the unselected square may overflow; it is discarded
        return ag.where(small, d * d * 0.5, (a - 0.5 * delta) * delta)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """0.5 d**2 where |d| < delta, else delta (|d| - 0.5 delta), d = input - target (Huber, 1964;
    PyTorch's F.huber_loss); ``weight`` (input's shape) as in mse_loss.

    input, target: the same shape and float dtype. Raises ValueError for delta <= 0 or an unknown
    reduction, ShapeError for shapes that differ."""
    reduction = _reduction("huber_loss", reduction)
    if not delta > 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    x, t = as_value(input), _target(target)
    _check_pair("huber_loss", x, t)
    loss = _huber(x - t, delta)
    if weight is not None:
        loss = loss * _elementwise_weight("huber_loss", weight, x)[0]
    return _reduce(loss, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """huber_loss / beta: 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta; beta = 0 is l1_loss."""
    reduction = _reduction("smooth_l1_loss", reduction, size_average, reduce)
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    x, t = as_value(input), _target(target)
    _check_pair("smooth_l1_loss", x, t)
    d = x - t
    loss = ag.abs(d) if beta == 0 else _huber(d, beta) * (1.0 / beta)
    return _reduce(loss, reduction)


def _same_shape(name, x, t):
    if x.shape != t.shape:
        raise ShapeError(f"{name}: target of shape {t.shape} must have the input's shape {x.shape}")


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """-w (t log p + (1 - t) log(1 - p)) with each log clamped at -100 (finite at p = 0 and 1)."""
    reduction = _reduction("binary_cross_entropy", reduction, size_average, reduce)
    p, t = as_value(input), _target(target)
    _same_shape("binary_cross_entropy", p, t)
    pd = p.numpy()
    if not np.all((pd >= 0) & (pd <= 1)):
        raise ValueError("binary_cross_entropy: all elements of input should be between 0 and 1 (probabilities)")
    loss = ag.binary_cross_entropy(p, t)
    if weight is not None:
        loss = loss * constant("binary_cross_entropy", "weight", weight)
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(
    input, target, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None
):
    """BCE of sigmoid(input) as one stable op; ``pos_weight`` scales the positive term (per class)."""
    name = "binary_cross_entropy_with_logits"
    reduction = _reduction(name, reduction, size_average, reduce)
    x, t = as_value(input), _target(target)
    _same_shape(name, x, t)
    if pos_weight is not None:
        pos_weight = np.asarray(constant(name, "pos_weight", pos_weight), dtype=x.dtype)
        try:
            np.broadcast_shapes(pos_weight.shape, x.shape)
        except ValueError:
            raise ShapeError(
                f"{name}: pos_weight of shape {pos_weight.shape} does not broadcast with {x.shape}"
            ) from None
    loss = ag.sigmoid_cross_entropy(x, t, pos_weight=pos_weight)
    if weight is not None:
        loss = loss * constant(name, "weight", weight)
    return _reduce(loss, reduction)


def _class_layout(name, x):
    """Class axis and class count: (C,) -> axis 0; (N, C, d1, ...) -> axis 1."""
    if x.ndim == 0:
        raise ShapeError(f"{name}: input must have a class dimension, got a 0-d input")
    axis = 1 if x.ndim >= 2 else 0
    return axis, x.shape[axis]


def _class_weight(name, weight, n_classes):
    if weight is None:
        return None
    w = constant(name, "weight", weight)
    if w.shape != (n_classes,):
        raise ShapeError(f"{name}: weight must have shape ({n_classes},) (one per class), got {w.shape}")
    return w


def _class_targets(name, x, target, axis, n_classes, ignore_index):
    """Validated integer targets: (mask of non-ignored entries or None when all count, targets with ignored set to 0)."""
    y = _raw(target)
    if y.dtype.kind not in "iu":
        raise DTypeError(f"{name}: class-index targets must be integers, got dtype {y.dtype}")
    expected = x.shape[:axis] + x.shape[axis + 1 :]
    if y.shape != expected:
        raise ShapeError(
            f"{name}: target of shape {y.shape} does not fit input of shape {x.shape} (expected {expected})"
        )
    if y.size:
        lo, hi = y.min(), y.max()
        if lo >= 0 and hi < n_classes and not lo <= ignore_index <= hi:
            return None, y  # the common case, checked with two reductions: every target valid
    valid = y != ignore_index
    bad = valid & ((y < 0) | (y >= n_classes))
    if bad.any():
        raise IndexingError(f"{name}: target {y[bad].flat[0]} is out of bounds for {n_classes} classes")
    return valid, np.where(valid, y, 0)


def _onehot_weights(x, y_safe, valid, axis, values):
    """Zeros of x's shape with ``values`` (target's shape) written at each target class along ``axis``."""
    q = np.zeros(x.shape, dtype=x.dtype)
    np.put_along_axis(q, np.expand_dims(y_safe, axis), np.expand_dims(np.where(valid, values, 0), axis), axis)
    return q


def cross_entropy(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
    label_smoothing=0.0,
):
    """Cross-entropy from logits: integer class targets or class probabilities (input's shape).

    Layouts (C,), (N, C) and (N, C, d1, ...). One fused op per call whose gradient with respect to
    the logits is softmax - onehot (times the weights). Mean: divided by the sum of the target
    classes' weights (index targets, ignored entries excluded) or by N*d1*... (probability targets).
    """
    name = "cross_entropy"
    reduction = _reduction(name, reduction, size_average, reduce)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{name}: label_smoothing must be in [0, 1], got {label_smoothing}")
    x = as_value(input)
    axis, n_classes = _class_layout(name, x)
    w = _class_weight(name, weight, n_classes)
    wshape = (n_classes,) + (1,) * (x.ndim - axis - 1)
    eps = float(label_smoothing)
    if _raw(target).dtype.kind == "f":
        t = _target(target)
        if t.shape != x.shape:
            raise ShapeError(
                f"{name}: probability targets must have the input's shape {x.shape}, got {t.shape} "
                "(class-index targets must be integers)"
            )
        q = t * (1.0 - eps) + eps / n_classes if eps else t
        if w is not None:
            q = q * w.reshape(wshape)
        loss = ag.softmax_cross_entropy(x, q, axis=axis)
        return _reduce(loss, reduction, denom=x.size // n_classes if n_classes else 0)
    valid, y = _class_targets(name, x, target, axis, n_classes, ignore_index)
    if not eps:  # the common case: one gathering op with the reduction fused in
        if valid is None:
            wps = None if w is None else w[y].astype(x.dtype)
        else:
            wps = np.where(valid, w[y] if w is not None else 1, 0).astype(x.dtype)
        denom = float(y.size if wps is None else wps.sum(dtype=np.float64))
        if reduction == "mean" and denom == 0:
            return ag.softmax_nll(x, target=y, weight=wps, axis=axis, reduction="sum") * np.nan
        return ag.softmax_nll(x, target=y, weight=wps, axis=axis, reduction=reduction, denom=denom)
    valid = np.ones(y.shape, dtype=bool) if valid is None else valid
    wy = w[y] if w is not None else np.ones(y.shape, dtype=x.dtype)
    q = _onehot_weights(x, y, valid, axis, (1.0 - eps) * wy)
    if eps:
        smooth = (eps / n_classes) * (w.reshape(wshape) if w is not None else 1.0)
        q = q + smooth * np.expand_dims(valid, axis)
    loss = ag.softmax_cross_entropy(x, q.astype(x.dtype, copy=False), axis=axis)
    return _reduce(loss, reduction, denom=float(np.sum(wy, where=valid, dtype=np.float64)))


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """-weight[y] * input[y] along the class axis, for log-probabilities ``input``; ignored targets give 0."""
    name = "nll_loss"
    reduction = _reduction(name, reduction, size_average, reduce)
    x = as_value(input)
    axis, n_classes = _class_layout(name, x)
    w = _class_weight(name, weight, n_classes)
    valid, y = _class_targets(name, x, target, axis, n_classes, ignore_index)
    valid = np.ones(y.shape, dtype=bool) if valid is None else valid
    if x.ndim == 1:
        picked = ag.getitem(x, (y,))
    else:
        grids = np.ogrid[tuple(slice(0, s) for s in y.shape)]
        picked = ag.getitem(x, (grids[0], y, *grids[1:]))
    wy = w[y] if w is not None else np.ones(y.shape, dtype=x.dtype)
    wy_safe = np.where(valid, wy, 1).astype(x.dtype, copy=False)
    loss = ag.where(valid, -picked * wy_safe, 0.0) if not valid.all() else -picked * wy_safe
    return _reduce(loss, reduction, denom=float(np.sum(wy, where=valid, dtype=np.float64)))
