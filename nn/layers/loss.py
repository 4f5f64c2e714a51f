# ruff: noqa: A002  (PyTorch names the first argument `input`)
"""Loss Modules: thin wrappers over nn.functional.losses, with PyTorch's constructor arguments.

Class weights and ``pos_weight`` are kept as buffers (saved in the state dict, as in PyTorch).
``forward(input, target)``; the legacy ``size_average``/``reduce`` flags are honoured.
"""

import numpy as np

from .. import functional as F
from ..functional.losses import _reduction
from ..module import Module

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HuberLoss",
    "L1Loss",
    "MSELoss",
    "NLLLoss",
    "SmoothL1Loss",
]


def _buffer(module, name, value):
    module.register_buffer(name, None if value is None else np.asarray(value))


class _Loss(Module):
    """Base of the loss modules: checks ``reduction`` (and the legacy size_average/reduce flags)."""

    _index_args = (1,)  # class-index targets stay integer (nn/dtypes.py)

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        self.reduction = _reduction(type(self).__name__, reduction, size_average, reduce)

    def extra_repr(self):
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class MSELoss(_Loss):
    """Mean squared error (input - target)**2 (F.mse_loss). input, target: the same shape. ``reduction``: 'mean' (default), 'sum' or 'none' (the per-element losses, of input's shape)."""

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error |input - target| (F.l1_loss). input, target: the same shape. ``reduction``: 'mean' (default), 'sum' or 'none' (the per-element losses, of input's shape)."""

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class HuberLoss(_Loss):
    """0.5 d**2 where |d| < delta, else delta (|d| - 0.5 delta), d = input - target (Huber, 1964;
    F.huber_loss). input, target: the same shape. ``reduction``: 'mean' (default), 'sum' or 'none' (the per-element losses, of input's shape). Raises ValueError for delta <= 0."""

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction=reduction)
        if not delta > 0:
            raise ValueError(f"HuberLoss: delta must be positive, got {delta}")
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    """huber_loss / beta (Girshick, 2015; F.smooth_l1_loss); beta = 0 is L1Loss. ``reduction``: 'mean' (default), 'sum' or 'none' (the per-element losses, of input's shape).
    Raises ValueError for beta < 0."""

    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        super().__init__(size_average, reduce, reduction)
        if beta < 0:
            raise ValueError(f"SmoothL1Loss: beta must be non-negative, got {beta}")
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class BCELoss(_Loss):
    """Binary cross-entropy -w (t log p + (1 - t) log(1 - p)) on probabilities p (F.binary_cross_entropy);
    logs clamped at -100 as PyTorch. input, target (and weight): the same shape. ``reduction``: 'mean' (default), 'sum' or 'none' (the per-element losses, of input's shape)."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        _buffer(self, "weight", weight)

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy on logits, stable for any logit (F.binary_cross_entropy_with_logits);
    ``pos_weight`` weights positives per class. input, target: the same shape. ``reduction``: 'mean' (default), 'sum' or 'none' (the per-element losses, of input's shape)."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        _buffer(self, "weight", weight)
        _buffer(self, "pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(
            input, target, weight=self.weight, reduction=self.reduction, pos_weight=self.pos_weight
        )


class CrossEntropyLoss(_Loss):
    """Cross-entropy from logits (class indices or probabilities); see nn.functional.cross_entropy."""

    def __init__(
        self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean", label_smoothing=0.0
    ):
        super().__init__(size_average, reduce, reduction)
        if not 0.0 <= label_smoothing <= 1.0:
            raise ValueError(f"CrossEntropyLoss: label_smoothing must be in [0, 1], got {label_smoothing}")
        _buffer(self, "weight", weight)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class NLLLoss(_Loss):
    """Negative log-likelihood -input[n, target[n]] on log-probabilities (N, C, ...) with integer
    targets (N, ...) (F.nll_loss); ``weight`` per class, ``ignore_index`` skipped. ``reduction``: 'mean' (default), 'sum' or 'none' (the per-element losses, of input's shape)."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        _buffer(self, "weight", weight)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index, reduction=self.reduction)
